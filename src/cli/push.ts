// `accord push`: catalog entries first (rules read them), then each contract registered in reference order.
// `--dry-run` asks the registry what each registration would do, and registers and writes nothing.
import { referencedButUnregistered } from './check.js';
import { loadContracts, type ContractSet } from './contracts.js';
import { MissingRouteError } from './errors.js';
import { describeIncompatibilities, incompatibilitiesOf } from './incompatibilities.js';
import { isApiError, isNotFound, oneLine, RegistryClient, type ApiError } from './registry-client.js';
import type { RegistryTarget } from './registry-target.js';

export type PushOutcome =
  /** Registered now (or, registration being idempotent, found already registered). */
  | 'registered'
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

async function register(set: ContractSet, client: RegistryClient): Promise<PushReport> {
  const results: PushResult[] = [];
  const notes: string[] = [];
  let catalog = true;
  for (const contract of set.contracts) {
    const fail = (reason: string) => results.push({ subject: contract.subject, outcome: 'failed', ok: false, warnings: 0, reason });
    if (contract.catalog && catalog) {
      try {
        const entry = await client.putCatalog(contract.subject, contract.catalog);
        if (isApiError(entry)) {
          fail(`catalog: ${oneLine(entry.message)}`);
          continue;
        }
      } catch (err) {
        if (!(err instanceof MissingRouteError)) throw err;
        catalog = false;
        notes.push(`${client.url} has no Accord catalog (a plain Confluent-compatible registry): catalog entries were not written`);
      }
    }
    const registered = await client.register(contract);
    if (isApiError(registered)) fail(refusal(registered));
    else results.push({ subject: contract.subject, outcome: 'registered', ok: true, id: registered.id, version: registered.version, warnings: registered.warnings?.length ?? 0 });
  }
  return { results, notes };
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
