// `accord migrate`: copies a Confluent-compatible registry (or the state a `_schemas` dump replays) into Accord through
// the public API only, in IMPORT mode, keeping every id. The decisions are migrate-plan.ts's; this file reads both
// sides, writes the plan, and verifies the result. A second run re-reads both sides, so it continues where a killed
// run stopped and skips what is already there.
import { GLOBAL, compareStates, contextOf, emptyState, planMigration, printPlan, qualifiedReference, sameSchema, schemasOf, type Plan, type RegistryState, type SchemaRecord } from './migrate-plan.js';
import { Progress } from './progress.js';
import { isApiError, oneLine, type ApiError, RegistryClient } from './registry-client.js';
import { ConnectionError, MissingRouteError } from './errors.js';

/** Requests in flight at once against one registry. */
const CONCURRENCY = 8;

export interface MigrateOptions {
  /** The live source registry; absent when the source state is given (a topic dump). */
  from?: RegistryClient;
  /** The state to copy, when not read from `from`. */
  state?: RegistryState;
  to: RegistryClient;
  dryRun: boolean;
  force: boolean;
  /** Where progress and notes go (stderr). */
  say: (line: string) => void;
  progressStream?: NodeJS.WriteStream;
}

export interface MigrateResult {
  /** The plan (dry run) or the summary of what was done, for stdout. */
  report: string;
  conflicts: string[];
  /** Differences found by the verification after the copy. */
  mismatches: string[];
  registered: number;
  softDeleted: number;
  seconds: number;
}

const path = (s: string) => encodeURIComponent(s);

/** Confluent's answer with a schema, as a SchemaRecord. */
function recordOf(view: { schemaType?: string; schema: string; references?: SchemaRecord['references']; metadata?: unknown; ruleSet?: unknown; guid?: string }): SchemaRecord {
  return {
    schemaType: view.schemaType ?? 'AVRO',
    schema: view.schema,
    references: view.references ?? [],
    ...(view.metadata != null ? { metadata: view.metadata } : {}),
    ...(view.ruleSet != null ? { ruleSet: view.ruleSet } : {}),
    ...(typeof view.guid === 'string' ? { guid: view.guid } : {}),
  };
}

/** Response form to request form: `compatibilityLevel` is written back as `compatibility`. */
function configRequest(view: Record<string, unknown>): Record<string, unknown> {
  const { compatibilityLevel, ...rest } = view;
  return { ...(compatibilityLevel !== undefined ? { compatibility: compatibilityLevel } : {}), ...rest };
}

/** Runs `work` over `items`, `limit` at a time; the first failure stops new work and is thrown. */
async function pool<T>(items: T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed: unknown;
  const worker = async () => {
    while (failed === undefined && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (err) {
        failed ??= err;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failed !== undefined) throw failed;
}

/** The target refused a write the plan needs: one line naming the call and the answer (exit 2). */
class MigrationError extends ConnectionError {}

/** An answer that must not be an error: an error becomes one line naming the call. */
function expectOk<T>(answer: T | ApiError, what: string, client: RegistryClient): T {
  if (isApiError(answer)) throw new MigrationError(`${client.url}: ${what} failed: ${answer.error_code} ${oneLine(answer.message)}`);
  return answer;
}

/** The whole state of a registry as its public API shows it: subjects (deleted ones too), versions, configs, modes. */
export async function readRegistry(client: RegistryClient, say?: (line: string) => void): Promise<RegistryState> {
  const state = emptyState();
  const subjects = expectOk(await client.get<string[]>('/subjects?deleted=true'), 'GET /subjects?deleted=true', client);
  try {
    const contexts = await client.get<string[]>('/contexts');
    if (Array.isArray(contexts)) state.contexts = contexts.filter((c) => c !== '.' && c !== '');
  } catch (err) {
    if (!(err instanceof MissingRouteError)) throw err; // a registry without contexts (Karapace, Apicurio)
  }
  const global = await client.get<Record<string, unknown>>('/config');
  if (!isApiError(global)) state.configs.set(GLOBAL, configRequest(global));
  const globalMode = await client.get<{ mode: string }>('/mode');
  if (!isApiError(globalMode)) state.modes.set(GLOBAL, globalMode.mode);

  say?.(`reading ${subjects.length} subject(s) from ${client.url}`);
  // Every version in a few pages of GET /schemas (with and without deleted ones); a registry without it is read
  // version by version.
  const everything = await listSchemas(client, true);
  const liveOnes = everything && (await listSchemas(client, false));
  // Subjects the listing leaves out (a registry whose GET /schemas covers the default context only) are read one by one.
  const covered = new Set<string>();
  if (everything && liveOnes) {
    const live = new Set(liveOnes.map((v) => `${v.subject}\u0000${v.version}`));
    const listed = new Set(subjects);
    for (const view of everything) {
      if (!listed.has(view.subject)) continue; // registered after the subject list was read
      covered.add(view.subject);
      const schemas = schemasOf(state, view.subject);
      if (!schemas.has(view.id)) schemas.set(view.id, recordOf(view));
      state.versions.push({ subject: view.subject, version: view.version, id: view.id, deleted: !live.has(`${view.subject}\u0000${view.version}`) });
    }
  }
  // A context's own config and mode are read as a subject's (`/config/:.team-a:`).
  const contextScopes = state.contexts.map((c) => `:${c.startsWith('.') ? c : `.${c}`}:`);
  await pool([...subjects, ...contextScopes], CONCURRENCY, async (subject) => {
    if (!covered.has(subject) && !contextScopes.includes(subject)) await readVersions(client, subject, state);
    const config = await client.get<Record<string, unknown>>(`/config/${path(subject)}`);
    if (!isApiError(config)) state.configs.set(subject, configRequest(config));
    try {
      const mode = await client.get<{ mode: string }>(`/mode/${path(subject)}`);
      if (!isApiError(mode)) state.modes.set(subject, mode.mode);
    } catch (err) {
      if (!(err instanceof MissingRouteError)) throw err; // Karapace answers only the global mode
    }
  });
  state.versions.sort((a, b) => (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : a.version - b.version));
  return state;
}

type VersionView = { subject: string; version: number; id: number; schemaType?: string; schema: string; references?: SchemaRecord['references']; metadata?: unknown; ruleSet?: unknown };

/** Every version `GET /schemas` lists, page by page until an empty page; undefined when the registry lacks the route. */
async function listSchemas(client: RegistryClient, deleted: boolean): Promise<VersionView[] | undefined> {
  const out: VersionView[] = [];
  for (;;) {
    let page: VersionView[] | ApiError;
    try {
      page = await client.get<VersionView[]>(`/schemas?${deleted ? 'deleted=true&' : ''}offset=${out.length}&limit=1000`);
    } catch (err) {
      if (err instanceof MissingRouteError) return undefined;
      throw err;
    }
    if (isApiError(page) || !Array.isArray(page)) return undefined;
    if (page.length === 0) return out;
    out.push(...page);
  }
}

/** One subject's versions, one request each (a registry without GET /schemas). */
async function readVersions(client: RegistryClient, subject: string, state: RegistryState): Promise<void> {
  const all = await client.get<number[]>(`/subjects/${path(subject)}/versions?deleted=true`);
  if (isApiError(all)) return; // deleted meanwhile
  const live = await client.get<number[]>(`/subjects/${path(subject)}/versions`);
  const liveSet = new Set(isApiError(live) ? [] : live);
  for (const version of all) {
    const view = await client.get<VersionView>(`/subjects/${path(subject)}/versions/${version}?deleted=true`);
    if (isApiError(view)) continue; // hard-deleted meanwhile
    const schemas = schemasOf(state, subject);
    if (!schemas.has(view.id)) schemas.set(view.id, recordOf(view));
    state.versions.push({ subject, version, id: view.id, deleted: !liveSet.has(version) });
  }
}

/**
 * Each id's answer from `GET /schemas/ids/{id}`, or undefined when the registry has none; in a context other than the
 * default one, read with `?subject=` naming a subject of that context (`inContext`).
 */
async function readIds(client: RegistryClient, ids: number[], inContext?: string): Promise<Map<number, SchemaRecord | undefined>> {
  const out = new Map<number, SchemaRecord | undefined>();
  await pool(ids, CONCURRENCY, async (id) => {
    const view = await client.get<{ schema: string }>(`/schemas/ids/${id}${inContext ? `?subject=${path(inContext)}` : ''}`);
    out.set(id, isApiError(view) ? undefined : recordOf(view));
  });
  return out;
}

export async function migrate(options: MigrateOptions): Promise<MigrateResult> {
  const { to, say } = options;
  const started = performance.now();
  const source = options.state ?? (await readRegistry(options.from!, say));
  let target = await readRegistry(to, say);
  let plan = planMigration(source, target, { force: options.force });
  const summary = (registered: number, softDeleted: number, mismatches: string[], report: string): MigrateResult => ({
    report,
    conflicts: plan.conflicts,
    mismatches,
    registered,
    softDeleted,
    seconds: (performance.now() - started) / 1000,
  });
  if (options.dryRun) return summary(0, 0, [], `${printPlan(plan)}\ndry run: nothing was written to ${to.url}`);
  if (plan.conflicts.length && !options.force) {
    return summary(0, 0, [], `${printPlan(plan)}\nnothing was written to ${to.url}: resolve the conflicts (or give --force to copy everything else and leave the conflicting subjects as the target holds them)`);
  }

  if ((plan.register.length || plan.softDelete.length) && target.modes.get(GLOBAL) !== 'IMPORT') {
    // Entering IMPORT mode hard-deletes every subject whose versions are all soft-deleted (as Confluent does): where
    // that destroys what only the target holds, the copy stops before writing anything, whatever --force says.
    // A subject the source also holds, identical, is copied again after; one it lacks, or holds otherwise, is lost.
    const inSource = new Set(source.versions.map((v) => v.subject));
    const conflicting = (subject: string) => (plan.perSubject.get(subject)?.conflicts ?? 0) > 0;
    const doomed = subjectsOnlySoftDeleted(target).filter((subject) => !inSource.has(subject) || conflicting(subject));
    if (doomed.length) {
      plan.conflicts.push(...doomed.map((subject) => `${subject}: every version soft-deleted; entering IMPORT mode would delete it permanently`));
      return summary(
        0,
        0,
        [],
        `${printPlan(plan)}\nnothing was written to ${to.url}: entering IMPORT mode would permanently delete ${doomed.length} subject(s) whose versions are all soft-deleted: ${doomed.join(', ')}; hard-delete them (DELETE /subjects/{subject}?permanent=true) or restore them first`,
      );
    }
  }

  if (plan.register.length || plan.softDelete.length) {
    // IMPORT keeps the source's ids and versions. Entering it hard-deletes the target's soft-deleted leftovers, so the
    // target is read again afterwards; a resumed run finds the target already in IMPORT and enters nothing.
    let changed = false;
    if (target.modes.get(GLOBAL) !== 'IMPORT') {
      say(`setting ${to.url} to IMPORT mode for the copy`);
      expectOk(await to.send('PUT', '/mode?force=true', { mode: 'IMPORT' }), 'PUT /mode IMPORT', to);
      changed = true;
    }
    // A subject mode (left by an earlier run's last step) would override the global IMPORT.
    const pending = new Set([...plan.register, ...plan.softDelete].map((v) => v.subject));
    for (const subject of pending) {
      if (target.modes.has(subject) && target.modes.get(subject) !== 'IMPORT') {
        expectOk(await to.send('DELETE', `/mode/${path(subject)}`), `DELETE /mode/${subject}`, to);
        changed = true;
      }
    }
    if (changed) {
      target = await readRegistry(to);
      plan = planMigration(source, target, { force: options.force });
      if (plan.conflicts.length && !options.force) return summary(0, 0, [], `${printPlan(plan)}\nstopped: the target changed while entering IMPORT mode`);
    }
  }

  const registering = performance.now();
  let registered: number;
  let registerSeconds: number;
  let softDeleted: number;
  try {
    registered = await registerAll(plan, to, options.progressStream);
    registerSeconds = (performance.now() - registering) / 1000;
    softDeleted = await softDeleteAll(plan, to);
    for (const [scope, config] of plan.configs) {
      expectOk(await to.send('PUT', scope === GLOBAL ? '/config' : `/config/${path(scope)}`, config), `PUT config of ${scope}`, to);
    }
  } catch (err) {
    // The target's modes are put back only at the end: a copy stopped before that leaves the target in IMPORT mode.
    if (!(err instanceof ConnectionError) || !(plan.register.length || plan.softDelete.length)) throw err;
    throw new MigrationError(`${err.message}; ${to.url} was left in IMPORT mode with part of the copy: run the same accord migrate again to resume`);
  }
  for (const [scope, mode] of plan.modes) {
    const url = `${scope === GLOBAL ? '/mode' : `/mode/${path(scope)}`}${mode === 'IMPORT' ? '?force=true' : ''}`;
    expectOk(await to.send('PUT', url, { mode }), `PUT mode of ${scope}`, to);
  }

  const mismatches = await verify(source, options.from, to, plan);
  const seconds = (performance.now() - started) / 1000;
  const lines = [
    `registered ${registered} version(s) and soft-deleted ${softDeleted} in ${seconds.toFixed(1)} s${registered ? ` (registering: ${(registered / registerSeconds).toFixed(0)} versions/s)` : ''}; ${plan.configs.length} config(s) and ${plan.modes.length} mode(s) set`,
  ];
  if (plan.conflicts.length) lines.push(`--force: ${plan.conflicts.length} conflict(s) left as the target holds them (subjects not copied: ${plan.skippedSubjects.join(', ') || 'none'}):`, ...plan.conflicts.map((c) => `  ${c}`));
  if (mismatches.length) lines.push(`verification failed: ${mismatches.length} difference(s):`, ...mismatches.map((m) => `  ${m}`));
  else {
    // Ids are per context: the same number in two contexts is two ids.
    const ids = new Set(source.versions.filter((v) => !plan.skippedSubjects.includes(v.subject)).map((v) => `${contextOf(v.subject) ?? ''}\u0000${v.id}`)).size;
    lines.push(`verified: ${ids} id(s) read back identical from both sides; every version list, config and mode matches`);
  }
  return { ...summary(registered, softDeleted, mismatches, lines.join('\n')), seconds };
}

/** Registrations, several at a time, each started only once the versions it references are in. */
async function registerAll(plan: Plan, to: RegistryClient, stream?: NodeJS.WriteStream): Promise<number> {
  if (plan.register.length === 0) return 0;
  const progress = new Progress('registering', plan.register.length, stream);
  const done = new Map<string, Promise<void>>();
  const key = (subject: string, version: number) => `${subject}\u0000${version}`;
  let count = 0;
  // Each version's promise waits for those of its references (planned earlier in the list, so already in the map).
  const slots = { free: CONCURRENCY, waiting: [] as (() => void)[] };
  const acquire = () => (slots.free > 0 ? (slots.free--, Promise.resolve()) : new Promise<void>((r) => slots.waiting.push(r)));
  const release = () => {
    const next = slots.waiting.shift();
    if (next) next();
    else slots.free++;
  };
  for (const v of plan.register) {
    const deps = v.schema.references.map((r) => done.get(key(qualifiedReference(v.subject, r.subject), r.version))).filter((p): p is Promise<void> => p !== undefined);
    const job = (async () => {
      await Promise.all(deps);
      await acquire();
      try {
        const body = {
          schema: v.schema.schema,
          schemaType: v.schema.schemaType,
          ...(v.schema.references.length ? { references: v.schema.references } : {}),
          ...(v.schema.metadata != null ? { metadata: v.schema.metadata } : {}),
          ...(v.schema.ruleSet != null ? { ruleSet: v.schema.ruleSet } : {}),
          version: v.version,
          id: v.id,
        };
        const answer = expectOk(await to.send<{ id: number }>('POST', `/subjects/${path(v.subject)}/versions`, body), `registering ${v.subject} version ${v.version} (id ${v.id})`, to);
        if (answer.id !== v.id) throw new MigrationError(`${to.url} registered ${v.subject} version ${v.version} under id ${answer.id}, not ${v.id}`);
        count++;
        progress.tick();
      } finally {
        release();
      }
    })();
    job.catch(() => {}); // awaited below; a failure must not also count as unhandled
    done.set(key(v.subject, v.version), job);
  }
  try {
    await Promise.all(done.values());
  } finally {
    progress.finish();
  }
  return count;
}

/** Soft deletes one at a time, referrers before what they reference (a referenced version cannot be deleted first). */
async function softDeleteAll(plan: Plan, to: RegistryClient): Promise<number> {
  for (const v of plan.softDelete) {
    expectOk(await to.send('DELETE', `/subjects/${path(v.subject)}/versions/${v.version}`), `soft-deleting ${v.subject} version ${v.version}`, to);
  }
  return plan.softDelete.length;
}

/**
 * Reads the target again and compares it with the source: versions, configs and modes, and every id read back by
 * `GET /schemas/ids/{id}` from both sides (from the dump's records when there is no live source).
 */
async function verify(source: RegistryState, from: RegistryClient | undefined, to: RegistryClient, plan: Plan): Promise<string[]> {
  const target = await readRegistry(to);
  const skipped = new Set(plan.skippedSubjects);
  const problems: string[] = [];
  // Ids context by context (each read with a subject of its context), keyed by one subject carrying them.
  const carriers = new Map<string, Map<number, string>>();
  for (const v of source.versions) {
    if (skipped.has(v.subject)) continue;
    const context = contextOf(v.subject) ?? '';
    if (!carriers.has(context)) carriers.set(context, new Map());
    if (!carriers.get(context)!.has(v.id)) carriers.get(context)!.set(v.id, v.subject);
  }
  const sourceRead = { ...source, schemas: new Map<number, SchemaRecord>(), contextSchemas: new Map<string, Map<number, SchemaRecord>>() };
  const targetRead = { ...target, contextSchemas: new Map(target.contextSchemas) };
  targetRead.schemas = new Map(target.schemas);
  for (const [context, ids] of carriers) {
    const subject = context === '' ? undefined : ids.values().next().value!;
    const list = [...ids.keys()].sort((a, b) => a - b);
    const known = schemasOf(source, subject ?? '');
    const theirs = from ? await readIds(from, list, subject) : new Map(list.map((id) => [id, known.get(id)]));
    const ours = await readIds(to, list, subject);
    const where = context === '' ? '' : ` in context .${context}`;
    for (const id of list) {
      const a = theirs.get(id);
      const b = ours.get(id);
      if (!b) problems.push(`id ${id}${where}: GET /schemas/ids/${id} finds nothing in the target`);
      else if (!a) problems.push(`id ${id}${where}: GET /schemas/ids/${id} finds nothing in the source`);
      else if (!sameSchema(a, b)) problems.push(`id ${id}${where}: reads back differently (${a.schema === b.schema ? 'references, metadata or rule set' : 'schema text'})`);
      // A Confluent 8 source names each schema by GUID too (Kafka headers may carry it): the copy must answer the same.
      else if (a.guid !== undefined && b.guid !== undefined && a.guid !== b.guid) problems.push(`id ${id}${where}: GUID ${b.guid} in the target, ${a.guid} in the source`);
      schemasOf(sourceRead, subject ?? '').set(id, a ?? known.get(id)!);
      if (b) schemasOf(targetRead, subject ?? '').set(id, b);
    }
  }
  // The reads by id are compared above; the state comparison adds versions, configs and modes.
  problems.push(...compareStates(sourceRead, targetRead, plan.skippedSubjects).filter((p) => !/^(context \.[^:]*: )?id /.test(p)));
  return problems;
}

export { MigrationError };

/** Subjects of `state` with versions, every one of them soft-deleted. */
function subjectsOnlySoftDeleted(state: RegistryState): string[] {
  const live = new Map<string, boolean>();
  for (const v of state.versions) live.set(v.subject, (live.get(v.subject) ?? false) || !v.deleted);
  return [...live].filter(([, any]) => !any).map(([subject]) => subject).sort();
}
