// The Protobuf format plugin: parse and validate with imports resolved, canonical text, Confluent's difference rules.
import { InvalidSchemaError, type ParseOptions, type ParsedSchema, type ResolvedReference, type SchemaFormat } from '../format.js';
import { diffProto, incompatibilities } from './compatibility.js';
import { looksSerialized, serializedToProto, toSerialized } from './descriptor.js';
import type { ProtoFile, ProtoMessage } from './model.js';
import { protobufOutline } from './outline.js';
import { checkProtoLimits } from './limits.js';
import { parseProto } from './parse.js';
import { printProto } from './print.js';

export interface ProtobufParsed extends ParsedSchema {
  native: ProtoFile;
}

function nestingDepth(messages: ProtoMessage[]): number {
  return messages.reduce((deepest, m) => Math.max(deepest, 1 + nestingDepth(m.messages)), 0);
}

function parse(text: string, references: readonly ResolvedReference[], options: ParseOptions): ProtobufParsed {
  // Confluent's own serializers register a base64 FileDescriptorProto instead of .proto text.
  const source = looksSerialized(text) ? serializedToProto(text) : text;
  if (options.limits) checkProtoLimits(source, options.limits);
  const { file } = parseProto(source, references, options.validate);
  if (nestingDepth(file.messages) > options.maxDepth) {
    throw new InvalidSchemaError(`Schema is nested deeper than the limit of ${options.maxDepth} levels`);
  }
  const canonical = printProto(file);
  const normalized = printProto(file, { normalize: true });
  const equivalence = printProto(file, { normalize: true, withoutCustomOptions: true });
  return { schemaType: 'PROTOBUF', canonical: options.normalize ? normalized : canonical, normalized, equivalence, native: file };
}

export const protobufFormat: SchemaFormat = {
  schemaType: 'PROTOBUF',
  parse,
  checkReader(reader, writer, roles = { reader: 'reader', writer: 'writer' }) {
    // Confluent diffs original → update; the writer's schema is the original in both directions.
    return incompatibilities(diffProto((writer as ProtobufParsed).native, (reader as ProtobufParsed).native), roles);
  },
  outline(parsed) {
    return protobufOutline((parsed as ProtobufParsed).native);
  },
  render(parsed, format) {
    return format === 'serialized' ? toSerialized((parsed as ProtobufParsed).native) : undefined;
  },
};
