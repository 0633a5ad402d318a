// `accord push`: each contract in reference order, its catalog entry written just before its registration (the rules
// read it) and put back as it was when the registration is refused, so a refused version leaves nothing behind.
// `--dry-run` asks the registry what each registration would do, and registers and writes nothing.
import { referencedButUnregistered } from './check.js';
import { loadContracts, type ContractSet } from './contracts.js';
import { ForbiddenError, MissingRouteError } from './errors.js';
import { describeIncompatibilities, incompatibilitiesOf } from './incompatibilities.js';
import { isApiError, isNotFound, oneLine, RegistryClient, type ApiError } from './registry-client.js';
import type { RegistryTarget } from './registry-target.js';

export type PushOutcome =
  /** Registered now: a new version. */
  | 'registered'
  /** The subject already holds this schema: nothing was registered (its catalog entry is written all the same). */
  | 'unchanged'
  /** Dry run: the subject already holds this schema. */
  | 'already registered'
  /** Dry run: a new version (or a new subject) would be registered. */
  | 'would register'
  /** Dry run: cannot be checked before a contract it references (also in this directory) is registered. */
  | 'pending'
  | 'failed';

export interface PushResult {
  subject: string;
  outcome: PushOutcome;
  ok: boolean;
  id?: number;
  version?: number;
  /** Dry run, `would register`: the subject has no version yet. */
  newSubject?: boolean;
  warnings: number;
  /** One line: why it failed, or what it waits for. */
  reason?: string;
}

export interface PushReport {
  results: PushResult[];
  notes: string[];
}

export interface PushOptions {
  dir: string;
  registry: RegistryTarget | string;
  dryRun?: boolean;
}

export async function push(options: PushOptions): Promise<PushReport> {
  const set = loadContracts(options.dir);
  const client = new RegistryClient(options.registry);
  return options.dryRun ? dryRun(set, client) : register(set, client);
}

/** Why the registry refused: the incompatibilities of a 409, one line, else its code and message. */
function refusal(error: ApiError): string {
  if (error.error_code === 409 || error.error_code === 40901) return `incompatible: ${describeIncompatibilities(incompatibilitiesOf(error))}`;
  return `${error.error_code}: ${oneLine(error.message)}`;
}

/** A 403 as the registry's refusal, so that it is reported for its contract like a 409 or a 422. */
async function refusedIfForbidden<T>(call: () => Promise<T | ApiError>): Promise<T | ApiError> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ForbiddenError) return { error_code: err.errorCode, message: err.serverMessage };
    throw err;
  }
}

async function register(set: ContractSet, client: RegistryClient): Promise<PushReport> {
  const results: PushResult[] = [];
  const notes: string[] = [];
  let catalog = true;
  for (const contract of set.contracts) {
    const fail = (reason: string) => results.push({ subject: contract.subject, outcome: 'failed', ok: false, warnings: 0, reason });
    // Already registered: `unchanged`. Any refusal of the lookup is left for the registration to state.
    const found = await refusedIfForbidden(() => client.lookup(contract));
    const unchanged = !isApiError(found);
    let undo: (() => Promise<void>) | undefined;
    if (contract.catalog && catalog) {
      try {
        const previous = unchanged ? undefined : await refusedIfForbidden(() => client.catalogEntry(contract.subject));
        const entry = await refusedIfForbidden(() => client.putCatalog(contract.subject, contract.catalog!));
        if (isApiError(entry)) {
          fail(`catalog: ${refusal(entry)}`);
          continue;
        }
        if (!unchanged) undo = () => restoreCatalog(client, contract.subject, previous);
      } catch (err) {
        if (!(err instanceof MissingRouteError)) throw err;
        catalog = false;
        notes.push(`${client.url} has no Accord catalog (a plain Confluent-compatible registry): catalog entries were not written`);
      }
    }
    if (!isApiError(found)) {
      results.push({ subject: contract.subject, outcome: 'unchanged', ok: true, id: found.id, version: found.version, warnings: 0 });
      continue;
    }
    let registered;
    try {
      registered = await refusedIfForbidden(() => client.register(contract));
    } catch (err) {
      // The registry failed or went away: whether it registered is unknown, so the entry is restored only if it did not.
      if (undo && isApiError(await client.lookup(contract).catch(() => ({ error_code: 0, message: '' })))) await undo().catch(() => {});
      throw err;
    }
    if (isApiError(registered)) {
      let restored = '';
      if (undo) {
        try {
          await undo();
          restored = '; its catalog entry was left as it was';
        } catch (err) {
          restored = `; its catalog entry was written and could not be put back (${(err as Error).message.split('\n')[0]})`;
        }
      }
      fail(`${refusal(registered)}${restored}`);
    } else {
      results.push({ subject: contract.subject, outcome: 'registered', ok: true, id: registered.id, version: registered.version, warnings: registered.warnings?.length ?? 0 });
    }
  }
  return { results, notes };
}

/** Puts a catalog entry back as it was before this push: the previous entry, or none. */
async function restoreCatalog(client: RegistryClient, subject: string, previous: Record<string, unknown> | ApiError | undefined): Promise<void> {
  if (previous === undefined) return;
  if (isApiError(previous)) {
    if (!isNotFound(previous)) throw new Error(`reading it before the push failed: ${oneLine(previous.message)}`);
    const deleted = await refusedIfForbidden(() => client.deleteCatalog(subject));
    if (isApiError(deleted) && !isNotFound(deleted)) throw new Error(oneLine(deleted.message));
    return;
  }
  const { subject: _subject, ...entry } = previous;
  const put = await refusedIfForbidden(() => client.putCatalog(subject, entry));
  if (isApiError(put)) throw new Error(oneLine(put.message));
}

async function dryRun(set: ContractSet, client: RegistryClient): Promise<PushReport> {
  const results: PushResult[] = [];
  let plain = false;
  for (const contract of set.contracts) {
    const base = { subject: contract.subject, warnings: 0 };
    const found = await client.lookup(contract);
    if (!isApiError(found)) {
      results.push({ ...base, outcome: 'already registered', ok: true, id: found.id, version: found.version });
      continue;
    }
    const newSubject = found.error_code === 40401;
    let answer;
    if (!plain) {
      try {
        answer = await client.dryRun(contract);
      } catch (err) {
        if (!(err instanceof MissingRouteError)) throw err;
        plain = true;
      }
    }
    if (plain) answer = await client.compatibility(contract);
    if (isApiError(answer)) {
      const pending = referencedButUnregistered(set, contract, answer.message);
      if (pending) results.push({ ...base, outcome: 'pending', ok: true, reason: `references '${pending}', which this push registers first` });
      else if (plain && isNotFound(answer)) results.push({ ...base, outcome: 'would register', ok: true, newSubject: true });
      else results.push({ ...base, outcome: 'failed', ok: false, reason: refusal(answer) });
      continue;
    }
    if (!answer!.is_compatible) {
      results.push({ ...base, outcome: 'failed', ok: false, reason: `incompatible: ${describeIncompatibilities(incompatibilitiesOf(answer!))}` });
      continue;
    }
    const findings = 'findings' in answer! ? answer.findings : [];
    const errors = findings.filter((f) => f.severity === 'error');
    if (errors.length) {
      results.push({ ...base, outcome: 'failed', ok: false, reason: `breaks governance rules: ${errors.map((f) => `${f.rule} at ${f.path}: ${f.message}`).join('; ')}` });
      continue;
    }
    results.push({ ...base, outcome: 'would register', ok: true, newSubject, warnings: findings.length });
  }
  const notes = ['dry run: nothing was registered and no catalog entry was written'];
  if (plain) notes.push(`${client.url} has no Accord governance endpoints (a plain Confluent-compatible registry): only compatibility was checked`);
  return { results, notes };
}

export function printPush(results: PushResult[]): string {
  return results
    .map((r) => {
      const warnings = r.warnings ? ` (${r.warnings} warning(s))` : '';
      switch (r.outcome) {
        case 'registered':
          // Confluent answers a registration with the id only.
          return `${r.subject}: ${r.version !== undefined ? `version ${r.version}, ` : ''}id ${r.id}${warnings}`;
        case 'unchanged':
          return `${r.subject}: unchanged (already registered as version ${r.version}, id ${r.id})`;
        case 'already registered':
          return `${r.subject}: already registered as version ${r.version}, id ${r.id}`;
        case 'would register':
          return `${r.subject}: would register ${r.newSubject ? 'version 1 (a new subject)' : 'a new version'}${warnings}`;
        case 'pending':
          return `${r.subject}: would register after its references (${r.reason}; not checkable before)`;
        default:
          return `${r.subject}: FAILED ${r.reason}`;
      }
    })
    .join('\n');
}
