// Writing an output folder of `accord codegen`, from a registry or a contracts directory alike: one module per subject
// (named so that no two collide), the user's upcasters files (created once, then only appended to), the index of
// every module the folder holds, and the manifest that remembers them between runs.
import { existsSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { generateAvroModule, type GeneratedFile, type SubjectHistory } from '../codegen/avro-module.js';
import { generateJsonModule, type JsonHistory } from '../codegen/json-module.js';
import type { GenerateOptions } from '../codegen/module.js';
import { moduleFileName } from '../codegen/names.js';
import {
  appendMissingStubs,
  assignModuleNames,
  MANIFEST_FILE,
  ModuleNameClash,
  modulesOfIndex,
  parseManifest,
  renderIndex,
  renderManifest,
  type FolderModule,
} from '../codegen/output-folder.js';
import { generateProtobufModule, type ProtobufHistory } from '../codegen/protobuf-module.js';
import { PROJECT_ROOT } from '../paths.js';
import { UsageError } from './errors.js';

export interface CodegenResult {
  written: string[];
  kept: string[];
  /** Said on stderr: modules whose subject is gone, stubs appended to an upcasters file, offline caveats. */
  notes?: string[];
}

/** A subject's versions, oldest first, whichever format it is in (the other history stays empty). */
export interface SubjectVersions {
  schemaType: string;
  avro: SubjectHistory;
  protobuf: ProtobufHistory;
  json?: JsonHistory;
}

export interface WriteOptions {
  out: string;
  runtimeImport: string;
  accordVersion: string;
  source: string;
  /** Whether a subject the folder holds a module of still exists where this run reads (false: reported); default yes. */
  subjectExists?: (subject: string) => Promise<boolean> | boolean;
  /** Where subjects no longer there are looked for, as the warning says it: `the registry at URL`. */
  where?: string;
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

/** The subject of a history: the one of its format's history. */
const subjectOf = (h: SubjectVersions) => (h.schemaType === 'PROTOBUF' ? h.protobuf.subject : h.schemaType === 'JSON' && h.json ? h.json.subject : h.avro.subject);

function generate(h: SubjectVersions, options: GenerateOptions): { event: string; files: GeneratedFile[] } {
  if (h.schemaType === 'AVRO') return generateAvroModule(h.avro, options);
  if (h.schemaType === 'PROTOBUF') return generateProtobufModule(h.protobuf, options);
  if (h.schemaType === 'JSON' && h.json) return generateJsonModule(h.json, options);
  throw new UsageError(`subject '${subjectOf(h)}' is ${h.schemaType}: code generation covers AVRO, PROTOBUF and JSON`);
}

/** The modules the folder held before this run: its manifest, else the index an older Accord wrote, else none. */
function heldModules(out: string): FolderModule[] {
  const manifest = join(out, MANIFEST_FILE);
  const read = (file: string) => (existsSync(join(out, file)) ? readFileSync(join(out, file), 'utf8') : undefined);
  const text = read(MANIFEST_FILE);
  if (text !== undefined) {
    try {
      return parseManifest(text, manifest);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
  }
  const index = read('index.ts');
  return index === undefined ? [] : modulesOfIndex(index, read);
}

/**
 * Generates one module per subject and writes them with the index and manifest into `options.out`. Modules the
 * folder held from earlier runs stay in the index; one whose file was deleted leaves it, and one whose subject no
 * longer exists is kept and reported.
 */
export async function writeModules(histories: SubjectVersions[], options: WriteOptions): Promise<CodegenResult> {
  const held = heldModules(options.out);
  const generateOptions = { runtimeImport: options.runtimeImport, accordVersion: options.accordVersion, source: options.source };
  const generated = histories.map((h) => ({ history: h, subject: subjectOf(h), ...generate(h, generateOptions) }));
  let names: Map<string, string>;
  try {
    names = assignModuleNames(generated, held);
  } catch (error) {
    if (error instanceof ModuleNameClash) throw new UsageError(error.message);
    throw error;
  }
  const notes: string[] = [];
  const modules = generated.map((g) => {
    const module = names.get(g.subject)!;
    // Named after its subject (another subject carries the same event): generated again under that name.
    const files = module === g.event ? g.files : generate(g.history, { ...generateOptions, module }).files;
    return { entry: { subject: g.subject, module, event: g.event }, files };
  });
  const now = new Set(generated.map((g) => g.subject));
  const index: FolderModule[] = modules.map((m) => m.entry);
  for (const m of held) {
    if (now.has(m.subject)) {
      const renamed = names.get(m.subject);
      if (renamed !== m.module) notes.push(`subject '${m.subject}' now writes ${renamed}.ts (its event is ${modules.find((x) => x.entry.subject === m.subject)!.entry.event}); ${m.module}.ts is left as it was: move what you wrote there, then delete it`);
      continue;
    }
    if (!existsSync(join(options.out, moduleFileName(m.module)))) {
      notes.push(`${join(options.out, moduleFileName(m.module))} (subject '${m.subject}') was deleted: left out of index.ts`);
      continue;
    }
    index.push(m);
    if (options.subjectExists && !(await options.subjectExists(m.subject))) {
      notes.push(`warning: ${join(options.out, moduleFileName(m.module))} is of subject '${m.subject}', which is no longer in ${options.where ?? options.source}; kept in index.ts: delete the file and run codegen again to drop it`);
    }
  }
  let indexText: string;
  try {
    indexText = renderIndex(index, [
      `// Generated by Accord ${options.accordVersion} (accord codegen): one namespace per event module.`,
      `// Source: ${options.source}.`,
    ]);
  } catch (error) {
    if (error instanceof ModuleNameClash) throw new UsageError(error.message);
    throw error;
  }
  const files: GeneratedFile[] = [
    ...modules.flatMap((m) => m.files),
    { path: 'index.ts', content: indexText, overwrite: true },
    { path: MANIFEST_FILE, content: renderManifest(index), overwrite: true },
  ];
  mkdirSync(options.out, { recursive: true });
  const result: CodegenResult = { written: [], kept: [], notes };
  for (const file of files) {
    const path = join(options.out, file.path);
    if (!file.overwrite && existsSync(path)) {
      const appended = file.stubs ? appendMissingStubs(readFileSync(path, 'utf8'), file.stubs, options.accordVersion) : undefined;
      if (appended) {
        writeFileSync(path, appended.text);
        notes.push(`appended ${appended.added.join(', ')} to ${path}: write ${appended.added.length > 1 ? 'them' : 'it'} (the build fails until then)`);
      }
      result.kept.push(path);
      continue;
    }
    writeFileSync(path, file.content);
    result.written.push(path);
  }
  return result;
}
