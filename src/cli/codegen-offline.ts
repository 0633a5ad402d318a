// `accord codegen --contracts DIR [--ref REF]`: the same generator, fed from a contracts directory instead of a registry.
// Versions are what a registry would hold had each commit up to REF (HEAD by default) been pushed: at every commit
// where the schema file or a file it references changed, its text parsed as the registry stores it (canonical; Avro
// self-contained as `?format=resolved` serves it), a text held before being no new version; oldest first. Outside git,
// the current text is version 1, with a note.
// Schema ids: only a registry assigns them, so every offline version carries id 0 (never a registry's id). Generated
// `decode` then refuses real registry ids and `decodeAsync` reads them through the client; `encode` frames id 0, so
// producers regenerate with --registry once the versions are registered.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type { JsonSchemaSource } from '../../sdk/json.js';
import type { ProtoSource } from '../../sdk/protobuf.js';
import { formatFor, type ResolvedReference } from '../formats/index.js';
import { refuseAccordTree, writeModules, type CodegenResult, type SubjectVersions } from './codegen-write.js';
import { gitRef, loadContracts, MANIFEST, workingTree, type Contract, type ContractSet, type FileReader } from './contracts.js';
import { UsageError } from './errors.js';

export const OFFLINE_ID = 0;

export interface OfflineCodegenOptions {
  contracts: string;
  /** A git ref of the repository holding the directory; HEAD by default. */
  ref?: string | undefined;
  subjects: string[];
  prefix?: string | undefined;
  out: string;
  runtimeImport: string;
  accordVersion: string;
}

export interface OfflineCodegenResult extends CodegenResult {
  notes: string[];
}

const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** The repository's top directory, or why there is none (outside a repository, or git not installed). */
function repositoryTop(dir: string): { top: string } | { why: string } {
  if (!existsSync(dir)) throw new UsageError(`--contracts ${dir} does not exist; give the directory holding ${MANIFEST}`);
  try {
    return { top: git(dir, ['rev-parse', '--show-toplevel']).trim() };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { why: 'git is not installed (or not on PATH)' };
    return { why: `${dir} is not in a git repository` };
  }
}

/** Commits (oldest first) where `path` (relative to the top) changed up to `commit`, with the file's path at each. */
function fileCommits(top: string, commit: string, path: string): { commit: string; path: string }[] {
  const log = git(top, ['log', '--follow', '--format=%x00%H', '--name-only', commit, '--', path]);
  return log
    .split('\0')
    .filter((entry) => entry.trim())
    .map((entry) => {
      const [hash, ...names] = entry.split('\n').filter(Boolean);
      return { commit: hash!, path: names.at(-1) ?? path };
    })
    .reverse();
}

const show = (top: string, commit: string, path: string): string | undefined => {
  try {
    return git(top, ['show', `${commit}:${path}`]);
  } catch {
    return undefined; // deleted in that commit
  }
};

/**
 * The schema file's text at each commit up to `commit` (oldest first) where it or a file it references changed, as a
 * push of each such commit would register it (a referenced schema's change gives the referencing subject a new version).
 */
function versionsOf(top: string, commit: string, path: string, referenced: string[]): { text: string; commit: string }[] {
  const own = fileCommits(top, commit, path);
  const changed = new Set([...own.map((c) => c.commit), ...referenced.flatMap((p) => fileCommits(top, commit, p).map((c) => c.commit))]);
  const pathAt = new Map(own.map((c) => [c.commit, c.path]));
  const order = referenced.length ? git(top, ['rev-list', '--reverse', '--topo-order', commit]).split('\n').filter((c) => changed.has(c)) : own.map((c) => c.commit);
  const texts: { text: string; commit: string }[] = [];
  let current: string | undefined;
  for (const c of order) {
    current = pathAt.get(c) ?? current;
    const text = current === undefined ? undefined : show(top, c, current);
    if (text !== undefined) texts.push({ text, commit: c });
  }
  return texts;
}

function selected(set: ContractSet, options: OfflineCodegenOptions): Contract[] {
  const bySubject = new Map(set.contracts.map((c) => [c.subject, c]));
  for (const s of options.subjects) {
    if (!bySubject.has(s)) throw new UsageError(`subject '${s}' is not in ${set.dir}/accord.yaml; check --subject`);
  }
  if (options.subjects.length === 0 && options.prefix === undefined) return set.contracts;
  const { prefix } = options;
  if (prefix !== undefined && !set.contracts.some((c) => c.subject.startsWith(prefix))) {
    throw new UsageError(`no subject of ${set.dir}/accord.yaml starts with '${prefix}'; check --prefix`);
  }
  return set.contracts.filter((c) => options.subjects.includes(c.subject) || (prefix !== undefined && c.subject.startsWith(prefix)));
}

function load(dir: string, read: FileReader, at: string): ContractSet {
  if (read(MANIFEST) === undefined) throw new UsageError(`no ${MANIFEST} in ${dir}${at}; give --contracts the directory holding it`);
  return loadContracts(dir, read, at);
}

export async function codegenOffline(options: OfflineCodegenOptions): Promise<OfflineCodegenResult> {
  refuseAccordTree(options.out);
  const dir = options.contracts;
  const abs = resolve(dir);
  const repository = repositoryTop(abs);
  const top = 'top' in repository ? repository.top : undefined;
  const notes: string[] = [];
  let set: ContractSet;
  let source: string;
  /** A schema file's successive texts (path relative to the contracts directory). */
  let texts: (contract: Contract) => { text: string; commit: string }[];
  if (top === undefined) {
    const why = 'why' in repository ? repository.why : '';
    if (options.ref !== undefined) throw new UsageError(`${why}; --ref needs a git repository (or leave it out)`);
    set = load(dir, workingTree(dir), '');
    source = `contracts ${dir} (not in git: current text only)`;
    notes.push(`${why}: each subject's current schema is its only version (1)`);
    texts = (contract) => [{ text: contract.schema, commit: '' }];
  } else {
    const ref = options.ref ?? 'HEAD';
    let commit: string;
    try {
      commit = git(abs, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]).trim();
    } catch {
      throw new UsageError(`'${ref}' is not a git ref of the repository holding ${dir}; give --ref a branch, tag or commit`);
    }
    if (git(abs, ['rev-parse', '--is-shallow-repository']).trim() === 'true') {
      throw new UsageError(`the repository holding ${dir} is a shallow clone, so schema history is cut short; fetch it whole (git fetch --unshallow; actions/checkout: fetch-depth: 0)`);
    }
    set = load(dir, gitRef(dir, commit), ` at ${ref}`);
    if (options.ref === undefined && git(abs, ['status', '--porcelain', '--', '.']).trim() !== '') {
      notes.push(`${dir} has changes not committed: generated from HEAD (${commit.slice(0, 12)}) without them; commit them to include them`);
    }
    const inRepo = relative(top, abs).split('\\').join('/') || '.';
    source = `contracts ${inRepo} @ ${commit}`;
    const inTop = (file: string) => relative(top, resolve(abs, file)).split('\\').join('/');
    texts = (contract) => versionsOf(top, commit, inTop(contract.schemaFile), referencedContracts(set, contract).map((c) => inTop(c.schemaFile)));
  }
  const contracts = selected(set, options);
  const at = (commit: string) => (c: Contract, text?: string) => stored(set, c, text ?? textAt(c, commit, top, abs), commit, at(commit));
  const histories: SubjectVersions[] = contracts.map((c) => {
    const h: SubjectVersions = {
      schemaType: c.schemaType,
      avro: { subject: c.subject, versions: [] },
      protobuf: { subject: c.subject, versions: [] },
      json: { subject: c.subject, versions: [] },
    };
    // What the registry would hold: each commit's text as stored (canonical), a text stored before being no new version.
    const seen = new Set<string>();
    for (const v of texts(c)) {
      const version = at(v.commit)(c, v.text);
      const key =
        c.schemaType === 'PROTOBUF' ? version.files.map((f) => `${f.name}\0${f.source}`).join('\0')
        : c.schemaType === 'JSON' ? [version.canonical, ...version.json.map((r) => `${r.name}\0${r.schema}`)].join('\0')
        : version.avro;
      if (seen.has(key)) continue;
      seen.add(key);
      const number = seen.size;
      if (c.schemaType === 'PROTOBUF') h.protobuf.versions.push({ version: number, id: OFFLINE_ID, files: version.files });
      else if (c.schemaType === 'JSON') h.json!.versions.push({ version: number, id: OFFLINE_ID, schema: version.canonical, references: version.json });
      else h.avro.versions.push({ version: number, id: OFFLINE_ID, schema: version.avro });
    }
    return h;
  });
  const written = await writeModules(histories, {
    ...options,
    source: `${source}, schema ids ${OFFLINE_ID} until registered`,
    where: `${dir}/accord.yaml`,
    subjectExists: (subject) => set.contracts.some((c) => c.subject === subject),
  });
  return { ...written, notes: [...notes, ...(written.notes ?? [])] };
}

/** The contracts a contract references, transitively. */
function referencedContracts(set: ContractSet, contract: Contract, seen = new Set<Contract>()): Contract[] {
  for (const ref of contract.references) {
    const target = set.contracts.find((c) => c.subject === ref.subject);
    if (target && !seen.has(target)) {
      seen.add(target);
      referencedContracts(set, target, seen);
    }
  }
  return [...seen];
}

/** The text of a contract's schema as of `commit` (the working tree's outside git). */
function textAt(target: Contract, commit: string, top: string | undefined, abs: string): string {
  if (top === undefined || commit === '') return target.schema;
  return show(top, commit, relative(top, resolve(abs, target.schemaFile)).split('\\').join('/')) ?? target.schema;
}

interface Stored {
  /** The canonical text, as a registry stores it. */
  canonical: string;
  /** Avro: self-contained, as `?format=resolved` serves it. */
  avro: string;
  /** Protobuf: the file, then its imports (depth first), as codegen --registry collects them. */
  files: ProtoSource[];
  /** JSON Schema: every referenced schema (transitively) by reference name, as codegen --registry collects them. */
  json: JsonSchemaSource[];
}

type StoredAt = (c: Contract, text?: string) => Stored;

/** A contract's text parsed with its references (other contracts of the directory, as of the same commit). */
function stored(set: ContractSet, contract: Contract, text: string, commit: string, refAt: StoredAt): Stored {
  const files: ProtoSource[] = [];
  for (const ref of contract.references) {
    const target = set.contracts.find((c) => c.subject === ref.subject);
    if (!target) throw new UsageError(`${contract.subject}: reference ${ref.name} names subject '${ref.subject}', which is not in ${set.dir}/accord.yaml`);
    if (target === contract) throw new UsageError(`${contract.subject}: references itself`);
    const inner = refAt(target);
    files.push({ name: ref.name, source: inner.canonical }, ...inner.files.slice(1).filter((f) => !files.some((g) => g.name === f.name)));
  }
  const format = formatFor(contract.schemaType);
  if (!format) throw new UsageError(`${contract.subject}: this Accord cannot read ${contract.schemaType} schemas`);
  const references = transitive(set, contract, refAt);
  let parsed;
  try {
    parsed = format.parse(text, references, { validate: false, normalize: false, maxDepth: 256 });
  } catch (err) {
    throw new UsageError(`${contract.subject} (${contract.schemaFile}${commit ? ` at ${commit.slice(0, 12)}` : ''}): ${(err as Error).message.split('\n')[0]}`);
  }
  return {
    canonical: parsed.canonical,
    avro: contract.schemaType === 'AVRO' ? (format.render?.(parsed, 'resolved') ?? parsed.canonical) : '',
    files: [{ name: `${contract.subject}.proto`, source: parsed.canonical }, ...dedupe(files)],
    json: references.map((r) => ({ name: r.name, schema: r.schema })),
  };
}

const dedupe = (files: ProtoSource[]) => files.filter((f, i) => files.findIndex((g) => g.name === f.name) === i);

/** Every reference of a contract, transitively and dependencies first, with the canonical text of each. */
function transitive(set: ContractSet, contract: Contract, refAt: StoredAt): ResolvedReference[] {
  const out: ResolvedReference[] = [];
  const seen = new Set<string>();
  const visit = (from: Contract, depth: number) => {
    if (depth > 32) throw new UsageError(`${contract.subject}: references nest deeper than 32`);
    for (const ref of from.references) {
      if (seen.has(ref.subject)) continue;
      seen.add(ref.subject);
      const target = set.contracts.find((c) => c.subject === ref.subject)!;
      visit(target, depth + 1);
      out.push({ name: ref.name, subject: ref.subject, version: 1, schemaType: target.schemaType, schema: refAt(target).canonical });
    }
  };
  visit(contract, 0);
  return out;
}
