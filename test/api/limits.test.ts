// Issue 13: nothing a client sends can stall a replica. Schemas over a size limit are answered 422/42201 naming the
// limit and its setting, before any parse work that grows faster than the text, and other requests are served meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/formats/limits.js';
import { buildApp } from '../../src/server.js';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustRegister, record, uniq, type Client } from './helpers.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const wideProto = (n: number) => `syntax = "proto3";\nmessage Wide {\n${range(n).map((i) => `int32 f${i} = ${i + 1};`).join('\n')}\n}\n`;

describe.each(backends)('schema size limits over HTTP ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    // 8 MiB bodies, so a 100,000-branch union (4 MiB) reaches the parser instead of the body limit.
    server = await startTestServer(backend, { maxBodyBytes: 8 << 20 });
    api = client(server.url);
  });
  afterAll(() => server.close());

  it('a 20,000-field Protobuf message → 422/42201 naming the limit, while GET /schemas/ids/{id} answers 200', async () => {
    const { id } = await mustRegister(api, uniq('small'), record('Small', [['a', 'string']]));
    const [wide, read] = await Promise.all([
      api.register(uniq('wide'), wideProto(20_000), { schemaType: 'PROTOBUF' }),
      api.get(`/schemas/ids/${id}`),
    ]);
    expect(wide.status).toBe(422);
    expect(wide.json).toEqual({
      error_code: 42201,
      message: `message Wide has ${DEFAULT_LIMITS.maxFields + 1} fields, more than the limit of ${DEFAULT_LIMITS.maxFields} (ACCORD_MAX_FIELDS)`,
    });
    expect(read.status).toBe(200);
  });

  it('a 100,000-branch Avro union → 422/42201 naming the limit, while GET /schemas/ids/{id} answers 200', async () => {
    const { id } = await mustRegister(api, uniq('small'), record('Small', [['a', 'string']]));
    const union = range(100_000).map((i) => ({ type: 'record', name: `R${i}`, fields: [] }));
    const [wide, read] = await Promise.all([api.register(uniq('union'), union), api.get(`/schemas/ids/${id}`)]);
    expect(wide.status).toBe(422);
    expect(wide.json).toEqual({
      error_code: 42201,
      message: `A union has 100000 branches, more than the limit of ${DEFAULT_LIMITS.maxUnionBranches} (ACCORD_MAX_UNION_BRANCHES)`,
    });
    expect(read.status).toBe(200);
  });

  it('the widest schemas the defaults allow register', async () => {
    expect((await api.register(uniq('wide'), wideProto(DEFAULT_LIMITS.maxFields), { schemaType: 'PROTOBUF' })).status).toBe(200);
    const fields = range(DEFAULT_LIMITS.maxFields).map((i) => ({ name: `f${i}`, type: 'int' }));
    expect((await api.register(uniq('wide'), record('Wide', fields))).status).toBe(200);
  });

  it('lookup and compatibility checks refuse an oversized schema the same way', async () => {
    const subject = uniq('checked');
    await mustRegister(api, subject, record('Small', [['a', 'string']]));
    const body = { schemaType: 'PROTOBUF', schema: wideProto(20_000) };
    for (const res of [await api.post(`/subjects/${enc(subject)}`, body), await api.post(`/compatibility/subjects/${enc(subject)}/versions/latest`, body)]) {
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42201);
      expect(res.json.message).toMatch(/ACCORD_MAX_FIELDS\)$/);
    }
  });

  it('the limits are the server\'s settings: lower ones are enforced, references included', async () => {
    const strict = await startTestServer(backend, { limits: { ...DEFAULT_LIMITS, maxFields: 2, maxReferences: 1 } });
    try {
      const strictApi = client(strict.url);
      expect((await strictApi.register(uniq('two'), record('Two', [['a', 'string'], ['b', 'string']]))).status).toBe(200);
      const three = await strictApi.register(uniq('three'), record('Three', [['a', 'string'], ['b', 'string'], ['c', 'string']]));
      expect(three.json).toEqual({ error_code: 42201, message: 'record Three has 3 fields, more than the limit of 2 (ACCORD_MAX_FIELDS)' });
      const references = [
        { name: 'A', subject: 'a', version: 1 },
        { name: 'B', subject: 'b', version: 1 },
      ];
      const refs = await strictApi.register(uniq('refs'), record('Refs', [['a', 'string']]), { references });
      expect(refs.status).toBe(422);
      expect(refs.json).toEqual({ error_code: 42201, message: 'The schema has 2 references, more than the limit of 1 (ACCORD_MAX_REFERENCES)' });
    } finally {
      await strict.close();
    }
  });

  it('schemas stored before a limit was lowered still load, and an empty schema reuses the latest one whatever its size', async () => {
    const subject = uniq('stored');
    const { id } = await mustRegister(api, subject, record('Three', [['a', 'string'], ['b', 'string'], ['c', 'string']]));
    // A second app on the same database, as a replica restarted with a lower ACCORD_MAX_FIELDS would be.
    const { app } = buildApp(server.database, { maxBodyBytes: 1 << 20, maxSchemaDepth: 64, limits: { ...DEFAULT_LIMITS, maxFields: 2 }, logLevel: 'silent' });
    const call = (method: string, path: string, body?: unknown) =>
      app.request(path, { method, headers: { 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    expect((await call('GET', `/schemas/ids/${id}`)).status).toBe(200);
    expect((await call('GET', `/subjects/${enc(subject)}/versions/1`)).status).toBe(200);
    const reused = await call('POST', `/subjects/${enc(subject)}/versions`, { schema: '', metadata: { properties: { owner: 'payments' } } });
    expect(reused.status).toBe(200);
  });
});
