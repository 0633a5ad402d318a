// Protobuf codec on protobufjs: one Root per schema (with its imports), values in the shapes generated code declares:
// int64 as string, enums by name, bytes as Uint8Array, Timestamp as Date, wrapper types as the wrapped value or null.
import protobuf from 'protobufjs';
import { EncodeError, type PathSegment } from './encode-error.js';

/** A .proto file and the name other files import it by. */
export interface ProtoSource {
  name: string;
  source: string;
}

const TIMESTAMP = 'google.protobuf.Timestamp';
const WRAPPERS = new Set(
  ['Double', 'Float', 'Int64', 'UInt64', 'Int32', 'UInt32', 'Bool', 'String', 'Bytes'].map((w) => `google.protobuf.${w}Value`),
);

const fullName = (t: protobuf.ReflectionObject) => t.fullName.replace(/^\./, '');

/** The message an index path names in a .proto text (declaration order, nested messages below), or undefined. */
export function messageAtIndexes(source: string, indexes: readonly number[]): string | undefined {
  const parsed = protobuf.parse(source, new protobuf.Root(), { keepCase: true });
  const scope = parsed.package ? parsed.root.lookup(parsed.package) : parsed.root;
  let types = scope instanceof protobuf.Namespace ? scope.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type) : [];
  let found: protobuf.Type | undefined;
  for (const i of indexes) {
    found = types[i];
    if (!found) return undefined;
    types = found.nestedArray.filter((n): n is protobuf.Type => n instanceof protobuf.Type);
  }
  return found ? fullName(found) : undefined;
}

export class ProtoTypes {
  private readonly roots = new Map<string, protobuf.Root>();
  /** Codecs by the (stable) files array a generated module embeds, then message name: the encode/decode path. */
  private readonly codecs = new WeakMap<readonly ProtoSource[], Map<string, MessageCodec>>();
  private readonly byType = new WeakMap<protobuf.Type, MessageCodec>();

  /** The message type `message` of a set of files (the first is the schema, the rest its imports). */
  type(files: readonly ProtoSource[], message: string): protobuf.Type {
    return this.codec(files, message).type;
  }

  /** The codec of message `message` of a set of files, built once. */
  codec(files: readonly ProtoSource[], message: string): MessageCodec {
    let byMessage = this.codecs.get(files);
    if (!byMessage) this.codecs.set(files, (byMessage = new Map()));
    let codec = byMessage.get(message);
    if (!codec) {
      codec = this.codecOf(this.root(files).lookupType(message));
      byMessage.set(message, codec);
    }
    return codec;
  }

  private codecOf(type: protobuf.Type): MessageCodec {
    let codec = this.byType.get(type);
    if (!codec) this.byType.set(type, (codec = new MessageCodec(type)));
    return codec;
  }

  private root(files: readonly ProtoSource[]): protobuf.Root {
    const key = files.map((f) => f.source).join('\u0000');
    let root = this.roots.get(key);
    if (!root) {
      root = new protobuf.Root();
      const common = (protobuf as unknown as { common: { get(p: string): protobuf.INamespace | null } }).common;
      const wanted = new Set(files.map((f) => f.name));
      for (const f of files) {
        const parsed = protobuf.parse(f.source, root, { keepCase: true });
        for (const imp of parsed.imports ?? []) {
          const builtin = !wanted.has(imp) ? common.get(imp) : null;
          if (builtin) root.addJSON((builtin as { nested: Record<string, protobuf.AnyNestedObject> }).nested);
        }
      }
      root.resolveAll();
      convertWellKnownTypes(root);
      this.roots.set(key, root);
    }
    return root;
  }

  encode(type: protobuf.Type, value: unknown): Uint8Array {
    return this.codecOf(type).encode(value);
  }

  decode(type: protobuf.Type, payload: Uint8Array): unknown {
    return this.codecOf(type).decode(asBuffer(payload), 0);
  }
}

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, defaults: true, oneofs: true };

const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** The big-endian bytes of a schema id as the little-endian uint32 protobufjs' `fixed32` writes. */
const byteSwapped = (id: number) => (((id & 0xff) << 24) | ((id & 0xff00) << 8) | ((id >>> 8) & 0xff00) | (id >>> 24)) >>> 0;

/**
 * One message type between the generated shapes and the wire. protobufjs' own generated converters (fromObject,
 * toObject) do the work; the well-known types of this SDK's roots convert themselves (`convertWellKnownTypes`), so
 * only what they cannot do runs here, from a plan computed once per type: the checks of 64-bit values and oneofs,
 * wrapper values on the way in (a converter is only given objects), copies of bytes on the way out.
 */
export class MessageCodec {
  private readonly plan: Plan;

  constructor(readonly type: protobuf.Type) {
    this.plan = planOf(type);
  }

  /** The message's bytes; a value of the wrong shape is an `EncodeError` naming its path (`subject` first). */
  encode(value: unknown, subject = ''): Uint8Array {
    return this.type.encode(this.type.fromObject(prepareTop(this.plan, value, subject) as Record<string, unknown>)).finish();
  }

  /** The message framed in the Confluent wire format, written in one buffer: header, message indexes, message. */
  encodeFramed(id: number, indexes: readonly number[], value: unknown, subject = ''): Buffer {
    const message = this.type.fromObject(prepareTop(this.plan, value, subject) as Record<string, unknown>);
    const writer = protobuf.Writer.create();
    writer.uint32(0).fixed32(byteSwapped(id));
    // Kafka's zig-zag varints are protobuf's sint32; `[0]` is the single byte 0.
    if (indexes.length === 1 && indexes[0] === 0) writer.uint32(0);
    else {
      writer.sint32(indexes.length);
      for (const index of indexes) writer.sint32(index);
    }
    return asBuffer(this.type.encode(message, writer).finish());
  }

  /** The message encoded in `buffer` from `offset` to its end, in the generated shape. */
  decode(buffer: Buffer, offset: number): unknown {
    const reader = protobuf.Reader.create(buffer);
    reader.pos = offset;
    const value = this.type.toObject(this.type.decode(reader), TO_OBJECT);
    if (this.plan.decode) copyBytes(this.plan, value);
    return value;
  }
}

interface Plan {
  type: protobuf.Type;
  /** Real oneofs (not proto3 `optional`): at most one member is set, and the discriminator names it. */
  oneofs: protobuf.OneOf[];
  bytes: protobuf.Field[];
  /** Message fields whose type has bytes to copy on the way out. */
  nested: { field: protobuf.Field; plan: Plan }[];
  /** Whether bytes are to be copied on the way out, here or below. */
  decode: boolean;
  /** Every field, with what its values must be: protobufjs' fromObject would turn a wrong one into another value. */
  checks: FieldCheck[];
}

/** What one field's values must be (each element of a repeated field, each value of a map). */
interface FieldCheck {
  field: protobuf.Field;
  name: string;
  /** 0 single, 1 repeated, 2 map: read once, not from protobufjs' Field on every encode. */
  shape?: 0 | 1 | 2;
  kind: 'string' | 'bool' | 'double' | 'int32' | 'uint32' | 'long' | 'bytes' | 'enum' | 'message' | 'timestamp' | 'wrapper';
  /** As an error message says it. */
  expected: string;
  /** long: its range; wrapper: the check of the wrapped value. */
  range?: [bigint, bigint];
  inner?: FieldCheck;
  /** enum: the names and numbers it allows. */
  symbols?: Set<string | number>;
  plan?: Plan;
}

const WELL_KNOWN = (name: string) => name === TIMESTAMP || WRAPPERS.has(name);

/** The plans of a type and every message type it reaches (recursive types included). */
function planOf(root: protobuf.Type): Plan {
  const plans = new Map<protobuf.Type, Plan>();
  const visit = (type: protobuf.Type): Plan => {
    let plan = plans.get(type);
    if (plan) return plan;
    plan = { type, oneofs: [], bytes: [], nested: [], decode: false, checks: [] };
    plans.set(type, plan);
    plan.oneofs = type.oneofsArray.filter((o) => !o.fieldsArray.every((f) => f.options?.proto3_optional));
    for (const field of type.fieldsArray) {
      const resolved = field.resolve().resolvedType;
      if (field.type === 'bytes') plan.bytes.push(field);
      if (resolved instanceof protobuf.Type && !WELL_KNOWN(fullName(resolved))) plan.nested.push({ field, plan: visit(resolved) });
      plan.checks.push({ ...checkOf(field, resolved, visit), shape: field.map ? 2 : field.repeated ? 1 : 0 });
    }
    return plan;
  };
  const top = visit(root);
  // Whether a plan has bytes to copy is a property of everything below it: settle it over the (possibly cyclic) graph.
  for (const plan of plans.values()) plan.decode = plan.bytes.length > 0;
  for (let changed = true; changed; ) {
    changed = false;
    for (const plan of plans.values()) {
      for (const { plan: below } of plan.nested) {
        if (below.decode && !plan.decode) plan.decode = changed = true;
      }
    }
  }
  for (const plan of plans.values()) plan.nested = plan.nested.filter(({ plan: below }) => below.decode);
  return top;
}

/** Applies `convert` to the value of a field, single, repeated or map; the same object when nothing changed. */
function eachValue(field: protobuf.Field, value: unknown, convert: (v: unknown) => unknown): unknown {
  if (field.map && value && typeof value === 'object') {
    let out: Record<string, unknown> | undefined;
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const c = convert(v);
      if (c !== v) (out ??= { ...(value as Record<string, unknown>) })[k] = c;
    }
    return out ?? value;
  }
  if (field.repeated && Array.isArray(value)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const c = convert(value[i]);
      if (c !== value[i]) (out ??= [...value])[i] = c;
    }
    return out ?? value;
  }
  return convert(value);
}

const SCALAR_CHECKS: Record<string, Pick<FieldCheck, 'kind' | 'expected'>> = {
  string: { kind: 'string', expected: 'string' },
  bool: { kind: 'bool', expected: 'boolean' },
  double: { kind: 'double', expected: 'double (a number)' },
  float: { kind: 'double', expected: 'float (a number)' },
  int32: { kind: 'int32', expected: 'int32 (an integer)' },
  sint32: { kind: 'int32', expected: 'sint32 (an integer)' },
  sfixed32: { kind: 'int32', expected: 'sfixed32 (an integer)' },
  uint32: { kind: 'uint32', expected: 'uint32 (an integer from 0)' },
  fixed32: { kind: 'uint32', expected: 'fixed32 (an integer from 0)' },
  bytes: { kind: 'bytes', expected: 'bytes (a Uint8Array)' },
};
const WRAPPED_SCALAR: Record<string, string> = {
  DoubleValue: 'double', FloatValue: 'float', Int64Value: 'int64', UInt64Value: 'uint64', Int32Value: 'int32',
  UInt32Value: 'uint32', BoolValue: 'bool', StringValue: 'string', BytesValue: 'bytes',
};

/** The check of a field, or of a scalar type standing alone (a wrapper's value). */
function scalarCheck(field: protobuf.Field, type: string): FieldCheck {
  const range = LONG_RANGE[type];
  if (range) return { field, name: field.name, kind: 'long', expected: `${type} (a decimal string or a safe integer)`, range };
  return { field, name: field.name, ...(SCALAR_CHECKS[type] ?? { kind: 'string', expected: type }) };
}

function checkOf(field: protobuf.Field, resolved: protobuf.Type | protobuf.Enum | null, visit: (t: protobuf.Type) => Plan): FieldCheck {
  if (resolved instanceof protobuf.Enum) {
    const names = Object.keys(resolved.values);
    const symbols = new Set<string | number>([...names, ...Object.values(resolved.values)]);
    return { field, name: field.name, kind: 'enum', symbols, expected: `${fullName(resolved)}, one of ${names.slice(0, 8).map((n) => JSON.stringify(n)).join(', ')}${names.length > 8 ? ', ...' : ''}` };
  }
  if (resolved instanceof protobuf.Type) {
    const name = fullName(resolved);
    if (name === TIMESTAMP) return { field, name: field.name, kind: 'timestamp', expected: 'a Date' };
    if (WRAPPERS.has(name)) {
      const inner = scalarCheck(field, WRAPPED_SCALAR[resolved.name]!);
      return { field, name: field.name, kind: 'wrapper', inner, expected: `${inner.expected} or null` };
    }
    return { field, name: field.name, kind: 'message', plan: visit(resolved), expected: `${name} (an object)` };
  }
  return scalarCheck(field, field.type);
}

const isObject = (x: unknown): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x) && !(x instanceof Uint8Array) && !(x instanceof Date);

/** What `checked` answers for a value the field does not allow. */
const INVALID: unique symbol = Symbol('invalid');

/** One value of a field, converted where protobufjs needs another shape; INVALID when the field does not allow it. */
function checked(check: FieldCheck, x: unknown, path: PathSegment[], subject: string): unknown {
  switch (check.kind) {
    case 'string':
      return typeof x === 'string' ? x : INVALID;
    case 'bool':
      return typeof x === 'boolean' ? x : INVALID;
    case 'double':
      return typeof x === 'number' ? x : INVALID;
    case 'int32':
      return typeof x === 'number' && (x | 0) === x ? x : INVALID;
    case 'uint32':
      return typeof x === 'number' && x >>> 0 === x ? x : INVALID;
    case 'long':
      return isLong(check.range!, x) ? x : INVALID;
    case 'bytes':
      return x instanceof Uint8Array || typeof x === 'string' ? x : INVALID;
    case 'enum':
      return check.symbols!.has(x as string | number) ? x : INVALID;
    case 'timestamp':
      return (x instanceof Date ? !Number.isNaN(x.getTime()) : isObject(x)) ? x : INVALID;
    case 'wrapper': {
      const inner = checked(check.inner!, x, path, subject);
      return inner === INVALID ? INVALID : { value: inner };
    }
    case 'message':
      return prepareMessage(check.plan!, x, path, subject);
  }
}

/** One value of a field (an element of a repeated field, a value of a map): checked, converted, or refused by path. */
function prepareValue(check: FieldCheck, x: unknown, path: PathSegment[], subject: string): unknown {
  // A null in a repeated or map wrapper field is an absent wrapper.
  if (x === null && check.kind === 'wrapper') return undefined;
  const value = checked(check, x, path, subject);
  if (value === INVALID) throw new EncodeError(subject, path, check.expected, x);
  return value;
}

/** The path of the field being checked, shared by every encode (they run one at a time): no array per call. */
const PATH: PathSegment[] = [];

/** A whole value, from its top message. */
function prepareTop(plan: Plan, value: unknown, subject: string): unknown {
  PATH.length = 0;
  return prepareMessage(plan, value, PATH, subject);
}

/**
 * Generated shape → what protobufjs' fromObject takes: every field checked (a wrong value is an `EncodeError` naming
 * its path), wrappers wrapped; the value copied only where it changes. Null or absent fields are left to their
 * defaults, as before; a wrapper's null, or a null inside a repeated wrapper field, is an absent wrapper.
 */
function prepareMessage(plan: Plan, value: unknown, path: PathSegment[], subject: string): unknown {
  if (!isObject(value)) throw new EncodeError(subject, path, `${fullName(plan.type)} (an object)`, value);
  if (plan.oneofs.length) checkOneofs(plan, value);
  let out: Record<string, unknown> | undefined;
  for (const check of plan.checks) {
    const x = value[check.name];
    if (x === undefined || x === null) continue;
    path.push(check.name);
    let converted: unknown = x;
    if (check.shape === 2) {
      if (!isObject(x)) throw new EncodeError(subject, path, 'an object (map)', x);
      let copy: Record<string, unknown> | undefined;
      for (const key of Object.keys(x)) {
        path.push({ key });
        const c = prepareValue(check, x[key], path, subject);
        path.pop();
        if (c !== x[key]) (copy ??= { ...x })[key] = c;
      }
      converted = copy ?? x;
    } else if (check.shape === 1) {
      if (!Array.isArray(x)) throw new EncodeError(subject, path, 'an array', x);
      let copy: unknown[] | undefined;
      for (let i = 0; i < x.length; i++) {
        path.push(i);
        const c = prepareValue(check, x[i], path, subject);
        path.pop();
        if (c !== x[i]) (copy ??= [...x])[i] = c;
      }
      converted = copy ?? x;
    } else converted = prepareValue(check, x, path, subject);
    path.pop();
    if (converted !== x) (out ??= { ...value })[check.name] = converted;
  }
  return out ?? value;
}

/** toObject's bytes are Buffers over the decoded message's memory: the generated shape holds Uint8Array copies. */
function copyBytes(plan: Plan, value: unknown): void {
  if (value === null || typeof value !== 'object') return;
  const v = value as Record<string, unknown>;
  for (const field of plan.bytes) {
    const x = v[field.name];
    if (x !== undefined && x !== null) v[field.name] = eachValue(field, x, (b) => (b instanceof Uint8Array ? new Uint8Array(b) : b));
  }
  for (const { field, plan: below } of plan.nested) {
    const x = v[field.name];
    if (below.decode && x !== undefined && x !== null) eachValue(field, x, (m) => (copyBytes(below, m), m));
  }
}

/**
 * Timestamp and the wrapper types of a root convert themselves, so protobufjs' generated converters of the messages
 * that use them produce the generated shapes in their one pass: Timestamp ↔ Date, a wrapper → its value. Set on this
 * SDK's own roots' types only, never on protobufjs' shared definitions.
 */
function convertWellKnownTypes(root: protobuf.Root): void {
  const timestamp = root.lookup(TIMESTAMP);
  if (timestamp instanceof protobuf.Type) {
    timestamp.setup();
    const { fromObject, toObject } = timestamp;
    timestamp.fromObject = function (this: protobuf.Type, object: Record<string, unknown>, ...rest: unknown[]) {
      if (object instanceof Date) {
        const ms = object.getTime();
        object = { seconds: Math.floor(ms / 1000), nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 };
      }
      return (fromObject as (...args: unknown[]) => protobuf.Message).call(this, object, ...rest);
    };
    timestamp.toObject = function (message: protobuf.Message, ...rest: unknown[]) {
      const { seconds, nanos } = message as unknown as { seconds: number | { toNumber(): number }; nanos: number };
      const s = typeof seconds === 'number' ? seconds : seconds ? seconds.toNumber() : 0;
      return new Date(s * 1000 + Math.floor((nanos ?? 0) / 1_000_000)) as unknown as Record<string, unknown>;
    } as typeof toObject;
  }
  for (const name of WRAPPERS) {
    const wrapper = root.lookup(name);
    if (!(wrapper instanceof protobuf.Type)) continue;
    wrapper.setup();
    const { toObject } = wrapper;
    const bytes = name === 'google.protobuf.BytesValue';
    wrapper.toObject = function (this: protobuf.Type, message: protobuf.Message, options?: protobuf.IConversionOptions, ...rest: unknown[]) {
      const { value } = (toObject as (...args: unknown[]) => Record<string, unknown>).call(this, message, options, ...rest);
      return (bytes && value instanceof Uint8Array ? new Uint8Array(value) : value) as Record<string, unknown>;
    } as typeof toObject;
  }
}

const LONG_RANGE: Record<string, [bigint, bigint]> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

/** Up to 18 digits always fit a signed 64-bit integer: only longer strings need a BigInt comparison. */
const SHORT_INTEGER = /^-?\d{1,18}$/;
const INTEGER = /^-?\d+$/;

/** 64-bit integers travel as decimal strings (or safe integers); anything else would be encoded as a silent 0 or wrap around. */
function isLong(range: [bigint, bigint], v: unknown): boolean {
  if (typeof v === 'string' && SHORT_INTEGER.test(v) && (v.charCodeAt(0) !== 45 || range[0] < 0n)) return true;
  if (typeof v === 'number' && Number.isSafeInteger(v) && (v >= 0 || range[0] < 0n)) return true;
  const ok = (typeof v === 'string' && INTEGER.test(v)) || typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v));
  return ok && BigInt(v as string | number | bigint) >= range[0] && BigInt(v as string | number | bigint) <= range[1];
}

/** At most one member of a oneof is set, and the discriminator, when given, names it. */
function checkOneofs(plan: Plan, value: Record<string, unknown>): void {
  for (const oneof of plan.oneofs) {
    let set: string | undefined;
    for (const f of oneof.fieldsArray) {
      if (value[f.name] === undefined || value[f.name] === null) continue;
      if (set !== undefined) throw new TypeError(`${fullName(plan.type)}: oneof ${oneof.name} has ${set} and ${f.name} set; set one`);
      set = f.name;
    }
    const chosen = value[oneof.name];
    if (chosen !== undefined && chosen !== null && set !== undefined && chosen !== set) {
      throw new TypeError(`${fullName(plan.type)}: oneof ${oneof.name} says '${String(chosen)}' but '${set}' is set`);
    }
  }
}
