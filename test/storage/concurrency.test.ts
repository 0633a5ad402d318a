// Registrations racing each other, within one process and across "replicas" sharing one database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { openDatabase, type Database } from '../../src/storage/database.js';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';

const schemaN = (n: number) => ({ type: 'record', name: `Event${n}`, fields: [{ name: 'id', type: 'string' }] });

describe.each(backends)('concurrent registration ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('fifty identical concurrent registrations yield one version and one id', async () => {
    const api = client(server.url);
    const results = await Promise.all(Array.from({ length: 50 }, () => api.register('race', schemaN(1))));
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
    expect((await api.get('/subjects/race/versions')).json).toEqual([1]);
  });

  it('distinct schemas registered concurrently in many subjects never share an id', async () => {
    const api = client(server.url);
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => api.register(`s${i % 8}`, schemaN(100 + i), {}, '')));
    // Different record names in one subject are incompatible under BACKWARD; count only the accepted ones.
    const accepted = results.filter((r) => r.status === 200);
    expect(accepted.length).toBeGreaterThanOrEqual(8);
    const ids = accepted.map((r) => r.json.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('ids continue above an imported id', async () => {
    const api = client(server.url);
    await api.put('/mode/imported', { mode: 'IMPORT' });
    expect((await api.register('imported', schemaN(5000), { id: 900, version: 1 })).json.id).toBe(900);
    await api.delete('/mode/imported');
    expect((await api.register('after-import', schemaN(5001))).json.id).toBe(901);
  });

  // Issue 21.1: `accord migrate` imports one schema into several subjects at once; each writer must find the id
  // holding that very schema (inserted by another) and not take it for an overwrite (42205).
  it('the same schema imported concurrently at the same id under three subjects: all three succeed, every time', async () => {
    const api = client(server.url);
    for (let n = 0; n < 30; n++) {
      const subjects = ['x', 'y', 'z'].map((p) => `${p}${n}-value`);
      for (const s of subjects) expect((await api.put(`/mode/${s}`, { mode: 'IMPORT' })).status).toBe(200);
      const id = 20_000 + n;
      const results = await Promise.all(subjects.map((s) => api.register(s, schemaN(20_000 + n), { id, version: 1 })));
      expect(results.map((r) => [r.status, r.json.id]), JSON.stringify(results.map((r) => r.json))).toEqual(Array(3).fill([200, id]));
      for (const s of subjects) expect((await api.get(`/subjects/${s}/versions/1`)).json.id).toBe(id);
    }
  }, 300_000);

  // The same race within a named context, while the default context imports another schema at the same id.
  it('imports at one id in a named context and in the default context at once: each context keeps its own schema there', async () => {
    const api = client(server.url);
    for (let n = 0; n < 10; n++) {
      const subjects = ['x', 'y', 'z'].map((p) => `:.imports:${p}${n}-value`);
      const plain = `plain${n}-value`;
      for (const s of [...subjects, plain]) expect((await api.put(`/mode/${encodeURIComponent(s)}`, { mode: 'IMPORT' })).status).toBe(200);
      const id = 30_000 + n;
      const results = await Promise.all([
        ...subjects.map((s) => api.register(s, schemaN(30_000 + n), { id, version: 1 })),
        api.register(plain, schemaN(40_000 + n), { id, version: 1 }),
      ]);
      expect(results.map((r) => [r.status, r.json.id]), JSON.stringify(results.map((r) => r.json))).toEqual(Array(4).fill([200, id]));
      const read = await api.get(`/schemas/ids/${id}?subject=${encodeURIComponent(subjects[0]!)}`);
      expect(read.json.schema).toContain(`Event${30_000 + n}`);
      expect((await api.get(`/schemas/ids/${id}`)).json.schema).toContain(`Event${40_000 + n}`);
    }
  }, 300_000);

  it('the same schema registered concurrently in different subjects gets one id', async () => {
    const api = client(server.url);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => api.register(`shared-${i}`, schemaN(999))));
    expect(new Set(results.map((r) => r.json.id)).size).toBe(1);
  });
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('replicas over one PostgreSQL', () => {
  const backend = backends.find((b) => b.name === 'postgres')!;
  let server: TestServer;
  let second: Database;
  let replicaB: RunningServer;

  beforeAll(async () => {
    server = await startTestServer(backend);
    // A second replica: its own pool, its own registry and caches, its own HTTP port, the same database.
    second = await openDatabase({ url: server.database.url, poolSize: 5 });
    replicaB = await startServer({ port: 0, host: '127.0.0.1', databaseUrl: undefined, dataDir: 'memory://', maxBodyBytes: 1 << 20, maxSchemaDepth: 64 }, second);
  });
  afterAll(async () => {
    await replicaB?.close();
    await second?.close();
    await server?.close();
  });

  it('a hard delete on one replica makes the id unreadable on the other, whose answer was cached', async () => {
    const api = client(server.url);
    const apiB = client(replicaB.url);
    const { id } = (await api.register('short-lived', schemaN(7000))).json;
    expect((await apiB.get(`/schemas/ids/${id}`)).status).toBe(200); // now cached on B
    await api.delete('/subjects/short-lived');
    await api.delete('/subjects/short-lived?permanent=true');
    const deadline = Date.now() + 1000;
    let status = 200;
    while (Date.now() < deadline && status === 200) {
      status = (await apiB.get(`/schemas/ids/${id}`)).status;
      if (status === 200) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(404);
  });

  it("a soft delete on one replica ends the other's cached answer to re-registering that schema", async () => {
    const api = client(server.url);
    const apiB = client(replicaB.url);
    const first = (await apiB.register('re-registered', schemaN(7100))).json;
    expect((await apiB.register('re-registered', schemaN(7100))).json.version).toBe(first.version); // now cached on B
    await api.delete(`/subjects/re-registered/versions/${first.version}`);
    const deadline = Date.now() + 1000;
    let version = first.version;
    while (Date.now() < deadline && version === first.version) {
      version = (await apiB.register('re-registered', schemaN(7100))).json.version;
      if (version === first.version) await new Promise((r) => setTimeout(r, 20));
    }
    expect(version).toBe(first.version + 1);
  });

  it('two replicas registering at once never collide on ids or versions', async () => {
    const api = client(server.url);
    const apiB = client(replicaB.url);
    await api.put('/config', { compatibility: 'NONE' });
    const work: Promise<{ id: number; version: number }>[] = [];
    for (let i = 0; i < 30; i++) {
      work.push(api.register('replicated', schemaN(i)).then((r) => r.json));
      work.push(apiB.register('replicated', schemaN(i + 1000)).then((r) => r.json));
    }
    const results = await Promise.all(work);
    expect(new Set(results.map((r) => r.id)).size).toBe(60);
    expect(new Set(results.map((r) => r.version)).size).toBe(60);
    expect((await api.get('/subjects/replicated/versions')).json).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  });
});
