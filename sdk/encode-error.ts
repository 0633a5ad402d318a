// The error every codec throws for a value its schema does not allow: it names the field by its path in the value
// (`items[2].sku`), what the schema expects there, and what the value holds.

/** A step of a path into a value: a field (or property), an array index, or a map key. */
export type PathSegment = string | number | { key: string };

/** `items[2].sku`, `attributes["depot"]`; the whole value is `(the value)`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`;
    else if (typeof segment === 'object') out += `[${JSON.stringify(segment.key)}]`;
    else out += /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(segment) ? `${out ? '.' : ''}${segment}` : `[${JSON.stringify(segment)}]`;
  }
  return out || '(the value)';
}

/** A value as an error message shows it: short, and telling a string from a number. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined (missing)';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : `Date ${value.toISOString()}`;
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.length})`;
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** A value the schema does not allow, at `path`: `orders-value: items[2].sku: expected string, got 5`. */
export class EncodeError extends TypeError {
  override name = 'EncodeError';
  /** The path as text (`items[2].sku`). */
  readonly path: string;
  constructor(
    readonly subject: string,
    path: readonly PathSegment[],
    readonly expected: string,
    readonly value: unknown,
  ) {
    const at = formatPath(path);
    super(`${subject ? `${subject}: ` : ''}${at}: expected ${expected}, got ${describeValue(value)}`);
    this.path = at;
  }
}
