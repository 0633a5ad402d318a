// `accord codegen`: fetch every version of the subjects from the registry and write one typed module per subject.
import type { SubjectHistory } from '../codegen/avro-module.js';
import type { JsonHistory } from '../codegen/json-module.js';
import type { ProtobufHistory } from '../codegen/protobuf-module.js';
import { refuseAccordTree, writeModules, type CodegenResult, type SubjectVersions } from './codegen-write.js';
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

export type { CodegenResult, SubjectVersions } from './codegen-write.js';

async function getJson<T>(client: RegistryClient, path: string): Promise<T> {
  const body = await client.get<T>(path);
  if (isApiError(body)) throw new UsageError(`${client.url}${path}: ${body.error_code} ${oneLine(body.message)}`);
  return body;
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
    const matching = await getJson<string[]>(client, `/subjects?subjectPrefix=${encodeURIComponent(options.prefix)}`);
    if (matching.length === 0) throw new UsageError(`no subject of the registry at ${client.url} starts with '${options.prefix}'; check --prefix`);
    subjects.push(...matching);
  }
  if (subjects.length === 0) throw new UsageError('name at least one --subject, or a --prefix');
  const histories: SubjectVersions[] = [];
  for (const subject of [...new Set(subjects)]) histories.push(await history(client, subject));
  return writeModules(histories, {
    ...options,
    source: `registry ${client.url}`,
    where: `the registry at ${client.url}`,
    // Only the registry saying the subject is not there counts: any other answer keeps the module unreported.
    subjectExists: async (subject) => {
      const body = await client.get<number[]>(`/subjects/${encodeURIComponent(subject)}/versions`).catch(() => []);
      return !(isApiError(body) && body.error_code === 40401);
    },
  });
}
