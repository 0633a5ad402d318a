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

const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, bytes: Array, defaults: true, oneofs: true };

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
  /** Types by the (stable) files array a generated module embeds, then message name: the encode/decode path. */
  private readonly types = new WeakMap<readonly ProtoSource[], Map<string, protobuf.Type>>();

  /** The message type `message` of a set of files (the first is the schema, the rest its imports). */
  type(files: readonly ProtoSource[], message: string): protobuf.Type {
    let byMessage = this.types.get(files);
    if (!byMessage) this.types.set(files, (byMessage = new Map()));
    let type = byMessage.get(message);
    if (!type) byMessage.set(message, (type = this.root(files).lookupType(message)));
    return type;
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
      this.roots.set(key, root);
    }
    return root;
  }

  encode(type: protobuf.Type, value: unknown): Uint8Array {
    const message = type.fromObject(toWire(type, value) as Record<string, unknown>);
    return type.encode(message).finish();
  }

  decode(type: protobuf.Type, payload: Uint8Array): unknown {
    return fromWire(type, type.toObject(type.decode(payload), TO_OBJECT));
  }
}

const LONG_RANGE: Record<string, [bigint, bigint]> = {
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  sint64: [-(2n ** 63n), 2n ** 63n - 1n],
  sfixed64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
  fixed64: [0n, 2n ** 64n - 1n],
};

/** 64-bit integers travel as decimal strings; anything else would be encoded as a silent 0 or wrap around. */
function checkLong(type: protobuf.Type, field: protobuf.Field, value: unknown): void {
  const range = LONG_RANGE[field.type];
  if (!range || value === null || value === undefined) return;
  for (const v of field.repeated && Array.isArray(value) ? value : [value]) {
    const ok =
      (typeof v === 'string' && /^-?\d+$/.test(v)) || (typeof v === 'number' && Number.isSafeInteger(v)) || typeof v === 'bigint';
    if (!ok || BigInt(v as string | number | bigint) < range[0] || BigInt(v as string | number | bigint) > range[1]) {
      throw new RangeError(`${fullName(type)}.${field.name}: ${JSON.stringify(String(v))} is not a ${field.type}`);
    }
  }
}

/** At most one member of a oneof is set, and the discriminator, when given, names it. */
function checkOneofs(type: protobuf.Type, value: Record<string, unknown>): void {
  for (const oneof of type.oneofsArray) {
    if (oneof.fieldsArray.every((f) => f.options?.proto3_optional)) continue;
    const set = oneof.fieldsArray.filter((f) => value[f.name] !== undefined && value[f.name] !== null).map((f) => f.name);
    if (set.length > 1) throw new TypeError(`${fullName(type)}: oneof ${oneof.name} has ${set.join(' and ')} set; set one`);
    const chosen = value[oneof.name];
    if (chosen !== undefined && chosen !== null && set.length === 1 && chosen !== set[0]) {
      throw new TypeError(`${fullName(type)}: oneof ${oneof.name} says '${String(chosen)}' but '${set[0]}' is set`);
    }
  }
}

/** Generated shapes → what protobufjs' fromObject takes. */
function toWire(type: protobuf.Type, value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  checkOneofs(type, value as Record<string, unknown>);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = type.fields[key];
    if (!field) continue; // oneof discriminators and unknown keys
    checkLong(type, field, v);
    out[key] = mapField(field, v, (t, x) => {
      const name = fullName(t);
      if (name === TIMESTAMP && x instanceof Date) {
        const ms = x.getTime();
        return { seconds: Math.floor(ms / 1000), nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 };
      }
      if (WRAPPERS.has(name)) return x === null || x === undefined ? undefined : { value: x };
      return toWire(t, x);
    });
  }
  return out;
}

/** protobufjs' toObject output → the generated shapes. */
function fromWire(type: protobuf.Type, value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = type.fields[key];
    if (!field) {
      out[key] = v; // oneof discriminator
      continue;
    }
    out[key] = mapField(field, v, (t, x) => {
      const name = fullName(t);
      if (name === TIMESTAMP) {
        if (x === null || x === undefined) return null;
        const { seconds, nanos } = x as { seconds: string | number; nanos: number };
        return new Date(Number(seconds) * 1000 + Math.floor(nanos / 1_000_000));
      }
      if (WRAPPERS.has(name)) return x === null || x === undefined ? null : (x as { value: unknown }).value;
      return fromWire(t, x);
    });
  }
  return out;
}

/** Applies `convert` to every message value of a field: single, repeated or map. */
function mapField(field: protobuf.Field, value: unknown, convert: (t: protobuf.Type, v: unknown) => unknown): unknown {
  const resolved = field.resolve().resolvedType;
  if (value instanceof Uint8Array || Array.isArray(value) && field.type === 'bytes' && !field.repeated) return Uint8Array.from(value as ArrayLike<number>);
  if (!(resolved instanceof protobuf.Type)) {
    if (field.type === 'bytes') return Array.isArray(value) && field.repeated ? value.map((b) => Uint8Array.from(b as number[])) : value;
    return value;
  }
  if (field.map && value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, convert(resolved, v)]));
  }
  if (field.repeated && Array.isArray(value)) return value.map((v) => convert(resolved, v));
  return convert(resolved, value);
}
