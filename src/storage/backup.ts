// `accord export` and `accord import`: the whole registry as one JSON-lines file (format in contracts/backup-format.md),
// read from one repeatable-read snapshot and restored in one transaction. Rows travel as the database holds them:
// `json` columns (metadata, ruleSet) keep their exact text, timestamps their microseconds, the audit log its ids.
import { sql, type SQL } from 'drizzle-orm';
import type { Db } from './database.js';
import { backfillGuids } from './guids.js';
import { rowsOf } from './rows.js';
import { CHANGES_CHANNEL } from './store.js';

/**
 * The file's format name and the newest version this build writes and reads. Version 2 adds schema contexts (each
 * schema record's `context`); a registry with the default context only is written as version 1, which older builds read.
 */
export const BACKUP_FORMAT = 'accord-backup';
export const BACKUP_VERSION = 2;

/** Record types, in the order a file holds them (an import inserts them in this order too). */
export const RECORD_TYPES = ['schema', 'version', 'config', 'mode', 'ruleSettings', 'catalog', 'audit', 'sequence'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export interface BackupHeader {
  format: typeof BACKUP_FORMAT;
  version: number;
  accordVersion: string;
  exportedAt: string;
  counts: Record<Exclude<RecordType, 'sequence'>, number>;
}

/** A file that is not an Accord backup this build can read: the message names the line and the problem. */
export class BackupFormatError extends Error {}


/** Rows read per query: the snapshot is paged by key, so memory stays flat whatever the registry's size. */
const PAGE = 5000;

/** Each table's records as JSON text, built by PostgreSQL itself (json columns keep their text), keyed for paging. */
const EXPORTS: { type: Exclude<RecordType, 'sequence'>; select: (after: unknown[] | undefined) => SQL; key: (row: Record<string, unknown>) => unknown[] }[] = [
  {
    type: 'schema',
    // Ids are unique per context: a schema's key is its context and id.
    select: (after) => sql`select context, id, json_build_object('type', 'schema', 'context', context, 'id', id, 'schemaType', schema_type, 'schema', schema,
        'fingerprint', fingerprint, 'references', "references", 'metadata', metadata, 'ruleSet', rule_set, 'guid', guid,
        'createdAt', created_at)::text as line
      from schemas ${after ? sql`where (context, id) > (${after[0]}, ${after[1]}::int)` : sql``} order by context, id limit ${PAGE}`,
    key: (r) => [r.context, r.id],
  },
  {
    type: 'version',
    select: (after) => sql`select subject, version, json_build_object('type', 'version', 'subject', subject, 'version', version, 'schemaId', schema_id,
        'deleted', deleted, 'createdAt', created_at)::text as line
      from subject_versions ${after ? sql`where (subject, version) > (${after[0]}, ${after[1]}::int)` : sql``} order by subject, version limit ${PAGE}`,
    key: (r) => [r.subject, r.version],
  },
  {
    type: 'config',
    select: (after) => sql`select scope, json_build_object('type', 'config', 'scope', scope, 'config', config, 'updatedAt', updated_at)::text as line
      from configs ${after ? sql`where scope > ${after[0]}` : sql``} order by scope limit ${PAGE}`,
    key: (r) => [r.scope],
  },
  {
    type: 'mode',
    select: (after) => sql`select scope, json_build_object('type', 'mode', 'scope', scope, 'mode', mode, 'updatedAt', updated_at)::text as line
      from modes ${after ? sql`where scope > ${after[0]}` : sql``} order by scope limit ${PAGE}`,
    key: (r) => [r.scope],
  },
  {
    type: 'ruleSettings',
    select: (after) => sql`select scope, json_build_object('type', 'ruleSettings', 'scope', scope, 'settings', settings, 'updatedAt', updated_at)::text as line
      from rule_settings ${after ? sql`where scope > ${after[0]}` : sql``} order by scope limit ${PAGE}`,
    key: (r) => [r.scope],
  },
  {
    type: 'catalog',
    select: (after) => sql`select subject, json_build_object('type', 'catalog', 'subject', subject, 'owner', owner, 'domain', domain, 'lifecycle', lifecycle,
        'entry', entry, 'updatedAt', updated_at)::text as line
      from catalog_entries ${after ? sql`where subject > ${after[0]}` : sql``} order by subject limit ${PAGE}`,
    key: (r) => [r.subject],
  },
  {
    type: 'audit',
    select: (after) => sql`select id, json_build_object('type', 'audit', 'id', id, 'at', at, 'actor', actor, 'action', action, 'subject', subject,
        'version', version, 'schemaId', schema_id, 'detail', detail)::text as line
      from audit_log ${after ? sql`where id > ${after[0]}` : sql``} order by id limit ${PAGE}`,
    key: (r) => [r.id],
  },
];

const COUNTS = sql`select
  (select count(*) from schemas)::int as schema, (select count(*) from subject_versions)::int as version,
  (select count(*) from configs)::int as config, (select count(*) from modes)::int as mode,
  (select count(*) from rule_settings)::int as "ruleSettings", (select count(*) from catalog_entries)::int as catalog,
  (select count(*) from audit_log)::int as audit`;

type Counts = BackupHeader['counts'];

async function countsOf(db: Pick<Db, 'execute'>): Promise<Counts> {
  const row = rowsOf(await db.execute(COUNTS))[0] as Record<string, number | string>;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, Number(v)])) as Counts;
}

/**
 * Writes the registry to `write`, one line at a time, from one repeatable-read, read-only transaction: a consistent
 * snapshot while other connections keep registering. Answers the counts written.
 */
export async function exportRegistry(db: Db, write: (line: string) => Promise<void> | void, accordVersion: string): Promise<Counts> {
  return db.transaction(
    async (tx) => {
      const counts = await countsOf(tx);
      const [contexts] = rowsOf(await tx.execute(sql`select exists (select 1 from schemas where context <> '.') as named`)) as { named: boolean }[];
      const version = contexts?.named ? BACKUP_VERSION : 1;
      const header: BackupHeader = { format: BACKUP_FORMAT, version, accordVersion, exportedAt: new Date().toISOString(), counts };
      await write(JSON.stringify(header));
      let records = 0;
      for (const table of EXPORTS) {
        let after: unknown[] | undefined;
        for (;;) {
          const rows = rowsOf(await tx.execute(table.select(after))) as (Record<string, unknown> & { line: string })[];
          for (const row of rows) await write(row.line);
          records += rows.length;
          if (rows.length < PAGE) break;
          after = table.key(rows.at(-1)!);
        }
      }
      const [sequence] = rowsOf(await tx.execute(sql`select last_value::int as "lastValue", is_called as "isCalled" from schema_ids`)) as { lastValue: number; isCalled: boolean }[];
      await write(JSON.stringify({ type: 'sequence', name: 'schema_ids', lastValue: Number(sequence!.lastValue), isCalled: sequence!.isCalled }));
      await write(JSON.stringify({ type: 'end', records: records + 1 }));
      return counts;
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}

/** A backup file parsed: its header and its records grouped by type, in file order. */
export interface Backup {
  header: BackupHeader;
  records: { [T in RecordType]: Record<string, unknown>[] };
}

/** Reads and checks a backup's lines (header first, `end` last, every record of a known type). `name` is for errors. */
export async function readBackup(lines: AsyncIterable<string>, name: string): Promise<Backup> {
  let header: BackupHeader | undefined;
  const records = Object.fromEntries(RECORD_TYPES.map((t) => [t, []])) as unknown as Backup['records'];
  let n = 0;
  let ended: number | undefined;
  let count = 0;
  for await (const raw of lines) {
    n++;
    if (raw.trim() === '') continue;
    const fail = (problem: string): never => {
      throw new BackupFormatError(`${name}:${n}: ${problem}`);
    };
    let record: Record<string, unknown>;
    try {
      record = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return fail(n === 1 ? 'not an Accord backup (the first line is not JSON); give a file written by accord export' : 'not JSON (the file is damaged)');
    }
    if (ended !== undefined) fail('a record after the end record (two files joined?)');
    if (!header) {
      if (record.format !== BACKUP_FORMAT) fail(`not an Accord backup (the first line has no "format":"${BACKUP_FORMAT}"); give a file written by accord export`);
      if (typeof record.version !== 'number' || record.version > BACKUP_VERSION) fail(`backup format version ${String(record.version)} is newer than this Accord reads (${BACKUP_VERSION}); import it with a newer Accord`);
      header = record as unknown as BackupHeader;
      continue;
    }
    if (record.type === 'end') {
      ended = Number(record.records);
      continue;
    }
    if (!RECORD_TYPES.includes(record.type as RecordType)) fail(`unknown record type ${JSON.stringify(record.type)}`);
    records[record.type as RecordType].push(record);
    count++;
  }
  if (!header) throw new BackupFormatError(`${name}: empty; give a file written by accord export`);
  if (ended === undefined) throw new BackupFormatError(`${name}: ends without its end record: the file is cut short (an export that did not finish, or a partial copy)`);
  if (ended !== count) throw new BackupFormatError(`${name}: holds ${count} records but its end record says ${ended}: the file is damaged`);
  return { header, records };
}

export interface ImportResult {
  /** Records written, by type. */
  written: Partial<Record<RecordType, number>>;
  /** Differences from what the registry already held, one line each; nothing is written unless `force`. */
  conflicts: string[];
  /** The registry held data before (a merge, only with `force`). */
  merged: boolean;
  notes: string[];
}

/** Rows inserted per statement. */
const BATCH = 2000;

const chunks = <T>(items: T[]) => Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));

/** Inserts `rows` through json_to_recordset, BATCH at a time; answers how many were inserted. */
async function insertAll(tx: Pick<Db, 'execute'>, rows: Record<string, unknown>[], statement: (json: string) => SQL): Promise<number> {
  let n = 0;
  for (const batch of chunks(rows)) n += rowsOf(await tx.execute(statement(JSON.stringify(batch)))).length;
  return n;
}

const key = (...parts: unknown[]) => parts.map(String).join('\u0000');

/** A subject's context, as the registry reads it (`.team-a` for `:.team-a:orders`; `.` when unqualified). */
function contextOfSubject(subject: string): string {
  if (!subject.startsWith(':.')) return '.';
  const end = subject.indexOf(':', 2);
  return end < 0 ? subject.slice(1) : subject.slice(1, end);
}

/** What the registry holds that the file says otherwise, one line each. */
async function conflictsWith(tx: Pick<Db, 'execute'>, backup: Backup): Promise<string[]> {
  const conflicts: string[] = [];
  const schemas = rowsOf(await tx.execute(sql`select context, id, fingerprint from schemas`)) as { context: string; id: number; fingerprint: string }[];
  const byId = new Map(schemas.map((s) => [key(s.context, Number(s.id)), s.fingerprint]));
  const byFingerprint = new Map(schemas.map((s) => [key(s.context, s.fingerprint), Number(s.id)]));
  for (const s of backup.records.schema) {
    const context = (s.context as string | undefined) ?? '.';
    const where = context === '.' ? '' : ` in context ${context}`;
    const there = byId.get(key(context, Number(s.id)));
    if (there !== undefined && there !== s.fingerprint) conflicts.push(`id ${String(s.id)}${where}: the registry holds a different schema under it`);
    const other = byFingerprint.get(key(context, s.fingerprint));
    if (there === undefined && other !== undefined) conflicts.push(`id ${String(s.id)}${where}: the registry holds the same schema under id ${other}`);
  }
  const versions = rowsOf(await tx.execute(sql`select subject, version, schema_id as "schemaId", deleted from subject_versions`)) as { subject: string; version: number; schemaId: number; deleted: boolean }[];
  const fileVersions = new Map(backup.records.version.map((v) => [key(v.subject, v.version), v]));
  const fileSubjects = new Set(backup.records.version.map((v) => v.subject as string));
  for (const v of versions) {
    const mine = fileVersions.get(key(v.subject, v.version));
    if (mine && (Number(mine.schemaId) !== Number(v.schemaId) || mine.deleted !== v.deleted)) {
      conflicts.push(`${v.subject} version ${v.version}: the registry holds id ${v.schemaId}${v.deleted ? ' (soft-deleted)' : ''}, the file id ${String(mine.schemaId)}${mine.deleted ? ' (soft-deleted)' : ''}`);
    } else if (!mine && fileSubjects.has(v.subject)) {
      conflicts.push(`${v.subject} version ${v.version}: in the registry (id ${v.schemaId}) but not in the file`);
    }
  }
  const settings = async (type: 'config' | 'mode' | 'ruleSettings' | 'catalog', query: SQL, field: string, keyField: string, label: string) => {
    const current = new Map((rowsOf(await tx.execute(query)) as Record<string, unknown>[]).map((r) => [r.k as string, JSON.stringify(r.v)]));
    for (const r of backup.records[type]) {
      const there = current.get(r[keyField] as string);
      if (there !== undefined && there !== JSON.stringify(r[field])) conflicts.push(`${label} of ${String(r[keyField])}: the registry holds ${there}, the file ${JSON.stringify(r[field])}`);
    }
  };
  await settings('config', sql`select scope as k, config as v from configs`, 'config', 'scope', 'config');
  await settings('mode', sql`select scope as k, mode as v from modes`, 'mode', 'scope', 'mode');
  await settings('ruleSettings', sql`select scope as k, settings as v from rule_settings`, 'settings', 'scope', 'governance settings');
  await settings('catalog', sql`select subject as k, entry as v from catalog_entries`, 'entry', 'subject', 'catalog entry');
  return conflicts;
}

/**
 * Restores `backup` in one transaction. Into an empty registry, every row as it was (ids, audit ids, timestamps, the id
 * sequence). Into one that holds data, nothing is written unless `force`: then only what the registry lacks is added,
 * every conflicting row stays as the registry holds it (and is listed), and the file's audit log is appended only if
 * the registry's is empty (an audit log cannot hold two histories).
 */
export async function importRegistry(db: Db, backup: Backup, options: { force: boolean }): Promise<ImportResult> {
  return db.transaction(async (tx) => {
    const before = await countsOf(tx);
    const merged = Object.values(before).some((n) => n > 0);
    const conflicts = merged ? await conflictsWith(tx, backup) : [];
    const notes: string[] = [];
    if (merged && !options.force) return { written: {}, conflicts, merged, notes };
    const { records } = backup;
    const written: ImportResult['written'] = {};
    // Schemas whose id or fingerprint the registry already holds are skipped (`on conflict do nothing`).
    written.schema = await insertAll(tx, records.schema, (json) => sql`
      insert into schemas (context, id, schema_type, schema, fingerprint, "references", metadata, rule_set, guid, created_at)
      select coalesce(context, '.'), id, "schemaType", schema, fingerprint, coalesce("references", '[]'::jsonb), metadata, "ruleSet", guid, "createdAt"
        from json_to_recordset(${json}::json)
          as r(context text, id int, "schemaType" text, schema text, fingerprint text, "references" jsonb, metadata json, "ruleSet" json, guid text, "createdAt" timestamptz)
      on conflict do nothing returning id`);
    // A file written before GUIDs existed: its schemas get theirs now, as a start-up would give them.
    await backfillGuids(tx);
    // The reference edges name the referenced subject qualified: a reference resolves in its schema's context.
    await insertAll(tx, records.schema, (json) => sql`
      insert into schema_references (context, schema_id, name, subject, version)
      select coalesce(s.context, '.'), s.id, r.name,
          case when r.subject like ':.:%' then substr(r.subject, 4) when r.subject like ':.%' or coalesce(s.context, '.') = '.' then r.subject
            else ':' || s.context || ':' || r.subject end,
          r.version
        from json_to_recordset(${json}::json) as s(context text, id int, "references" json, fingerprint text), json_to_recordset(s."references") as r(name text, subject text, version int)
        where exists (select 1 from schemas x where x.context = coalesce(s.context, '.') and x.id = s.id and x.fingerprint = s.fingerprint)
      on conflict do nothing returning schema_id`);
    // A version only where the subject has no such version, and its schema is the file's (not a conflicting one).
    const fingerprints = new Map(records.schema.map((x) => [key((x.context as string | undefined) ?? '.', Number(x.id)), x.fingerprint]));
    const versions = records.version.map((v) => {
      const context = contextOfSubject(v.subject as string);
      return { ...v, context, fingerprint: fingerprints.get(key(context, Number(v.schemaId))) ?? null };
    });
    written.version = await insertAll(tx, versions, (json) => sql`
      insert into subject_versions (subject, version, context, schema_id, deleted, created_at)
      select r.subject, r.version, r.context, r."schemaId", r.deleted, r."createdAt"
        from json_to_recordset(${json}::json) as r(subject text, version int, context text, "schemaId" int, deleted boolean, "createdAt" timestamptz, fingerprint text)
        where exists (select 1 from schemas x where x.context = r.context and x.id = r."schemaId" and x.fingerprint = r.fingerprint)
      on conflict do nothing returning subject`);
    written.config = await insertAll(tx, records.config, (json) => sql`
      insert into configs (scope, config, updated_at) select scope, config, "updatedAt" from json_to_recordset(${json}::json) as r(scope text, config jsonb, "updatedAt" timestamptz)
      on conflict do nothing returning scope`);
    written.mode = await insertAll(tx, records.mode, (json) => sql`
      insert into modes (scope, mode, updated_at) select scope, mode, "updatedAt" from json_to_recordset(${json}::json) as r(scope text, mode text, "updatedAt" timestamptz)
      on conflict do nothing returning scope`);
    written.ruleSettings = await insertAll(tx, records.ruleSettings, (json) => sql`
      insert into rule_settings (scope, settings, updated_at) select scope, settings, "updatedAt" from json_to_recordset(${json}::json) as r(scope text, settings jsonb, "updatedAt" timestamptz)
      on conflict do nothing returning scope`);
    written.catalog = await insertAll(tx, records.catalog, (json) => sql`
      insert into catalog_entries (subject, owner, domain, lifecycle, entry, updated_at)
      select subject, owner, domain, lifecycle, entry, "updatedAt" from json_to_recordset(${json}::json) as r(subject text, owner text, domain text, lifecycle text, entry jsonb, "updatedAt" timestamptz)
      on conflict do nothing returning subject`);
    if (before.audit === 0) {
      written.audit = await insertAll(tx, records.audit, (json) => sql`
        insert into audit_log (id, at, actor, action, subject, version, schema_id, detail)
        select id, at, actor, action, subject, version, "schemaId", detail
          from json_to_recordset(${json}::json) as r(id bigint, at timestamptz, actor text, action text, subject text, version int, "schemaId" int, detail jsonb)
        returning id`);
      await tx.execute(sql`select setval(pg_get_serial_sequence('audit_log', 'id'), coalesce((select max(id) from audit_log), 1), (select count(*) > 0 from audit_log))`);
    } else if (records.audit.length) {
      notes.push(`the registry's audit log is not empty: the file's ${records.audit.length} audit entries were not added`);
    }
    // Ids handed out next continue where the exported registry's would have (ids of lost races stay unused).
    const sequence = records.sequence.find((s) => s.name === 'schema_ids');
    // A loop, not Math.max(...ids): spreading one argument per schema overflows the stack past ~125,000 schemas.
    const last = records.schema.reduce((max, s) => ((s.context ?? '.') === '.' ? Math.max(max, Number(s.id)) : max), Number(sequence?.lastValue ?? 0));
    if (last > 0) {
      const called = sequence ? sequence.isCalled !== false : true;
      await tx.execute(sql`select setval('schema_ids', greatest(${last}::bigint, (select coalesce(max(id), 1) from schemas where context = '.')), ${called || merged}::boolean)`);
    }
    // Every other context continues after its highest id.
    await tx.execute(sql`insert into context_schema_ids (context, last_id) select context, max(id) from schemas where context <> '.' group by context
      on conflict (context) do update set last_id = greatest(context_schema_ids.last_id, excluded.last_id)`);
    // Every replica forgets what it cached (a notice of a kind no version knows means: forget everything).
    await tx.execute(sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify({ kind: 'restore' })})`);
    return { written, conflicts, merged, notes };
  });
}
