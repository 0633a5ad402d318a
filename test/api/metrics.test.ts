// /metrics as Prometheus and its client libraries name things: counters end in _total, the process and Node runtime
// figures are there, and a request refused before its route ran is counted under that route, not the middleware's.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authFromDocument } from '../../src/auth/settings.js';
import { buildApp } from '../../src/server.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { basic, tempDir, usersYaml } from '../security/support.js';

let database: Database;
let open: Hono;
let guarded: Hono;

beforeAll(async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'users.yaml'), await usersYaml({ ana: { password: 'ana-password' } }));
  const auth = authFromDocument({ usersFile: 'users.yaml', bindings: [{ role: 'reader', members: ['user:ana'], subjects: ['ana.*'] }] }, join(dir, 'auth.yaml'));
  database = await openDatabase({ dataDir: 'memory://' });
  ({ app: open } = buildApp(database, { maxBodyBytes: 1 << 20, maxSchemaDepth: 64, logLevel: 'silent' }));
  ({ app: guarded } = buildApp(database, { maxBodyBytes: 1 << 20, maxSchemaDepth: 64, logLevel: 'silent', auth }));
});
afterAll(() => database?.close());

const scrape = async (app: Hono) => (await app.request('/metrics')).text();

describe('/metrics', () => {
  it('declares every family once, and every counter ends in _total', async () => {
    await open.request('/subjects');
    const text = await scrape(open);
    const types = [...text.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!] as const);
    expect(new Set(types.map(([name]) => name)).size).toBe(types.length);
    const counters = types.filter(([, type]) => type === 'counter').map(([name]) => name);
    expect(counters.length).toBeGreaterThan(3);
    expect(counters.filter((name) => !name.endsWith('_total'))).toEqual([]);
    expect(text).toMatch(/^accord_schema_tasks_killed_total 0$/m);
    expect(text).toMatch(/^accord_parsed_schema_cache_hits_total \d+$/m);
    // Every sample belongs to a declared family (histograms' _bucket, _sum and _count to theirs).
    const families = new Set(types.map(([name]) => name));
    for (const sample of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      const name = sample.split(/[{ ]/)[0]!;
      expect(families.has(name) || families.has(name.replace(/_(bucket|sum|count)$/, '')), sample).toBe(true);
    }
  });

  it('exports process and Node runtime figures: resident memory, CPU, heap, event-loop delay, GC', async () => {
    const text = await scrape(open);
    for (const gauge of ['process_resident_memory_bytes', 'process_start_time_seconds', 'nodejs_heap_size_used_bytes', 'nodejs_heap_size_total_bytes', 'nodejs_external_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_eventloop_lag_max_seconds']) {
      expect(text).toMatch(new RegExp(`^# TYPE ${gauge} gauge\\n${gauge} [0-9.e+-]+$`, 'm'));
    }
    expect(text).toMatch(/^process_cpu_seconds_total [0-9.e+-]+$/m);
    expect(Number(/^process_resident_memory_bytes (\S+)$/m.exec(text)![1])).toBeGreaterThan(10 << 20);
    expect(text).toContain('# TYPE nodejs_gc_duration_seconds histogram');
  });

  it('labels requests refused before routing (401, 403) with the route that would have answered', async () => {
    expect((await guarded.request('/subjects/orders-value/versions')).status).toBe(401);
    expect((await guarded.request('/subjects/orders-value/versions', { headers: { authorization: basic('ana', 'ana-password') } })).status).toBe(403);
    expect((await guarded.request('/no/such/path', { headers: { authorization: basic('ana', 'ana-password') } })).status).toBe(404);
    const text = await scrape(guarded);
    expect(text).toMatch(/^accord_http_requests_total\{route="\/subjects\/:subject\/versions",method="GET",status="401"\} 1$/m);
    expect(text).toMatch(/^accord_http_requests_total\{route="\/subjects\/:subject\/versions",method="GET",status="403"\} 1$/m);
    expect(text).toMatch(/^accord_http_requests_total\{route="unmatched",method="GET",status="404"\} 1$/m);
    expect(text).not.toMatch(/route="\/\*"/);
  });
});
