// Every route hono has registered declares the permission it needs, and the table names no route that is gone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../server.js';
import { openDatabase, type Database } from '../storage/database.js';
import { PERMISSIONS } from './permissions.js';

let database: Database;
let routes: string[];

beforeAll(async () => {
  database = await openDatabase({ dataDir: 'memory://' });
  const { app } = buildApp(database, { maxBodyBytes: 1024, maxSchemaDepth: 64, logLevel: 'silent' });
  // ALL is middleware and the 405 fallbacks; every other entry is a route that answers.
  routes = [...new Set(app.routes.filter((r) => r.method !== 'ALL').map((r) => `${r.method} ${r.path}`))];
});
afterAll(() => database?.close());

describe('the permission table', () => {
  it('declares a permission for every registered route', () => {
    const undeclared = routes.filter((r) => !(r in PERMISSIONS));
    expect(undeclared, 'add these routes to src/http/permissions.ts').toEqual([]);
  });

  it('names no route that is not registered', () => {
    expect(Object.keys(PERMISSIONS).filter((k) => !routes.includes(k))).toEqual([]);
  });

  it('covers the whole API (a sanity floor, so an empty route list cannot pass)', () => {
    expect(routes.length).toBeGreaterThan(50);
  });
});
