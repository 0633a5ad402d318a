// What protobufjs forgets about how a .proto file was written and Confluent's printer keeps: `reserved` and
// `extensions` statement by statement (Wire keeps one element per statement, and `5 to 5` apart from `5`), and which
// imports are `import public`.

/** One value of a `reserved`/`extensions` statement as written: a number, a range, or (reserved only) a name. */
export type RangeItem = number | [from: number, to: number] | string;
export type RangeStatement = RangeItem[];

export interface WrittenStatements {
  /** By the type's path inside the file (`Outer.Inner`, no package): its reserved statements in order. */
  reserved: Map<string, RangeStatement[]>;
  extensions: Map<string, RangeStatement[]>;
  publicImports: string[];
}

export const MAX_TAG = 536_870_911;

/** Tokens of a .proto source: comments dropped, strings kept whole (with their quotes). */
function tokens(source: string): string[] {
  const out: string[] = [];
  const re = /\s+|\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[A-Za-z0-9_.+-]+|[^\s]/g;
  for (const m of source.matchAll(re)) {
    const t = m[0];
    if (/^\s/.test(t) || t.startsWith('//') || t.startsWith('/*')) continue;
    out.push(t);
  }
  return out;
}

const unquote = (t: string) => t.slice(1, -1).replace(/\\(.)/g, '$1');

function numberOf(t: string): number {
  if (t === 'max') return MAX_TAG;
  const n = /^-?0[0-7]+$/.test(t) ? parseInt(t, 8) : Number(t);
  return Number.isFinite(n) ? n : NaN;
}

function rangeStatement(toks: string[]): RangeStatement | undefined {
  const items: RangeStatement = [];
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t === ',') continue;
    if (t.startsWith('"') || t.startsWith("'")) {
      items.push(unquote(t));
      continue;
    }
    const from = numberOf(t);
    if (Number.isNaN(from)) return undefined;
    if (toks[i + 1] === 'to') {
      const to = numberOf(toks[i + 2] ?? '');
      if (Number.isNaN(to)) return undefined;
      items.push([from, to]);
      i += 2;
    } else items.push(from);
  }
  return items;
}

/** Reads the statements protobufjs flattens; anything it cannot follow is simply left out (the flat list stands). */
export function writtenStatements(source: string): WrittenStatements {
  const found: WrittenStatements = { reserved: new Map(), extensions: new Map(), publicImports: [] };
  // Most schemas have none of these statements: they are not tokenized at all.
  if (!/\b(?:reserved|extensions|public)\b/.test(source)) return found;
  const toks = tokens(source);
  // The open blocks: a message or enum name, or null for any other brace (service, oneof, option value, extend).
  const stack: (string | null)[] = [];
  const path = () => (stack.includes(null) ? undefined : stack.join('.'));
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    const atStatementStart = i === 0 || toks[i - 1] === ';' || toks[i - 1] === '{' || toks[i - 1] === '}';
    if (t === '{') {
      const named = (toks[i - 2] === 'message' || toks[i - 2] === 'enum') && i >= 2 ? toks[i - 1]! : null;
      stack.push(named);
    } else if (t === '}') stack.pop();
    else if (atStatementStart && t === 'import' && toks[i + 1] === 'public' && toks[i + 2]) {
      found.publicImports.push(unquote(toks[i + 2]!));
    } else if (atStatementStart && (t === 'reserved' || t === 'extensions')) {
      const end = toks.indexOf(';', i);
      const where = path();
      if (end < 0 || where === undefined) continue;
      const statement = rangeStatement(toks.slice(i + 1, end));
      if (statement) {
        const map = t === 'reserved' ? found.reserved : found.extensions;
        map.set(where, [...(map.get(where) ?? []), statement]);
      }
      i = end;
    }
  }
  return found;
}
