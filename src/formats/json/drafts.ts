// Which JSON Schema draft a schema is written in (from its root `$schema`, as Confluent decides), and the check of a
// schema against that draft's meta-schema, with Ajv's own meta-schemas: a keyword with a value of the wrong kind, an
// unknown type name and the like are refused with the JSON pointer of the offending value.
import { createRequire } from 'node:module';
import { Ajv, type AnySchemaObject, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { InvalidSchemaError } from '../format.js';
import { member, type JsonNode } from './text.js';

export type Draft = 'draft-04' | 'draft-06' | 'draft-07' | '2019-09' | '2020-12';
export const DRAFTS: readonly Draft[] = ['draft-04', 'draft-06', 'draft-07', '2019-09', '2020-12'];

/** `$schema` values (a trailing `#` removed, http or https) and the draft each selects. */
const BY_URI: Record<string, Draft> = {
  'json-schema.org/draft-04/schema': 'draft-04',
  'json-schema.org/schema': 'draft-04',
  'json-schema.org/draft-06/schema': 'draft-06',
  'json-schema.org/draft-07/schema': 'draft-07',
  'json-schema.org/draft/2019-09/schema': '2019-09',
  'json-schema.org/draft/2020-12/schema': '2020-12',
};

/**
 * The draft of a schema. No `$schema` means draft-07, as in Confluent; a `$schema` naming no known draft is refused
 * (Confluent's loader fails on it too, with 42201).
 */
export function draftOf(root: JsonNode): Draft {
  const declared = member(root, '$schema');
  if (declared === undefined) return 'draft-07';
  if (declared.type !== 'string') throw new InvalidSchemaError('Invalid JSON schema: $schema at /$schema must be a string');
  const uri = declared.value.replace(/#$/, '');
  const m = /^https?:\/\/(.*)$/.exec(uri);
  const draft = m ? BY_URI[m[1]!] : undefined;
  if (!draft) {
    throw new InvalidSchemaError(
      `Invalid JSON schema: $schema '${declared.value}' at /$schema names no supported draft (draft-04, draft-06, draft-07, 2019-09 or 2020-12, e.g. 'https://json-schema.org/draft/2020-12/schema')`,
    );
  }
  return draft;
}

const META_ID: Record<Draft, string> = {
  'draft-04': 'http://json-schema.org/draft-04/schema',
  'draft-06': 'http://json-schema.org/draft-06/schema',
  'draft-07': 'http://json-schema.org/draft-07/schema',
  '2019-09': 'https://json-schema.org/draft/2019-09/schema',
  '2020-12': 'https://json-schema.org/draft/2020-12/schema',
};

const validators = new Map<Draft, ValidateFunction>();

/** The meta-schema validator of a draft, built once per process. */
function metaValidator(draft: Draft): ValidateFunction {
  let v = validators.get(draft);
  if (v) return v;
  const options = { strict: false, validateFormats: false, logger: false, allErrors: false } as const;
  let ajv: Ajv | Ajv2019 | Ajv2020;
  const require = createRequire(import.meta.url);
  if (draft === 'draft-04') {
    const { default: AjvDraft04 } = require('ajv-draft-04') as { default: new (o: typeof options) => Ajv };
    ajv = new AjvDraft04(options);
  }
  else if (draft === '2019-09') ajv = new Ajv2019(options);
  else if (draft === '2020-12') ajv = new Ajv2020(options);
  else {
    ajv = new Ajv(options);
    if (draft === 'draft-06') {
      ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as AnySchemaObject);
    }
  }
  v = ajv.getSchema(META_ID[draft]);
  if (!v) throw new Error(`Ajv has no meta-schema for ${draft}`);
  validators.set(draft, v);
  return v;
}

/** Throws InvalidSchemaError naming the first place where `schema` breaks its draft's meta-schema. */
export function checkAgainstMetaSchema(schema: unknown, draft: Draft): void {
  const validate = metaValidator(draft);
  if (validate(schema)) return;
  const error = mostSpecific(validate.errors ?? []);
  const at = error?.instancePath || '/';
  throw new InvalidSchemaError(`Invalid JSON schema (${draft}): the value at ${at} ${describe(error)}`);
}

/** The deepest error: a `type` mismatch at a keyword says more than the `anyOf` that contains it. */
function mostSpecific(errors: ErrorObject[]): ErrorObject | undefined {
  return [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
}

function describe(error: ErrorObject | undefined): string {
  if (!error) return 'is not a valid schema';
  const p = error.params as Record<string, unknown>;
  if (/\/type(\/\d+)?$/.test(error.instancePath) && !/\/properties\/type$/.test(error.instancePath)) {
    return 'is not a JSON Schema type name (string, number, integer, boolean, null, array, object)';
  }
  switch (error.keyword) {
    case 'type':
      return `must be of type ${String(p.type)}`;
    case 'enum':
      return 'is not one of the allowed values';
    default:
      return error.message ?? 'is not a valid schema';
  }
}
