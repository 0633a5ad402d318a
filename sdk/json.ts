// JSON Schema codec on Ajv: each schema compiled once, by the Ajv class of its own draft, the payload UTF-8 JSON in the
// Confluent wire format (magic byte 0, 4-byte schema id, no message indexes), validated on encode.
import { Ajv, type AnySchemaObject, type ErrorObject, type Options, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import AjvDraft04Module from 'ajv-draft-04';
import ajvFormatsModule from 'ajv-formats';
import type { RegistryReader } from './client.js';
import { registeredId, upcastChain, withKafkaHelpers, type EventCodec } from './event-codec.js';
import { describeValue, formatPath, type PathSegment } from './encode-error.js';
import { MAGIC_BYTE, unframe } from './wire.js';

export type JsonSchemaDraft = 'draft-04' | 'draft-06' | 'draft-07' | '2019-09' | '2020-12';

const DRAFTS: Record<string, JsonSchemaDraft> = {
  'json-schema.org/schema': 'draft-04',
  'json-schema.org/draft-04/schema': 'draft-04',
  'json-schema.org/draft-06/schema': 'draft-06',
  'json-schema.org/draft-07/schema': 'draft-07',
  'json-schema.org/draft/2019-09/schema': '2019-09',
  'json-schema.org/draft/2020-12/schema': '2020-12',
};

/**
 * The draft of a schema as Confluent chooses it: only the root `$schema` counts (http or https, a trailing `#`
 * ignored); absent or not one of the five meta-schemas, draft-07.
 */
export function jsonSchemaDraft(schema: unknown): JsonSchemaDraft {
  const uri = schema !== null && typeof schema === 'object' ? (schema as { $schema?: unknown }).$schema : undefined;
  if (typeof uri !== 'string') return 'draft-07';
  const key = uri.replace(/#$/, '').replace(/^https?:\/\//, '');
  return DRAFTS[key] ?? 'draft-07';
}

/** A schema another one references: `name` is the URI its `$ref`s use (the Confluent reference name). */
export interface JsonSchemaSource {
  name: string;
  schema: string;
}

/** One registered JSON Schema version as a generated module embeds it. */
export interface EmbeddedJsonVersion {
  version: number;
  id: number;
  /** The schema text as the registry stores it. */
  schema: string;
  /** Every schema it references, transitively, by reference name. */
  references: readonly JsonSchemaSource[];
}

/** A value a schema rejects: `errors` as Ajv reports them, the message naming each by its path (`items[2].sku`). */
export class JsonValidationError extends TypeError {
  constructor(
    readonly subject: string,
    readonly errors: readonly ErrorObject[],
    /** The value validated, to show what each path holds. */
    value?: unknown,
  ) {
    super(`${subject}: value does not match the schema: ${errors.map((e) => describeAjvError(e, value)).join('; ')}`);
    this.name = 'JsonValidationError';
  }
}

/** The segments of a JSON pointer into `value`, indexes of arrays as numbers. */
function pointerPath(pointer: string, value: unknown): { path: PathSegment[]; at: unknown } {
  const path: PathSegment[] = [];
  let at = value;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const index = Array.isArray(at) && /^\d+$/.test(key) ? Number(key) : undefined;
    path.push(index ?? key);
    at = at !== null && typeof at === 'object' ? (at as Record<string, unknown>)[key] : undefined;
  }
  return { path, at };
}

/** One Ajv error as `amount.currency: expected string, got 5` or `paymentId: must match format "uuid", got "x"`. */
function describeAjvError(e: ErrorObject, value: unknown): string {
  const { path, at } = pointerPath(e.instancePath, value);
  const params = e.params as Record<string, unknown>;
  if (e.keyword === 'type') return `${formatPath(path)}: expected ${String(params.type).replace(/,/g, ' or ')}, got ${describeValue(at)}`;
  if (e.keyword === 'required') return `${formatPath([...path, String(params.missingProperty)])}: required, missing`;
  if (e.keyword === 'additionalProperties') return `${formatPath([...path, String(params.additionalProperty)])}: not allowed (the schema has no such property)`;
  return `${formatPath(path)}: ${e.message ?? e.keyword}, got ${describeValue(at)}`;
}

// ajv-draft-04 and ajv-formats are CommonJS with a `default`; an ES import gets module.exports, CommonJS the default.
type Constructor = new (options: Options) => Ajv;
const cjsDefault = <T>(m: unknown): T => ((m as { default?: T }).default ?? m) as T;
const AjvDraft04 = cjsDefault<Constructor>(AjvDraft04Module);
const addFormats = cjsDefault<(ajv: Ajv) => Ajv>(ajvFormatsModule);

/**
 * The Ajv of each draft (draft-06 is draft-07's Ajv, a superset). Not strict: a schema Confluent accepted may carry
 * keywords of its own (`connect.index`, `confluent:tags`) or formats Ajv does not know, and must still load; nor
 * re-validated against its meta-schema, as Confluent does not. `allErrors`: an encode error names every problem.
 */
function newAjv(draft: JsonSchemaDraft, useDefaults: boolean): Ajv {
  const options: Options = { strict: false, allErrors: true, validateSchema: false, logger: false, useDefaults };
  let ajv: Ajv;
  if (draft === 'draft-04') ajv = new AjvDraft04(options);
  else if (draft === '2019-09') ajv = new Ajv2019(options);
  else if (draft === '2020-12') ajv = new Ajv2020(options);
  else ajv = new Ajv(options);
  return addFormats(ajv);
}

/** Where a relative reference name resolves from a root `$id`: Ajv resolves `$ref`s against it, Confluent by name. */
function resolvedName(name: string, rootId: unknown): string | undefined {
  if (typeof rootId !== 'string') return undefined;
  try {
    const url = new URL(name, rootId).href;
    return url === name ? undefined : url;
  } catch {
    return undefined;
  }
}

/** A version's schema and references, the way both codec paths compile them. */
export interface JsonSchemaSet {
  schema: string;
  references: readonly JsonSchemaSource[];
}

/**
 * Validators per schema set, compiled once each: `validator` checks values (encode), `upcaster` also fills in the
 * schema's `default`s where a value leaves a property out (what an automatic upcaster does). One Ajv per compiled
 * set, since the versions of one subject usually share their `$id`.
 */
export class JsonValidators {
  private readonly compiled = new Map<string, ValidateFunction>();
  /** By the (stable) version object a generated module embeds: the encode path builds no key. */
  private readonly bySet = [new WeakMap<JsonSchemaSet, ValidateFunction>(), new WeakMap<JsonSchemaSet, ValidateFunction>()] as const;

  validator(set: JsonSchemaSet): ValidateFunction {
    return this.cached(set, false);
  }

  upcaster(set: JsonSchemaSet): ValidateFunction {
    return this.cached(set, true);
  }

  private cached(set: JsonSchemaSet, useDefaults: boolean): ValidateFunction {
    const cache = this.bySet[useDefaults ? 1 : 0];
    let validate = cache.get(set);
    if (!validate) cache.set(set, (validate = this.compile(set, useDefaults)));
    return validate;
  }

  private compile(set: JsonSchemaSet, useDefaults: boolean): ValidateFunction {
    const key = `${useDefaults ? 'd' : 'v'}\u0000${set.schema}\u0000${set.references.map((r) => `${r.name}\u0000${r.schema}`).join('\u0000')}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const root = JSON.parse(set.schema) as AnySchemaObject | boolean;
      const draft = jsonSchemaDraft(root);
      const ajv = newAjv(draft, useDefaults);
      const rootId = typeof root === 'object' ? (draft === 'draft-04' ? root.id : root.$id) : undefined;
      for (const ref of set.references) {
        const schema = JSON.parse(ref.schema) as AnySchemaObject;
        ajv.addSchema(schema, ref.name);
        // The same object under a second key: Ajv keeps one compiled schema, and a `$id` of its own is no conflict.
        const resolved = resolvedName(ref.name, rootId);
        if (resolved !== undefined && resolved !== schema.$id && !ajv.getSchema(resolved)) ajv.addSchema(schema, resolved);
      }
      validate = ajv.compile(root as AnySchemaObject);
      this.compiled.set(key, validate);
    }
    return validate;
  }
}

const validators = new JsonValidators();
const decoder = new TextDecoder('utf-8', { fatal: true });

/** The JSON text of a value, checked against the schema set first. */
export function jsonText(subject: string, set: JsonSchemaSet, value: unknown): string {
  const validate = validators.validator(set);
  if (!validate(value)) throw new JsonValidationError(subject, validate.errors ?? [], value);
  return JSON.stringify(value);
}

/** The Confluent framing of a JSON text: magic byte, big-endian schema id, the UTF-8 bytes, written in one buffer. */
function frameJson(schemaId: number, text: string): Buffer {
  const out = Buffer.allocUnsafe(5 + Buffer.byteLength(text));
  out[0] = MAGIC_BYTE;
  out.writeInt32BE(schemaId, 1);
  out.write(text, 5, 'utf8');
  return out;
}

/** A payload's JSON value (UTF-8; not validated: the writer did, as Confluent's deserializer trusts it by default). */
export function decodeJson(subject: string, payload: Uint8Array): unknown {
  let text: string;
  try {
    text = decoder.decode(payload);
  } catch {
    throw new TypeError(`${subject}: payload is not UTF-8`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TypeError(`${subject}: payload is not JSON (${(error as Error).message})`);
  }
}

/**
 * An upcaster JSON Schema covers by itself (codegen proved the step: a property added as optional or with a
 * `default`, a constraint relaxed): the value, with the next version's defaults filled in where it leaves a property
 * out, checked against the next version. A value that fails (a property the old schema left open, now typed
 * otherwise) throws, naming the path, rather than pass on as the wrong type.
 */
export function jsonResolvedUpcaster<From, To>(subject: string, to: JsonSchemaSet): (value: From) => To {
  return (value) => {
    const copy = structuredClone(value) as unknown;
    const validate = validators.upcaster(to);
    if (!validate(copy)) throw new JsonValidationError(subject, validate.errors ?? [], copy);
    return copy as To;
  };
}

export interface JsonEventDefinition<Name extends string = string> {
  /** The event's name (its title); modules generated before it was passed default to the subject. */
  event?: Name;
  subject: string;
  /** Every registered version, oldest first. */
  versions: readonly EmbeddedJsonVersion[];
  /** `upcasters[i]` turns a value of `versions[i]` into one of `versions[i + 1]`. */
  upcasters: readonly ((value: never) => unknown)[];
}

export function defineJsonEvent<Latest, Name extends string = string>(definition: JsonEventDefinition<Name>): EventCodec<Latest, Name> {
  const { subject, versions, upcasters } = definition;
  const latest = versions[versions.length - 1];
  if (!latest) throw new Error(`${subject}: no versions`);
  const byId = new Map(versions.map((v, i) => [v.id, i]));
  const upcast = upcastChain<Latest>(upcasters, versions.length);
  /** Writers unknown at generation time, checked once each to be JSON schemas of the registry. */
  const foreignWriters = new Set<number>();

  /**
   * Data of a writer codegen never saw: read as the newest known version whose schema it satisfies, then upcast from
   * there (JSON carries its own field names, so no writer schema is needed to read it).
   */
  const decodeForeign = (value: unknown): Latest => {
    for (let i = versions.length - 1; i >= 0; i--) {
      if (validators.validator(versions[i]!)(value)) return upcast(value, i);
    }
    throw new Error(`${subject}: the value matches no version known when this code was generated`);
  };

  return withKafkaHelpers<Latest, Name>({
    event: definition.event ?? (subject as Name),
    subject,
    schemaIds: versions.map((v) => v.id),
    latest: { version: latest.version, id: latest.id, schema: latest.schema },
    encode(value) {
      return frameJson(registeredId(latest.id), jsonText(subject, latest, value));
    },
    decode(bytes) {
      const { schemaId, payload } = unframe(bytes);
      const index = byId.get(schemaId);
      if (index === undefined) throw new Error(`${subject}: schema id ${schemaId} was not registered when this code was generated; use decodeAsync`);
      return upcast(decodeJson(subject, payload), index);
    },
    async decodeAsync(bytes, client: RegistryReader) {
      const { schemaId, payload } = unframe(bytes);
      const index = byId.get(schemaId);
      if (index !== undefined) return upcast(decodeJson(subject, payload), index);
      if (!foreignWriters.has(schemaId)) {
        const writer = await client.schemaById(schemaId);
        if (writer.schemaType !== 'JSON') throw new Error(`${subject}: schema ${schemaId} is ${writer.schemaType ?? 'AVRO'}, not JSON`);
        foreignWriters.add(schemaId);
      }
      return decodeForeign(decodeJson(subject, payload));
    },
  });
}
