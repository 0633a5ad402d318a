// Avro codec on avsc: types parsed once per schema id, writer→reader resolvers once per id pair.
import avro from 'avsc';
import { EncodeError, type PathSegment } from './encode-error.js';

/**
 * Names a reader's named types also answer to, when reading data of another writer: reader full name → writer full
 * names. Avro Java compares record, enum and fixed names unqualified (`shop.OrderCreated` reads as
 * `shop.orders.OrderCreated`); avsc compares full names and reads other names only through aliases. `accord codegen`
 * computes these from Accord's checker, so the runtime resolves exactly the pairs the checker accepts.
 */
export type ResolutionAliases = Readonly<Record<string, readonly string[]>>;

/**
 * A copy of a reader schema's text with `aliases` added to its named types, for building resolvers only: the values it
 * decodes have the reader's own shape and names. Full names are computed as avsc computes them.
 */
export function withResolutionAliases(schema: string, aliases: ResolutionAliases): string {
  const visit = (node: unknown, ns: string | undefined): void => {
    if (Array.isArray(node)) return node.forEach((branch) => visit(branch, ns));
    if (node === null || typeof node !== 'object') return;
    const type = node as Record<string, unknown>;
    let inner = ns;
    if (typeof type.name === 'string' && ['record', 'error', 'enum', 'fixed'].includes(type.type as string)) {
      const declared = typeof type.namespace === 'string' ? type.namespace : undefined;
      const space = declared ?? (type.name.includes('.') ? undefined : ns);
      const full = type.name.includes('.') ? type.name.replace(/^\./, '') : space ? `${space}.${type.name}` : type.name;
      inner = declared ?? (type.name.includes('.') ? full.slice(0, full.lastIndexOf('.')) : ns);
      const extra = aliases[full];
      if (extra?.length) {
        // A leading dot keeps avsc from qualifying a name of the null namespace with this type's namespace.
        const own = Array.isArray(type.aliases) ? (type.aliases as string[]) : [];
        type.aliases = [...own, ...extra.map((a) => (a.includes('.') ? a : `.${a}`))];
      }
    }
    if (Array.isArray(type.fields)) for (const field of type.fields as { type?: unknown }[]) visit(field?.type, inner);
    visit(type.items, inner);
    visit(type.values, inner);
    if (typeof type.type === 'object') visit(type.type, inner);
  };
  const copy = JSON.parse(schema) as unknown;
  visit(copy, undefined);
  return JSON.stringify(copy);
}

/**
 * avsc writes named types into the options' registry, so every schema gets options of its own. `omitRecordMethods`:
 * avsc reads records into instances of a class per record type; without methods (clone, toBuffer…) on its prototype
 * an instance is exactly the generated interface (own enumerable fields, in schema order), so decoded records are
 * returned as they are read, with no per-field copy.
 */
const typeOptions = (): Partial<avro.ForSchemaOptions> => ({ wrapUnions: 'auto', registry: {}, omitRecordMethods: true });

export class AvroTypes {
  private readonly types = new Map<string, avro.Type>();
  /** Resolvers by writer schema, then reader schema: no key string is built on the decode path. */
  private readonly resolvers = new Map<string, Map<string, ReturnType<avro.Type['createResolver']>>>();

  /**
   * `ignoreNamespaces`: named types match when their unqualified names (or aliases) do, whatever the namespaces. For
   * writers codegen never saw, whose aliases it could not compute; a little wider than Avro's rule (an alias matches
   * unqualified too).
   */
  constructor(private readonly options: { ignoreNamespaces?: boolean } = {}) {}

  /** The avsc type of a schema text (self-contained: references inlined). */
  type(schema: string): avro.Type {
    let type = this.types.get(schema);
    if (!type) {
      type = avro.Type.forSchema(JSON.parse(schema) as avro.Schema, typeOptions());
      this.types.set(schema, type);
    }
    return type;
  }

  encode(schema: string, value: unknown): Buffer {
    return this.type(schema).toBuffer(value);
  }

  /** Decodes bytes written with `writer` as the `reader` schema would see them (Avro schema resolution). */
  decode(writer: string, reader: string, payload: Uint8Array): unknown {
    const readerType = this.type(reader);
    return readAvro(readerType, asBuffer(payload), 0, writer === reader ? undefined : this.resolver(writer, reader));
  }

  /** The avsc resolver reading `writer` data as `reader`; throws when avsc cannot resolve the pair. */
  resolver(writer: string, reader: string): ReturnType<avro.Type['createResolver']> {
    let byReader = this.resolvers.get(writer);
    if (!byReader) this.resolvers.set(writer, (byReader = new Map()));
    let resolver = byReader.get(reader);
    if (!resolver) {
      resolver = createResolver(this.type(reader), this.type(writer), this.options.ignoreNamespaces === true);
      byReader.set(reader, resolver);
    }
    return resolver;
  }

  /** A value of one version as the next version reads it: what schema resolution alone can upcast. */
  convert(from: string, to: string, value: unknown): unknown {
    return this.decode(from, to, this.encode(from, value));
  }
}

export type Resolver = ReturnType<avro.Type['createResolver']>;

/** A Buffer over the same memory (avsc reads strings with Buffer methods). */
export const asBuffer = (bytes: Uint8Array): Buffer =>
  Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/**
 * The value encoded in `buffer` from `offset` to its end, read as `type` (through `resolver` when another schema
 * wrote it). As avsc's `fromBuffer` (same errors), without slicing the buffer first.
 */
export function readAvro(type: avro.Type, buffer: Buffer, offset: number, resolver?: Resolver): unknown {
  const { value, offset: end } = type.decode(buffer, offset, resolver);
  if (end < 0) throw new Error('truncated buffer');
  if (end !== buffer.length) throw new Error('trailing data');
  return value;
}

/**
 * Encoding goes into one buffer shared by every call (this is synchronous code), after the 5-byte header, and leaves
 * as one exact-size copy: the one copy `toBuffer` makes too, instead of another one to put a header in front. It grows
 * when a value does not fit; values larger than `MAX_SCRATCH` get a buffer of their own and leave it unchanged.
 */
let scratch = Buffer.allocUnsafeSlow(16 * 1024);
const MAX_SCRATCH = 1024 * 1024;

/** `value` as `type`, framed in the Confluent wire format with schema id `id` (no message indexes: Avro). */
export function encodeFramed(type: avro.Type, id: number, value: unknown): Buffer {
  let buffer = scratch;
  for (;;) {
    const end = type.encode(value, buffer, 5);
    if (end >= 0) {
      const out = Buffer.allocUnsafe(end);
      buffer.copy(out, 5, 5, end);
      out[0] = 0;
      out.writeInt32BE(id, 1);
      return out;
    }
    // avsc returns minus the bytes missing.
    const size = Math.max(buffer.length * 2, buffer.length - end);
    buffer = Buffer.allocUnsafeSlow(size);
    if (size <= MAX_SCRATCH) scratch = buffer;
  }
}

/**
 * `reader.createResolver(writer)`, without avsc's poisoned cache. avsc caches record resolvers by reader and writer
 * name before building them, and a reader union tries its branches in turn: a branch that fails (say record A for
 * writer record B) leaves a resolver that cannot read in the cache, and the next lookup of the same pair (the same
 * union in another field, or inside a recursive record) takes that branch and throws "typeResolver._read is not a
 * function" when the data is decoded. Here pairs that failed are found after a build (they are the cached resolvers
 * left without a reader) and hidden from the next build, which then fails them again, correctly, until none is left.
 */
function createResolver(reader: avro.Type, writer: avro.Type, ignoreNamespaces: boolean): Resolver {
  const failed = new Set<string>();
  for (;;) {
    const cache = new Map<string, { _read?: unknown }>();
    const registry = new Proxy({} as Record<string, unknown>, {
      get: (_, key) => (typeof key === 'string' && !failed.has(key) ? cache.get(key) : undefined),
      set: (_, key, value: { _read?: unknown }) => {
        if (typeof key === 'string') cache.set(key, value);
        return true;
      },
    });
    const resolver = reader.createResolver(writer, { registry, ignoreNamespaces } as Parameters<avro.Type['createResolver']>[1]);
    const broken = [...cache].filter(([key, r]) => typeof r._read !== 'function' && !failed.has(key));
    if (broken.length === 0) return resolver;
    for (const [key] of broken) failed.add(key);
  }
}

type AnyAvroType = avro.Type & {
  name?: string;
  types?: AnyAvroType[];
  itemsType?: AnyAvroType;
  valuesType?: AnyAvroType;
  symbols?: string[];
  size?: number;
  getField?(name: string): { type: AnyAvroType } | undefined;
};

/** What a type allows, as an error message says it. */
function describeAvroType(t: AnyAvroType): string {
  const name = t.typeName;
  if (name.startsWith('union')) return (t.types ?? []).map(describeAvroType).join(' or ');
  if (name === 'record' || name === 'error') return t.name ? `${t.name} (an object)` : 'an object';
  if (name === 'enum') {
    const symbols = t.symbols ?? [];
    return `${t.name ?? 'enum'}, one of ${symbols.slice(0, 8).map((x) => JSON.stringify(x)).join(', ')}${symbols.length > 8 ? ', ...' : ''}`;
  }
  if (name === 'fixed') return `${t.name ?? 'fixed'} (a Buffer of ${t.size} bytes)`;
  const plain: Record<string, string> = {
    array: 'an array',
    map: 'an object (map)',
    int: 'int (a 32-bit integer)',
    long: 'long (an integer)',
    float: 'float (a number)',
    double: 'double (a number)',
    bytes: 'bytes (a Buffer)',
  };
  return plain[name] ?? name;
}

/** The branch of a union that a value's next step goes into: an array, a record with that field, or a map. */
function branchOf(t: AnyAvroType, value: unknown, step: string): AnyAvroType {
  if (!t.typeName.startsWith('union')) return t;
  const branches = t.types ?? [];
  if (Array.isArray(value)) return branches.find((b) => b.typeName === 'array') ?? t;
  return branches.find((b) => (b.typeName === 'record' || b.typeName === 'error') && b.getField?.(step)) ?? branches.find((b) => b.typeName === 'map') ?? t;
}

/**
 * Why avsc refuses `value` as `type`, as an `EncodeError` naming the first field it does not allow by its path
 * (`items[2].sku`); undefined when avsc finds nothing to refuse. Run only after encoding failed: it walks the value
 * again.
 */
export function avroEncodeError(subject: string, type: avro.Type, value: unknown): EncodeError | undefined {
  let found: { path: string[]; value: unknown; type: AnyAvroType } | undefined;
  type.isValid(value, {
    errorHook: (path: string[], bad: unknown, at: avro.Type) => {
      found ??= { path: [...path], value: bad, type: at as AnyAvroType };
    },
  });
  if (!found) return undefined;
  const segments: PathSegment[] = [];
  let current: AnyAvroType | undefined = type as AnyAvroType;
  let here: unknown = value;
  for (const step of found.path) {
    current = current && branchOf(current, here, step);
    if (current?.typeName === 'array') {
      segments.push(Number(step));
      current = current.itemsType;
    } else if (current?.typeName === 'map') {
      segments.push({ key: step });
      current = current.valuesType;
    } else {
      segments.push(step);
      current = current?.getField?.(step)?.type;
    }
    here = here !== null && typeof here === 'object' ? (here as Record<string, unknown>)[step] : undefined;
  }
  return new EncodeError(subject, segments, describeAvroType(found.type), found.value);
}
