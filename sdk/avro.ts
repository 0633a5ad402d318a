// Avro codec on avsc: types parsed once per schema id, writer→reader resolvers once per id pair.
import avro from 'avsc';

/** avsc writes named types into the options' registry, so every schema gets options of its own. */
const typeOptions = (): Partial<avro.ForSchemaOptions> => ({ wrapUnions: 'auto', registry: {} });

export class AvroTypes {
  private readonly types = new Map<string, avro.Type>();
  /** Resolvers by writer schema, then reader schema: no key string is built on the decode path. */
  private readonly resolvers = new Map<string, Map<string, ReturnType<avro.Type['createResolver']>>>();

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
    const buffer = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
    if (writer === reader) return plain(readerType.fromBuffer(buffer));
    let byReader = this.resolvers.get(writer);
    if (!byReader) this.resolvers.set(writer, (byReader = new Map()));
    let resolver = byReader.get(reader);
    if (!resolver) {
      resolver = readerType.createResolver(this.type(writer));
      byReader.set(reader, resolver);
    }
    return plain(readerType.fromBuffer(buffer, resolver));
  }

  /** A value of one version as the next version reads it: what schema resolution alone can upcast. */
  convert(from: string, to: string, value: unknown): unknown {
    return this.decode(from, to, this.encode(from, value));
  }
}

/** avsc returns record class instances; generated types are plain interfaces. */
function plain(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(plain);
  if (value === null || typeof value !== 'object' || Buffer.isBuffer(value)) return value;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, plain(v)]));
}
