// The Avro format plugin: parse and validate, canonical text, compatibility, renderings.
import avro from 'avsc';
import { InvalidSchemaError, type ParseOptions, type ParsedSchema, type ResolvedReference, type SchemaFormat } from '../format.js';
import { parseAvro, type AvroNode, type NameTable } from './ast.js';
import { printAvro } from './canonical.js';
import { checkAvroReader, type AvroGraph } from './compatibility.js';
import { checkAvroLimits } from './limits.js';
import { avroOutline } from './outline.js';

export interface AvroParsed extends ParsedSchema {
  native: AvroGraph;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InvalidSchemaError(`Invalid ${what}: not valid JSON (${(err as Error).message})`);
  }
}

function parse(text: string, references: readonly ResolvedReference[], options: ParseOptions): AvroParsed {
  const names: NameTable = new Map();
  // Referenced schemas are history: they load leniently and only lend their named types.
  for (const ref of references) {
    if (ref.schemaType !== 'AVRO') throw new InvalidSchemaError(`Reference '${ref.name}' is a ${ref.schemaType} schema, not AVRO`);
    const json = parseJson(ref.schema, `referenced schema '${ref.name}'`);
    parseAvro(json, names, { validate: false, maxDepth: options.maxDepth });
  }
  const json = parseJson(text, 'Avro schema');
  if (options.limits) checkAvroLimits(json, options.limits, options.maxDepth);
  const root: AvroNode = parseAvro(json, names, options);
  if (options.validate) loadInAvsc(root, names);
  const canonical = printAvro(root, names);
  const normalized = printAvro(root, names, { normalize: true });
  return {
    schemaType: 'AVRO',
    canonical: options.normalize ? normalized : canonical,
    normalized,
    equivalence: printAvro(root, names, { normalize: true, inline: true }),
    native: { root, names },
  };
}

/** Accepted schemas must also load in avsc, which the SDK's codecs run on. */
function loadInAvsc(root: AvroNode, names: NameTable): void {
  try {
    avro.Type.forSchema(JSON.parse(printAvro(root, names, { inline: true, absoluteRefs: true })) as avro.Schema);
  } catch (err) {
    throw new InvalidSchemaError(`Invalid Avro schema: ${(err as Error).message}`);
  }
}

export const avroFormat: SchemaFormat = {
  schemaType: 'AVRO',
  parse,
  checkReader(reader, writer, roles) {
    return checkAvroReader((reader as AvroParsed).native, (writer as AvroParsed).native, roles);
  },
  outline(parsed) {
    return avroOutline((parsed as AvroParsed).native.root);
  },
  render(parsed, format) {
    if (format !== 'resolved') return undefined;
    const { root, names } = (parsed as AvroParsed).native;
    return printAvro(root, names, { inline: true });
  },
};
