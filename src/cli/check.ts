// `accord check`: every contract against the registry (or against a git ref, offline), findings as values.
import { join } from 'node:path';
import { formatFor, type ParsedSchema, type ResolvedReference } from '../formats/index.js';
import { catalogFacts } from '../governance/catalog.js';
import { evaluate, mergePolicy, parseRuleSettings } from '../governance/policy.js';
import { checkCompatibility } from '../registry/compatibility.js';
import { parseCompatibilityLevel } from '../registry/identifiers.js';
import { gitRef, loadContracts, UsageError, type Contract, type ContractSet } from './contracts.js';
import { isApiError, RegistryClient } from './registry-client.js';
import { lineOf } from './locate.js';

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
  registry?: string | undefined;
  against?: string | undefined;
}

export async function check(options: CheckOptions): Promise<CheckFinding[]> {
  const current = loadContracts(options.dir);
  if (options.against) return checkAgainstRef(current, loadContracts(options.dir, gitRef(options.dir, options.against)));
  if (!options.registry) throw new UsageError('Give --registry URL, or --against <git-ref> to check offline');
  return checkAgainstRegistry(current, new RegistryClient(options.registry));
}

const locate = (set: ContractSet, contract: Contract) => (path: string) => ({
  file: join(set.dir, contract.schemaFile),
  line: lineOf(contract.schema, path),
  subject: contract.subject,
  path,
});

async function checkAgainstRegistry(set: ContractSet, client: RegistryClient): Promise<CheckFinding[]> {
  const findings: CheckFinding[] = [];
  for (const contract of set.contracts) {
    const at = locate(set, contract);
    const result = await client.dryRun(contract);
    if (isApiError(result)) {
      const pending = contractReferencedButUnregistered(set, contract, result.message);
      if (pending) {
        findings.push({
          ...at('/'),
          severity: 'warn',
          rule: 'REFERENCE_NOT_REGISTERED',
          message: `References '${pending}', which this directory defines but the registry does not hold yet, so the schema cannot be checked against the registry.`,
          hint: `run 'accord push' (it registers '${pending}' first), or check offline with --against`,
        });
        continue;
      }
      findings.push({ ...at('/'), severity: 'error', rule: `ERROR_${result.error_code}`, message: result.message });
      continue;
    }
    for (const f of result.incompatibilities) {
      findings.push({ ...at(f.path), severity: 'error', rule: f.rule, message: `${f.message} (against version ${f.oldVersion})`, ...(f.hint ? { hint: f.hint } : {}) });
    }
    for (const f of result.findings) findings.push({ ...at(f.path), severity: f.severity, rule: f.rule, message: f.message, hint: f.hint });
  }
  return findings;
}

function contractReferencedButUnregistered(set: ContractSet, contract: Contract, message: string): string | undefined {
  const missing = /No schema reference found for subject "(.*)" and version/.exec(message)?.[1];
  return missing && contract.references.some((r) => r.subject === missing) && set.contracts.some((c) => c.subject === missing) ? missing : undefined;
}

/** Offline: each contract against its previous self at the ref, at the manifest's level, and the rules. */
function checkAgainstRef(current: ContractSet, previous: ContractSet): CheckFinding[] {
  const policy = mergePolicy(current.governance ? [parseRuleSettings(current.governance)] : []);
  const findings: CheckFinding[] = [];
  const parseAll = (set: ContractSet) => {
    const parsed = new Map<string, ParsedSchema | Error>();
    for (const c of set.contracts) {
      const references: ResolvedReference[] = [];
      for (const r of c.references) {
        const target = set.contracts.find((x) => x.subject === r.subject);
        if (target) references.push({ name: r.name, subject: r.subject, version: 1, schemaType: target.schemaType, schema: target.schema });
      }
      try {
        parsed.set(c.subject, formatFor(c.schemaType)!.parse(c.schema, references, { validate: true, normalize: false, maxDepth: 64 }));
      } catch (err) {
        parsed.set(c.subject, err as Error);
      }
    }
    return parsed;
  };
  const now = parseAll(current);
  const before = parseAll(previous);
  for (const contract of current.contracts) {
    const at = locate(current, contract);
    const parsed = now.get(contract.subject)!;
    if (parsed instanceof Error) {
      findings.push({ ...at('/'), severity: 'error', rule: 'INVALID_SCHEMA', message: parsed.message });
      continue;
    }
    const old = before.get(contract.subject);
    if (old && !(old instanceof Error)) {
      const level = parseCompatibilityLevel(contract.compatibility);
      const verdict = checkCompatibility(formatFor(contract.schemaType)!, parsed, [{ version: 1, schemaId: 0, parsed: old }], level);
      for (const f of verdict.incompatibilities) {
        findings.push({ ...at(f.path), severity: 'error', rule: f.rule, message: f.message, ...(f.hint ? { hint: f.hint } : {}) });
      }
    }
    const outline = formatFor(contract.schemaType)!.outline(parsed);
    for (const f of evaluate(contract.subject, outline, catalogFacts(contract.catalog), policy)) {
      findings.push({ ...at(f.path), severity: f.severity, rule: f.rule, message: f.message, hint: f.hint });
    }
  }
  return findings;
}

/** Exit code 1 when any finding reaches the threshold. */
export function failing(findings: CheckFinding[], failOn: 'error' | 'warn'): boolean {
  return findings.some((f) => f.severity === 'error' || (failOn === 'warn' && f.severity === 'warn'));
}
