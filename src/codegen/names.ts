// Every generated name is decided here, and reserved words are escaped here.

const RESERVED = new Set([
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum', 'export',
  'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'null', 'return', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'as', 'implements', 'interface',
  'let', 'package', 'private', 'protected', 'public', 'static', 'yield', 'any', 'boolean', 'number', 'string', 'symbol',
  'type', 'from', 'of', 'await', 'async', 'never', 'unknown', 'object', 'Buffer', 'Record', 'Array', 'Date', 'Map',
]);

/** A type name: PascalCase, safe as an identifier. */
export function typeName(name: string): string {
  const pascal = name.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, __, c: string) => c.toUpperCase()).replace(/[^A-Za-z0-9]/g, '');
  const safe = /^[0-9]/.test(pascal) ? `T${pascal}` : pascal;
  return RESERVED.has(safe) ? `${safe}Type` : safe || 'Unnamed';
}

/** The type of one registered version of an event: `OrderCreatedV2`. */
export const versionTypeName = (event: string, version: number) => `${typeName(event)}V${version}`;

/** A nested named type inside one version: `OrderCreatedV2Address`. */
export const nestedTypeName = (event: string, version: number, nested: string) => `${versionTypeName(event, version)}${typeName(nested)}`;

/** A property key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/** The hand-written upcaster from one version to the next: `upcastOrderCreatedV2ToV3`. */
export const upcasterName = (event: string, from: number, to: number) => `upcast${typeName(event)}V${from}ToV${to}`;

export const moduleFileName = (event: string) => `${typeName(event)}.ts`;
export const upcastersFileName = (event: string) => `${typeName(event)}.upcasters.ts`;
/** The namespace under which the index re-exports an event module: `orderCreated`. */
export const moduleNamespace = (event: string) => typeName(event).replace(/^[A-Z]/, (c) => c.toLowerCase());

/** A doc comment, safe inside `/** … *\/`. */
export function docComment(text: string | undefined, indent = ''): string {
  if (!text?.trim()) return '';
  const lines = text.replace(/\*\//g, '*\\/').trim().split('\n');
  return lines.length === 1 ? `${indent}/** ${lines[0]} */\n` : `${indent}/**\n${lines.map((l) => `${indent} * ${l}`).join('\n')}\n${indent} */\n`;
}

/** A single-quoted TypeScript string literal. */
export function literal(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')}'`;
}
