// A contracts directory: `accord.yaml` lists each event's subject, schema file, format, references and catalog entry.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import type { SchemaType } from '../formats/format.js';
import { LIFECYCLES } from '../governance/catalog.js';
import { COMPATIBILITY_LEVELS } from '../registry/identifiers.js';
import { DataError, UsageError } from './errors.js';
import { describeUnknownKey, unknownKeys } from './manifest-keys.js';

export const MANIFEST = 'accord.yaml';

export interface ContractReference {
  name: string;
  subject: string;
  /** A version number, or `latest` (resolved against the registry, or the contract in this directory). */
  version: number | 'latest';
}

export interface Contract {
  subject: string;
  /** Path of the schema file, relative to the manifest. */
  schemaFile: string;
  schemaType: SchemaType;
  schema: string;
  references: ContractReference[];
  /** Compatibility level used by offline checks (`--against`); the registry's own config decides online. */
  compatibility: string;
  catalog?: Record<string, unknown>;
}

export interface ContractSet {
  dir: string;
  contracts: Contract[];
  /** Rule settings for offline checks: `{severities, params}` as the API takes them. */
  governance?: Record<string, unknown>;
}

/** Reads a file of the contracts directory, from the working tree or from a git ref. */
export type FileReader = (path: string) => string | undefined;

export const workingTree = (dir: string): FileReader => (path) => {
  try {
    return readFileSync(join(dir, path), 'utf8');
  } catch {
    return undefined;
  }
};

/** Files as they were at `ref`, read with `git show` (no checkout needed). */
export function gitRef(dir: string, ref: string): FileReader {
  const abs = resolve(dir);
  const git = (args: string[]) => execFileSync('git', args, { cwd: abs, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  let top: string;
  try {
    top = git(['rev-parse', '--show-toplevel']).trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new UsageError(`git is not installed (or not on PATH); --against needs it (or use --registry)`);
    throw new UsageError(`${abs} is not inside a git repository; --against needs one (or use --registry)`);
  }
  try {
    git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    throw new UsageError(`'${ref}' is not a git ref of the repository holding ${dir}; give --against a branch, tag or commit`);
  }
  return (path) => {
    const inRepo = relative(top, join(abs, path)).split('\\').join('/');
    try {
      return execFileSync('git', ['show', `${ref}:${inRepo}`], { cwd: abs, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {
      return undefined;
    }
  };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Loads and validates a manifest; `read` decides whether from the working tree or a git ref (`at` names it). Unknown
 * keys are refused in the working tree (`strict`) but not in history, which cannot be corrected any more.
 */
export function loadContracts(dir: string, read: FileReader = workingTree(dir), at = '', strict = at === ''): ContractSet {
  const text = read(MANIFEST);
  if (text === undefined) throw new UsageError(`no ${MANIFEST} in ${dir}${at}; give the contracts directory as the first argument`);
  const file = join(dir, MANIFEST);
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  if (document.errors.length) throw new DataError(`${file}${at}: ${document.errors[0]!.message.split('\n')[0]}`);
  if (strict) {
    const [unknown, ...more] = unknownKeys(document, lines);
    if (unknown) throw new DataError(describeUnknownKey(file, unknown, more.length));
  }
  const doc: unknown = document.toJS();
  if (!isObject(doc) || !Array.isArray(doc.contracts)) throw new DataError(`${file}${at}: expected a "contracts" list`);
  const contracts = doc.contracts.map((raw: unknown, i: number): Contract => {
    const where = `${file}${at}: contracts[${i}]`;
    if (!isObject(raw) || typeof raw.subject !== 'string' || typeof raw.schema !== 'string') {
      throw new DataError(`${where} needs "subject" and "schema" (the schema file)`);
    }
    const schemaType = (raw.format ?? (raw.schema.endsWith('.proto') ? 'PROTOBUF' : raw.schema.endsWith('.json') ? 'JSON' : 'AVRO')) as SchemaType;
    if (schemaType !== 'AVRO' && schemaType !== 'PROTOBUF' && schemaType !== 'JSON') throw new DataError(`${where}: format must be AVRO, PROTOBUF or JSON`);
    const schema = read(raw.schema);
    if (schema === undefined) throw new DataError(`${where}: schema file ${raw.schema} not found`);
    const references = ((raw.references ?? []) as unknown[]).map((r, j): ContractReference => {
      if (!isObject(r) || typeof r.name !== 'string' || typeof r.subject !== 'string') {
        throw new DataError(`${where}.references[${j}] needs "name" and "subject"`);
      }
      const version = r.version ?? 'latest';
      if (version !== 'latest' && !Number.isInteger(version)) throw new DataError(`${where}.references[${j}].version must be a number or latest`);
      return { name: r.name, subject: r.subject, version: version as number | 'latest' };
    });
    const catalog = raw.catalog;
    if (catalog !== undefined && !isObject(catalog)) throw new DataError(`${where}.catalog must be a mapping`);
    if (isObject(catalog) && catalog.lifecycle !== undefined && !LIFECYCLES.includes(catalog.lifecycle as never)) {
      throw new DataError(`${where}.catalog.lifecycle must be one of ${LIFECYCLES.join(', ')}`);
    }
    const compatibility = typeof raw.compatibility === 'string' ? raw.compatibility.toUpperCase() : 'BACKWARD';
    if (strict && !(COMPATIBILITY_LEVELS as readonly string[]).includes(compatibility)) {
      throw new DataError(`${where}: compatibility '${String(raw.compatibility)}' is not one of ${COMPATIBILITY_LEVELS.join(', ')}`);
    }
    return {
      subject: raw.subject,
      schemaFile: raw.schema,
      schemaType,
      schema,
      references,
      compatibility,
      ...(isObject(catalog) ? { catalog } : {}),
    };
  });
  return { dir, contracts: inReferenceOrder(contracts), ...(isObject(doc.governance) ? { governance: doc.governance } : {}) };
}

/** Contracts ordered so that each comes after the contracts whose subjects it references. */
export function inReferenceOrder(contracts: Contract[]): Contract[] {
  const bySubject = new Map(contracts.map((c) => [c.subject, c]));
  const out: Contract[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (c: Contract) => {
    if (state.get(c.subject) === 'done') return;
    if (state.get(c.subject) === 'visiting') throw new DataError(`reference cycle through subject '${c.subject}'`);
    state.set(c.subject, 'visiting');
    for (const r of c.references) {
      const dep = bySubject.get(r.subject);
      if (dep) visit(dep);
    }
    state.set(c.subject, 'done');
    out.push(c);
  };
  contracts.forEach(visit);
  return out;
}
