// The body of register, lookup and compatibility calls (Confluent's RegisterSchemaRequest), checked for shape.
import { supportedSchemaTypes } from '../formats/index.js';
import type { SchemaReference } from '../storage/store.js';
import { errors } from './errors.js';

export interface SchemaRequest {
  /** Undefined or '' means "the latest version's schema" on register (to attach metadata or rules). */
  schema: string | undefined;
  schemaType: string;
  references: SchemaReference[];
  metadata: Record<string, unknown> | null;
  ruleSet: Record<string, unknown> | null;
  version: number | undefined;
  id: number | undefined;
}

const MAX_INT = 2 ** 31 - 1;

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Validates a decoded JSON body. Unknown properties are ignored, as Confluent's clients expect. */
export function parseSchemaRequest(body: unknown): SchemaRequest {
  if (!isObject(body)) throw errors.malformedBody('The request body must be a JSON object');
  const { schema, schemaType = 'AVRO', references = [], metadata = null, ruleSet = null, version, id } = body;
  if (schema !== undefined && schema !== null && typeof schema !== 'string') {
    throw errors.invalidSchema('The "schema" field must be a string holding the schema text');
  }
  if (typeof schemaType !== 'string') throw errors.invalidSchemaType(JSON.stringify(schemaType), supportedSchemaTypes());
  if (references !== null && !Array.isArray(references)) throw errors.invalidSchema('"references" must be an array');
  const refs = (references ?? []).map((r: unknown, i: number): SchemaReference => {
    if (!isObject(r) || typeof r.name !== 'string' || typeof r.subject !== 'string' || !Number.isInteger(r.version)) {
      throw errors.invalidSchema(`Reference ${i} must have a "name", a "subject" and an integer "version"`);
    }
    return { name: r.name, subject: r.subject, version: r.version as number };
  });
  if (metadata !== null && !isObject(metadata)) throw errors.invalidSchema('"metadata" must be an object');
  if (ruleSet !== null) checkRuleSet(ruleSet);
  if (version !== undefined && version !== null && (!Number.isInteger(version) || (version as number) > MAX_INT)) {
    throw errors.invalidSchema('"version" must be an integer up to 2^31-1');
  }
  if (id !== undefined && id !== null && (!Number.isInteger(id) || (id as number) < 1 || (id as number) > MAX_INT)) {
    throw errors.invalidSchema('"id" must be an integer between 1 and 2^31-1');
  }
  return {
    schema: schema ?? undefined,
    schemaType,
    references: refs,
    metadata: metadata as Record<string, unknown> | null,
    ruleSet: ruleSet as Record<string, unknown> | null,
    version: (version as number | null | undefined) ?? undefined,
    id: (id as number | null | undefined) ?? undefined,
  };
}

const RULE_KINDS = new Set(['TRANSFORM', 'CONDITION']);
const RULE_MODES = new Set(['UPGRADE', 'DOWNGRADE', 'UPDOWN', 'WRITE', 'READ', 'WRITEREAD']);

/** A ruleSet has rule lists whose rules have a unique name, and a valid kind and mode when given (42210). */
export function checkRuleSet(ruleSet: unknown): void {
  if (!isObject(ruleSet)) throw errors.invalidRuleSet('"ruleSet" must be an object');
  const names = new Set<string>();
  for (const list of ['migrationRules', 'domainRules', 'encodingRules']) {
    const rules = ruleSet[list];
    if (rules === undefined || rules === null) continue;
    if (!Array.isArray(rules)) throw errors.invalidRuleSet(`"ruleSet.${list}" must be an array`);
    for (const rule of rules) {
      if (!isObject(rule) || typeof rule.name !== 'string' || rule.name === '') {
        throw errors.invalidRuleSet(`Every rule in "ruleSet.${list}" needs a non-empty "name"`);
      }
      if (names.has(rule.name)) throw errors.invalidRuleSet(`Found rule with duplicate name '${rule.name}'`);
      names.add(rule.name);
      if (rule.kind !== undefined && !RULE_KINDS.has(String(rule.kind))) {
        throw errors.invalidRuleSet(`Rule '${rule.name}' has an invalid kind ${JSON.stringify(rule.kind)}`);
      }
      if (rule.mode !== undefined && !RULE_MODES.has(String(rule.mode))) {
        throw errors.invalidRuleSet(`Rule '${rule.name}' has an invalid mode ${JSON.stringify(rule.mode)}`);
      }
    }
  }
}
