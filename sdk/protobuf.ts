// Protobuf codec on protobufjs: one Root per schema (with its imports), values in the shapes generated code declares:
// int64 as string, enums by name, bytes as Uint8Array, Timestamp as Date, wrapper types as the wrapped value or null.
import protobuf from 'protobufjs';

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

  /** The message's bytes. */
  encode(value: unknown): Uint8Array {
    return this.type.encode(this.type.fromObject(prepare(this.plan, value) as Record<string, unknown>)).finish();
  }

  /** The message framed in the Confluent wire format, written in one buffer: header, message indexes, message. */
  encodeFramed(id: number, indexes: readonly number[], value: unknown): Buffer {
    const message = this.type.fromObject(prepare(this.plan, value) as Record<string, unknown>);
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
  longs: { field: protobuf.Field; range: [bigint, bigint] }[];
  /** Fields of a wrapper type (google.protobuf.*Value): the bare value, or null, stands for the wrapper. */
  wrappers: protobuf.Field[];
  bytes: protobuf.Field[];
  /** Message fields whose type has something to do (on the way in or out). */
  nested: { field: protobuf.Field; plan: Plan }[];
  /** Whether anything is to do on the way in (checks, wrappers) and on the way out (bytes), here or below. */
  encode: boolean;
  decode: boolean;
}

const WELL_KNOWN = (name: string) => name === TIMESTAMP || WRAPPERS.has(name);

/** The plans of a type and every message type it reaches (recursive types included). */
function planOf(root: protobuf.Type): Plan {
  const plans = new Map<protobuf.Type, Plan>();
  const visit = (type: protobuf.Type): Plan => {
    let plan = plans.get(type);
    if (plan) return plan;
    plan = { type, oneofs: [], longs: [], wrappers: [], bytes: [], nested: [], encode: false, decode: false };
    plans.set(type, plan);
    plan.oneofs = type.oneofsArray.filter((o) => !o.fieldsArray.every((f) => f.options?.proto3_optional));
    for (const field of type.fieldsArray) {
      const resolved = field.resolve().resolvedType;
      const range = LONG_RANGE[field.type];
      if (range) plan.longs.push({ field, range });
      if (field.type === 'bytes') plan.bytes.push(field);
      if (resolved instanceof protobuf.Type) {
        if (WRAPPERS.has(fullName(resolved))) plan.wrappers.push(field);
        else if (!WELL_KNOWN(fullName(resolved))) plan.nested.push({ field, plan: visit(resolved) });
      }
    }
    return plan;
  };
  const top = visit(root);
  // Whether a plan has work is a property of everything below it: settle it over the (possibly cyclic) graph.
  for (const plan of plans.values()) {
    plan.encode = plan.oneofs.length > 0 || plan.longs.length > 0 || plan.wrappers.length > 0;
    plan.decode = plan.bytes.length > 0;
  }
  for (let changed = true; changed; ) {
    changed = false;
    for (const plan of plans.values()) {
      for (const { plan: below } of plan.nested) {
        if (below.encode && !plan.encode) plan.encode = changed = true;
        if (below.decode && !plan.decode) plan.decode = changed = true;
      }
    }
  }
  for (const plan of plans.values()) plan.nested = plan.nested.filter(({ plan: below }) => below.encode || below.decode);
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

/** Generated shape → what protobufjs' fromObject takes: checked, wrappers wrapped; copied only where it changes. */
function prepare(plan: Plan, value: unknown): unknown {
  if (!plan.encode || value === null || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  if (plan.oneofs.length) checkOneofs(plan, v);
  for (const { field, range } of plan.longs) checkLong(plan.type, field, range, v[field.name]);
  let out: Record<string, unknown> | undefined;
  for (const field of plan.wrappers) {
    const x = v[field.name];
    if (x === undefined) continue;
    (out ??= { ...v })[field.name] = eachValue(field, x, (w) => (w === null || w === undefined ? undefined : { value: w }));
  }
  for (const { field, plan: below } of plan.nested) {
    const x = v[field.name];
    if (x === undefined || x === null || !below.encode) continue;
    const c = eachValue(field, x, (m) => prepare(below, m));
    if (c !== x) (out ??= { ...v })[field.name] = c;
  }
  return out ?? v;
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

/** 64-bit integers travel as decimal strings; anything else would be encoded as a silent 0 or wrap around. */
function checkLong(type: protobuf.Type, field: protobuf.Field, range: [bigint, bigint], value: unknown): void {
  if (value === null || value === undefined) return;
  if (field.repeated && Array.isArray(value)) for (const v of value) checkLongValue(type, field, range, v);
  else checkLongValue(type, field, range, value);
}

function checkLongValue(type: protobuf.Type, field: protobuf.Field, range: [bigint, bigint], v: unknown): void {
  if (typeof v === 'string' && SHORT_INTEGER.test(v) && (v.charCodeAt(0) !== 45 || range[0] < 0n)) return;
  if (typeof v === 'number' && Number.isSafeInteger(v) && (v >= 0 || range[0] < 0n)) return;
  const ok = (typeof v === 'string' && INTEGER.test(v)) || typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v));
  if (!ok || BigInt(v as string | number | bigint) < range[0] || BigInt(v as string | number | bigint) > range[1]) {
    throw new RangeError(`${fullName(type)}.${field.name}: ${JSON.stringify(String(v))} is not a ${field.type}`);
  }
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
