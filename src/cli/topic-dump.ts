// A dump of Confluent's `_schemas` topic replayed into the registry state it describes, for `accord migrate
// --from-topic-dump`: how a team whose registry is down recovers. Each line is one record, its key and its value as
// JSON, as `kafka-console-consumer --property print.key=true` (a tab between) or `kcat -K<sep>` prints them; a value
// of `null` (or nothing, or kcat's `NULL`) is a tombstone. Records apply in order, later ones overriding earlier ones:
//
//   SCHEMA         {"keytype":"SCHEMA","subject":s,"version":v,"magic":1}
//                  → {"subject","version","id","schemaType"?,"references"?,"metadata"?,"ruleSet"?,"schema","deleted"}
//                  the version (soft-deleted when "deleted" is true); a tombstone removes it (a permanent delete)
//   CONFIG         {"keytype":"CONFIG","subject":s|null,"magic":0} → {"compatibilityLevel",…}; null subject = global;
//                  a tombstone removes the config
//   MODE           {"keytype":"MODE","subject":s|null,"magic":0} → {"mode"}; a tombstone removes the mode
//   DELETE_SUBJECT {"keytype":"DELETE_SUBJECT","subject":s,"magic":0} → {"subject","version"}: soft-deletes every
//                  version up to "version"
//   CLEAR_SUBJECT  {"keytype":"CLEAR_SUBJECT","subject":s,"magic":0} → {"subject"}: removes the subject's
//                  soft-deleted versions (a permanent subject delete)
//   NOOP           {"keytype":"NOOP","magic":0}: written by the registry to find the topic's end; nothing to apply
import { readFile } from 'node:fs/promises';
import { UsageError } from './errors.js';
import { GLOBAL, contextOf, emptyState, schemasOf, type Reference, type RegistryState, type SchemaRecord } from './migrate-plan.js';

interface Key {
  keytype?: unknown;
  subject?: unknown;
  version?: unknown;
}

/** The end of the JSON object starting at `text[0]` (string-aware bracket matching), or -1. */
function objectEnd(text: string): number {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i + 1;
  }
  return -1;
}

/** A line split into its key and value (undefined: a tombstone). */
function splitRecord(line: string): { key: Key; value: Record<string, unknown> | undefined } | string {
  if (!line.startsWith('{')) return 'does not start with a JSON key';
  const end = objectEnd(line);
  if (end < 0) return 'its key is not a complete JSON object';
  let key: Key;
  try {
    key = JSON.parse(line.slice(0, end)) as Key;
  } catch {
    return 'its key is not JSON';
  }
  const rest = line.slice(end);
  const start = rest.indexOf('{');
  if (start < 0) {
    // The separator, then nothing or a printed null: a tombstone.
    const tail = rest.trim();
    if (!/[A-Za-z0-9]/.test(tail.replace(/(null|NULL)$/, ''))) return { key, value: undefined };
    return `its value '${tail.slice(0, 40)}' is neither a JSON object nor null`;
  }
  try {
    return { key, value: JSON.parse(rest.slice(start)) as Record<string, unknown> };
  } catch {
    return 'its value is not JSON';
  }
}

const versionKey = (subject: string, version: number) => `${subject}\u0000${version}`;

/** Config as written to the topic (`compatibilityLevel`, nulls for unset fields) in request form. */
function configOf(value: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (v === null || v === undefined || k === 'subject') continue;
    out[k === 'compatibilityLevel' ? 'compatibility' : k] = v;
  }
  return out;
}

export interface DumpReplay {
  state: RegistryState;
  records: number;
  /** Record types this version does not know, with how many were skipped. */
  skipped: Map<string, number>;
}

/** Replays the dump's records in order. `name` is used in errors (`FILE:line: problem`). */
export function replayTopicDump(text: string, name: string): DumpReplay {
  const versions = new Map<string, { subject: string; version: number; id: number; deleted: boolean; schema: SchemaRecord }>();
  const configs = new Map<string, Record<string, unknown>>();
  const modes = new Map<string, string>();
  const skipped = new Map<string, number>();
  let records = 0;
  const lines = text.split(/\r?\n/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!.trim();
    // kafka-console-consumer's closing line, when stderr was captured with stdout.
    if (line === '' || /^Processed a total of \d+ messages?$/.test(line)) continue;
    const where = `${name}:${n + 1}`;
    const record = splitRecord(line);
    const fail = (problem: string): never => {
      throw new UsageError(`${where}: ${problem}; each line must be one _schemas record, key and value JSON (kafka-console-consumer --property print.key=true, or kcat -K)`);
    };
    if (typeof record === 'string') fail(record);
    const { key, value } = record as Exclude<typeof record, string>;
    records++;
    const subject = typeof key.subject === 'string' ? key.subject : undefined;
    const needSubject = () => subject ?? fail(`a ${String(key.keytype)} key without a subject`);
    switch (key.keytype) {
      case 'SCHEMA': {
        const s = needSubject();
        const version = key.version;
        if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) fail('a SCHEMA key without a positive integer version');
        if (value === undefined) {
          versions.delete(versionKey(s, version as number));
          break;
        }
        if (typeof value.id !== 'number' || typeof value.schema !== 'string') fail('a SCHEMA value without an id and a schema');
        const schema: SchemaRecord = {
          schemaType: typeof value.schemaType === 'string' ? value.schemaType : 'AVRO',
          schema: value.schema as string,
          references: ((value.references as Reference[] | null | undefined) ?? []).map((r) => ({ name: r.name, subject: r.subject, version: r.version })),
          ...(value.metadata != null ? { metadata: value.metadata } : {}),
          ...(value.ruleSet != null ? { ruleSet: value.ruleSet } : {}),
        };
        versions.set(versionKey(s, version as number), { subject: s, version: version as number, id: value.id as number, deleted: value.deleted === true, schema });
        break;
      }
      case 'CONFIG': {
        const scope = subject ?? GLOBAL;
        if (value === undefined) configs.delete(scope);
        else configs.set(scope, configOf(value));
        break;
      }
      case 'MODE': {
        const scope = subject ?? GLOBAL;
        if (value === undefined) modes.delete(scope);
        else if (typeof value.mode !== 'string') fail('a MODE value without a mode');
        else modes.set(scope, value.mode);
        break;
      }
      case 'DELETE_SUBJECT': {
        const s = needSubject();
        if (value === undefined) break;
        const upTo = typeof value.version === 'number' ? value.version : Infinity;
        for (const v of versions.values()) if (v.subject === s && v.version <= upTo) v.deleted = true;
        break;
      }
      case 'CLEAR_SUBJECT': {
        const s = needSubject();
        if (value === undefined) break;
        for (const [k, v] of versions) if (v.subject === s && v.deleted) versions.delete(k);
        break;
      }
      case 'NOOP':
        break;
      default:
        if (typeof key.keytype !== 'string') fail('its key has no keytype');
        skipped.set(key.keytype as string, (skipped.get(key.keytype as string) ?? 0) + 1);
    }
  }

  const state = emptyState();
  const contexts = new Set<string>();
  for (const v of [...versions.values()].sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version))) {
    const context = contextOf(v.subject);
    if (context !== undefined) contexts.add(context);
    state.versions.push({ subject: v.subject, version: v.version, id: v.id, deleted: v.deleted });
    // Ids are per context: another context's do not mix with the default context's.
    const schemas = schemasOf(state, v.subject);
    if (!schemas.has(v.id)) schemas.set(v.id, v.schema);
  }
  state.contexts = [...contexts].sort();
  state.configs = configs;
  state.modes = modes;
  // The registry the dump came from answered the default mode when none was written.
  if (!modes.has(GLOBAL)) modes.set(GLOBAL, 'READWRITE');
  return { state, records, skipped };
}

export async function readTopicDump(file: string): Promise<DumpReplay> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read --from-topic-dump ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return replayTopicDump(text, file);
}
