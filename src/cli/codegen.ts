// `accord codegen`: fetch every version of the subjects from the registry and write one typed module per subject.
import { existsSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { generateAvroModule, type GeneratedFile, type SubjectHistory } from '../codegen/avro-module.js';
import { generateJsonModule, type JsonHistory } from '../codegen/json-module.js';
import { generateProtobufModule, type ProtobufHistory } from '../codegen/protobuf-module.js';
import { moduleFileName, moduleNamespace } from '../codegen/names.js';
import { PROJECT_ROOT } from '../paths.js';
import { UsageError } from './errors.js';
import { isApiError, oneLine, RegistryClient } from './registry-client.js';
import type { RegistryTarget } from './registry-target.js';

export interface CodegenOptions {
  /** The registry to read versions from; or, offline, `contracts` (a directory with accord.yaml) and its git `ref`. */
  registry?: RegistryTarget | string;
  contracts?: string;
  ref?: string | undefined;
  subjects: string[];
  prefix?: string | undefined;
  out: string;
  runtimeImport: string;
  accordVersion: string;
}

export interface CodegenResult {
  written: string[];
  kept: string[];
  /** Said on stderr (offline: a directory outside git has one version per subject). */
  notes?: string[];
}

async function getJson<T>(client: RegistryClient, path: string): Promise<T> {
  const body = await client.get<T>(path);
  if (isApiError(body)) throw new UsageError(`${client.url}${path}: ${body.error_code} ${oneLine(body.message)}`);
  return body;
}

/** Accord's own directories, which generated code must never land in (Accord's checkout, or its installed package). */
const ACCORD_SOURCES = ['src', 'sdk', 'migrations', 'contracts', 'bin'];

/** A path with symbolic links resolved as far as it exists (the rest may be created by codegen). */
function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    return parent === path ? path : join(real(parent), basename(path));
  }
}

/** Refuses an --out that is Accord's root or inside its source directories. */
export function refuseAccordTree(out: string, root = PROJECT_ROOT): void {
  const target = real(resolve(out));
  const home = real(root);
  const within = (dir: string) => {
    const rel = relative(dir, target);
    return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
  };
  if (target === home) throw new UsageError(`--out ${out} is Accord's own directory (${home}); give a directory of your project`);
  const guarded = ACCORD_SOURCES.map((d) => join(home, d)).find(within);
  if (guarded) throw new UsageError(`--out ${out} is inside Accord's own ${basename(guarded)}/ (${guarded}); give a directory of your project`);
}

interface VersionBody {
  id: number;
  schema: string;
  schemaType?: string;
  references?: { name: string; subject: string; version: number }[];
}

/** A Protobuf version's imports, fetched through its references (transitively), named by import path. */
async function referencedFiles(client: RegistryClient, refs: VersionBody['references'], seen = new Set<string>()) {
  const files: { name: string; source: string }[] = [];
  for (const ref of refs ?? []) {
    if (seen.has(ref.name)) continue;
    seen.add(ref.name);
    const body = await getJson<VersionBody>(client, `/subjects/${encodeURIComponent(ref.subject)}/versions/${ref.version}`);
    files.push({ name: ref.name, source: body.schema }, ...(await referencedFiles(client, body.references, seen)));
  }
  return files;
}

/** A JSON Schema version's references, fetched (transitively), each by the name its `$ref`s use. */
async function referencedSchemas(client: RegistryClient, refs: VersionBody['references'], seen = new Set<string>()) {
  const schemas: { name: string; schema: string }[] = [];
  for (const ref of refs ?? []) {
    if (seen.has(ref.name)) continue;
    seen.add(ref.name);
    const body = await getJson<VersionBody>(client, `/subjects/${encodeURIComponent(ref.subject)}/versions/${ref.version}`);
    schemas.push({ name: ref.name, schema: body.schema }, ...(await referencedSchemas(client, body.references, seen)));
  }
  return schemas;
}

/** Every version of a subject: Avro as self-contained (`resolved`) text, Protobuf with its imported files, JSON with its referenced schemas. */
async function history(client: RegistryClient, subject: string): Promise<SubjectVersions> {
  const s = encodeURIComponent(subject);
  const numbers = await client.get<number[]>(`/subjects/${s}/versions`);
  if (isApiError(numbers)) {
    if (numbers.error_code === 40401) throw new UsageError(`subject '${subject}' is not in the registry at ${client.url}; check --subject`);
    throw new UsageError(`${client.url}/subjects/${s}/versions: ${numbers.error_code} ${oneLine(numbers.message)}`);
  }
  const avro: SubjectHistory = { subject, versions: [] };
  const protobuf: ProtobufHistory = { subject, versions: [] };
  const json: JsonHistory = { subject, versions: [] };
  let schemaType = 'AVRO';
  for (const version of numbers) {
    const v = await getJson<VersionBody>(client, `/subjects/${s}/versions/${version}?format=resolved`);
    schemaType = v.schemaType ?? 'AVRO';
    if (schemaType === 'PROTOBUF') {
      protobuf.versions.push({ version, id: v.id, files: [{ name: `${subject}.proto`, source: v.schema }, ...(await referencedFiles(client, v.references))] });
    } else if (schemaType === 'JSON') {
      json.versions.push({ version, id: v.id, schema: v.schema, references: await referencedSchemas(client, v.references) });
    } else {
      avro.versions.push({ version, id: v.id, schema: v.schema });
    }
  }
  return { schemaType, avro, protobuf, json };
}

export async function codegen(options: CodegenOptions): Promise<CodegenResult> {
  if (options.contracts !== undefined) {
    const { codegenOffline } = await import('./codegen-offline.js');
    return codegenOffline({ ...options, contracts: options.contracts });
  }
  if (options.registry === undefined) throw new UsageError('give --registry URL or --contracts DIR');
  refuseAccordTree(options.out);
  const client = new RegistryClient(options.registry);
  const subjects = [...options.subjects];
  if (options.prefix !== undefined) {
    subjects.push(...(await getJson<string[]>(client, `/subjects?subjectPrefix=${encodeURIComponent(options.prefix)}`)));
  }
  if (subjects.length === 0) throw new UsageError('name at least one --subject, or a --prefix');
  const histories: SubjectVersions[] = [];
  for (const subject of [...new Set(subjects)]) histories.push(await history(client, subject));
  return writeModules(histories, { ...options, source: `registry ${client.url}` });
}

/** A subject's versions, oldest first, whichever format it is in (the other history stays empty). */
export interface SubjectVersions {
  schemaType: string;
  avro: SubjectHistory;
  protobuf: ProtobufHistory;
  json?: JsonHistory;
}

/** Generates one module per subject and the index, and writes them (never over an upcasters file). */
export function writeModules(
  histories: SubjectVersions[],
  options: { out: string; runtimeImport: string; accordVersion: string; source: string },
): CodegenResult {
  const modules: { event: string; files: GeneratedFile[] }[] = [];
  for (const h of histories) {
    const generateOptions = { runtimeImport: options.runtimeImport, accordVersion: options.accordVersion, source: options.source };
    if (h.schemaType === 'AVRO') modules.push(generateAvroModule(h.avro, generateOptions));
    else if (h.schemaType === 'PROTOBUF') modules.push(generateProtobufModule(h.protobuf, generateOptions));
    else if (h.schemaType === 'JSON' && h.json) modules.push(generateJsonModule(h.json, generateOptions));
    else throw new UsageError(`subject '${h.avro.subject}' is ${h.schemaType}: code generation covers AVRO, PROTOBUF and JSON`);
  }
  const index = [
    `// Generated by Accord ${options.accordVersion} (accord codegen): one namespace per event module.`,
    `// Source: ${options.source}.`,
    ...modules.map((m) => `export * as ${moduleNamespace(m.event)} from './${moduleFileName(m.event).replace(/\.ts$/, '.js')}';`),
    '',
  ].join('\n');
  const files: GeneratedFile[] = [...modules.flatMap((m) => m.files), { path: 'index.ts', content: index, overwrite: true }];
  mkdirSync(options.out, { recursive: true });
  const result: CodegenResult = { written: [], kept: [] };
  for (const file of files) {
    const path = join(options.out, file.path);
    if (!file.overwrite && existsSync(path)) {
      result.kept.push(path);
      continue;
    }
    writeFileSync(path, file.content);
    result.written.push(path);
  }
  return result;
}
