// A .proto file as Accord reasons about it: plain data, declaration order kept, every type reference resolved.
import type { RangeStatement } from './statements.js';

export type Label = 'optional' | 'required' | 'repeated';
export type OptionList = [name: string, value: unknown][];

export interface ProtoField {
  name: string;
  tag: number;
  /** The type as written (`string`, `Inner`, `.pkg.Msg`); for a map, the value type. */
  type: string;
  /** The map's key type, for `map<K, V>` fields. */
  keyType?: string;
  /** The label written in the source; proto3 fields without one have none. */
  label?: Label;
  /** The (non-synthetic) oneof holding this field. */
  oneof?: string;
  /** Full name (no leading dot) of the message or enum the type resolves to; absent for scalars. */
  resolved?: string;
  resolvedKind: 'scalar' | 'message' | 'enum';
  /** Where the resolved type is defined: '' in this file, else the reference (`subject@version`) or built-in import. */
  origin?: string;
  options: OptionList;
  /** For a map read from a descriptor: the entry message type as written there (`.pkg.Msg.LabelsEntry`), printed so. */
  entryType?: string;
  /** The comment attached to the field in the source (not part of the canonical text). */
  doc?: string;
}

export interface ProtoOneof {
  name: string;
  options: OptionList;
}

export type Reserved = [from: number, to: number] | string;

export interface ProtoEnum {
  name: string;
  fullName: string;
  doc?: string;
  values: { name: string; number: number; options: OptionList }[];
  reserved: Reserved[];
  /** The reserved statements as written (one per statement), where known: what Confluent prints. */
  reservedStatements?: RangeStatement[];
  options: OptionList;
}

export interface ProtoMessage {
  name: string;
  fullName: string;
  doc?: string;
  /** Every field in declaration order, oneof members included. */
  fields: ProtoField[];
  oneofs: ProtoOneof[];
  messages: ProtoMessage[];
  /** The map entry messages a descriptor wrote (not types of their own to Accord), where they stood among `messages`. */
  mapEntries?: MapEntry[];
  enums: ProtoEnum[];
  reserved: Reserved[];
  reservedStatements?: RangeStatement[];
  extensions: [from: number, to: number][];
  /** The extensions statements as written, where known. */
  extensionStatements?: RangeStatement[];
  options: OptionList;
}

export interface MapEntry {
  /** Its index among the nested messages as written. */
  position: number;
  message: ProtoMessage;
}

export interface ProtoService {
  name: string;
  methods: {
    name: string;
    requestType: string;
    responseType: string;
    /** Full names (no leading dot) the request and response types resolve to, for the normalized text. */
    requestResolved?: string;
    responseResolved?: string;
    requestStream: boolean;
    responseStream: boolean;
    options: OptionList;
  }[];
  options: OptionList;
}

export interface ProtoFile {
  syntax: 'proto2' | 'proto3';
  /** Whether the source declared its syntax (proto2 is the default when it does not). */
  syntaxDeclared: boolean;
  package: string;
  imports: string[];
  /** The imports written `import public` (also listed in `imports`). */
  publicImports?: string[];
  options: OptionList;
  messages: ProtoMessage[];
  enums: ProtoEnum[];
  services: ProtoService[];
  /** Messages defined in imported files, by full name: compared when a field's type comes from another reference version. */
  imported: Map<string, ProtoMessage>;
}

export const SCALARS = new Set([
  'double', 'float', 'int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64',
  'fixed32', 'fixed64', 'sfixed32', 'sfixed64', 'bool', 'string', 'bytes',
]);

/** Top-level messages first, then their nested ones, depth first: every message a file defines. */
export function allMessages(messages: ProtoMessage[]): ProtoMessage[] {
  return messages.flatMap((m) => [m, ...allMessages(m.messages)]);
}
