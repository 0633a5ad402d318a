// Avro schema JSON against the size limits, walked once before the tree is built and before avsc loads it.
import { InvalidSchemaError } from '../format.js';
import { nameTooLongMessage, overLimitMessage, type SchemaLimits } from '../limits.js';

const NAMED = new Set(['record', 'error', 'enum', 'fixed']);

/**
 * Throws InvalidSchemaError naming the first limit the schema is over. Linear in the JSON's size; a node deeper than
 * `maxDepth` is not walked (the tree builder rejects it).
 */
export function checkAvroLimits(json: unknown, limits: SchemaLimits, maxDepth: number): void {
  const fail = (message: string): never => {
    throw new InvalidSchemaError(message);
  };
  const name = (kind: string, value: unknown) => {
    if (typeof value === 'string' && value.length > limits.maxNameLength) fail(nameTooLongMessage(kind, value, limits));
  };
  let types = 0;
  const stack: [node: unknown, depth: number][] = [[json, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > maxDepth) continue;
    if (typeof node === 'string') {
      name('Type name', node);
      continue;
    }
    if (Array.isArray(node)) {
      if (node.length > limits.maxUnionBranches) fail(overLimitMessage('A union', node.length, 'branches', 'maxUnionBranches', limits));
      for (const branch of node) stack.push([branch, depth + 1]);
      continue;
    }
    if (node === null || typeof node !== 'object') continue;
    const obj = node as Record<string, unknown>;
    const type = obj.type;
    if (typeof type !== 'string') continue;
    if (!NAMED.has(type)) {
      name('Type name', type);
      if (type === 'array') stack.push([obj.items, depth + 1]);
      else if (type === 'map') stack.push([obj.values, depth + 1]);
      continue;
    }
    const what = `${type === 'error' ? 'record' : type} ${typeof obj.name === 'string' ? shorten(obj.name) : '(unnamed)'}`;
    name(`The name of ${type}`, obj.name);
    name(`The namespace of ${what}`, obj.namespace);
    if (++types > limits.maxTypes) fail(overLimitMessage('The schema', types, 'named types', 'maxTypes', limits));
    if (type === 'enum' && Array.isArray(obj.symbols)) {
      if (obj.symbols.length > limits.maxEnumSymbols) fail(overLimitMessage(what, obj.symbols.length, 'symbols', 'maxEnumSymbols', limits));
      for (const symbol of obj.symbols) name(`A symbol of ${what}`, symbol);
    }
    if ((type === 'record' || type === 'error') && Array.isArray(obj.fields)) {
      if (obj.fields.length > limits.maxFields) fail(overLimitMessage(what, obj.fields.length, 'fields', 'maxFields', limits));
      for (const field of obj.fields) {
        if (field === null || typeof field !== 'object') continue;
        name(`A field of ${what}`, (field as Record<string, unknown>).name);
        stack.push([(field as Record<string, unknown>).type, depth + 1]);
      }
    }
  }
}

const shorten = (name: string) => (name.length > 40 ? `${name.slice(0, 40)}…` : name);
