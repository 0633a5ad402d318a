// `accord check`: every contract against the registry (or against a git ref, offline), findings as values.
// Against a plain Confluent registry (no Accord governance endpoints) the registry judges compatibility and the
// governance rules run here, with the manifest's settings; a note says so.
import { join } from 'node:path';
import { gitRef, loadContracts, MANIFEST, type Contract, type ContractSet } from './contracts.js';
import { ConnectionError, MissingRouteError, UsageError } from './errors.js';
import type { ParsedSchema } from '../formats/index.js';
import { incompatibilitiesOf } from './incompatibilities.js';
import { governanceOf, incompatibilitiesWith, parseContracts, policyOf, type ReferenceFetcher, type RemoteSchema } from './local-check.js';
import { lineOf } from './locate.js';
import { isApiError, isNotFound, oneLine, RegistryClient, type ApiError } from './registry-client.js';
import type { RegistryTarget } from './registry-target.js';

export interface CheckFinding {
  file: string;
  line: number;
  subject: string;
  severity: 'error' | 'warn';
  rule: string;
  path: string;
  message: string;
  hint?: string;
}

export interface CheckOptions {
  dir: string;
  registry?: RegistryTarget | string | undefined;
  against?: string | undefined;
}

/** A contract that was checked: printers that list every check (junit) need the clean ones too. */
export interface CheckedContract {
  subject: string;
  file: string;
}

export interface CheckResult {
  findings: CheckFinding[];
  contracts: CheckedContract[];
  /** Things the reader should know about how the check ran (printed on stderr, one line each). */
  notes: string[];
}

export async function check(options: CheckOptions): Promise<CheckResult> {
  if (options.registry && options.against) throw new UsageError('give one of --registry or --against, not both');
  const current = loadContracts(options.dir);
  const contracts = current.contracts.map((c) => ({ subject: c.subject, file: join(current.dir, c.schemaFile) }));
  if (options.against) return { ...(await checkAgainstRef(current, options.against)), contracts };
  if (!options.registry) throw new UsageError('give --registry URL (or set ACCORD_REGISTRY), or --against GIT_REF to check offline');
  return { ...(await checkAgainstRegistry(current, new RegistryClient(options.registry))), contracts };
}

const locate = (set: ContractSet, contract: Contract) => (path: string) => ({
  file: join(set.dir, contract.schemaFile),
  line: lineOf(contract.schema, path),
  subject: contract.subject,
  path,
});

async function checkAgainstRegistry(set: ContractSet, client: RegistryClient): Promise<Omit<CheckResult, 'contracts'>> {
  const findings: CheckFinding[] = [];
  let plain = false;
  for (const contract of set.contracts) {
    if (!plain) {
      try {
        findings.push(...(await accordCheck(set, contract, client)));
        continue;
      } catch (err) {
        if (!(err instanceof MissingRouteError)) throw err;
        plain = true;
      }
    }
    findings.push(...(await confluentCheck(set, contract, client)));
  }
  if (!plain) return { findings, notes: [] };
  // The rules, here, for every contract at once (references resolved from the directory, else the registry).
  const parsed = await parseContracts(set, fetcher(client));
  const policy = policyOf(set);
  for (const contract of set.contracts) {
    const schema = parsed.get(contract.subject);
    if (!schema || schema instanceof Error) continue; // the registry reported why it cannot read it
    const at = locate(set, contract);
    for (const f of governanceOf(contract, schema, policy)) findings.push({ ...at(f.path), severity: f.severity, rule: f.rule, message: f.message, hint: f.hint });
  }
  const order = new Map(set.contracts.map((c, i) => [c.subject, i]));
  findings.sort((a, b) => order.get(a.subject)! - order.get(b.subject)!);
  const notes = [
    `${client.url} has no Accord governance endpoints (a plain Confluent-compatible registry): compatibility was checked by the registry, the governance rules offline with the settings of ${join(set.dir, MANIFEST)}`,
  ];
  return { findings, notes };
}

/** Accord's dry run: the registry's own level and governance settings, catalog entry from the manifest. */
async function accordCheck(set: ContractSet, contract: Contract, client: RegistryClient): Promise<CheckFinding[]> {
  const at = locate(set, contract);
  const result = await client.dryRun(contract);
  if (isApiError(result)) return [errorFinding(set, contract, result)];
  return [
    ...result.incompatibilities.map((f) => ({ ...at(f.path), severity: 'error' as const, rule: f.rule, message: `${f.message} (against version ${f.oldVersion})`, ...(f.hint ? { hint: f.hint } : {}) })),
    ...result.findings.map((f) => ({ ...at(f.path), severity: f.severity, rule: f.rule, message: f.message, hint: f.hint })),
  ];
}

/** Confluent's compatibility endpoint: a new subject (40401) has nothing to be incompatible with. */
async function confluentCheck(set: ContractSet, contract: Contract, client: RegistryClient): Promise<CheckFinding[]> {
  const at = locate(set, contract);
  let verdict;
  try {
    verdict = await client.compatibility(contract);
  } catch (err) {
    if (!(err instanceof MissingRouteError)) throw err;
    const { url, source } = client.target;
    throw new ConnectionError(`${url} answers neither Accord's API nor the Schema Registry API (no ${err.path.replace(/\?.*/, '')}); is ${source} the registry's base URL?`);
  }
  if (isApiError(verdict)) return isNotFound(verdict) ? [] : [errorFinding(set, contract, verdict)];
  if (verdict.is_compatible) return [];
  return incompatibilitiesOf(verdict).map((f) => ({
    ...at(f.path),
    severity: 'error' as const,
    rule: f.rule,
    message: `${f.message}${f.oldVersion ? ` (against version ${f.oldVersion})` : ''}`,
    ...(f.hint ? { hint: f.hint } : {}),
  }));
}

/** A registry refusal: a reference this directory will register first is a warning, the rest errors. */
function errorFinding(set: ContractSet, contract: Contract, error: ApiError): CheckFinding {
  const at = locate(set, contract);
  const pending = referencedButUnregistered(set, contract, error.message);
  if (pending) {
    return {
      ...at('/'),
      severity: 'warn',
      rule: 'REFERENCE_NOT_REGISTERED',
      message: `References '${pending}', which this directory defines but the registry does not hold yet, so the schema cannot be checked against the registry.`,
      hint: `run 'accord push' (it registers '${pending}' first), or check offline with --against`,
    };
  }
  return { ...at('/'), severity: 'error', rule: `ERROR_${error.error_code}`, message: oneLine(error.message) };
}

export function referencedButUnregistered(set: ContractSet, contract: Contract, message: string): string | undefined {
  const missing = /No schema reference found for subject "(.*)" and version/.exec(message)?.[1];
  return missing && contract.references.some((r) => r.subject === missing) && set.contracts.some((c) => c.subject === missing) ? missing : undefined;
}

/** References the directory does not define, read from the registry. */
const fetcher = (client: RegistryClient): ReferenceFetcher => async (subject, version) => {
  const body = await client.get<RemoteSchema>(`/subjects/${encodeURIComponent(subject)}/versions/${version}`);
  return isApiError(body) ? undefined : body;
};

/**
 * Offline: each contract against its previous self at the ref, at the manifest's level, and the rules. A contract the
 * ref lacks (or every contract, when the ref has no manifest there: the directory is new) is new: only the rules apply.
 */
async function checkAgainstRef(current: ContractSet, ref: string): Promise<Omit<CheckResult, 'contracts'>> {
  const read = gitRef(current.dir, ref);
  const previous = read(MANIFEST) === undefined ? undefined : loadContracts(current.dir, read, ` at ${ref}`);
  const policy = policyOf(current);
  const findings: CheckFinding[] = [];
  const now = await parseContracts(current);
  const before = previous ? await parseContracts(previous) : new Map<string, ParsedSchema | Error>();
  for (const contract of current.contracts) {
    const at = locate(current, contract);
    const parsed = now.get(contract.subject)!;
    if (parsed instanceof Error) {
      findings.push({ ...at('/'), severity: 'error', rule: 'INVALID_SCHEMA', message: oneLine(parsed.message) });
      continue;
    }
    const old = before.get(contract.subject);
    if (old && !(old instanceof Error)) {
      for (const f of incompatibilitiesWith(current, contract, parsed, old)) {
        findings.push({ ...at(f.path), severity: 'error', rule: f.rule, message: f.message, ...(f.hint ? { hint: f.hint } : {}) });
      }
    }
    for (const f of governanceOf(contract, parsed, policy)) findings.push({ ...at(f.path), severity: f.severity, rule: f.rule, message: f.message, hint: f.hint });
  }
  const manifest = join(current.dir, MANIFEST);
  if (!previous) return { findings, notes: [`${manifest} is not at ${ref} (the contracts directory is new): every contract is new, so only the governance rules apply`] };
  const added = current.contracts.filter((c) => !before.has(c.subject)).map((c) => c.subject);
  return { findings, notes: added.length ? [`new since ${ref} (only the governance rules apply): ${added.join(', ')}`] : [] };
}

/** Exit code 1 when any finding reaches the threshold. */
export function failing(findings: CheckFinding[], failOn: 'error' | 'warn'): boolean {
  return findings.some((f) => f.severity === 'error' || (failOn === 'warn' && f.severity === 'warn'));
}
