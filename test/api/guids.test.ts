// Confluent 8's schema GUIDs (issue 20.5): computed as Confluent computes them, returned where Confluent 8 returns them,
// and resolvable through /schemas/guids/{guid} and /schemas/guids/{guid}/ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaGuid } from '../../src/storage/guids.js';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustOk, mustRegister, record, uniq, type Client } from './helpers.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.each(backends)('schema GUIDs ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());

  it('registration, lookup, reads by id, versions and /schemas carry the same GUID, the MD5 of the identity', async () => {
    const s = uniq('guid');
    const schema = record('GuidCarrier', [['a', 'string']]);
    const registered = await mustRegister(api, s, schema);
    const { guid } = registered as { guid?: string; schema?: string };
    expect(guid).toMatch(GUID);
    expect(guid).toBe(schemaGuid(registered.schema!, [], null, null));

    expect((await mustOk(api.get(`/schemas/ids/${registered.id}`))).guid).toBe(guid);
    expect((await mustOk(api.get(`/subjects/${enc(s)}/versions/1`))).guid).toBe(guid);
    expect((await mustOk(api.get(`/subjects/${enc(s)}/versions/latest`))).guid).toBe(guid);
    expect((await mustOk(api.post(`/subjects/${enc(s)}`, { schema: JSON.stringify(schema) }))).guid).toBe(guid);
    // Registering it again (here or under another subject) answers the same GUID: it is the schema's, not the version's.
    expect((await mustRegister(api, s, schema) as { guid?: string }).guid).toBe(guid);
    expect((await mustRegister(api, uniq('guid-other'), schema) as { guid?: string }).guid).toBe(guid);
    const listed = (await mustOk(api.get(`/schemas?subjectPrefix=${enc(s)}`))) as unknown as { guid: string }[];
    expect(listed.map((v) => v.guid)).toEqual([guid]);
  });

  it('metadata and rules are part of the GUID; the schema type is not', async () => {
    const text = JSON.stringify(record('GuidMeta', [['a', 'string']]));
    const plain = (await mustRegister(api, uniq('guid-plain'), text)) as { guid?: string };
    const metadata = { properties: { owner: 'team-a' } };
    const tagged = (await mustRegister(api, uniq('guid-meta'), text, { metadata })) as { guid?: string; schema?: string };
    expect(tagged.guid).not.toBe(plain.guid);
    expect(tagged.guid).toBe(schemaGuid(tagged.schema!, [], metadata, null));
  });

  it('GET /schemas/guids/{guid} answers as a read by id, with format; /ids lists the id in the default context', async () => {
    const s = uniq('guid-read');
    const registered = (await mustRegister(api, s, record('GuidRead', [['a', 'string']]))) as unknown as { id: number; guid: string };
    const byId = await mustOk(api.get(`/schemas/ids/${registered.id}`));
    expect(await mustOk(api.get(`/schemas/guids/${registered.guid}`))).toEqual(byId);
    // Any case resolves (Java's UUID parser is case-insensitive).
    expect(await mustOk(api.get(`/schemas/guids/${registered.guid.toUpperCase()}`))).toEqual(byId);
    expect(await mustOk(api.get(`/schemas/guids/${registered.guid}?format=resolved`))).toEqual(
      await mustOk(api.get(`/schemas/ids/${registered.id}?format=resolved`)),
    );
    expect(await mustOk(api.get(`/schemas/guids/${registered.guid}/ids`))).toEqual([{ context: '.', id: registered.id }]);

    const proto = 'syntax = "proto3";\npackage guid;\n\nmessage A {\n  string a = 1;\n}\n';
    const p = (await mustRegister(api, uniq('guid-proto'), proto, { schemaType: 'PROTOBUF' })) as unknown as { id: number; guid: string };
    const serialized = await mustOk(api.get(`/schemas/guids/${p.guid}?format=serialized`));
    expect(serialized).toEqual(await mustOk(api.get(`/schemas/ids/${p.id}?format=serialized`)));
  });

  it('an unknown GUID is 404/40403, a malformed one 404/40403 too, naming it', async () => {
    for (const guid of ['00000000-0000-0000-0000-000000000000', 'not-a-guid']) {
      for (const path of [`/schemas/guids/${guid}`, `/schemas/guids/${guid}/ids`]) {
        const res = await api.get(path);
        expect(res.status, path).toBe(404);
        expect(res.json.error_code, path).toBe(40403);
        expect(res.json.message, path).toContain(guid);
      }
    }
  });

  it('a GUID stays readable while a soft-deleted version carries it, and is gone after the hard delete', async () => {
    const s = uniq('guid-delete');
    const { guid } = (await mustRegister(api, s, record('GuidGone', [['a', 'string']]))) as unknown as { guid: string };
    await mustOk(api.delete(`/subjects/${enc(s)}`));
    expect((await api.get(`/schemas/guids/${guid}`)).status).toBe(200);
    await mustOk(api.delete(`/subjects/${enc(s)}?permanent=true`));
    expect((await api.get(`/schemas/guids/${guid}`)).status).toBe(404);
  });
});
