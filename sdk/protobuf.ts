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

export class ProtoTypes {
  private readonly roots = new Map<string, protobuf.Root>();

  /** The message type `message` of a set of files (the first is the schema, the rest its imports). */
  type(files: readonly ProtoSource[], message: string): protobuf.Type {
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
    return root.lookupType(message);
  }

  encode(type: protobuf.Type, value: unknown): Uint8Array {
    const message = type.fromObject(toWire(type, value) as Record<string, unknown>);
    return type.encode(message).finish();
  }

  decode(type: protobuf.Type, payload: Uint8Array): unknown {
    return fromWire(type, type.toObject(type.decode(payload), TO_OBJECT));
  }
}

/** Generated shapes → what protobufjs' fromObject takes. */
function toWire(type: protobuf.Type, value: unknown): unknown {
  if (value === null || value === undefined || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
    const field = type.fields[key];
    if (!field) continue; // oneof discriminators and unknown keys
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
