// How a command declares its flags and arguments, and how argv becomes values: node:util parseArgs in strict mode,
// with every problem turned into one UsageError that names the flag (and the nearest known one for a typo).
import { parseArgs } from 'node:util';
import { UsageError } from './errors.js';

export interface FlagSpec {
  type: 'string' | 'boolean';
  /** Repeatable (`--subject a --subject b`); any other flag may be given once. */
  multiple?: boolean;
  short?: string;
  /** The value's placeholder in usage and help: `URL`, `DIR`. */
  value?: string;
  description: string;
}

export type FlagValues = Record<string, string | boolean | string[] | undefined>;

export interface CommandInput {
  values: FlagValues;
  positionals: string[];
  env: NodeJS.ProcessEnv;
}

export interface CommandSpec {
  /** One sentence, for the command list. */
  summary: string;
  /** What follows `accord <name>` in the usage line. */
  synopsis: string;
  /** Positional arguments, in order: name and description. Any more is a usage error. */
  args?: [name: string, description: string][];
  flags: Record<string, FlagSpec>;
  /** Environment variables the command reads: name and description. */
  env?: [name: string, description: string][];
  examples?: string[];
  /** The exit code, or `running` for a server that exits on a signal. */
  run(input: CommandInput): Promise<number | 'running'>;
}

/** Every command's own help flag. */
export const HELP_FLAG: FlagSpec = { type: 'boolean', short: 'h', description: 'show this help' };

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** The known word a typo most likely meant: a close edit (a third of the word's length, at most 3), else a prefix. */
export function nearest(word: string, known: readonly string[]): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const distance = editDistance(word.toLowerCase(), candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  if (best !== undefined && bestDistance <= limit) return best;
  return word.length >= 2 ? known.find((k) => k.startsWith(word.toLowerCase())) : undefined;
}

const didYouMean = (suggestion: string | undefined) => (suggestion ? `. Did you mean ${suggestion}?` : '');

/** Parses `args` for a command: its declared flags (plus --help), at most its declared positionals. */
export function parseCommandArgs(spec: CommandSpec, args: string[]): { values: FlagValues; positionals: string[] } {
  const flags: Record<string, FlagSpec> = { ...spec.flags, help: HELP_FLAG };
  const options = Object.fromEntries(
    Object.entries(flags).map(([name, f]) => [name, { type: f.type, ...(f.multiple ? { multiple: true } : {}), ...(f.short ? { short: f.short } : {}) }]),
  );
  // A lenient pass first, for the tokens, so each problem is worded with the flag's name (and the nearest known one).
  const { tokens } = parseArgs({ args, options, strict: false, allowPositionals: true, tokens: true });
  const seen = new Set<string>();
  let positionals = 0;
  for (const token of tokens) {
    if (token.kind === 'positional') {
      if (++positionals > (spec.args?.length ?? 0)) throw new UsageError(`unexpected argument '${token.value}'`);
      continue;
    }
    if (token.kind !== 'option') continue;
    const flag = flags[token.name];
    if (!flag) {
      const long = Object.keys(flags);
      throw new UsageError(`unknown flag ${token.rawName}${didYouMean(token.rawName.startsWith('--') ? nearestFlag(token.name, long) : undefined)}`);
    }
    const placeholder = flag.value ?? 'VALUE';
    if (flag.type === 'string' && (token.value === undefined || (token.inlineValue === false && token.value.startsWith('-') && token.value !== '-'))) {
      throw new UsageError(`${token.rawName} needs a value (${token.rawName} ${placeholder})`);
    }
    if (flag.type === 'boolean' && token.inlineValue) throw new UsageError(`${token.rawName} takes no value`);
    if (!flag.multiple && seen.has(token.name)) throw new UsageError(`--${token.name} given more than once`);
    seen.add(token.name);
  }
  try {
    const parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
    return { values: parsed.values as FlagValues, positionals: parsed.positionals };
  } catch (err) {
    // Only what the lenient pass cannot see: Node's own words, on one line.
    throw new UsageError((err as Error).message.split('\n')[0]!);
  }
}

const nearestFlag = (name: string, known: string[]) => {
  const match = nearest(name, known);
  return match && `--${match}`;
};

/** A flag's value among allowed ones (the default when absent). */
export function oneOf<T extends string>(value: unknown, allowed: readonly T[], fallback: T, flag: string): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value as string)) {
    const guess = nearest(String(value), allowed);
    throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}${guess ? ` (did you mean ${guess}?)` : ''}`);
  }
  return value as T;
}
