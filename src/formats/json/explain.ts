// Each incompatible JSON Schema difference as a finding: Confluent's type as the rule, the place in the reader's
// schema, a sentence saying what readers of the reader's schema would now refuse, and the change that avoids it.
import type { Incompatibility } from '../format.js';
import type { Difference } from './diff.js';
import type { DifferenceType } from './difference-types.js';

interface Roles {
  reader: string;
  writer: string;
}

const BOUND_KEYWORDS: Record<string, string> = {
  MAX_LENGTH: 'maxLength',
  MIN_LENGTH: 'minLength',
  MAXIMUM: 'maximum',
  MINIMUM: 'minimum',
  EXCLUSIVE_MAXIMUM: 'exclusiveMaximum',
  EXCLUSIVE_MINIMUM: 'exclusiveMinimum',
  MAX_PROPERTIES: 'maxProperties',
  MIN_PROPERTIES: 'minProperties',
  MAX_ITEMS: 'maxItems',
  MIN_ITEMS: 'minItems',
  MAX_CONTAINS: 'maxContains',
  MIN_CONTAINS: 'minContains',
  MULTIPLE_OF: 'multipleOf',
  PATTERN: 'pattern',
  UNIQUE_ITEMS: 'uniqueItems',
};

/** The last segment of a Confluent path: the property, item position or dependency the difference is about. */
const subject = (path: string) => path.split('/').pop() ?? '';

function sentence(type: DifferenceType, path: string, { reader, writer }: Roles): { message: string; hint: string } {
  const name = subject(path);
  const bound = /^(.*)_(ADDED|DECREASED|INCREASED|CHANGED|EXPANDED)$/.exec(type);
  if (bound && BOUND_KEYWORDS[bound[1]!]) {
    const keyword = BOUND_KEYWORDS[bound[1]!]!;
    const how = { ADDED: 'adds', DECREASED: 'tightens', INCREASED: 'tightens', CHANGED: 'changes', EXPANDED: 'tightens' }[bound[2]!];
    return {
      message: `The ${reader} schema ${how} ${keyword}, so values the ${writer} schema allowed can now be refused`,
      hint: `keep ${keyword} as it was in the ${writer} schema, or loosen it`,
    };
  }
  switch (type) {
    case 'TYPE_CHANGED':
      return { message: `The ${reader} schema expects a different kind of value than the ${writer} schema`, hint: `keep the ${writer} schema's type, or accept both with anyOf` };
    case 'TYPE_NARROWED':
      return { message: `The ${reader} schema accepts only integers where the ${writer} schema allowed any number`, hint: `keep "type": "number"` };
    case 'SCHEMA_ADDED':
      return { message: `The ${reader} schema adds a schema where the ${writer} schema accepted anything`, hint: `leave that keyword out, or make it {}` };
    case 'ENUM_ARRAY_NARROWED':
      return { message: `The ${reader} schema removes values from the enum that the ${writer} schema allowed`, hint: `keep every value of the ${writer} schema's enum` };
    case 'ENUM_ARRAY_CHANGED':
      return { message: `The ${reader} schema changes the allowed value${path.endsWith('/const') ? ' (const)' : 's (enum)'}`, hint: `keep every value the ${writer} schema allowed; only add values` };
    case 'REQUIRED_ATTRIBUTE_ADDED':
      return { message: `The ${reader} schema makes '${name}' required, which the ${writer} schema's data may lack`, hint: `give '${name}' a default, or keep it optional` };
    case 'ADDITIONAL_PROPERTIES_REMOVED':
    case 'ADDITIONAL_ITEMS_REMOVED':
    case 'UNEVALUATED_PROPERTIES_REMOVED':
    case 'UNEVALUATED_ITEMS_REMOVED': {
      const what = type.includes('ITEMS') ? 'items' : 'properties';
      return { message: `The ${reader} schema forbids extra ${what} that the ${writer} schema allowed`, hint: `keep extra ${what} allowed` };
    }
    case 'ADDITIONAL_PROPERTIES_NARROWED':
    case 'ADDITIONAL_ITEMS_NARROWED':
    case 'UNEVALUATED_PROPERTIES_NARROWED':
    case 'UNEVALUATED_ITEMS_NARROWED': {
      const what = type.includes('ITEMS') ? 'items' : 'properties';
      return { message: `The ${reader} schema constrains extra ${what}, which the ${writer} schema allowed to hold anything`, hint: `leave extra ${what} unconstrained` };
    }
    case 'DEPENDENCY_ARRAY_ADDED':
    case 'DEPENDENCY_ARRAY_EXTENDED':
    case 'DEPENDENCY_ARRAY_CHANGED':
    case 'DEPENDENCY_SCHEMA_ADDED':
      return { message: `The ${reader} schema adds a dependency on '${name}' that the ${writer} schema's data may not meet`, hint: `keep the ${writer} schema's dependencies for '${name}', or only remove some` };
    case 'PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL':
    case 'OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL':
    case 'REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL':
    case 'REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL':
      return {
        message: `The ${reader} schema adds property '${name}' with a type, but the ${writer} schema is open (additionalProperties not false), so its data may already hold '${name}' with any value`,
        hint: `close the ${writer} schema first ("additionalProperties": false), give '${name}' the empty schema {}, or set the subject's compatibilityPolicy to LENIENT`,
      };
    case 'REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL':
      return { message: `The ${reader} schema adds required property '${name}', which the ${writer} schema's data lacks`, hint: `give '${name}' a default, or make it optional` };
    case 'PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL':
      return {
        message: `The ${reader} schema adds property '${name}' with a type that does not accept what the ${writer} schema's additionalProperties/patternProperties allowed under that name`,
        hint: `give '${name}' a schema that accepts the ${writer} schema's values for it`,
      };
    case 'PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL':
      return {
        message: `The ${reader} schema removes property '${name}' but forbids unknown properties, so data holding '${name}' is refused`,
        hint: `keep '${name}' (it may be deprecated), or allow additional properties`,
      };
    case 'PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL':
      return {
        message: `The ${reader} schema removes property '${name}', and its additionalProperties/patternProperties do not accept the values '${name}' held`,
        hint: `keep '${name}', or widen the schema that now covers it`,
      };
    case 'ITEM_ADDED_TO_OPEN_CONTENT_MODEL':
      return { message: `The ${reader} schema types tuple position ${name}, which the ${writer} schema left open to any value`, hint: `give position ${name} the empty schema {}, or close the ${writer} tuple first` };
    case 'ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL':
      return { message: `The ${reader} schema removes tuple position ${name} but forbids extra items`, hint: `keep position ${name}, or allow additional items` };
    case 'ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL':
    case 'ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL':
      return { message: `Tuple position ${name} of the ${reader} schema does not accept what the ${writer} schema allowed there`, hint: `make position ${name} accept the ${writer} schema's items` };
    case 'COMBINED_TYPE_CHANGED':
      return { message: `The ${reader} schema changes allOf/anyOf/oneOf in a way that refuses data the ${writer} schema accepted`, hint: `keep the ${writer} schema's keyword, or change oneOf/allOf to anyOf` };
    case 'PRODUCT_TYPE_EXTENDED':
      return { message: `The ${reader} schema adds branches to allOf, each one more condition the ${writer} schema's data must meet`, hint: `keep the ${writer} schema's allOf branches` };
    case 'SUM_TYPE_NARROWED':
      return { message: `The ${reader} schema removes branches from anyOf/oneOf that the ${writer} schema's data may match`, hint: `keep every branch of the ${writer} schema` };
    case 'COMBINED_TYPE_SUBSCHEMAS_CHANGED':
      return { message: `The branches of the ${reader} schema's allOf/anyOf/oneOf do not each accept a branch of the ${writer} schema`, hint: `keep each ${writer} branch, changed only compatibly` };
    case 'NOT_TYPE_EXTENDED':
      return { message: `The ${reader} schema's "not" excludes more than the ${writer} schema's did`, hint: `exclude only what the ${writer} schema excluded` };
    default:
      return { message: `The ${reader} schema changes the ${writer} schema in a way that is not backward compatible`, hint: `undo this change` };
  }
}

/** The finding for one incompatible difference. */
export function explain(difference: Difference, roles: Roles): Incompatibility {
  const { message, hint } = sentence(difference.type, difference.path, roles);
  const where = difference.document ? ` (in the referenced schema '${difference.document}')` : '';
  return {
    rule: difference.type,
    path: difference.pointer === '' ? '/' : difference.pointer,
    message: `${message}${where}.`,
    hint,
    detail: `${difference.type} at ${difference.path}`,
  };
}
