// JSON text as Confluent's Jackson mapper reads and writes it: key order kept, the last of duplicate keys wins at the
// first one's place, numbers kept exactly (floats as Java BigDecimal prints them), NaN/Infinity read as strings.
// JSON.parse cannot do this: it moves integer-like keys first, loses digits and turns 1.0 into 1.
import { InvalidSchemaError } from '../format.js';

export type JsonNode =
  | { type: 'object'; entries: [string, JsonNode][]; offset: number }
  | { type: 'array'; items: JsonNode[]; offset: number }
  | { type: 'string'; value: string; offset: number }
  /** `text` is the canonical spelling (Jackson's), `value` the nearest double. */
  | { type: 'number'; text: string; value: number; integer: boolean; offset: number }
  | { type: 'boolean'; value: boolean; offset: number }
  | { type: 'null'; offset: number };

export type JsonObject = Extract<JsonNode, { type: 'object' }>;

/** Parses JSON text; throws InvalidSchemaError naming the problem and where it is. Nesting beyond `maxDepth` is refused. */
export function parseJsonText(text: string, maxDepth: number): JsonNode {
  const p = new Parser(text, maxDepth);
  p.ws();
  if (p.i >= text.length) throw new InvalidSchemaError('Invalid JSON schema: the schema text is empty');
  const node = p.value(0);
  p.ws();
  if (p.i < text.length) p.fail('unexpected text after the schema');
  return node;
}

class Parser {
  i = 0;
  constructor(
    private readonly s: string,
    private readonly maxDepth: number,
  ) {
    if (s.charCodeAt(0) === 0xfeff) this.i = 1;
  }

  fail(what: string): never {
    let line = 1;
    let col = 1;
    for (let k = 0; k < Math.min(this.i, this.s.length); k++) {
      if (this.s.charCodeAt(k) === 10) {
        line++;
        col = 1;
      } else col++;
    }
    throw new InvalidSchemaError(`Invalid JSON schema: not valid JSON (${what} at line ${line}, column ${col})`);
  }

  ws() {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.i++;
      else break;
    }
  }

  value(depth: number): JsonNode {
    if (depth > this.maxDepth) throw new InvalidSchemaError(`Schema is nested deeper than the limit of ${this.maxDepth} levels`);
    const s = this.s;
    const offset = this.i;
    const c = s[this.i];
    if (c === '{') return this.object(depth, offset);
    if (c === '[') return this.array(depth, offset);
    if (c === '"') return { type: 'string', value: this.string(), offset };
    if (s.startsWith('true', this.i)) return this.word(4, { type: 'boolean', value: true, offset });
    if (s.startsWith('false', this.i)) return this.word(5, { type: 'boolean', value: false, offset });
    if (s.startsWith('null', this.i)) return this.word(4, { type: 'null', offset });
    // Jackson with non-numeric numbers allowed; Confluent then stores them as strings.
    for (const w of ['NaN', 'Infinity', '+Infinity', '-Infinity']) {
      if (s.startsWith(w, this.i)) return this.word(w.length, { type: 'string', value: w.replace('+', ''), offset });
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return this.number(offset);
    return this.fail(c === undefined ? 'unexpected end of text' : `unexpected character '${c}'`);
  }

  private word<T extends JsonNode>(length: number, node: T): T {
    this.i += length;
    const next = this.s[this.i];
    if (next !== undefined && /[A-Za-z0-9_]/.test(next)) this.fail('unexpected word');
    return node;
  }

  private object(depth: number, offset: number): JsonNode {
    const s = this.s;
    this.i++;
    const entries: [string, JsonNode][] = [];
    const index = new Map<string, number>();
    this.ws();
    if (s[this.i] === '}') {
      this.i++;
      return { type: 'object', entries, offset };
    }
    for (;;) {
      this.ws();
      if (s[this.i] !== '"') this.fail('expected a property name');
      const key = this.string();
      this.ws();
      if (s[this.i] !== ':') this.fail("expected ':'");
      this.i++;
      this.ws();
      const value = this.value(depth + 1);
      const at = index.get(key);
      if (at === undefined) {
        index.set(key, entries.length);
        entries.push([key, value]);
      } else entries[at] = [key, value];
      this.ws();
      if (s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (s[this.i] === '}') {
        this.i++;
        return { type: 'object', entries, offset };
      }
      this.fail("expected ',' or '}'");
    }
  }

  private array(depth: number, offset: number): JsonNode {
    const s = this.s;
    this.i++;
    const items: JsonNode[] = [];
    this.ws();
    if (s[this.i] === ']') {
      this.i++;
      return { type: 'array', items, offset };
    }
    for (;;) {
      this.ws();
      items.push(this.value(depth + 1));
      this.ws();
      if (s[this.i] === ',') {
        this.i++;
        continue;
      }
      if (s[this.i] === ']') {
        this.i++;
        return { type: 'array', items, offset };
      }
      this.fail("expected ',' or ']'");
    }
  }

  private string(): string {
    const s = this.s;
    this.i++;
    let out = '';
    let start = this.i;
    for (;;) {
      if (this.i >= s.length) this.fail('unterminated string');
      const c = s.charCodeAt(this.i);
      if (c === 34) {
        out += s.slice(start, this.i);
        this.i++;
        return out;
      }
      if (c < 0x20) this.fail('control character in a string');
      if (c !== 92) {
        this.i++;
        continue;
      }
      out += s.slice(start, this.i);
      const e = s[this.i + 1];
      const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
      if (e !== undefined && e in simple) {
        out += simple[e];
        this.i += 2;
      } else if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(s.slice(this.i + 2, this.i + 6))) {
        out += String.fromCharCode(parseInt(s.slice(this.i + 2, this.i + 6), 16));
        this.i += 6;
      } else this.fail('invalid escape in a string');
      start = this.i;
    }
  }

  private number(offset: number): JsonNode {
    const m = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i, this.i + 100_000));
    if (!m) this.fail('invalid number');
    const lexeme = m[0];
    this.i += lexeme.length;
    const integer = m[2] === undefined && m[3] === undefined;
    return { type: 'number', text: integer ? canonicalInteger(lexeme) : bigDecimalText(lexeme), value: Number(lexeme), integer, offset };
  }
}

function canonicalInteger(lexeme: string): string {
  return /^-0+$/.test(lexeme) ? '0' : lexeme;
}

/** How Java's BigDecimal.toString spells a JSON float: `1.0`, `1E+3`, `1E-7`, `0.0` for `-0.0`. */
export function bigDecimalText(lexeme: string): string {
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]+))?$/.exec(lexeme);
  if (!m) return lexeme;
  const [, sign, int, frac = '', exp = '0'] = m;
  let digits = (int! + frac).replace(/^0+/, '');
  const zero = digits === '';
  if (zero) digits = '0';
  const scale = frac.length - Number(exp);
  const adjusted = -scale + (digits.length - 1);
  const negative = sign === '-' && !zero;
  let out: string;
  if (scale >= 0 && adjusted >= -6) {
    if (scale === 0) out = digits;
    else if (digits.length > scale) out = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
    else out = `0.${'0'.repeat(scale - digits.length)}${digits}`;
  } else {
    out = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    out += `E${adjusted >= 0 ? '+' : '-'}${Math.abs(adjusted)}`;
  }
  return negative ? `-${out}` : out;
}

const SHORT_ESCAPES: Record<number, string> = { 8: '\\b', 9: '\\t', 10: '\\n', 12: '\\f', 13: '\\r', 34: '\\"', 92: '\\\\' };

/** A string as Jackson writes it: only quote, backslash and control characters escaped (upper-case hex). */
export function jacksonString(value: string): string {
  let out = '"';
  let start = 0;
  for (let k = 0; k < value.length; k++) {
    const c = value.charCodeAt(k);
    if (c >= 0x20 && c !== 34 && c !== 92) continue;
    out += value.slice(start, k) + (SHORT_ESCAPES[c] ?? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`);
    start = k + 1;
  }
  return `${out}${value.slice(start)}"`;
}

/** Compact text; `sorted` orders every object's keys by UTF-16 code unit, as Confluent's normalize does. */
export function printJson(node: JsonNode, sorted = false): string {
  const parts: string[] = [];
  const write = (n: JsonNode) => {
    switch (n.type) {
      case 'object': {
        const entries = sorted ? [...n.entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : n.entries;
        parts.push('{');
        entries.forEach(([k, v], i) => {
          if (i > 0) parts.push(',');
          parts.push(jacksonString(k), ':');
          write(v);
        });
        parts.push('}');
        return;
      }
      case 'array':
        parts.push('[');
        n.items.forEach((v, i) => {
          if (i > 0) parts.push(',');
          write(v);
        });
        parts.push(']');
        return;
      case 'string':
        parts.push(jacksonString(n.value));
        return;
      case 'number':
        parts.push(n.text);
        return;
      case 'boolean':
        parts.push(String(n.value));
        return;
      case 'null':
        parts.push('null');
    }
  };
  write(node);
  return parts.join('');
}

/** A plain JavaScript value (for Ajv and outlines). Numbers become doubles; `__proto__` stays an own key. */
export function toPlain(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of node.entries) Object.defineProperty(out, k, { value: toPlain(v), enumerable: true, writable: true, configurable: true });
      return out;
    }
    case 'array':
      return node.items.map(toPlain);
    case 'null':
      return null;
    default:
      return node.value;
  }
}

export function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.type !== 'object') return undefined;
  for (const [k, v] of node.entries) if (k === key) return v;
  return undefined;
}

/** The node a JSON pointer (`/a/0/b`, `~0`/`~1` escaped) names, if any. */
export function atPointer(root: JsonNode, pointer: string): JsonNode | undefined {
  if (pointer === '' || pointer === '/') return root;
  let node: JsonNode | undefined = root;
  for (const raw of pointer.split('/').slice(1)) {
    let token: string;
    try {
      token = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    } catch {
      return undefined;
    }
    if (node?.type === 'object') node = member(node, token);
    else if (node?.type === 'array' && /^(0|[1-9][0-9]*)$/.test(token)) node = node.items[Number(token)];
    else return undefined;
  }
  return node;
}

export const escapePointer = (token: string) => token.replace(/~/g, '~0').replace(/\//g, '~1');
