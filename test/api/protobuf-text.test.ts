// Protobuf over HTTP, as Confluent answers: a schema registered as a base64 FileDescriptorProto reads back
// (`GET /schemas/ids/{id}`) in Confluent's printed form (issue 20 item 3), and a .proto text that does not parse is
// refused with 422/42201 and a message giving the line and column where it stops (issue 21 item 19).
import { createRequire } from 'node:module';
import protobuf from 'protobufjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustRegister, uniq, type Client } from './helpers.js';

const require = createRequire(import.meta.url);
const FileDescriptorProto = protobuf.Root.fromJSON(require('protobufjs/google/protobuf/descriptor.json') as protobuf.INamespace).lookupType(
  'google.protobuf.FileDescriptorProto',
);

/** Messages `Key` and `Dog` as a client's serializer registers them: base64, json_name on every field as protoc sets. */
const KEY_AND_DOG = Buffer.from(
  FileDescriptorProto.encode(
    FileDescriptorProto.fromObject({
      name: 'dog.proto',
      package: 'test',
      syntax: 'proto3',
      messageType: [
        { name: 'Key', field: [{ name: 'id', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING', jsonName: 'id' }] },
        {
          name: 'Dog',
          field: [
            { name: 'name', number: 1, label: 'LABEL_OPTIONAL', type: 'TYPE_STRING', jsonName: 'name' },
            { name: 'weight', number: 2, label: 'LABEL_OPTIONAL', type: 'TYPE_INT32', jsonName: 'weight' },
          ],
        },
      ],
    }),
  ).finish(),
).toString('base64');

// ProtobufSchemaUtils.toString: no blank line between the two messages; toField: the json_name each field carries.
const KEY_AND_DOG_PRINTED =
  'syntax = "proto3";\npackage test;\n\nmessage Key {\n  string id = 1 [json_name = "id"];\n}\nmessage Dog {\n  string name = 1 [json_name = "name"];\n  int32 weight = 2 [json_name = "weight"];\n}\n';

describe.each(backends)('Protobuf text over HTTP ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());

  it('a schema registered as a base64 descriptor reads back as Confluent prints it, and registers again as the same id', async () => {
    const subject = uniq('dog-value');
    const { id } = await mustRegister(api, subject, KEY_AND_DOG, { schemaType: 'PROTOBUF' });
    const read = await api.get(`/schemas/ids/${id}`);
    expect(read.status, read.text).toBe(200);
    expect(read.json.schema).toBe(KEY_AND_DOG_PRINTED);
    const version = await api.get(`/subjects/${enc(subject)}/versions/1/schema`);
    expect(version.text).toBe(KEY_AND_DOG_PRINTED);
    // The printed text is the same schema: registering it (as `accord migrate` does) finds the same id.
    expect((await mustRegister(api, subject, KEY_AND_DOG_PRINTED, { schemaType: 'PROTOBUF' })).id).toBe(id);
  });

  it.each([
    { name: 'a missing semicolon', schema: 'syntax = "proto3";\nmessage Order {\n  string id = 1\n}\n', at: 'line 4, column 1:' },
    { name: 'a missing field number', schema: 'syntax = "proto3";\nmessage Order {\n  string id = ;\n}\n', at: 'line 3, column 15:' },
    { name: 'a second use of a token on the line', schema: 'syntax = "proto3";\nmessage Order { string a = 1; string id = id; }\n', at: 'line 2, column 43:' },
    { name: 'an unclosed message', schema: 'syntax = "proto3";\nmessage Order {\n  string id = 1;\n', at: 'line 4, column 1:' },
  ])('a text that does not parse ($name) is a 422/42201 naming its line and column', async ({ schema, at }) => {
    const res = await api.register(uniq('broken'), schema, { schemaType: 'PROTOBUF' });
    expect(res.status, res.text).toBe(422);
    expect(res.json.error_code).toBe(42201);
    expect(res.json.message).toContain(at);
  });
});
