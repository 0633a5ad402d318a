// Reference §8: Protobuf imports of the files Confluent bundles need no reference. Over HTTP, for each bundled file: a
// schema importing it registers with an empty reference list, reads back and looks up as registered, answers
// format=serialized, and checks compatibility against the real definitions (unchanged: compatible; the field moved to
// another bundled type: not).
import protobuf from 'protobufjs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { BUNDLED_TYPES, otherThan, schemaUsing } from '../support/bundled-protos.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustRegister, uniq, type Client } from './helpers.js';

const require = createRequire(import.meta.url);
const FileDescriptorProto = protobuf.Root.fromJSON(require('protobufjs/google/protobuf/descriptor.json') as protobuf.INamespace).lookupType(
  'google.protobuf.FileDescriptorProto',
);

describe.each(backends)('bundled Protobuf imports over HTTP ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());

  const check = (subject: string, schema: string) =>
    api.post(`/compatibility/subjects/${enc(subject)}/versions/latest?verbose=true`, { schema, schemaType: 'PROTOBUF' });

  it.each(BUNDLED_TYPES)('$path ($type)', async (bundled) => {
    const subject = uniq('bundled');
    const schema = schemaUsing(bundled);
    const { id } = await mustRegister(api, subject, schema, { schemaType: 'PROTOBUF' });

    const version = await api.get(`/subjects/${enc(subject)}/versions/1`);
    expect(version.status, version.text).toBe(200);
    expect(version.json).toMatchObject({ subject, version: 1, id, schemaType: 'PROTOBUF' });
    expect(version.json.references ?? []).toEqual([]);
    expect(version.json.schema).toContain(`import "${bundled.path}";`);
    expect(version.json.schema).toContain(`${bundled.type} value = 2;`);

    // The same text again is the same schema; a lookup finds it without references.
    expect((await mustRegister(api, subject, schema, { schemaType: 'PROTOBUF' })).id).toBe(id);
    const found = await api.post(`/subjects/${enc(subject)}`, { schema, schemaType: 'PROTOBUF' });
    expect(found.status, found.text).toBe(200);
    expect(found.json).toMatchObject({ id, version: 1 });

    const serialized = await api.get(`/schemas/ids/${id}?format=serialized`);
    expect(serialized.status, serialized.text).toBe(200);
    const descriptor = FileDescriptorProto.toObject(FileDescriptorProto.decode(Buffer.from(serialized.json.schema, 'base64'))) as {
      dependency: string[];
      messageType: { name: string; field: { name: string; type: number; typeName?: string }[] }[];
    };
    expect(descriptor.dependency).toEqual([bundled.path]);
    expect(descriptor.messageType[0]!.field[1]).toMatchObject({ name: 'value', type: bundled.kind === 'enum' ? 14 : 11, typeName: `.${bundled.type}` });

    const same = await check(subject, schema);
    expect(same.status, same.text).toBe(200);
    expect(same.json).toMatchObject({ is_compatible: true, messages: [] });
    const moved = await check(subject, schemaUsing(otherThan(bundled)));
    expect(moved.status, moved.text).toBe(200);
    expect(moved.json.is_compatible).toBe(false);
    expect(moved.json.messages.join('\n')).toContain(bundled.kind === 'enum' ? 'FIELD_KIND_CHANGED' : 'FIELD_NAMED_TYPE_CHANGED');
  });

  it('google/type/color.proto and postal_address.proto, once refused as unresolvable, register together with no references', async () => {
    const subject = uniq('contact');
    const schema =
      'syntax = "proto3";\npackage crm.v1;\n\nimport "google/type/color.proto";\nimport "google/type/postal_address.proto";\n\n' +
      'message Contact {\n  google.type.PostalAddress address = 1;\n  google.type.Color favourite = 2;\n}\n';
    const res = await api.register(subject, schema, { schemaType: 'PROTOBUF' });
    expect(res.status, res.text).toBe(200);
    const latest = await api.get(`/subjects/${enc(subject)}/versions/latest`);
    expect(latest.json.references ?? []).toEqual([]);
  });
});
