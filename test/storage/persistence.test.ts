// Data survives a restart on PGlite's data directory, and concurrent start-ups migrate one PostgreSQL safely.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.js';
import { openDatabase } from '../../src/storage/database.js';
import { Store } from '../../src/storage/store.js';
import { client } from '../support/server.js';

const config = (dataDir: string) => ({ port: 0, host: '127.0.0.1', databaseUrl: undefined, dataDir, maxBodyBytes: 1 << 20, maxSchemaDepth: 64 });

describe('PGlite data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-data-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps subjects, ids, config and the audit log across a restart', async () => {
    const first = await startServer(config(dir));
    const api = client(first.url);
    expect((await api.register('kept', { type: 'record', name: 'Kept', fields: [] })).json.id).toBe(1);
    await api.put('/config/kept', { compatibility: 'FULL' });
    await first.close();

    const second = await startServer(config(dir));
    const again = client(second.url);
    expect((await again.get('/subjects/kept/versions/1')).json).toMatchObject({ subject: 'kept', version: 1, id: 1 });
    expect((await again.get('/config/kept')).json).toEqual({ compatibilityLevel: 'FULL' });
    const trail = await new Store(second.database.db).auditTrail('kept');
    expect(trail.map((e) => e.action)).toEqual(['register', 'config.put']);
    await second.close();
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('migrations on PostgreSQL', () => {
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://unset/';
  const name = `accord_migrate_${randomBytes(6).toString('hex')}`;
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();

  afterAll(async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('five replicas starting at once against a new database all come up', async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const replicas = await Promise.all(Array.from({ length: 5 }, () => openDatabase({ url, poolSize: 2 })));
    const store = new Store(replicas[0]!.db);
    expect(await store.maxSchemaId('.')).toBe(0);
    await Promise.all(replicas.map((r) => r.close()));
  });

  it('the audit log refuses updates and deletes', async () => {
    const db = await openDatabase({ url, poolSize: 1 });
    const store = new Store(db.db);
    await store.audit({ actor: 'test', action: 'probe' });
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    await expect(sql`update audit_log set actor = 'someone else'`).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log`).rejects.toThrow(/append-only/);
    await sql.end();
    await db.close();
  });
});
