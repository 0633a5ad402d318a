// `accord new-token NAME --auth-file FILE`: adds the token's entry (and a role binding for it) to an auth file in
// place, through the YAML document so that comments and layout stay, refusing a name the file already has. Appending
// the stdout entry to the file instead works once: a second `tokens:` key makes the file unreadable.
import { existsSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, YAMLSeq, type Document } from 'yaml';
import { authFromDocument } from '../auth/settings.js';
import type { Role } from '../auth/policy.js';
import { StartupError } from '../errors.js';
import { DataError } from './errors.js';

export interface TokenBinding {
  role: Role;
  subjects: string[];
  resources: string[];
}

export interface AddTokenOptions {
  file: string;
  name: string;
  /** The token's digest (`sha256:…`), never the token. */
  digest: string;
  groups: string[];
  binding?: TokenBinding;
}

/** Adds the token and its binding to the auth file (created when missing); checks the result loads before writing. */
export function addToken(options: AddTokenOptions): { created: boolean } {
  const { file, name } = options;
  const created = !existsSync(file);
  const text = created ? '' : read(file);
  const lines = new LineCounter();
  const document = parseDocument(text, { lineCounter: lines });
  if (document.errors.length) throw new DataError(`${file}: ${document.errors[0]!.message.split('\n')[0]}; fix the YAML first`);
  if (document.contents === null) document.contents = document.createNode({}) as never;
  if (!isMap(document.contents)) throw new DataError(`${file}: must be a YAML mapping (usersFile, tokens, oidc, bindings)`);

  const tokens = listAt(document, 'tokens', file, lines);
  const same = tokens.items.find((item) => isMap(item) && item.get('name') === name);
  if (same) {
    const line = isMap(same) && same.range ? lines.linePos(same.range[0]).line : undefined;
    throw new DataError(`${file}${line ? `:${line}` : ''}: a token named '${name}' is there already; give the new token another NAME (or remove that entry to replace it)`);
  }
  tokens.add(document.createNode({ name, digest: options.digest, ...(options.groups.length ? { groups: options.groups } : {}) }, { flow: false }));
  const flowLists = (node: unknown) => {
    if (isMap(node)) for (const pair of node.items) if (isSeq(pair.value)) pair.value.flow = true;
  };
  flowLists(tokens.items.at(-1));
  if (options.binding) {
    const { role, subjects, resources } = options.binding;
    const bindings = listAt(document, 'bindings', file, lines);
    bindings.add(document.createNode({ role, members: [`token:${name}`], ...(subjects.length ? { subjects } : {}), ...(resources.length ? { resources } : {}) }));
    flowLists(bindings.items.at(-1));
  }

  // Whatever the file held, the server must still start with it: check it as the server would.
  try {
    authFromDocument(document.toJS(), file);
  } catch (err) {
    if (err instanceof StartupError) throw new DataError(`${file} would not load with the token added, so it was left unchanged: ${err.message.replace(/^ACCORD_AUTH_CONFIG: [^:]*: /, '')}`);
    throw err;
  }
  write(file, document.toString({ flowCollectionPadding: false }), created);
  return { created };
}

function read(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? 'error'}); give --auth-file the auth file (or a new file's path)`);
  }
}

/** The list under `key`, made when absent (or empty: `tokens:`); anything else there is refused. */
function listAt(document: Document, key: string, file: string, lines: LineCounter): YAMLSeq {
  const node = document.get(key, true);
  if (isSeq(node)) return node;
  if (node === undefined || (isScalar(node) && node.value === null)) {
    const list = new YAMLSeq();
    document.set(key, list);
    return list;
  }
  const line = (node as { range?: [number, number, number] }).range;
  throw new DataError(`${file}${line ? `:${lines.linePos(line[0]).line}` : ''}: "${key}" must be a list; fix it first`);
}

/** Written beside the file and renamed over it, with the file's permissions (a new file: owner only). */
function write(file: string, text: string, created: boolean) {
  const mode = created ? 0o600 : statSync(file).mode & 0o777;
  const partial = `${file}.${process.pid}.partial`;
  try {
    writeFileSync(partial, text, { mode });
    renameSync(partial, file);
  } catch (err) {
    rmSync(partial, { force: true });
    throw new DataError(`cannot write ${file}: ${(err as Error).message}`);
  }
}
