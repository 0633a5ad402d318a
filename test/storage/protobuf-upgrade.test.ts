// A registry that stored Protobuf schemas before the printer wrote Confluent's form: after the upgrade, the same text
// registers as the version it already is and is found by a lookup, while the stored text (an id's answer) is kept.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/server.js';
import { fingerprintOf } from '../../src/registry/schemas.js';
import { schemaGuid } from '../../src/storage/guids.js';
import type { Database } from '../../src/storage/database.js';
import { backends } from '../support/backends.js';

const SOURCE = 'syntax = "proto3";\npackage shop;\n\nmessage Key {\n  string id = 1;\n}\nmessage Dog {\n  string name = 1;\n}\n';
// What the earlier printer stored for it: a blank line between the two messages.
const OLD_TEXT = 'syntax = "proto3";\npackage shop;\n\nmessage Key {\n  string id = 1;\n}\n\nmessage Dog {\n  string name = 1;\n}\n';

const JSON_TYPE = { 'Content-Type': 'application/vnd.schemaregistry.v1+json' };
const start = (database: Database) =>
  startServer({ port: 0, host: '127.0.0.1', databaseUrl: undefined, dataDir: 'memory://', maxBodyBytes: 1 << 20, maxSchemaDepth: 64, logLevel: 'silent' }, database);

describe.each(backends)('stored Protobuf schemas after the printer upgrade ($name)', (backend) => {
  let database: Database;
  let server: RunningServer;
  beforeAll(async () => {
    database = await backend.open();
    // As a build before the upgrade left it: the old text, identified by the old text's hash.
    const fingerprint = fingerprintOf('PROTOBUF', OLD_TEXT, [], null, null);
    await database.db.execute(sql`insert into schemas (id, schema_type, schema, fingerprint, guid) values (1, 'PROTOBUF', ${OLD_TEXT}, ${fingerprint}, ${schemaGuid(OLD_TEXT, [], null, null)})`);
    await database.db.execute(sql`insert into subject_versions (subject, version, schema_id, deleted) values ('pets-value', 1, 1, false)`);
    await database.db.execute(sql`select setval('schema_ids', 1)`);
    server = await start(database);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('re-registering the same text answers the stored version; a lookup finds it; the stored text is unchanged', async () => {
    const body = JSON.stringify({ schemaType: 'PROTOBUF', schema: SOURCE });
    const registered = await fetch(`${server.url}/subjects/pets-value/versions`, { method: 'POST', headers: JSON_TYPE, body });
    expect(await registered.json()).toMatchObject({ id: 1, version: 1 });
    const looked = await fetch(`${server.url}/subjects/pets-value`, { method: 'POST', headers: JSON_TYPE, body });
    expect(looked.status).toBe(200);
    expect(await looked.json()).toMatchObject({ id: 1, version: 1 });
    const byId = (await (await fetch(`${server.url}/schemas/ids/1`)).json()) as { schema: string };
    expect(byId.schema).toBe(OLD_TEXT);
    expect(await (await fetch(`${server.url}/subjects/pets-value/versions`)).json()).toEqual([1]);
  });

  it('runs once: the audit log holds one upgrade entry after a second start', async () => {
    await server.close();
    server = await start(database);
    const entries = await server.registry.store.auditTrail(undefined, { action: 'upgrade' });
    expect(entries).toHaveLength(1);
    expect(entries[0]!.detail).toMatchObject({ step: 'protobuf-confluent-printer', schemas: 1, changed: 1 });
  });
});

// Ids repeat across contexts: each context's schema gets the identity of its own text.
const CTX_SOURCE = 'syntax = "proto3";\npackage team;\n\nmessage Cat {\n  string id = 1;\n}\nmessage Owner {\n  string name = 1;\n}\n';
const CTX_OLD_TEXT = 'syntax = "proto3";\npackage team;\n\nmessage Cat {\n  string id = 1;\n}\n\nmessage Owner {\n  string name = 1;\n}\n';

describe.each(backends)('stored Protobuf schemas of two contexts at one id, after the printer upgrade ($name)', (backend) => {
  let database: Database;
  let server: RunningServer;
  beforeAll(async () => {
    database = await backend.open();
    for (const [context, subject, text] of [['.', 'pets-value', OLD_TEXT], ['.team-a', ':.team-a:cats-value', CTX_OLD_TEXT]] as const) {
      const fingerprint = fingerprintOf('PROTOBUF', text, [], null, null);
      await database.db.execute(sql`insert into schemas (context, id, schema_type, schema, fingerprint, guid)
        values (${context}, 1, 'PROTOBUF', ${text}, ${fingerprint}, ${schemaGuid(text, [], null, null)})`);
      await database.db.execute(sql`insert into subject_versions (subject, version, context, schema_id, deleted) values (${subject}, 1, ${context}, 1, false)`);
    }
    await database.db.execute(sql`select setval('schema_ids', 1)`);
    await database.db.execute(sql`insert into context_schema_ids (context, last_id) values ('.team-a', 1)`);
    server = await start(database);
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await database?.close();
  });

  it('re-registering each context’s text answers its stored version', async () => {
    for (const [subject, source] of [['pets-value', SOURCE], [':.team-a:cats-value', CTX_SOURCE]] as const) {
      const body = JSON.stringify({ schemaType: 'PROTOBUF', schema: source });
      const registered = await fetch(`${server.url}/subjects/${encodeURIComponent(subject)}/versions`, { method: 'POST', headers: JSON_TYPE, body });
      expect(await registered.json(), subject).toMatchObject({ id: 1, version: 1 });
    }
  });
});
