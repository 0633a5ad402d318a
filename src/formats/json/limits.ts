// JSON Schema text against the size limits, walked once over the parsed JSON before the schema model is built.
import { InvalidSchemaError } from '../format.js';
import { nameTooLongMessage, overLimitMessage, type SchemaLimits } from '../limits.js';
import { escapePointer, type JsonNode } from './text.js';

const FIELD_MAPS = new Set(['properties', 'patternProperties', 'dependencies', 'dependentRequired', 'dependentSchemas']);
const BRANCHES = new Set(['allOf', 'anyOf', 'oneOf', 'items', 'prefixItems', 'type']);
const DEFINITIONS = new Set(['definitions', '$defs']);

/**
 * Throws InvalidSchemaError naming the first limit the schema is over: properties of one object (maxFields), branches
 * of one allOf/anyOf/oneOf or tuple (maxUnionBranches), enum values (maxEnumSymbols), definitions and `$ref`s in all
 * (maxTypes), property names (maxNameLength).
 */
export function checkJsonLimits(root: JsonNode, limits: SchemaLimits): void {
  const fail = (message: string): never => {
    throw new InvalidSchemaError(message);
  };
  let types = 0;
  const stack: [JsonNode, string][] = [[root, '']];
  while (stack.length > 0) {
    const [node, pointer] = stack.pop()!;
    if (node.type === 'array') {
      node.items.forEach((item, i) => stack.push([item, `${pointer}/${i}`]));
      continue;
    }
    if (node.type !== 'object') continue;
    for (const [key, value] of node.entries) {
      const at = `${pointer}/${escapePointer(key)}`;
      if (key === 'enum' || key === 'const' || key === 'default' || key === 'examples') {
        if (key === 'enum' && value.type === 'array' && value.items.length > limits.maxEnumSymbols) {
          fail(overLimitMessage(`The enum at ${at}`, value.items.length, 'values', 'maxEnumSymbols', limits));
        }
        continue;
      }
      if (key === '$ref' && ++types > limits.maxTypes) fail(overLimitMessage('The schema', types, 'definitions and $refs', 'maxTypes', limits));
      if (value.type === 'object' && FIELD_MAPS.has(key)) {
        if (value.entries.length > limits.maxFields) fail(overLimitMessage(`The ${key} at ${at}`, value.entries.length, 'entries', 'maxFields', limits));
        for (const [name] of value.entries) if (name.length > limits.maxNameLength) fail(nameTooLongMessage(`A name in ${at}`, name, limits));
      }
      if (value.type === 'object' && DEFINITIONS.has(key)) {
        types += value.entries.length;
        if (types > limits.maxTypes) fail(overLimitMessage('The schema', types, 'definitions and $refs', 'maxTypes', limits));
      }
      if (value.type === 'array' && BRANCHES.has(key) && value.items.length > limits.maxUnionBranches) {
        fail(overLimitMessage(`The ${key} at ${at}`, value.items.length, 'branches', 'maxUnionBranches', limits));
      }
      if (value.type === 'array' && key === 'required' && value.items.length > limits.maxFields) {
        fail(overLimitMessage(`The required list at ${at}`, value.items.length, 'names', 'maxFields', limits));
      }
      stack.push([value, at]);
    }
  }
}
