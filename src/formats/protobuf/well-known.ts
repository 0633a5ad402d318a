// Imports that resolve without references: the files Confluent's registry bundles, vendored unchanged in bundled/
// (bundled/README.md says where each comes from). Each is read and parsed only when a schema first imports it.
import { readFileSync } from 'node:fs';
import protobuf from 'protobufjs';
import { projectFile } from '../../paths.js';

/** Confluent's `ProtobufSchema.KNOWN_DEPENDENCIES`: every import path that needs no reference. */
export const BUNDLED_PROTOS: readonly string[] = [
  'confluent/meta.proto',
  'confluent/type/decimal.proto',
  ...['any', 'api', 'descriptor', 'duration', 'empty', 'field_mask', 'source_context', 'struct', 'timestamp', 'type', 'wrappers'].map(
    (name) => `google/protobuf/${name}.proto`,
  ),
  ...[
    'calendar_period', 'color', 'date', 'datetime', 'dayofweek', 'decimal', 'expr', 'fraction', 'interval', 'latlng',
    'localized_text', 'money', 'month', 'phone_number', 'postal_address', 'quaternion', 'timeofday',
  ].map((name) => `google/type/${name}.proto`),
];

const BUNDLED = new Set(BUNDLED_PROTOS);

/** The folder the published files are kept in, found from the project root (src/ and the dist/ bundle alike). */
export const BUNDLED_DIR = projectFile('src', 'formats', 'protobuf', 'bundled');

/** A bundled file as protobufjs JSON, ready to add to a schema's root. */
export interface BundledFile {
  /** The file's definitions. File options are left out: they belong to the file, not to the package it shares. */
  nested: Record<string, protobuf.AnyNestedObject>;
  /** The files it imports (all bundled). */
  imports: string[];
  /** The full names of the messages and enums it defines, nested ones included. */
  types: string[];
}

const sources = new Map<string, string>();
const files = new Map<string, BundledFile>();

/** The bundled files read so far (they are read on first import, then kept). */
export const bundledFilesRead = (): string[] => [...sources.keys()];

/** The published text of a bundled import, or undefined when the import needs a reference. */
export function bundledSource(path: string): string | undefined {
  if (!BUNDLED.has(path)) return undefined;
  let text = sources.get(path);
  if (text === undefined) sources.set(path, (text = readFileSync(`${BUNDLED_DIR}/${path}`, 'utf8')));
  return text;
}

/**
 * A bundled import parsed once into JSON and kept: adding JSON to a root costs a fraction of parsing the text again
 * (descriptor.proto: about 1 ms against 8). The caller adds a copy, as protobufjs changes some options it is given.
 */
export function bundledFile(path: string): BundledFile | undefined {
  const cached = files.get(path);
  if (cached) return cached;
  const source = bundledSource(path);
  if (source === undefined) return undefined;
  const root = new protobuf.Root();
  const parsed = protobuf.parse(source, root, { keepCase: true });
  const types: string[] = [];
  const walk = (ns: protobuf.NamespaceBase) => {
    for (const child of ns.nestedArray) {
      if (child instanceof protobuf.Type || child instanceof protobuf.Enum) types.push(child.fullName.slice(1));
      if (child instanceof protobuf.Namespace) walk(child);
    }
  };
  walk(root);
  const file: BundledFile = {
    nested: withoutFileOptions(root.toJSON().nested ?? {}),
    imports: [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])],
    types,
  };
  files.set(path, file);
  return file;
}

/** protobufjs keeps file options on the package namespace; a schema of the same package would show them as its own. */
function withoutFileOptions(nested: Record<string, protobuf.AnyNestedObject>): Record<string, protobuf.AnyNestedObject> {
  return Object.fromEntries(
    Object.entries(nested).map(([name, json]) => {
      const isNamespace = !('fields' in json) && !('values' in json) && !('methods' in json) && !('id' in json);
      if (!isNamespace) return [name, json];
      const { options: _fileOptions, ...rest } = json as protobuf.INamespace;
      return [name, { ...rest, ...(rest.nested ? { nested: withoutFileOptions(rest.nested) } : {}) }];
    }),
  );
}
