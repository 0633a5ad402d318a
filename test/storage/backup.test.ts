// `accord export` / `accord import`: a registry with every kind of content (Avro, Protobuf with a reference, metadata
// in an unusual key order, soft and hard deletes, configs, modes, catalog entries, governance settings, an audit log)
// exported and imported into an empty database answers every API call exactly as before, on PGlite and PostgreSQL.
// An export taken while registrations run is a consistent snapshot.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/server.js';
import { exportRegistry, importRegistry, readBackup } from '../../src/storage/backup.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { accord } from '../cli/support.js';
import { backends } from '../support/backends.js';
import { snapshot } from '../support/registry-snapshot.js';
import { client } from '../support/server.js';

const MONEY = 'syntax = "proto3";\npackage acme.common;\n\nmessage Money {\n  int64 cents = 1;\n}\n';
const ORDER = 'syntax = "proto3";\npackage acme.orders;\n\nimport "common/money.proto";\n\nmessage OrderPlaced {\n  acme.common.Money total = 1;\n}\n';

const serverConfig = { port: 0, host: '127.0.0.1', databaseUrl: undefined, dataDir: 'memory://', maxBodyBytes: 1 << 20, maxSchemaDepth: 64, logLevel: 'silent' as const };

async function serve(database: Database) {
  return startServer(serverConfig, database);
}

/** A registry holding one of everything a backup must carry. */
async function seed(url: string): Promise<void> {
  const api = client(url);
  const ok = async (p: Promise<{ status: number; text: string }>) => {
    const r = await p;
    expect(r.status, r.text).toBe(200);
  };
  const record = (name: string, extra: unknown[] = []) => ({ type: 'record', name, namespace: 'acme', doc: `The ${name}.`, fields: [{ name: 'id', type: 'string', doc: 'Id.' }, ...extra] });
  await ok(api.put('/governance/settings', { severities: { OWNER_DECLARED: 'warn' } }));
  await ok(api.put('/governance/settings/prefixes/billing.', { severities: { FIELD_DOCUMENTED: 'off' } }));
  await ok(api.put('/catalog/subjects/billing.payment-value', { owner: 'payments', domain: 'billing', tags: ['money'], producers: ['checkout'] }));
  await ok(api.register('billing.payment-value', record('Payment')));
  await ok(api.register('billing.payment-value', record('Payment', [{ name: 'note', type: ['null', 'string'], default: null, doc: 'Note.' }]), { metadata: { properties: { z: '1', a: '2' } } }));
  await ok(api.register('billing.payment-value', record('Payment', [{ name: 'memo', type: ['null', 'string'], default: null, doc: 'Memo.' }])));
  await ok(api.delete('/subjects/billing.payment-value/versions/2'));
  await ok(api.register('common/money.proto', MONEY, { schemaType: 'PROTOBUF' }));
  await ok(api.register('orders.placed-value', ORDER, { schemaType: 'PROTOBUF', references: [{ name: 'common/money.proto', subject: 'common/money.proto', version: 1 }] }));
  await ok(api.register('tmp-value', record('Tmp')));
  await ok(api.delete('/subjects/tmp-value'));
  await ok(api.delete('/subjects/tmp-value?permanent=true'));
  await ok(api.register('gone-value', record('Gone')));
  await ok(api.delete('/subjects/gone-value'));
  await ok(api.put('/config', { compatibility: 'FULL' }));
  await ok(api.put('/config/orders.placed-value', { compatibility: 'NONE', normalize: true }));
  await ok(api.put('/mode/orders.placed-value', { mode: 'READONLY' }));
}

const tmp: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'accord-backup-'));
  tmp.push(dir);
  return dir;
};
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe.each(backends)('export and import on $name', (backend) => {
  it('an export imported into an empty registry answers every API call as the original did; new ids continue', async () => {
    const source = await backend.open();
    const target = await backend.open();
    const a = await serve(source);
    let b: Awaited<ReturnType<typeof serve>> | undefined;
    try {
      await seed(a.url);
      const before = await snapshot(a.url, { accord: true });
      const lines: string[] = [];
      const counts = await exportRegistry(source.db, (line) => void lines.push(line), 'test');
      expect(counts).toMatchObject({ version: 6, config: 2, mode: 1, ruleSettings: 2, catalog: 1 });
      const backup = await readBackup((async function* () { yield* lines; })(), 'memory');
      const result = await importRegistry(target.db, backup, { force: false });
      expect(result.conflicts).toEqual([]);
      expect(result.written).toMatchObject({ version: 6, audit: counts.audit });
      b = await serve(target);
      expect(await snapshot(b.url, { accord: true })).toEqual(before);
      // Both registries hand out the same next id, and the audit log continues on both.
      const next = { type: 'record', name: 'Next', namespace: 'acme', doc: 'Next.', fields: [] };
      const [x, y] = [await client(a.url).register('next-value', next), await client(b.url).register('next-value', next)];
      expect(y.json.id).toBe(x.json.id);
      expect((await client(b.url).get('/audit?limit=10000')).json).toEqual((await client(a.url).get('/audit?limit=10000')).json.map((e: Record<string, unknown>, i: number, all: unknown[]) => (i === all.length - 1 ? { ...e, at: expect.any(String) } : e)));

      // Importing the same file again: the registry is not empty now, so nothing is written, and the new version is named.
      const again = await importRegistry(target.db, backup, { force: false });
      expect(again.merged).toBe(true);
      expect(again.written).toEqual({});
    } finally {
      await a.close();
      await b?.close();
      await source.close();
      await target.close();
    }
  }, 120_000);

  it('carries contexts: the same ids in each context, references resolved in theirs, and each context’s ids continue', async () => {
    const source = await backend.open();
    const target = await backend.open();
    const a = await serve(source);
    let b: Awaited<ReturnType<typeof serve>> | undefined;
    try {
      const api = client(a.url);
      const ok = async (p: Promise<{ status: number; text: string }>) => expect((await p).status).toBe(200);
      await ok(api.register('common/money.proto', MONEY, { schemaType: 'PROTOBUF' }));
      await ok(api.register(':.team-a:other-value', MONEY.replace('Money', 'Other'), { schemaType: 'PROTOBUF' }));
      await ok(api.register(':.team-a:common/money.proto', MONEY, { schemaType: 'PROTOBUF' }));
      await ok(api.register(':.team-a:orders.placed-value', ORDER, { schemaType: 'PROTOBUF', references: [{ name: 'common/money.proto', subject: 'common/money.proto', version: 1 }] }));
      await ok(api.put(`/config/${encodeURIComponent(':.team-a:')}`, { compatibility: 'NONE' }));
      const before = await snapshot(a.url, { accord: true });
      const lines: string[] = [];
      await exportRegistry(source.db, (line) => void lines.push(line), 'test');
      expect(JSON.parse(lines[0]!).version).toBe(2);
      const result = await importRegistry(target.db, await readBackup((async function* () { yield* lines; })(), 'memory'), { force: false });
      expect(result.conflicts).toEqual([]);
      b = await serve(target);
      expect(await snapshot(b.url, { accord: true })).toEqual(before);
      expect((await client(b.url).get('/contexts')).json).toEqual(['.', '.team-a']);
      // The reference still guards what it points at, in its context.
      expect((await client(b.url).get(`/subjects/${encodeURIComponent(':.team-a:common/money.proto')}/versions/1/referencedby`)).json).toEqual([3]);
      const next = { type: 'record', name: 'Next', namespace: 'acme', doc: 'Next.', fields: [] };
      const [x, y] = [await client(a.url).register(':.team-a:next-value', next), await client(b.url).register(':.team-a:next-value', next)];
      expect([x.json.id, y.json.id]).toEqual([4, 4]);
    } finally {
      await a.close();
      await b?.close();
      await source.close();
      await target.close();
      }
    }, 120_000);

  it('keeps each schema’s GUID, even one that is not what its content hashes to (imported from another registry); a file without GUIDs gets them computed', async () => {
    const source = await backend.open();
    const target = await backend.open();
    const old = await backend.open();
    const a = await serve(source);
    let b: Awaited<ReturnType<typeof serve>> | undefined;
    let c: Awaited<ReturnType<typeof serve>> | undefined;
    try {
      const kept = 'c0ffee00-0000-4000-8000-000000000001';
      const first = await client(a.url).register('kept-value', { type: 'record', name: 'Kept', fields: [] });
      const second = await client(a.url).register('computed-value', { type: 'record', name: 'Computed', fields: [] });
      await source.db.execute(sql`update schemas set guid = ${kept} where id = ${first.json.id as number}`);
      const lines: string[] = [];
      await exportRegistry(source.db, (line) => void lines.push(line), 'test');
      expect(lines.find((l) => l.includes('"Kept'))).toContain(kept);
      const read = (text: string[]) => readBackup((async function* () { yield* text; })(), 'memory');
      await importRegistry(target.db, await read(lines), { force: false });
      b = await serve(target);
      expect((await client(b.url).get(`/schemas/ids/${first.json.id as number}`)).json.guid).toBe(kept);
      expect((await client(b.url).get(`/schemas/guids/${kept}/ids`)).json).toEqual([{ context: '.', id: first.json.id }]);
      expect((await client(b.url).get(`/schemas/guids/${second.json.guid as string}`)).status).toBe(200);

      // A file written before GUIDs: the schema rows carry none, and the import computes them.
      const withoutGuids = lines.map((l) => (l.includes('"type":"schema"') || l.includes('"type" : "schema"') ? JSON.stringify({ ...JSON.parse(l), guid: undefined }) : l));
      await importRegistry(old.db, await read(withoutGuids), { force: false });
      const stored = (await old.db.execute(sql`select count(*)::int as missing from schemas where guid is null`)) as unknown;
      const rows = Array.isArray(stored) ? stored : (stored as { rows: unknown[] }).rows;
      expect(rows).toEqual([{ missing: 0 }]);
      c = await serve(old);
      expect((await client(c.url).get(`/schemas/guids/${second.json.guid as string}`)).status).toBe(200);
    } finally {
      await a.close();
      await b?.close();
      await c?.close();
      await source.close();
      await target.close();
      await old.close();
    }
  }, 120_000);

  it('stops on conflicts before writing, naming each; --force adds only what is missing and keeps the registry’s rows', async () => {
    const source = await backend.open();
    const target = await backend.open();
    const a = await serve(source);
    const b = await serve(target);
    try {
      await seed(a.url);
      const lines: string[] = [];
      await exportRegistry(source.db, (line) => void lines.push(line), 'test');
      const backup = await readBackup((async function* () { yield* lines; })(), 'memory');
      // The target already holds another schema under id 1 and its own version 1 of billing.payment-value.
      await client(b.url).register('billing.payment-value', { type: 'record', name: 'Other', fields: [] });
      const before = await snapshot(b.url, { accord: true });
      const refused = await importRegistry(target.db, backup, { force: false });
      expect(refused.conflicts).toContain('id 1: the registry holds a different schema under it');
      expect(refused.conflicts.some((c) => c.startsWith('billing.payment-value version 1: the registry holds id 1'))).toBe(false);
      expect(refused.written).toEqual({});
      expect(await snapshot(b.url, { accord: true })).toEqual(before);

      const forced = await importRegistry(target.db, backup, { force: true });
      b.registry.forgetCachedSchemas();
      expect(forced.conflicts.length).toBeGreaterThan(0);
      expect(forced.notes[0]).toMatch(/audit log is not empty/);
      const api = client(b.url);
      expect((await api.get('/schemas/ids/1')).json.schema).toContain('Other');
      expect((await api.get('/subjects/orders.placed-value/versions')).json).toEqual([1]);
      expect((await api.get('/subjects/billing.payment-value/versions/1')).json.schema).toContain('Other');
    } finally {
      await a.close();
      await b.close();
      await source.close();
      await target.close();
    }
  }, 120_000);

  it('an export taken while registrations run is one consistent snapshot', async () => {
    const source = await backend.open();
    const a = await serve(source);
    try {
      const api = client(a.url);
      for (let i = 0; i < 50; i++) await api.register(`pre-${i}-value`, { type: 'record', name: `Pre${i}`, fields: [] });
      let stop = false;
      const writer = (async () => {
        let i = 0;
        while (!stop) expect((await api.register(`during-${i}-value`, { type: 'record', name: `During${i++}`, fields: [] })).status).toBe(200);
        return i;
      })();
      await new Promise((r) => setTimeout(r, 200));
      const lines: string[] = [];
      const counts = await exportRegistry(source.db, (line) => void lines.push(line), 'test');
      stop = true;
      const written = await writer;
      expect(written).toBeGreaterThan(0);
      const backup = await readBackup((async function* () { yield* lines; })(), 'memory');
      // Every table as of the same instant: the counts read first match the rows read after, every version's schema
      // is there, and every registration in the file has its audit entry.
      expect(backup.records.version).toHaveLength(counts.version);
      expect(backup.records.schema).toHaveLength(counts.schema);
      expect(backup.records.audit).toHaveLength(counts.audit);
      const ids = new Set(backup.records.schema.map((s) => s.id));
      expect(backup.records.version.every((v) => ids.has(v.schemaId))).toBe(true);
      expect(backup.records.audit.filter((e) => e.action === 'register')).toHaveLength(counts.version);
    } finally {
      await a.close();
      await source.close();
    }
  }, 120_000);
});

describe('accord export / accord import (the CLI)', () => {
  it('round-trips a PGlite data directory through a gzip file; bad files are one-line errors, exit 2', async () => {
    const from = join(tempDir(), 'data');
    const to = join(tempDir(), 'data');
    const file = join(tempDir(), 'registry.jsonl.gz');
    const first = await openDatabase({ dataDir: from });
    const a = await serve(first);
    await seed(a.url);
    const before = await snapshot(a.url, { accord: true });
    await a.close();
    await first.close();

    const exported = await accord(['export', file, '--data-dir', from]);
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toMatch(/^exported \d+ schema\(s\), 6 version\(s\), 2 config\(s\), 1 mode\(s\), 2 governance setting\(s\), 1 catalog entry and \d+ audit entries to .*registry\.jsonl\.gz \(\d+ bytes\)/);
    const text = gunzipSync(readFileSync(file)).toString('utf8').trim().split('\n');
    expect(JSON.parse(text[0]!)).toMatchObject({ format: 'accord-backup', version: 1 });
    expect(JSON.parse(text.at(-1)!)).toEqual({ type: 'end', records: text.length - 2 });

    const imported = await accord(['import', file, '--data-dir', to]);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toMatch(/^imported .* 6 version\(s\), 2 config\(s\), 1 mode\(s\), 2 governance setting\(s\), 1 catalog entry/);
    const second = await openDatabase({ dataDir: to });
    const b = await serve(second);
    try {
      expect(await snapshot(b.url, { accord: true })).toEqual(before);
    } finally {
      await b.close();
      await second.close();
    }

    // Into a registry that is not empty: nothing written, exit 1.
    const again = await accord(['import', file, '--data-dir', to]);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^nothing was imported: the registry is not empty/);

    // Damaged or foreign files: one line naming the problem, exit 2, nothing written.
    const dir = tempDir();
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, `${text.slice(0, -1).join('\n')}\n`);
    const short = await accord(['import', cut, '--data-dir', join(dir, 'x')]);
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/^accord import: .*cut\.jsonl: ends without its end record: the file is cut short/);
    const foreign = join(dir, 'foreign.json');
    writeFileSync(foreign, '{"hello":"world"}\n');
    const notOurs = await accord(['import', foreign, '--data-dir', join(dir, 'x')]);
    expect(notOurs.code).toBe(2);
    expect(notOurs.stderr).toMatch(/foreign\.json:1: not an Accord backup/);
    const missing = await accord(['import', join(dir, 'nope.jsonl'), '--data-dir', join(dir, 'x')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no such file; give the FILE accord export wrote/);
    const noFile = await accord(['export']);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/^accord export: give the FILE to write/);
  }, 180_000);

  it.runIf(process.env.TEST_DATABASE_URL)('round-trips PostgreSQL through --database-url', async () => {
    const pg = backends.find((b) => b.name === 'postgres')!;
    const source = await pg.open();
    const target = await pg.open();
    const a = await serve(source);
    let b: Awaited<ReturnType<typeof serve>> | undefined;
    try {
      await seed(a.url);
      const before = await snapshot(a.url, { accord: true });
      const file = join(tempDir(), 'pg.jsonl');
      // The server keeps serving while the CLI exports from the same database.
      const exported = await accord(['export', file, '--database-url', source.url!]);
      expect(exported.code, exported.stderr).toBe(0);
      const imported = await accord(['import', file, '--database-url', target.url!]);
      expect(imported.code, imported.stderr).toBe(0);
      b = await serve(target);
      expect(await snapshot(b.url, { accord: true })).toEqual(before);
    } finally {
      await a.close();
      await b?.close();
      await source.close();
      await target.close();
    }
  }, 180_000);
});
