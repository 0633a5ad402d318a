// Checking contracts here rather than in the registry: parse them, compare each with its previous self at the
// manifest's level, and apply the governance rules with the manifest's settings. Used offline (`--against`) and for
// the rules when the registry is a plain Confluent one, without Accord's governance endpoints.
import { join } from 'node:path';
import { formatFor, type Incompatibility, type ParsedSchema, type ResolvedReference } from '../formats/index.js';
import { catalogFacts } from '../governance/catalog.js';
import { evaluate, mergePolicy, parseRuleSettings, type EffectivePolicy } from '../governance/policy.js';
import type { GovernanceFinding } from '../governance/rule.js';
import { checkCompatibility } from '../registry/compatibility.js';
import { parseCompatibilityLevel } from '../registry/identifiers.js';
import { MANIFEST, type Contract, type ContractReference, type ContractSet } from './contracts.js';
import { DataError } from './errors.js';

/** A schema held by the registry, for a reference the contracts directory does not define. */
export interface RemoteSchema {
  version: number;
  schema: string;
  schemaType?: string;
  references?: { name: string; subject: string; version: number }[];
}

export type ReferenceFetcher = (subject: string, version: number | 'latest') => Promise<RemoteSchema | undefined>;

const MAX_REFERENCE_DEPTH = 32;

/** A contract's references, transitively and dependencies first: from the directory, else from `fetch` if given. */
async function resolveReferences(set: ContractSet, contract: Contract, fetch?: ReferenceFetcher): Promise<ResolvedReference[]> {
  const resolved: ResolvedReference[] = [];
  const seen = new Set<string>();
  const visit = async (ref: ContractReference, depth: number): Promise<void> => {
    if (depth > MAX_REFERENCE_DEPTH || seen.has(ref.subject)) return;
    seen.add(ref.subject);
    const local = set.contracts.find((c) => c.subject === ref.subject);
    if (local) {
      for (const inner of local.references) await visit(inner, depth + 1);
      resolved.push({ name: ref.name, subject: ref.subject, version: 1, schemaType: local.schemaType, schema: local.schema });
      return;
    }
    const remote = await fetch?.(ref.subject, ref.version);
    if (!remote) return; // unresolved: the parse names the missing import or type
    for (const inner of remote.references ?? []) await visit({ ...inner, version: inner.version === -1 ? 'latest' : inner.version }, depth + 1);
    resolved.push({ name: ref.name, subject: ref.subject, version: remote.version, schemaType: (remote.schemaType ?? 'AVRO') as ResolvedReference['schemaType'], schema: remote.schema });
  };
  for (const ref of contract.references) await visit(ref, 0);
  return resolved;
}

/** Every contract parsed and validated, or the error that stopped it, by subject. */
export async function parseContracts(set: ContractSet, fetch?: ReferenceFetcher): Promise<Map<string, ParsedSchema | Error>> {
  const parsed = new Map<string, ParsedSchema | Error>();
  for (const c of set.contracts) {
    try {
      parsed.set(c.subject, formatFor(c.schemaType)!.parse(c.schema, await resolveReferences(set, c, fetch), { validate: true, normalize: false, maxDepth: 64 }));
    } catch (err) {
      parsed.set(c.subject, err as Error);
    }
  }
  return parsed;
}

/** The rule settings of the manifest's `governance` section over the defaults. */
export function policyOf(set: ContractSet): EffectivePolicy {
  try {
    return mergePolicy(set.governance ? [parseRuleSettings(set.governance)] : []);
  } catch (err) {
    throw new DataError(`${join(set.dir, MANIFEST)}: governance: ${(err as Error).message}`);
  }
}

/** The contract against its previous self, at the level its manifest entry gives. */
export function incompatibilitiesWith(set: ContractSet, contract: Contract, parsed: ParsedSchema, previous: ParsedSchema): Incompatibility[] {
  let level;
  try {
    level = parseCompatibilityLevel(contract.compatibility);
  } catch {
    throw new DataError(`${join(set.dir, MANIFEST)}: compatibility '${contract.compatibility}' of ${contract.subject} is not a compatibility level`);
  }
  return checkCompatibility(formatFor(contract.schemaType)!, parsed, [{ version: 1, schemaId: 0, parsed: previous }], level).incompatibilities;
}

/** The governance findings for the contract, with its manifest catalog entry. */
export function governanceOf(contract: Contract, parsed: ParsedSchema, policy: EffectivePolicy): GovernanceFinding[] {
  return evaluate(contract.subject, formatFor(contract.schemaType)!.outline(parsed), catalogFacts(contract.catalog), policy);
}
