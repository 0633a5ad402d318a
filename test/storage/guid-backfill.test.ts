// A database written before GUIDs existed (its schema rows have none) gets every GUID at the next start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, expect, it } from 'vitest';
import { openDatabase } from '../../src/storage/database.js';
import { schemaGuid } from '../../src/storage/guids.js';

const dir = mkdtempSync(join(tmpdir(), 'accord-guid-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rowsOf = (result: unknown) => (Array.isArray(result) ? result : (result as { rows: unknown[] }).rows);

it('fills the GUID of every schema stored without one when the database is opened', async () => {
  const text = '{"type":"record","name":"Old","fields":[]}';
  const metadata = { properties: { owner: 'a' } };
  const first = await openDatabase({ dataDir: dir });
  try {
    // As a row written by a build before the GUID column: no GUID.
    await first.db.execute(sql`insert into schemas (id, schema_type, schema, fingerprint, metadata) values
      (1, 'AVRO', ${text}, 'old-1', null), (2, 'AVRO', ${text}, 'old-2', ${JSON.stringify(metadata)}::json)`);
  } finally {
    await first.close();
  }
  const again = await openDatabase({ dataDir: dir });
  try {
    const rows = rowsOf(await again.db.execute(sql`select id, guid from schemas order by id`));
    expect(rows).toEqual([
      { id: 1, guid: schemaGuid(text, [], null, null) },
      { id: 2, guid: schemaGuid(text, [], metadata, null) },
    ]);
  } finally {
    await again.close();
  }
}, 120_000);

it('fills each context’s rows with their own GUIDs: an id repeats across contexts with another schema', async () => {
  const ctxDir = mkdtempSync(join(tmpdir(), 'accord-guid-ctx-'));
  const [one, two] = ['{"type":"record","name":"One","fields":[]}', '{"type":"record","name":"Two","fields":[]}'];
  try {
    const first = await openDatabase({ dataDir: ctxDir });
    try {
      await first.db.execute(sql`insert into schemas (context, id, schema_type, schema, fingerprint) values
        ('.', 1, 'AVRO', ${one}, 'fp-one'), ('.b', 1, 'AVRO', ${two}, 'fp-two')`);
    } finally {
      await first.close();
    }
    const again = await openDatabase({ dataDir: ctxDir });
    try {
      expect(rowsOf(await again.db.execute(sql`select context, id, guid from schemas order by context, id`))).toEqual([
        { context: '.', id: 1, guid: schemaGuid(one, [], null, null) },
        { context: '.b', id: 1, guid: schemaGuid(two, [], null, null) },
      ]);
    } finally {
      await again.close();
    }
  } finally {
    rmSync(ctxDir, { recursive: true, force: true });
  }
}, 120_000);
