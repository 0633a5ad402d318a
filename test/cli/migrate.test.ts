// `accord migrate` end to end: a source Accord seeded through Confluent's own client (Avro, Protobuf with a reference,
// the same schema under two subjects, metadata and a rule set, soft deletes, per-subject config and mode) copied into
// a fresh Accord by the real CLI in a child process; then every id, version list, config and mode compared over HTTP.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SchemaRegistryClient } from '@confluentinc/schemaregistry';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { start } from '../support/run.js';
import { snapshot } from '../support/registry-snapshot.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { accord, BIN, ENV, tempDir } from './support.js';

const MONEY = 'syntax = "proto3";\npackage acme.common;\n\nmessage Money {\n  int64 cents = 1;\n  string currency = 2;\n}\n';
const ORDER = (extra = '') =>
  `syntax = "proto3";\npackage acme.orders;\n\nimport "common/money.proto";\n\nmessage OrderPlaced {\n  string id = 1;\n  acme.common.Money total = 2;${extra}\n}\n`;
const payment = (fields: string[]) =>
  JSON.stringify({ type: 'record', name: 'Payment', namespace: 'acme', fields: [{ name: 'id', type: 'string' }, ...fields.map((f) => ({ name: f, type: ['null', 'string'], default: null }))] });

/** Seeds `url` the way a team's services would have: through Confluent's client, then a few settings over REST. */
async function seed(url: string, extraSubjects: number): Promise<void> {
  const sr = new SchemaRegistryClient({ baseURLs: [url], maxRetries: 0 });
  await sr.register('payments-value', { schemaType: 'AVRO', schema: payment([]) }, false);
  await sr.register('payments-value', { schemaType: 'AVRO', schema: payment(['note']) }, false);
  await sr.register('payments-value', { schemaType: 'AVRO', schema: payment(['note', 'memo']), metadata: { properties: { owner: 'payments' } }, ruleSet: { domainRules: [{ name: 'checkId', kind: 'CONDITION', mode: 'WRITE' as never, type: 'CEL', expr: 'message.id != ""' }] } }, false);
  await sr.deleteSubjectVersion('payments-value', 2, false);
  // The same schema under a second subject: the same id.
  await sr.register('payments-copy-value', { schemaType: 'AVRO', schema: payment([]) }, false);
  await sr.register('common/money.proto', { schemaType: 'PROTOBUF', schema: MONEY }, false);
  const refs = [{ name: 'common/money.proto', subject: 'common/money.proto', version: 1 }];
  await sr.register('orders-value', { schemaType: 'PROTOBUF', schema: ORDER(), references: refs }, false);
  await sr.register('orders-value', { schemaType: 'PROTOBUF', schema: ORDER('\n  string note = 3;'), references: refs }, false);
  await sr.register('legacy-value', { schemaType: 'AVRO', schema: JSON.stringify({ type: 'record', name: 'Legacy', fields: [{ name: 'a', type: 'int' }] }) }, false);
  await sr.deleteSubject('legacy-value', false);
  await sr.updateConfig('payments-value', { compatibility: 'FULL' as never });
  await sr.updateDefaultConfig({ compatibility: 'BACKWARD_TRANSITIVE' as never });
  const rest = client(url);
  for (let i = 0; i < extraSubjects; i++) {
    const r = await rest.register(`bulk-${String(i).padStart(3, '0')}-value`, { type: 'record', name: `Bulk${i}`, fields: [{ name: 'n', type: 'long' }] });
    expect(r.status).toBe(200);
  }
  expect((await rest.put('/mode/orders-value', { mode: 'READONLY' })).status).toBe(200);
}

/** An HTTP proxy to `upstream`; `intercept` answers a request itself (returning true) or lets it through. */
async function proxy(upstream: string, intercept: (req: IncomingMessage, res: ServerResponse) => boolean) {
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      if (intercept(req, res)) return;
      const answer = await fetch(`${upstream}${req.url}`, { method: req.method, headers: { 'content-type': 'application/vnd.schemaregistry.v1+json' }, ...(chunks.length ? { body: Buffer.concat(chunks) } : {}) });
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(Buffer.from(await answer.arrayBuffer()));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, close: () => new Promise<void>((r) => server.close(() => r())) };
}

const backend = backends[0]!;
let source: TestServer;
let target: TestServer;
let expected: Record<string, unknown>;

beforeAll(async () => {
  [source, target] = await Promise.all([startTestServer(backend), startTestServer(backend)]);
  await seed(source.url, 60);
  expected = await snapshot(source.url);
}, 120_000);
afterAll(async () => {
  await Promise.all([source?.close(), target?.close()]);
});
beforeEach(async () => {
  await target.reset();
});

describe('accord migrate --from', () => {
  it('copies every subject, version (soft-deleted ones too), id, config and mode; a second run finds nothing to do', async () => {
    const first = await accord(['migrate', '--from', source.url, '--to', target.url]);
    expect(first.stderr).not.toMatch(/Error|stack/);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(first.stdout).toMatch(/registered 68 version\(s\) and soft-deleted 2 /);
    expect(first.stdout).toMatch(/verified: 67 id\(s\) read back identical/);
    expect(await snapshot(target.url)).toEqual(expected);
    // The copied registry keeps serving its clients: the next new schema gets the next id.
    const next = await client(target.url).register('after-value', { type: 'record', name: 'After', fields: [] });
    expect(next.json.id).toBe(Math.max(...(expected.ids as number[])) + 1);

    const second = await accord(['migrate', '--from', source.url, '--to', target.url]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/registered 0 version\(s\) and soft-deleted 0/);
  }, 180_000);

  it('copies contexts: each context’s ids (repeating the default context’s), references within it, its config', async () => {
    const ctxSource = await startTestServer(backend);
    try {
      const rest = client(ctxSource.url);
      const ok = async (p: Promise<{ status: number; text: string }>) => expect((await p).status).toBe(200);
      const refs = [{ name: 'common/money.proto', subject: 'common/money.proto', version: 1 }];
      await ok(rest.register('payments-value', payment([])));
      await ok(rest.register(':.team-a:common/money.proto', MONEY, { schemaType: 'PROTOBUF' }));
      await ok(rest.register(':.team-a:orders-value', ORDER(), { schemaType: 'PROTOBUF', references: refs }));
      await ok(rest.register(':.team-a:payments-value', payment(['note'])));
      await ok(rest.put(`/config/${encodeURIComponent(':.team-a:')}`, { compatibility: 'NONE' }));
      const before = await snapshot(ctxSource.url);
      const run = await accord(['migrate', '--from', ctxSource.url, '--to', target.url]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/registered 4 version\(s\)/);
      expect(run.stdout).toMatch(/verified: 4 id\(s\) read back identical/);
      expect(await snapshot(target.url)).toEqual(before);
      expect((await client(target.url).get('/contexts')).json).toEqual(['.', '.team-a']);
      expect((await client(target.url).get(`/config/${encodeURIComponent(':.team-a:')}`)).json).toEqual({ compatibilityLevel: 'NONE' });
      const again = await accord(['migrate', '--from', ctxSource.url, '--to', target.url]);
      expect(again.stdout).toMatch(/registered 0 version\(s\) and soft-deleted 0/);
    } finally {
      await ctxSource.close();
      }
    }, 180_000);

  it('verifies GUIDs: the copy answers the GUIDs the source answers, and an id whose GUID differs is named', async () => {
    const first = await accord(['migrate', '--from', source.url, '--to', target.url]);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    for (const id of expected.ids as number[]) {
      const [a, b] = [await client(source.url).get(`/schemas/ids/${id}`), await client(target.url).get(`/schemas/ids/${id}`)];
      expect(b.json.guid, `id ${id}`).toBe(a.json.guid);
    }
    // A source (a Confluent 8, say) that names id 1 by another GUID than its content hashes to here.
    await target.reset();
    const other = '00000000-1111-2222-3333-444444444444';
    const lying = await proxy(source.url, (req, res) => {
      if (req.method !== 'GET' || !/^\/schemas\/ids\/1(\?|$)/.test(req.url ?? '')) return false;
      void fetch(`${source.url}${req.url}`).then(async (answer) => {
        res.writeHead(200, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
        res.end(JSON.stringify({ ...((await answer.json()) as object), guid: other }));
      });
      return true;
    });
    try {
      const run = await accord(['migrate', '--from', lying.url, '--to', target.url]);
      expect(run.code).not.toBe(0);
      expect(run.stdout + run.stderr).toContain(`id 1: GUID`);
      expect(run.stdout + run.stderr).toContain(other);
    } finally {
      await lying.close();
    }
  }, 180_000);

  it('--dry-run prints the plan per subject and writes nothing', async () => {
    const run = await accord(['migrate', '--from', source.url, '--to', target.url, '--dry-run']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('payments-value: 3 version(s), 0 already there, 3 to register, 1 to soft-delete');
    expect(run.stdout).toContain('orders-value: 2 version(s), 0 already there, 2 to register');
    expect(run.stdout).toMatch(/no conflicts\ndry run: nothing was written/);
    expect((await client(target.url).get('/subjects?deleted=true')).json).toEqual([]);
    expect((await client(target.url).get('/mode')).json).toEqual({ mode: 'READWRITE' });
  }, 120_000);

  it('stops before writing anything when the target holds a different schema under an id or other versions, naming each', async () => {
    const rest = client(target.url);
    // Id 1 taken by another schema; payments-copy-value holding a version the source does not have.
    await rest.register('other-value', { type: 'record', name: 'Other', fields: [] });
    await rest.register('payments-copy-value', { type: 'record', name: 'Mine', fields: [] });
    const before = await snapshot(target.url);
    const run = await accord(['migrate', '--from', source.url, '--to', target.url]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^  id 1: the target holds a different schema under it/m);
    expect(run.stdout).toContain('payments-copy-value version 1: the target holds id 2 there, the source id 1');
    expect(run.stdout).toMatch(/nothing was written .*--force/);
    expect(await snapshot(target.url)).toEqual(before);

    // --force copies everything else and leaves the conflicting subjects as they are: never an overwrite.
    const forced = await accord(['migrate', '--from', source.url, '--to', target.url, '--force']);
    expect(forced.code, forced.stderr).toBe(1);
    expect(forced.stdout).toMatch(/--force: \d+ conflict\(s\) left as the target holds them \(subjects not copied: payments-copy-value, payments-value\)/);
    expect(forced.stdout).toMatch(/verified/);
    expect((await rest.get('/schemas/ids/1')).json.schema).toContain('Other');
    expect((await rest.get('/subjects/orders-value/versions')).json).toEqual([1, 2]);
    expect((await rest.get('/subjects/payments-value/versions')).status).toBe(404);
  }, 180_000);

  it('stops before writing anything when entering IMPORT mode would permanently delete a subject only the target holds', async () => {
    const rest = client(target.url);
    // Under an id the source does not use, so that nothing else conflicts.
    expect((await rest.put('/mode?force=true', { mode: 'IMPORT' })).status).toBe(200);
    expect((await rest.register('kept-value', { type: 'record', name: 'Kept', fields: [] }, { id: 100_000, version: 1 })).status).toBe(200);
    expect((await rest.put('/mode', { mode: 'READWRITE' })).status).toBe(200);
    expect((await rest.delete('/subjects/kept-value')).status).toBe(200);
    const before = await snapshot(target.url);
    for (const flags of [[], ['--force']]) {
      const run = await accord(['migrate', '--from', source.url, '--to', target.url, ...flags]);
      expect(run.code).toBe(1);
      expect(run.stdout).toContain('entering IMPORT mode would permanently delete 1 subject(s) whose versions are all soft-deleted: kept-value');
      expect(await snapshot(target.url)).toEqual(before);
    }
  }, 180_000);

  it('resumes after the first run is killed mid-way, and ends verified and identical', async () => {
    // A proxy in front of the target kills the migrating process when the 20th registration arrives.
    let registrations = 0;
    let kill = () => {};
    const { url: proxyUrl, close } = await proxy(target.url, (req, res) => {
      if (req.method === 'POST' && /^\/subjects\/[^/]+\/versions$/.test(req.url ?? '') && ++registrations === 20) {
        kill();
        res.destroy();
        return true;
      }
      return false;
    });
    try {
      const first = start(process.execPath, [BIN, 'migrate', '--from', source.url, '--to', proxyUrl], { env: ENV });
      kill = () => first.child.kill('SIGKILL');
      const killed = await first.exited;
      expect(killed.signal).toBe('SIGKILL');
      const halfway = (await client(target.url).get('/subjects?deleted=true')).json as string[];
      expect(halfway.length).toBeGreaterThan(0);
      expect(halfway.length).toBeLessThan((expected['/subjects?deleted=true'] as string[]).length);
      expect((await client(target.url).get('/mode')).json).toEqual({ mode: 'IMPORT' });

      const second = await accord(['migrate', '--from', source.url, '--to', target.url]);
      expect(second.code, second.stdout + second.stderr).toBe(0);
      expect(second.stdout).toMatch(/verified/);
      const resumed = Number(/registered (\d+) version/.exec(second.stdout)?.[1]);
      expect(resumed).toBeGreaterThan(0);
      expect(resumed).toBeLessThan(68);
      expect(await snapshot(target.url)).toEqual(expected);
    } finally {
      await close();
    }
  }, 180_000);

  it('a copy refused mid-way says the target was left in IMPORT mode and that running again resumes', async () => {
    // A proxy in front of the target refuses the 5th registration as Confluent would refuse an overwrite.
    let registrations = 0;
    const { url: proxyUrl, close } = await proxy(target.url, (req, res) => {
      if (req.method === 'POST' && /^\/subjects\/[^/]+\/versions$/.test(req.url ?? '') && ++registrations === 5) {
        res.writeHead(422, { 'content-type': 'application/vnd.schemaregistry.v1+json' });
        res.end(JSON.stringify({ error_code: 42205, message: 'Overwrite new schema with id 9 in context . is not permitted.' }));
        return true;
      }
      return false;
    });
    try {
      const failed = await accord(['migrate', '--from', source.url, '--to', proxyUrl]);
      expect(failed.code).toBe(2);
      expect(failed.stderr).toMatch(/failed: 42205 Overwrite new schema with id 9/);
      expect(failed.stderr).toContain(`${proxyUrl} was left in IMPORT mode with part of the copy: run the same accord migrate again to resume`);
      expect((await client(target.url).get('/mode')).json).toEqual({ mode: 'IMPORT' });
    } finally {
      await close();
    }
  }, 180_000);

  it('reads a registry without GET /schemas and /contexts (Karapace, older Confluent) version by version', async () => {
    const { url, close } = await proxy(source.url, (req, res) => {
      if (!/^\/(schemas|contexts)(\?|$)/.test(req.url ?? '')) return false;
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error_code: 404, message: 'HTTP 404 Not Found' }));
      return true;
    });
    try {
      const run = await accord(['migrate', '--from', url, '--to', target.url]);
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stdout).toMatch(/verified: 67 id\(s\)/);
      expect(await snapshot(target.url)).toEqual(expected);
    } finally {
      await close();
    }
  }, 180_000);

  it('bad input: one line naming the problem and the setting, exit 2', async () => {
    const none = await accord(['migrate', '--to', target.url]);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^accord migrate: give --from URL .* or --from-topic-dump FILE\nusage: accord migrate/);
    const both = await accord(['migrate', '--from', source.url, '--from-topic-dump', 'x', '--to', target.url]);
    expect(both.code).toBe(2);
    expect(both.stderr).toMatch(/not both/);
    const noTarget = await accord(['migrate', '--from', source.url]);
    expect(noTarget.code).toBe(2);
    expect(noTarget.stderr).toMatch(/give --to URL \(or set ACCORD_REGISTRY\)/);
    const badUrl = await accord(['migrate', '--from', 'ftp://x', '--to', target.url]);
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toMatch(/--from 'ftp:\/\/x' is not an http or https URL/);
    const missing = await accord(['migrate', '--from-topic-dump', '/nonexistent/dump', '--to', target.url]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read --from-topic-dump \/nonexistent\/dump: no such file/);
    const dir = tempDir('dump');
    const file = join(dir, 'bad.dump');
    writeFileSync(file, '{"keytype":"NOOP","magic":0}\tnull\nnot a record\n');
    const bad = await accord(['migrate', '--from-topic-dump', file, '--to', target.url]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`${file}:2: does not start with a JSON key`);
    expect(bad.stderr.trim().split('\n')).toHaveLength(2);
  }, 120_000);
});

describe('accord migrate --from-topic-dump', () => {
  const FIXTURE = join(import.meta.dirname, 'fixtures/_schemas.dump');

  it('replays every record type (tombstones, later records overriding earlier ones) and imports the state, verified', async () => {
    const run = await accord(['migrate', '--from-topic-dump', FIXTURE, '--to', target.url]);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).toContain('26 record(s) replayed: 6 version(s) of 5 subject(s), 6 id(s)');
    expect(run.stdout).toMatch(/verified: 6 id\(s\)/);
    const rest = client(target.url);
    expect((await rest.get('/subjects?deleted=true')).json).toEqual(['common/money.proto', 'customers-value', 'gone-value', 'old-value', 'orders-value']);
    expect((await rest.get('/subjects')).json).toEqual(['common/money.proto', 'customers-value', 'old-value', 'orders-value']);
    // customers-value v2 soft-deleted by a later SCHEMA record; old-value v1 removed by a tombstone; temp-value cleared.
    expect((await rest.get('/subjects/customers-value/versions')).json).toEqual([1]);
    expect((await rest.get('/subjects/customers-value/versions?deleted=true')).json).toEqual([1, 2]);
    expect((await rest.get('/subjects/old-value/versions?deleted=true')).json).toEqual([2]);
    expect((await rest.get('/subjects/gone-value/versions?deleted=true')).json).toEqual([1]);
    expect((await rest.get('/schemas/ids/5')).status).toBe(404);
    expect((await rest.get('/schemas/ids/6')).status).toBe(404);
    const order = (await rest.get('/subjects/orders-value/versions/1')).json;
    expect(order).toMatchObject({ id: 4, schemaType: 'PROTOBUF', references: [{ name: 'common/money.proto', subject: 'common/money.proto', version: 1 }], metadata: { properties: { owner: 'orders' } } });
    // Settings: the last record wins; a tombstone removes.
    expect((await rest.get('/config')).json).toEqual({ compatibilityLevel: 'FULL' });
    expect((await rest.get('/config/orders-value')).json).toEqual({ compatibilityLevel: 'FULL_TRANSITIVE', normalize: true });
    expect((await rest.get('/config/customers-value')).status).toBe(404);
    expect((await rest.get('/mode')).json).toEqual({ mode: 'READWRITE' });
    expect((await rest.get('/mode/orders-value')).json).toEqual({ mode: 'READONLY' });
    expect((await rest.get('/mode/customers-value')).status).toBe(404);
    // New schemas continue above the imported ids.
    expect((await rest.register('next-value', { type: 'record', name: 'Next', fields: [] })).json.id).toBe(9);
  }, 120_000);

  it('reads kcat -K output with another separator, and an empty value as a tombstone, to the same state', async () => {
    const { replayTopicDump } = await import('../../src/cli/topic-dump.js');
    const text = readFileSync(FIXTURE, 'utf8');
    const kcat = text
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => l.replace(/\tnull$/, '|').replace('\t', '|'))
      .join('\n');
    expect(kcat).toContain('"magic":1}|\n');
    expect(replayTopicDump(kcat, 'kcat.dump').state).toEqual(replayTopicDump(text, 'console.dump').state);
  });
});
