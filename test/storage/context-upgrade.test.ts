// A database at migration 0004 (GUIDs, no contexts) upgrades: versions of qualified subjects move to their context with
// copies of their schemas, the copies keeping the GUID the row had (imported GUIDs are not recomputed).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type SQL } from 'drizzle-orm';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import { afterAll, describe, expect, it } from 'vitest';
import { projectFile } from '../../src/paths.js';
import { openDatabase } from '../../src/storage/database.js';
import { backfillGuids, schemaGuid } from '../../src/storage/guids.js';

const migrations = projectFile('migrations');
const before = mkdtempSync(join(tmpdir(), 'accord-migrations-0004-'));
afterAll(() => rmSync(before, { recursive: true, force: true }));
// The shipped migrations as they stood before contexts: 0000..0004 and a journal that ends there.
cpSync(migrations, before, { recursive: true });
const journal = JSON.parse(readFileSync(join(migrations, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
const upTo = journal.entries.findIndex((e) => e.tag === '0004_schema_guids');
writeFileSync(join(before, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: journal.entries.slice(0, upTo + 1) }));

const rowsOf = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows);
const A = '{"type":"record","name":"A","fields":[]}';
const B = '{"type":"record","name":"B","fields":[]}';
/** A GUID kept from the registry a schema was imported from: not what its content hashes to. */
const IMPORTED = 'c0ffee00-0000-4000-8000-000000000001';

/** Rows as main's 0004 build wrote them: a qualified subject lived in the default context, ids registry-wide. */
const oldRows = [
  sql`insert into schemas (id, schema_type, schema, fingerprint, guid) values (1, 'AVRO', ${A}, 'fp-a', ${IMPORTED}), (2, 'AVRO', ${B}, 'fp-b', null)`,
  sql`insert into subject_versions (subject, version, schema_id) values ('orders', 1, 1), (':.team-a:orders', 1, 1), (':.team-a:payments', 1, 2)`,
];

async function expectUpgraded(execute: (query: SQL) => Promise<unknown>): Promise<void> {
  expect(rowsOf(await execute(sql`select context, id, guid from schemas order by context, id`))).toEqual([
    { context: '.', id: 1, guid: IMPORTED },
    { context: '.', id: 2, guid: schemaGuid(B, [], null, null) },
    { context: '.team-a', id: 1, guid: IMPORTED },
    { context: '.team-a', id: 2, guid: schemaGuid(B, [], null, null) },
  ]);
  expect(rowsOf(await execute(sql`select subject, context, schema_id from subject_versions order by subject`))).toEqual([
    { subject: ':.team-a:orders', context: '.team-a', schema_id: 1 },
    { subject: ':.team-a:payments', context: '.team-a', schema_id: 2 },
    { subject: 'orders', context: '.', schema_id: 1 },
  ]);
  // The context's id sequence continues above the ids it was given.
  expect(rowsOf(await execute(sql`select next_schema_id('.team-a') as next`))).toEqual([{ next: 3 }]);
}

it('PGlite: 0004 with GUIDs upgrades to contexts, copies keeping their GUIDs', async () => {
  const pglite = new PGlite();
  try {
    const db = drizzlePglite(pglite);
    await migratePglite(db, { migrationsFolder: before });
    for (const statement of oldRows) await db.execute(statement);
    await migratePglite(db, { migrationsFolder: migrations });
    await backfillGuids(db);
    await expectUpgraded((q) => db.execute(q));
  } finally {
    await pglite.close();
  }
}, 120_000);

describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL', () => {
  const adminUrl = process.env.TEST_DATABASE_URL ?? 'postgres://unset/';
  const name = `accord_upgrade_${randomBytes(6).toString('hex')}`;
  const url = Object.assign(new URL(adminUrl), { pathname: `/${name}` }).toString();
  afterAll(async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it('a database at 0004 with GUIDs is upgraded by the next start, copies keeping their GUIDs', async () => {
    const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
    await admin.unsafe(`CREATE DATABASE ${name}`);
    await admin.end();
    const client = postgres(url, { max: 1, onnotice: () => {} });
    try {
      const db = drizzlePostgres(client);
      await migratePostgres(db, { migrationsFolder: before });
      for (const statement of oldRows) await db.execute(statement);
    } finally {
      await client.end();
    }
    const opened = await openDatabase({ url, poolSize: 1 });
    try {
      await expectUpgraded((q) => opened.db.execute(q));
    } finally {
      await opened.close();
    }
  }, 120_000);
});
