// The JSON Schema format plugin: drafts 04 to 2020-12 chosen by `$schema`, Jackson's canonical text, references by
// name, Confluent's difference rules.
import { InvalidSchemaError, type ParseOptions, type ParsedSchema, type ResolvedReference, type SchemaFormat } from '../format.js';
import { diffSchemas, type BlindSpot } from './diff.js';
import { COMPATIBLE_LENIENT, COMPATIBLE_STRICT } from './difference-types.js';
import { checkAgainstMetaSchema, draftOf, type Draft } from './drafts.js';
import { explain } from './explain.js';
import { checkJsonLimits } from './limits.js';
import { deref, SchemaLoader, type LoadedReference, type SchemaNode } from './model.js';
import { jsonOutline } from './outline.js';
import { parseJsonText, printJson, toPlain, type JsonNode } from './text.js';

export interface JsonSchemaNative {
  json: JsonNode;
  draft: Draft;
  root: SchemaNode;
}

export interface JsonSchemaParsed extends ParsedSchema {
  native: JsonSchemaNative;
}

function rootOf(text: string, maxDepth: number, what: string): JsonNode {
  const json = parseJsonText(text, maxDepth);
  if (json.type !== 'object' && json.type !== 'boolean') {
    throw new InvalidSchemaError(`Invalid ${what}: a JSON Schema is an object or a boolean, not ${json.type === 'array' ? 'an array' : `a ${json.type}`}`);
  }
  return json;
}

function parse(text: string, references: readonly ResolvedReference[], options: ParseOptions): JsonSchemaParsed {
  const json = rootOf(text, options.maxDepth, 'JSON schema');
  if (options.limits) checkJsonLimits(json, options.limits);
  const draft = draftOf(json);
  if (options.validate) checkAgainstMetaSchema(toPlain(json), draft);
  // Referenced schemas were accepted when registered: they only lend their definitions.
  const loaded: LoadedReference[] = references.map((ref) => {
    if (ref.schemaType !== 'JSON') throw new InvalidSchemaError(`Reference '${ref.name}' is a ${ref.schemaType} schema, not JSON`);
    const refJson = rootOf(ref.schema, options.maxDepth, `referenced schema '${ref.name}'`);
    let refDraft: Draft;
    try {
      refDraft = draftOf(refJson);
    } catch {
      refDraft = 'draft-07';
    }
    return { name: ref.name, json: refJson, draft: refDraft };
  });
  const root = new SchemaLoader(json, draft, loaded).root;
  checkGraphDepth(root, options.maxDepth * 8);
  const canonical = printJson(json);
  const normalized = printJson(json, true);
  // Equivalent: the same schema up to key order, whose $refs lead to the same schemas.
  const referenced = loaded.map((r) => `\n${r.name}=${printJson(r.json, true)}`).sort();
  return {
    schemaType: 'JSON',
    canonical: options.normalize ? normalized : canonical,
    normalized,
    equivalence: normalized + referenced.join(''),
    native: { json, draft, root },
  };
}

/**
 * Comparing two schemas walks them together, and a chain of `$ref`s can make a schema far deeper than its text: refuse
 * chains longer than `limit` so no comparison can exhaust the stack. A cycle is fine (the comparison stops there).
 */
function checkGraphDepth(root: SchemaNode, limit: number): void {
  const height = new Map<SchemaNode, number>();
  const active = new Set<SchemaNode>();
  const visit = (node: SchemaNode, depth: number): number => {
    const n = deref(node);
    const known = height.get(n);
    // A node met again adds its height below to the depth it is met at now (many $refs into one long chain).
    if (known !== undefined) {
      if (depth + known > limit) throw new InvalidSchemaError(`Schema is nested deeper than the limit of ${limit} levels once its $refs are followed`);
      return known;
    }
    if (active.has(n)) return 0;
    if (depth > limit) throw new InvalidSchemaError(`Schema is nested deeper than the limit of ${limit} levels once its $refs are followed`);
    active.add(n);
    let h = 0;
    for (const child of children(n)) h = Math.max(h, 1 + visit(child, depth + 1));
    active.delete(n);
    height.set(n, h);
    return h;
  };
  visit(root, 0);
}

function children(n: SchemaNode): SchemaNode[] {
  switch (n.kind) {
    case 'combined':
      return n.subschemas;
    case 'not':
      return [n.target];
    case 'object':
      return [
        ...n.properties.values(),
        ...n.schemaDependencies.values(),
        ...n.patterns.map((p) => p.schema),
        ...(n.additional.schema ? [n.additional.schema] : []),
        ...(n.unevaluated?.schema ? [n.unevaluated.schema] : []),
      ];
    case 'array':
      return [...(n.items ? [n.items] : []), ...(n.tuple ?? []), ...(n.additional.schema ? [n.additional.schema] : []), ...(n.unevaluated?.schema ? [n.unevaluated.schema] : [])];
    default:
      return [];
  }
}

/** The changes from `writer` to `reader` Confluent's checker misses although they break readers. */
export function jsonBlindSpots(reader: ParsedSchema, writer: ParsedSchema): BlindSpot[] {
  return diffSchemas((writer as JsonSchemaParsed).native.root, (reader as JsonSchemaParsed).native.root).blindSpots;
}

/** Breaks of backward compatibility (the new schema reading old data) that Confluent's verdict lets through. */
function undetectedBreaks(reader: ParsedSchema, writer: ParsedSchema) {
  return jsonBlindSpots(reader, writer).map((b) => ({
    path: b.pointer || '/',
    message: `${b.what}: readers of the new schema refuse values the old one allowed, but Confluent's checker compares a lowered exclusiveMaximum with the new maximum only, so the verdict stays compatible.`,
    hint: 'keep the old exclusiveMaximum, or lower `maximum` too so the change is reported as EXCLUSIVE_MAXIMUM_DECREASED',
  }));
}

export const jsonSchemaFormat: SchemaFormat = {
  schemaType: 'JSON',
  parse,
  checkReader(reader, writer, roles = { reader: 'reader', writer: 'writer' }, options = {}) {
    // Confluent diffs original → update, asking whether the update accepts all the original accepted. Any policy
    // other than LENIENT is STRICT, as in Confluent.
    const compatible = options.policy === 'LENIENT' ? COMPATIBLE_LENIENT : COMPATIBLE_STRICT;
    const { differences } = diffSchemas((writer as JsonSchemaParsed).native.root, (reader as JsonSchemaParsed).native.root, compatible);
    return differences.filter((d) => !compatible.has(d.type)).map((d) => explain(d, roles));
  },
  undetectedBreaks,
  outline(parsed) {
    return jsonOutline((parsed as JsonSchemaParsed).native.json);
  },
};
