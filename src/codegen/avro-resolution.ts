// Automatic Avro upcasters, made to hold: the aliases avsc needs to resolve what Accord's checker accepts, and the
// proof at generation time that each resolved step decodes sample data, so a step avsc cannot do becomes a
// hand-written upcaster (a compile error) instead of a run-time throw.
import type avro from 'avsc';
import { AvroTypes, withResolutionAliases, type ResolutionAliases } from '../../sdk/avro.js';
import { resolvedUpcaster } from '../../sdk/codegen.js';
import { deref, type AvroNode } from '../formats/avro/ast.js';
import { checkAvroReader, writerFieldsFor, type AvroGraph } from '../formats/avro/compatibility.js';
import { mulberry32 } from './seeded-random.js';

/**
 * Which writer names each reader named type must also answer to, following the checker's pairing: Avro (and Accord)
 * compare record, enum and fixed names unqualified, avsc compares full names, so every paired name whose namespace
 * differs (and is not already a reader alias) becomes an alias. Undefined when none is needed. In a reader union the
 * branch paired with a writer type is the one of the same full name, else the first the checker accepts.
 */
export function resolutionAliases(reader: AvroGraph, writer: AvroGraph): ResolutionAliases | undefined {
  const found = new Map<string, Set<string>>();
  const visited = new Map<AvroNode, Set<AvroNode>>();
  const accepts = (r: AvroNode, w: AvroNode) => checkAvroReader({ root: r, names: reader.names }, { root: w, names: writer.names }).length === 0;

  const pair = (readerRef: AvroNode, writerRef: AvroNode): void => {
    const r = deref(readerRef, reader.names);
    const w = deref(writerRef, writer.names);
    let seen = visited.get(r);
    if (!seen) visited.set(r, (seen = new Set()));
    if (seen.has(w)) return;
    seen.add(w);
    if (w.kind === 'union') return w.branches.forEach((branch) => pair(r, branch));
    if (r.kind === 'union') {
      const candidates = r.branches.filter((branch) => accepts(branch, w));
      const exact = candidates.find((branch) => {
        const b = deref(branch, reader.names);
        return 'fullname' in w && b.kind === w.kind && b.fullname === w.fullname;
      });
      const chosen = exact ?? candidates[0];
      if (chosen) pair(chosen, w);
      return;
    }
    if (r.kind !== w.kind) return; // a promotion, or a pair the checker rejects
    if ((r.kind === 'record' || r.kind === 'enum' || r.kind === 'fixed') && 'fullname' in w) {
      if (r.fullname !== w.fullname && !r.aliases.includes(w.fullname)) {
        let names = found.get(r.fullname);
        if (!names) found.set(r.fullname, (names = new Set()));
        names.add(w.fullname);
      }
    }
    if (r.kind === 'record' && w.kind === 'record') {
      for (const field of r.fields) {
        const hits = writerFieldsFor(field, w);
        if (hits.length === 1) pair(field.type, hits[0]!.type);
      }
    } else if (r.kind === 'array' && w.kind === 'array') {
      pair(r.items, w.items);
    } else if (r.kind === 'map' && w.kind === 'map') {
      pair(r.values, w.values);
    }
  };
  pair(reader.root, writer.root);
  if (found.size === 0) return undefined;
  return Object.fromEntries([...found.keys()].sort().map((name) => [name, [...found.get(name)!].sort()]));
}

/** One step of the chain as the proof sees it: resolved with these aliases, or null when it is hand-written anyway. */
export type ResolvedStep = { aliases?: ResolutionAliases | undefined } | null;

export interface ProofOptions {
  /** Sample values per old version (each also run through the later resolved steps). */
  samples?: number;
  seed?: number;
  /** The upcaster each resolved step uses; the runtime's own by default (tests substitute failing ones). */
  upcaster?: (from: string, to: string, aliases: ResolutionAliases | undefined) => (value: unknown) => unknown;
}

/**
 * Proves every resolved step of a chain of Avro versions (`schemas`, oldest first; `steps[i]` goes from `schemas[i]`
 * to `schemas[i + 1]`): for each old version, sample values are encoded with it and run through the chain's resolved
 * steps as the generated module runs them, until a hand-written step. Returns, per step, why it failed, or null.
 * Deterministic: the samples come from a seeded generator, so the generated code does not change between runs.
 */
export function proveResolvedSteps(schemas: readonly string[], steps: readonly ResolvedStep[], options: ProofOptions = {}): (string | null)[] {
  const { samples = 8, seed = 0x5eed, upcaster = resolvedUpcaster } = options;
  const types = new AvroTypes();
  const failures: (string | null)[] = steps.map(() => null);
  const upcasters = steps.map((step, i) => {
    if (!step) return null;
    try {
      // Building the resolver is where avsc rejects most pairs ("no alias found for …"): do it even without samples.
      types.resolver(schemas[i]!, step.aliases ? withResolutionAliases(schemas[i + 1]!, step.aliases) : schemas[i + 1]!);
      return upcaster(schemas[i]!, schemas[i + 1]!, step.aliases);
    } catch (error) {
      failures[i] = describe(error);
      return null;
    }
  });
  const random = mulberry32(seed);
  for (let i = 0; i < steps.length; i++) {
    for (let k = 0; k < samples; k++) {
      let value: unknown;
      try {
        value = sample(types.type(schemas[i]!), random, 0);
      } catch {
        break; // no finite value of this version exists (a record that must contain itself): nothing can be written
      }
      for (let j = i; j < steps.length && upcasters[j] && failures[j] === null; j++) {
        try {
          value = upcasters[j]!(value);
        } catch (error) {
          failures[j] = describe(error);
          break;
        }
      }
    }
  }
  return failures;
}

const describe = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0]!;


/** Past this depth, unions take a branch that ends the value and arrays and maps are empty. */
const SHALLOW = 4;
const DEPTH_LIMIT = 64;
const STRINGS = ['', 'a', 'order-1', 'é✓', 'USD'];

/** A value of an avsc type as avsc takes it (plain objects; wrapped union branches as `{ name: value }`). */
function sample(type: avro.Type, random: () => number, depth: number): unknown {
  if (depth > DEPTH_LIMIT) throw new Error('no finite value');
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const count = () => (depth >= SHALLOW ? 0 : Math.floor(random() * 3));
  const t = type as avro.Type & Record<string, unknown>;
  switch (type.typeName) {
    case 'null':
      return null;
    case 'boolean':
      return random() < 0.5;
    case 'int':
    case 'long':
      return Math.floor(random() * 2001) - 1000;
    case 'float':
    case 'double':
      return Math.floor(random() * 20001) / 8 - 1250;
    case 'string':
      return pick(STRINGS);
    case 'bytes':
      return Buffer.from(pick(STRINGS));
    case 'fixed':
      return Buffer.from(Array.from({ length: t.size as number }, () => Math.floor(random() * 256)));
    case 'enum':
      return pick(t.symbols as string[]);
    case 'array':
      return Array.from({ length: count() }, () => sample(t.itemsType as avro.Type, random, depth + 1));
    case 'map':
      return Object.fromEntries(Array.from({ length: count() }, (_, i) => [`k${i}`, sample(t.valuesType as avro.Type, random, depth + 1)]));
    case 'record':
    case 'error':
      return Object.fromEntries((t.fields as { name: string; type: avro.Type }[]).map((f) => [f.name, sample(f.type, random, depth + 1)]));
    case 'union:unwrapped':
    case 'union:wrapped': {
      const branches = t.types as avro.Type[];
      const ending = branches.filter((b) => !['record', 'error', 'array', 'map'].includes(b.typeName));
      const branch = depth >= SHALLOW && ending.length > 0 ? pick(ending) : pick(branches);
      const value = sample(branch, random, depth + 1);
      if (type.typeName === 'union:unwrapped' || branch.typeName === 'null') return value;
      return { [branch.branchName!]: value };
    }
    default:
      throw new Error(`no sample for avsc type ${type.typeName}`);
  }
}
