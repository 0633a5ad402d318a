// The governance rule set, one rule at a time: a schema that passes and one that fails, with the finding's rule id,
// path, message and fix. Also the word helpers the naming rules stand on, severities (off/warn/error), rule parameters,
// the policy merge (global then prefixes), and the shared-type subjects (`x/y.proto`) that event-only rules skip.
// Each rule is tested switched on; which rules run out of the box (the profiles) is profiles.test.ts.
import { describe, expect, it } from 'vitest';
import { avroFormat } from '../formats/avro/index.js';
import type { OutlineType, SchemaOutline } from '../formats/format.js';
import { protobufFormat } from '../formats/protobuf/index.js';
import { catalogFacts, parseCatalogEntry } from './catalog.js';
import { describeFindings, evaluate, isSharedTypesSubject, mergePolicy, parseRuleSettings, type RuleSettings } from './policy.js';
import { DEFAULT_PARAMS, type CatalogFacts, type GovernanceFinding, type RuleParams } from './rule.js';
import { RULES, RULES_BY_ID } from './rules.js';
import { isCommandVerb, isPascalCase, isPastTense, looksPersonal, upperSnake, VAGUE_VERBS, words } from './words.js';

const OPTIONS = { validate: true, normalize: false, maxDepth: 64 };

const avro = (schema: unknown): SchemaOutline => avroFormat.outline(avroFormat.parse(typeof schema === 'string' ? schema : JSON.stringify(schema), [], OPTIONS));
const proto = (text: string): SchemaOutline => protobufFormat.outline(protobufFormat.parse(text, [], OPTIONS));

const OWNED: CatalogFacts = { owner: 'checkout', domain: 'orders', sensitive: [] };

/** A documented Avro event with the envelope and one more field; `extra` adds fields, `props` overrides the record. */
function avroEvent(name: string, extra: Record<string, unknown>[] = [], props: Record<string, unknown> = {}) {
  return {
    type: 'record',
    name,
    namespace: 'shop.orders',
    doc: 'Something that happened.',
    fields: [
      { name: 'eventId', type: 'string', doc: 'Unique id of the event.' },
      { name: 'occurredAt', type: 'long', doc: 'When it happened, epoch ms.' },
      { name: 'correlationId', type: 'string', doc: 'Shared by related events.' },
      { name: 'orderId', type: 'string', doc: 'The order.' },
      ...extra,
    ],
    ...props,
  };
}

/** A clean Protobuf event file; the pieces can be swapped out. */
function protoEvent({ pkg = 'shop.orders.v1', message = 'OrderPlaced', fields = '', enums = '' } = {}) {
  return `syntax = "proto3";
package ${pkg};

// An order was placed.
message ${message} {
  // Unique id of the event.
  string event_id = 1;
  // When it happened.
  int64 occurred_at = 2;
  // Shared by related events.
  string correlation_id = 3;
${fields}}
${enums}`;
}

/** Every rule switched on, as a warning: the rules alone, whatever the profiles run. */
const ALL_WARN: RuleSettings = { severities: Object.fromEntries(RULES.map((r) => [r.id, 'warn'])) };

/** Findings of every rule, each a warning unless `layers` say otherwise; `null` catalog = no catalog entry. */
function run(subject: string, outline: SchemaOutline, catalog: CatalogFacts | null = OWNED, ...layers: RuleSettings[]): GovernanceFinding[] {
  return evaluate(subject, outline, catalog ?? undefined, mergePolicy([ALL_WARN, ...layers]));
}

const only = (findings: GovernanceFinding[], rule: string) => findings.filter((f) => f.rule === rule);

/** An outline for a bare event name, to exercise the naming rules without a schema. */
function named(name: string, schemaType: 'AVRO' | 'PROTOBUF' = 'AVRO'): SchemaOutline {
  const event: OutlineType = { kind: schemaType === 'AVRO' ? 'record' : 'message', name, fullName: `shop.${name}`, path: schemaType === 'AVRO' ? '/' : `#/${name}`, doc: 'd', fields: [] };
  return { schemaType, event, namespace: 'shop', types: [event] };
}

describe('the rule catalogue', () => {
  it('has the first rule set, each with a unique SCREAMING_SNAKE id, a category and a one-line doc', () => {
    expect(RULES.map((r) => r.id)).toEqual([
      'SUBJECT_NAMING_STRATEGY',
      'EVENT_NAME_PASCAL_CASE',
      'EVENT_NAME_PAST_TENSE',
      'EVENT_NAME_SPECIFIC',
      'EVENT_NAME_NOT_COMMAND',
      'FIELD_NAME_CASE',
      'TYPE_DOCUMENTED',
      'FIELD_DOCUMENTED',
      'ENVELOPE_FIELDS',
      'PERSONAL_DATA_MARKED',
      'OWNER_DECLARED',
      'PROTOBUF_PACKAGE_VERSIONED',
      'PROTOBUF_ENUM_ZERO_UNSPECIFIED',
      'PROTOBUF_FIELD_LOWER_SNAKE_CASE',
    ]);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const rule of RULES) {
      expect(rule.id).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(rule.doc).toMatch(/^Checks that .*\.$/);
      expect(rule.doc).not.toContain('\n');
      expect(['NAMING', 'DOCUMENTATION', 'ENVELOPE', 'PRIVACY', 'OWNERSHIP', 'PROTOBUF']).toContain(rule.category);
      expect(RULES_BY_ID.get(rule.id)).toBe(rule);
    }
  });

  it('out of the box nothing is an error, so Accord stays a drop-in registry', () => {
    const findings = evaluate('x', avro(avroEvent('userUpdated', [{ name: 'Email', type: 'string' }])), undefined, mergePolicy([]));
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.severity === 'warn')).toBe(true);
  });

  it('a clean Avro event and a clean Protobuf event have no findings at all, with every rule on', () => {
    expect(run('orders.order-placed-value', avro(avroEvent('OrderPlaced')))).toEqual([]);
    expect(run('orders.order-placed-value', proto(protoEvent()))).toEqual([]);
  });
});

describe('words.ts', () => {
  it('splits PascalCase names into words, keeping acronyms whole', () => {
    expect(words('UserAddressChanged')).toEqual(['User', 'Address', 'Changed']);
    expect(words('HTTPRequestSent')).toEqual(['HTTP', 'Request', 'Sent']);
    expect(words('')).toEqual([]);
  });

  it('recognises PascalCase', () => {
    expect(isPascalCase('OrderCreated')).toBe(true);
    expect(isPascalCase('orderCreated')).toBe(false);
    expect(isPascalCase('Order_Created')).toBe(false);
    expect(isPascalCase('ORDERCREATED')).toBe(false);
  });

  it('recognises the past tense: regular -ed and irregular participles', () => {
    for (const w of ['Created', 'Changed', 'Shipped', 'Canceled', 'Sent', 'Paid', 'Sold', 'Built', 'Written', 'Lost']) expect(isPastTense(w), w).toBe(true);
    for (const w of ['Create', 'Order', 'Send', 'Ship', 'Update', 'Payment', 'Ed']) expect(isPastTense(w), w).toBe(false);
  });

  it('recognises command verbs', () => {
    for (const w of ['Create', 'Send', 'Update', 'Delete', 'Cancel', 'Process', 'Place']) expect(isCommandVerb(w), w).toBe(true);
    for (const w of ['Order', 'Created', 'User', 'create']) expect(isCommandVerb(w), w).toBe(false);
  });

  it('knows the vague verbs: Updated, Changed, Modified and their kin', () => {
    for (const w of ['Updated', 'Changed', 'Modified', 'Edited', 'Saved', 'Altered', 'Processed', 'Handled']) expect(VAGUE_VERBS.has(w), w).toBe(true);
    for (const w of ['Created', 'Shipped', 'Verified']) expect(VAGUE_VERBS.has(w), w).toBe(false);
  });

  it('recognises personal-data field names in any case, with _ or -, and as a suffix', () => {
    for (const n of ['email', 'Email', 'customerEmail', 'customer_email', 'phone_number', 'phoneNumber', 'birthDate', 'date_of_birth', 'dob', 'street', 'postal-code', 'postalCode', 'ssn', 'firstName', 'last_name', 'iban', 'ipAddress', 'shippingAddress']) {
      expect(looksPersonal(n), n).toBe(true);
    }
    for (const n of ['orderId', 'total', 'currency', 'city', 'country', 'createdAt', 'status', 'emailCount']) expect(looksPersonal(n), n).toBe(false);
  });

  it('upper-snakes type names for enum prefixes', () => {
    expect(upperSnake('OrderLine')).toBe('ORDER_LINE');
    expect(upperSnake('Status')).toBe('STATUS');
    expect(upperSnake('HTTPMethod')).toBe('HTTP_METHOD');
  });
});

describe('SUBJECT_NAMING_STRATEGY', () => {
  const outline = avro(avroEvent('OrderPlaced'));
  const withStrategy = (s: RuleParams['subjectNamingStrategy']) => ({ params: { subjectNamingStrategy: s } });

  it('topic (default): passes <topic>-value and <topic>-key', () => {
    expect(only(run('orders-value', outline), 'SUBJECT_NAMING_STRATEGY')).toEqual([]);
    expect(only(run('orders-key', outline), 'SUBJECT_NAMING_STRATEGY')).toEqual([]);
  });

  it('topic (default): fails any other subject, pointing at the -value subject', () => {
    const [f, ...rest] = only(run('orders', outline), 'SUBJECT_NAMING_STRATEGY');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'SUBJECT_NAMING_STRATEGY', category: 'NAMING', severity: 'warn', path: '/' });
    expect(f!.message).toBe("Subject 'orders' does not follow the topic naming strategy (<topic>-value or <topic>-key).");
    expect(f!.hint).toContain("register under 'orders-value'");
    expect(f!.hint).toContain("'-key'");
    // `-value` alone is not a topic
    expect(only(run('-value', outline), 'SUBJECT_NAMING_STRATEGY')).toHaveLength(1);
  });

  it('record: the subject must be the record full name', () => {
    expect(only(run('shop.orders.OrderPlaced', outline, OWNED, withStrategy('record')), 'SUBJECT_NAMING_STRATEGY')).toEqual([]);
    const [f] = only(run('orders-value', outline, OWNED, withStrategy('record')), 'SUBJECT_NAMING_STRATEGY');
    expect(f!.message).toBe("Subject 'orders-value' does not follow the record naming strategy.");
    expect(f!.hint).toBe("register under 'shop.orders.OrderPlaced'");
  });

  it('topic-record: the subject must be <topic>-<record full name>', () => {
    expect(only(run('orders-shop.orders.OrderPlaced', outline, OWNED, withStrategy('topic-record')), 'SUBJECT_NAMING_STRATEGY')).toEqual([]);
    const [f] = only(run('shop.orders.OrderPlaced', outline, OWNED, withStrategy('topic-record')), 'SUBJECT_NAMING_STRATEGY');
    expect(f!.message).toBe("Subject 'shop.orders.OrderPlaced' does not follow the topic-record naming strategy.");
    expect(f!.hint).toBe("register under '<topic>-shop.orders.OrderPlaced'");
  });

  it('any: every subject passes', () => {
    for (const s of ['whatever', 'orders', 'a.b.C']) expect(only(run(s, outline, OWNED, withStrategy('any')), 'SUBJECT_NAMING_STRATEGY')).toEqual([]);
  });

  it('applies to Protobuf too (record strategy uses the first message full name)', () => {
    const p = proto(protoEvent());
    expect(only(run('shop.orders.v1.OrderPlaced', p, OWNED, withStrategy('record')), 'SUBJECT_NAMING_STRATEGY')).toEqual([]);
    expect(only(run('orders-value', p, OWNED, withStrategy('record')), 'SUBJECT_NAMING_STRATEGY')[0]!.hint).toBe("register under 'shop.orders.v1.OrderPlaced'");
  });
});

describe('EVENT_NAME_PASCAL_CASE', () => {
  it('passes a PascalCase event', () => {
    expect(only(run('o-value', avro(avroEvent('OrderPlaced'))), 'EVENT_NAME_PASCAL_CASE')).toEqual([]);
  });

  it('fails camelCase and snake_case names, suggesting the PascalCase one', () => {
    const [f] = only(run('o-value', avro(avroEvent('orderPlaced'))), 'EVENT_NAME_PASCAL_CASE');
    expect(f).toMatchObject({ rule: 'EVENT_NAME_PASCAL_CASE', path: '/', message: "Event name 'orderPlaced' is not PascalCase.", hint: "rename it 'OrderPlaced'" });
    const [g] = only(run('o-value', avro(avroEvent('order_placed'))), 'EVENT_NAME_PASCAL_CASE');
    expect(g!.hint).toBe("rename it 'OrderPlaced'");
  });

  it('Protobuf: the first message is the event, located by its #/ path', () => {
    const [f] = only(run('o-value', proto(protoEvent({ message: 'order_placed' }))), 'EVENT_NAME_PASCAL_CASE');
    expect(f).toMatchObject({ path: '#/order_placed', hint: "rename it 'OrderPlaced'" });
  });

  // An all-caps name gets a suggestion that is itself PascalCase.
  it('suggests a PascalCase name for SCREAMING_SNAKE names (USER_REGISTERED → UserRegistered)', () => {
    const [f] = only(run('o-value', named('USER_REGISTERED')), 'EVENT_NAME_PASCAL_CASE');
    expect(f!.hint).toBe("rename it 'UserRegistered'");
  });
});

describe('EVENT_NAME_PAST_TENSE', () => {
  it('passes regular and irregular past tenses', () => {
    for (const n of ['OrderPlaced', 'ParcelSent', 'InvoicePaid', 'UserAddressChanged']) expect(only(run('o-value', named(n)), 'EVENT_NAME_PAST_TENSE'), n).toEqual([]);
  });

  it('fails a noun, suggesting a past-tense ending', () => {
    const [f] = only(run('o-value', avro(avroEvent('Order'))), 'EVENT_NAME_PAST_TENSE');
    expect(f).toMatchObject({ rule: 'EVENT_NAME_PAST_TENSE', category: 'NAMING', path: '/' });
    expect(f!.message).toBe("Event name 'Order' does not end in a past-tense verb.");
    expect(f!.hint).toContain('past tense');
    expect(f!.hint).toContain("'OrderCreated'");
  });

  it('fails a command, suggesting the fact', () => {
    const [f] = only(run('o-value', named('CreateOrder')), 'EVENT_NAME_PAST_TENSE');
    expect(f!.hint).toBe("name the fact instead, e.g. 'OrderCreated'");
    expect(only(run('o-value', named('CancelOrder')), 'EVENT_NAME_PAST_TENSE')[0]!.hint).toContain("'OrderCanceled'");
  });
});

describe('EVENT_NAME_SPECIFIC', () => {
  it('passes UserAddressChanged: the name says what about the user changed', () => {
    expect(only(run('u-value', avro(avroEvent('UserAddressChanged'))), 'EVENT_NAME_SPECIFIC')).toEqual([]);
    expect(only(run('u-value', named('OrderCreated')), 'EVENT_NAME_SPECIFIC')).toEqual([]);
  });

  it('fails UserUpdated, saying what to do instead', () => {
    const [f, ...rest] = only(run('u-value', avro(avroEvent('UserUpdated'))), 'EVENT_NAME_SPECIFIC');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'EVENT_NAME_SPECIFIC', category: 'NAMING', severity: 'warn', path: '/' });
    expect(f!.message).toBe("Event name 'UserUpdated' does not say what about the user changed.");
    expect(f!.hint).toContain("'UserAddressChanged'");
    expect(f!.hint).toContain('one event per kind of change');
    // UserUpdated is past tense and not a command: only the specificity rule speaks.
    expect(run('u-value', avro(avroEvent('UserUpdated'))).map((x) => x.rule)).toEqual(['EVENT_NAME_SPECIFIC']);
  });

  it('fails every vague verb after a single noun', () => {
    for (const verb of ['Changed', 'Modified', 'Edited', 'Saved', 'Altered', 'Processed', 'Handled']) {
      expect(only(run('o-value', named(`Order${verb}`)), 'EVENT_NAME_SPECIFIC'), verb).toHaveLength(1);
    }
  });

  it('Protobuf events too', () => {
    const [f] = only(run('u-value', proto(protoEvent({ message: 'CustomerChanged' }))), 'EVENT_NAME_SPECIFIC');
    expect(f).toMatchObject({ path: '#/CustomerChanged', message: "Event name 'CustomerChanged' does not say what about the customer changed." });
  });
});

describe('EVENT_NAME_NOT_COMMAND', () => {
  it('passes facts, including ones that start with a command-like word but end in the past tense', () => {
    for (const n of ['OrderCreated', 'EmailSent', 'ShipmentDispatched', 'PlaceOrderRejected']) expect(only(run('o-value', named(n)), 'EVENT_NAME_NOT_COMMAND'), n).toEqual([]);
  });

  it('fails CreateOrder, naming the fact', () => {
    const [f] = only(run('o-value', avro(avroEvent('CreateOrder'))), 'EVENT_NAME_NOT_COMMAND');
    expect(f).toMatchObject({ rule: 'EVENT_NAME_NOT_COMMAND', category: 'NAMING', path: '/' });
    expect(f!.message).toBe("Event name 'CreateOrder' reads as a command.");
    expect(f!.hint).toBe("name the fact that happened, e.g. 'OrderCreated'");
  });

  it('a single command word is not flagged as a command (but is not past tense either)', () => {
    expect(only(run('o-value', named('Create')), 'EVENT_NAME_NOT_COMMAND')).toEqual([]);
    expect(only(run('o-value', named('Create')), 'EVENT_NAME_PAST_TENSE')).toHaveLength(1);
  });

  it('fails SendEmail', () => {
    const [f] = only(run('o-value', named('SendEmail')), 'EVENT_NAME_NOT_COMMAND');
    expect(f!.message).toBe("Event name 'SendEmail' reads as a command.");
  });

  // Irregular and doubling verbs give real participles.
  it('suggests EmailSent for SendEmail (not EmailSended) and OrderShipped for ShipOrder (not OrderShiped)', () => {
    expect(only(run('o-value', named('SendEmail')), 'EVENT_NAME_NOT_COMMAND')[0]!.hint).toContain("'EmailSent'");
    expect(only(run('o-value', named('ShipOrder')), 'EVENT_NAME_NOT_COMMAND')[0]!.hint).toContain("'OrderShipped'");
  });

  // A vague participle would trade one finding for another.
  it('does not suggest a name another rule rejects (UpdateUser → not UserUpdated)', () => {
    const [f] = only(run('o-value', named('UpdateUser')), 'EVENT_NAME_NOT_COMMAND');
    const suggested = /e\.g\. '(\w+)'/.exec(f!.hint)![1]!;
    expect(run('o-value', named(suggested)).filter((x) => x.rule.startsWith('EVENT_NAME'))).toEqual([]);
  });
});

describe('FIELD_NAME_CASE', () => {
  it('passes camelCase fields by default', () => {
    expect(only(run('o-value', avro(avroEvent('OrderPlaced', [{ name: 'totalAmount', type: 'double', doc: 'd' }]))), 'FIELD_NAME_CASE')).toEqual([]);
  });

  it('fails a snake_case field by default, with its path and the camelCase name', () => {
    const [f, ...rest] = only(run('o-value', avro(avroEvent('OrderPlaced', [{ name: 'total_amount', type: 'double', doc: 'd' }]))), 'FIELD_NAME_CASE');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'FIELD_NAME_CASE', category: 'NAMING', path: '/fields/4' });
    expect(f!.message).toBe("Field 'total_amount' of OrderPlaced is not camelCase.");
    expect(f!.hint).toBe("rename it 'totalAmount' (add the old name as an alias)");
  });

  it('with fieldCase snake_case: snake_case passes and camelCase fails', () => {
    const snake = { params: { fieldCase: 'snake_case' as const } };
    const schema = {
      type: 'record',
      name: 'OrderPlaced',
      doc: 'd',
      fields: [
        { name: 'event_id', type: 'string', doc: 'd' },
        { name: 'occurred_at', type: 'long', doc: 'd' },
        { name: 'correlation_id', type: 'string', doc: 'd' },
        { name: 'totalAmount', type: 'double', doc: 'd' },
      ],
    };
    const findings = run('o-value', avro(schema), OWNED, snake);
    expect(only(findings, 'FIELD_NAME_CASE')).toEqual([
      expect.objectContaining({ path: '/fields/3', message: "Field 'totalAmount' of OrderPlaced is not snake_case.", hint: "rename it 'total_amount' (add the old name as an alias)" }),
    ]);
    expect(findings.map((f) => f.rule)).toEqual(['FIELD_NAME_CASE']);
  });

  it('checks nested records, with the nested path', () => {
    const schema = avroEvent('OrderPlaced', [{ name: 'line', doc: 'd', type: { type: 'record', name: 'Line', doc: 'd', fields: [{ name: 'Sku', type: 'string', doc: 'd' }] } }]);
    expect(only(run('o-value', avro(schema)), 'FIELD_NAME_CASE')).toEqual([expect.objectContaining({ path: '/fields/4/type/fields/0', hint: "rename it 'sku' (add the old name as an alias)" })]);
  });

  it('does not apply to Protobuf (PROTOBUF_FIELD_LOWER_SNAKE_CASE does)', () => {
    expect(RULES_BY_ID.get('FIELD_NAME_CASE')!.formats).toEqual(['AVRO', 'JSON']);
    expect(only(run('o-value', proto(protoEvent())), 'FIELD_NAME_CASE')).toEqual([]);
  });
});

describe('TYPE_DOCUMENTED', () => {
  it('passes documented records and enums', () => {
    const schema = avroEvent('OrderPlaced', [{ name: 'status', doc: 'd', type: { type: 'enum', name: 'Status', doc: 'Order status.', symbols: ['NEW'] } }]);
    expect(only(run('o-value', avro(schema)), 'TYPE_DOCUMENTED')).toEqual([]);
  });

  it('fails an undocumented record and enum (blank docs count as none), each at its path', () => {
    const schema = avroEvent('OrderPlaced', [{ name: 'status', doc: 'd', type: { type: 'enum', name: 'Status', symbols: ['NEW'] } }], { doc: '  ' });
    const findings = only(run('o-value', avro(schema)), 'TYPE_DOCUMENTED');
    expect(findings).toEqual([
      expect.objectContaining({ rule: 'TYPE_DOCUMENTED', category: 'DOCUMENTATION', path: '/', message: "Type 'OrderPlaced' has no documentation.", hint: 'add a doc saying what OrderPlaced means' }),
      expect.objectContaining({ path: '/fields/4/type', message: "Enum 'Status' has no documentation.", hint: 'add a doc saying what Status means' }),
    ]);
  });

  it('fixed types need no doc', () => {
    const schema = avroEvent('OrderPlaced', [{ name: 'hash', doc: 'd', type: { type: 'fixed', name: 'Hash', size: 16 } }]);
    expect(only(run('o-value', avro(schema)), 'TYPE_DOCUMENTED')).toEqual([]);
  });

  it('Protobuf: a comment documents a message; a message without one fails', () => {
    const text = protoEvent({ fields: '  // The line.\n  Line line = 4;\n', enums: 'message Line {\n  // Sku.\n  string sku = 1;\n}\n' });
    expect(only(run('o-value', proto(text)), 'TYPE_DOCUMENTED')).toEqual([
      expect.objectContaining({ path: '#/Line', message: "Type 'Line' has no documentation." }),
    ]);
  });
});

describe('FIELD_DOCUMENTED', () => {
  it('passes documented fields', () => {
    expect(only(run('o-value', avro(avroEvent('OrderPlaced'))), 'FIELD_DOCUMENTED')).toEqual([]);
  });

  it('fails an undocumented field with its path', () => {
    const [f, ...rest] = only(run('o-value', avro(avroEvent('OrderPlaced', [{ name: 'total', type: 'double' }]))), 'FIELD_DOCUMENTED');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'FIELD_DOCUMENTED', category: 'DOCUMENTATION', path: '/fields/4' });
    expect(f!.message).toBe("Field 'total' of OrderPlaced has no documentation.");
    expect(f!.hint).toBe("add a doc to 'total' saying what it holds and in which unit");
  });

  it('Protobuf: an uncommented field fails at #/Message/<number>', () => {
    const [f] = only(run('o-value', proto(protoEvent({ fields: '  int64 total_cents = 7;\n' }))), 'FIELD_DOCUMENTED');
    expect(f).toMatchObject({ path: '#/OrderPlaced/7', message: "Field 'total_cents' of OrderPlaced has no documentation." });
  });
});

describe('ENVELOPE_FIELDS', () => {
  it('passes an event with event id, occurred-at time and correlation id (any of the configured names)', () => {
    expect(only(run('o-value', avro(avroEvent('OrderPlaced'))), 'ENVELOPE_FIELDS')).toEqual([]);
    const alt = { type: 'record', name: 'OrderPlaced', doc: 'd', fields: [{ name: 'id', type: 'string', doc: 'd' }, { name: 'timestamp', type: 'long', doc: 'd' }, { name: 'correlation_id', type: 'string', doc: 'd' }] };
    expect(only(run('o-value', avro(alt)), 'ENVELOPE_FIELDS')).toEqual([]);
    expect(only(run('o-value', proto(protoEvent())), 'ENVELOPE_FIELDS')).toEqual([]);
  });

  it('fails once for the whole envelope, at the event, naming every field to add', () => {
    const schema = { type: 'record', name: 'OrderPlaced', doc: 'd', fields: [{ name: 'eventId', type: 'string', doc: 'd' }] };
    expect(only(run('o-value', avro(schema)), 'ENVELOPE_FIELDS')).toEqual([
      expect.objectContaining({
        rule: 'ENVELOPE_FIELDS',
        category: 'ENVELOPE',
        path: '/',
        message: "Event 'OrderPlaced' has no occurred-at time or correlation id field.",
        hint: "add 'occurredAt' (the occurred-at time), 'correlationId' (the correlation id)",
      }),
    ]);
    const bare = { type: 'record', name: 'OrderPlaced', doc: 'd', fields: [] };
    expect(only(run('o-value', avro(bare)), 'ENVELOPE_FIELDS').map((f) => f.message)).toEqual(["Event 'OrderPlaced' has no event id, occurred-at time or correlation id field."]);
  });

  it('custom envelopeFields replace the defaults', () => {
    const custom = { params: { envelopeFields: { 'message id': ['messageId'], 'tenant': ['tenantId'] } } };
    const schema = avroEvent('OrderPlaced', [{ name: 'messageId', type: 'string', doc: 'd' }]);
    expect(only(run('o-value', avro(schema), OWNED, custom), 'ENVELOPE_FIELDS')).toEqual([
      expect.objectContaining({ message: "Event 'OrderPlaced' has no tenant field.", hint: "add 'tenantId' (the tenant)" }),
    ]);
    expect(only(run('o-value', avro(avroEvent('OrderPlaced', [{ name: 'messageId', type: 'string', doc: 'd' }, { name: 'tenantId', type: 'string', doc: 'd' }])), OWNED, custom), 'ENVELOPE_FIELDS')).toEqual([]);
    // An empty map turns the requirement off.
    expect(only(run('o-value', avro({ type: 'record', name: 'OrderPlaced', doc: 'd', fields: [] }), OWNED, { params: { envelopeFields: {} } }), 'ENVELOPE_FIELDS')).toEqual([]);
  });

  // The hint names a field the Protobuf naming rule accepts.
  it('Protobuf: the hint names a lower_snake_case field (event_id), one the Protobuf rules accept', () => {
    const text = 'syntax = "proto3";\npackage shop.v1;\n// d\nmessage OrderPlaced {\n  // d\n  int64 occurred_at = 2;\n  // d\n  string correlation_id = 3;\n}\n';
    const [f] = only(run('o-value', proto(text)), 'ENVELOPE_FIELDS');
    expect(f!.hint).toContain("'event_id'");
  });
});

describe('PERSONAL_DATA_MARKED', () => {
  it('fails an untagged personal-data field, with path and both ways to fix it (Avro)', () => {
    const [f, ...rest] = only(run('o-value', avro(avroEvent('OrderPlaced', [{ name: 'customerEmail', type: 'string', doc: 'd' }]))), 'PERSONAL_DATA_MARKED');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'PERSONAL_DATA_MARKED', category: 'PRIVACY', path: '/fields/4' });
    expect(f!.message).toBe("Field 'customerEmail' of OrderPlaced looks like personal data but is not marked sensitive.");
    expect(f!.hint).toContain('"confluent:tags": ["PII"]');
    expect(f!.hint).toContain("'OrderPlaced.customerEmail'");
  });

  it('passes when tagged PII in the schema (confluent:tags, sensitive: true)', () => {
    const tagged = avroEvent('OrderPlaced', [
      { name: 'customerEmail', type: 'string', doc: 'd', 'confluent:tags': ['PII'] },
      { name: 'phone', type: 'string', doc: 'd', sensitive: true },
    ]);
    expect(only(run('o-value', avro(tagged)), 'PERSONAL_DATA_MARKED')).toEqual([]);
  });

  it('passes when the catalog lists the field by name, Type.name or path', () => {
    const outline = avro(avroEvent('OrderPlaced', [{ name: 'customerEmail', type: 'string', doc: 'd' }]));
    for (const s of ['customerEmail', 'OrderPlaced.customerEmail', '/fields/4']) {
      expect(only(run('o-value', outline, { ...OWNED, sensitive: [s] }), 'PERSONAL_DATA_MARKED'), s).toEqual([]);
    }
    expect(only(run('o-value', outline, { ...OWNED, sensitive: ['Other.customerEmail'] }), 'PERSONAL_DATA_MARKED')).toHaveLength(1);
  });

  it('finds personal data in nested records', () => {
    const schema = avroEvent('OrderPlaced', [{ name: 'shipTo', doc: 'd', type: { type: 'record', name: 'Address', doc: 'd', fields: [{ name: 'street', type: 'string', doc: 'd' }, { name: 'city', type: 'string', doc: 'd' }] } }]);
    expect(only(run('o-value', avro(schema)), 'PERSONAL_DATA_MARKED')).toEqual([expect.objectContaining({ path: '/fields/4/type/fields/0', message: "Field 'street' of Address looks like personal data but is not marked sensitive." })]);
  });

  it('Protobuf: (confluent.field_meta).tags = "PII" marks a field; the hint says so', () => {
    const untagged = proto(protoEvent({ fields: '  // d\n  string phone_number = 4;\n' }));
    const [f] = only(run('o-value', untagged), 'PERSONAL_DATA_MARKED');
    expect(f).toMatchObject({ path: '#/OrderPlaced/4', message: "Field 'phone_number' of OrderPlaced looks like personal data but is not marked sensitive." });
    expect(f!.hint).toContain('[(confluent.field_meta).tags = "PII"]');
    const tagged = proto(protoEvent({ fields: '  // d\n  string phone_number = 4 [(confluent.field_meta).tags = "PII"];\n' }));
    expect(only(run('o-value', tagged), 'PERSONAL_DATA_MARKED')).toEqual([]);
  });

  it('catalog entries feed it through catalogFacts', () => {
    const facts = catalogFacts(parseCatalogEntry({ owner: 'o', domain: 'd', sensitive: ['OrderPlaced.customerEmail'] }) as unknown as Record<string, unknown>);
    expect(facts).toEqual({ owner: 'o', domain: 'd', sensitive: ['OrderPlaced.customerEmail'] });
    expect(only(run('o-value', avro(avroEvent('OrderPlaced', [{ name: 'customerEmail', type: 'string', doc: 'd' }])), facts), 'PERSONAL_DATA_MARKED')).toEqual([]);
    expect(catalogFacts(undefined)).toBeUndefined();
  });
});

describe('OWNER_DECLARED', () => {
  const outline = avro(avroEvent('OrderPlaced'));

  it('passes with an owner and a domain', () => {
    expect(only(run('o-value', outline, OWNED), 'OWNER_DECLARED')).toEqual([]);
  });

  it('fails without a catalog entry, or with only one of owner/domain, pointing at the catalog API', () => {
    for (const catalog of [null, { owner: 'checkout' }, { domain: 'orders' }]) {
      const [f] = only(run('orders/o-value', outline, catalog), 'OWNER_DECLARED');
      expect(f).toMatchObject({ rule: 'OWNER_DECLARED', category: 'OWNERSHIP', path: '/' });
      expect(f!.message).toBe("Subject 'orders/o-value' has no owner team and domain in the catalog.");
      expect(f!.hint).toBe('PUT /catalog/subjects/orders%2Fo-value with "owner" and "domain"');
    }
  });

  it('applies to shared-type subjects too', () => {
    expect(only(run('shipping/address.proto', outline, null), 'OWNER_DECLARED')).toHaveLength(1);
  });
});

describe('PROTOBUF_PACKAGE_VERSIONED', () => {
  it('passes packages ending in vN, vNalpha, vNbetaM', () => {
    for (const pkg of ['shop.orders.v1', 'v2', 'shop.v1alpha', 'shop.v2beta3']) expect(only(run('o-value', proto(protoEvent({ pkg }))), 'PROTOBUF_PACKAGE_VERSIONED'), pkg).toEqual([]);
  });

  it('fails an unversioned package, suggesting <package>.v1', () => {
    const [f] = only(run('o-value', proto(protoEvent({ pkg: 'shop.orders' }))), 'PROTOBUF_PACKAGE_VERSIONED');
    expect(f).toMatchObject({ rule: 'PROTOBUF_PACKAGE_VERSIONED', category: 'PROTOBUF', path: '#/', message: "Package 'shop.orders' has no version suffix.", hint: "use a package like 'shop.orders.v1'" });
    for (const pkg of ['shop.orders.version1', 'shop.v1.orders']) expect(only(run('o-value', proto(protoEvent({ pkg }))), 'PROTOBUF_PACKAGE_VERSIONED'), pkg).toHaveLength(1);
  });

  it('fails a file with no package', () => {
    const text = protoEvent().replace('package shop.orders.v1;\n', '');
    const [f] = only(run('o-value', proto(text)), 'PROTOBUF_PACKAGE_VERSIONED');
    expect(f!.message).toBe("Package '(none)' has no version suffix.");
    expect(f!.hint).toBe("use a package like 'company.domain.v1'");
  });

  it('does not apply to Avro', () => {
    expect(only(run('o-value', avro(avroEvent('OrderPlaced'))), 'PROTOBUF_PACKAGE_VERSIONED')).toEqual([]);
  });
});

describe('PROTOBUF_ENUM_ZERO_UNSPECIFIED', () => {
  it('passes an enum whose zero value is <ENUM>_UNSPECIFIED', () => {
    const text = protoEvent({ enums: '// d\nenum OrderStatus {\n  // d\n  ORDER_STATUS_UNSPECIFIED = 0;\n  // d\n  ORDER_STATUS_PAID = 1;\n}\n' });
    expect(only(run('o-value', proto(text)), 'PROTOBUF_ENUM_ZERO_UNSPECIFIED')).toEqual([]);
  });

  it('fails an enum starting with a real value, at its path, naming the value to add', () => {
    const text = protoEvent({ enums: '// d\nenum OrderStatus {\n  PAID = 0;\n  SHIPPED = 1;\n}\n' });
    const [f, ...rest] = only(run('o-value', proto(text)), 'PROTOBUF_ENUM_ZERO_UNSPECIFIED');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'PROTOBUF_ENUM_ZERO_UNSPECIFIED', category: 'PROTOBUF', path: '#/OrderStatus' });
    expect(f!.message).toBe("Enum 'OrderStatus' does not start with ORDER_STATUS_UNSPECIFIED = 0.");
    expect(f!.hint).toContain('add ORDER_STATUS_UNSPECIFIED = 0 as its first value');
  });

  it('checks enums nested in messages', () => {
    const text = protoEvent({ fields: '  // d\n  enum Kind {\n    KIND_A = 0;\n  }\n' });
    expect(only(run('o-value', proto(text)), 'PROTOBUF_ENUM_ZERO_UNSPECIFIED')).toEqual([expect.objectContaining({ path: '#/OrderPlaced/Kind', message: "Enum 'Kind' does not start with KIND_UNSPECIFIED = 0." })]);
  });

  it('does not apply to Avro enums', () => {
    const schema = avroEvent('OrderPlaced', [{ name: 'status', doc: 'd', type: { type: 'enum', name: 'Status', doc: 'd', symbols: ['PAID'] } }]);
    expect(only(run('o-value', avro(schema)), 'PROTOBUF_ENUM_ZERO_UNSPECIFIED')).toEqual([]);
  });
});

describe('PROTOBUF_FIELD_LOWER_SNAKE_CASE', () => {
  it('passes lower_snake_case fields', () => {
    expect(only(run('o-value', proto(protoEvent({ fields: '  // d\n  int64 total_cents_2 = 4;\n' }))), 'PROTOBUF_FIELD_LOWER_SNAKE_CASE')).toEqual([]);
  });

  it('fails camelCase fields at #/Message/<number>, suggesting the snake_case name', () => {
    const [f, ...rest] = only(run('o-value', proto(protoEvent({ fields: '  // d\n  int64 totalCents = 4;\n' }))), 'PROTOBUF_FIELD_LOWER_SNAKE_CASE');
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ rule: 'PROTOBUF_FIELD_LOWER_SNAKE_CASE', category: 'PROTOBUF', path: '#/OrderPlaced/4', message: "Field 'totalCents' of OrderPlaced is not lower_snake_case.", hint: "rename it 'total_cents'" });
  });

  it('does not apply to Avro', () => {
    expect(only(run('o-value', avro(avroEvent('OrderPlaced', [{ name: 'TotalCents', type: 'long', doc: 'd' }]))), 'PROTOBUF_FIELD_LOWER_SNAKE_CASE')).toEqual([]);
  });
});

describe('severities', () => {
  const outline = avro(avroEvent('UserUpdated'));

  it('off removes a rule, warn reports it as a warning, error as an error', () => {
    expect(only(run('u-value', outline, OWNED, { severities: { EVENT_NAME_SPECIFIC: 'off' } }), 'EVENT_NAME_SPECIFIC')).toEqual([]);
    expect(only(run('u-value', outline, OWNED, { severities: { EVENT_NAME_SPECIFIC: 'warn' } }), 'EVENT_NAME_SPECIFIC')[0]!.severity).toBe('warn');
    expect(only(run('u-value', outline, OWNED, { severities: { EVENT_NAME_SPECIFIC: 'error' } }), 'EVENT_NAME_SPECIFIC')[0]!.severity).toBe('error');
  });

  it('later layers win: global, then shorter, then longer prefixes', () => {
    const policy = mergePolicy([
      { severities: { EVENT_NAME_SPECIFIC: 'error', FIELD_DOCUMENTED: 'off' }, params: { fieldCase: 'snake_case' } },
      { severities: { EVENT_NAME_SPECIFIC: 'off' } },
      { severities: { EVENT_NAME_SPECIFIC: 'warn' }, params: { subjectNamingStrategy: 'any' } },
    ]);
    expect(policy.severities.EVENT_NAME_SPECIFIC).toBe('warn');
    expect(policy.severities.FIELD_DOCUMENTED).toBe('off');
    // Rules no layer names keep the default profile's severity.
    expect(policy.severities.ENVELOPE_FIELDS).toBe('warn');
    expect(policy.severities.TYPE_DOCUMENTED).toBe('off');
    expect(policy.params).toEqual({ ...DEFAULT_PARAMS, fieldCase: 'snake_case', subjectNamingStrategy: 'any' });
    // The defaults themselves are untouched.
    expect(DEFAULT_PARAMS.fieldCase).toBe('camelCase');
  });

  it('parseRuleSettings accepts known rules, severities and params, and rejects the rest', () => {
    expect(parseRuleSettings({ severities: { OWNER_DECLARED: 'error' }, params: { fieldCase: 'snake_case', envelopeFields: { a: ['b'] } } })).toEqual({
      severities: { OWNER_DECLARED: 'error' },
      params: { fieldCase: 'snake_case', envelopeFields: { a: ['b'] } },
    });
    expect(() => parseRuleSettings({ severities: { NOPE: 'error' } })).toThrow(/Unknown rule 'NOPE'/);
    expect(() => parseRuleSettings({ severities: { OWNER_DECLARED: 'fatal' } })).toThrow(/error, warn or off/);
    expect(() => parseRuleSettings({ params: { fieldCase: 'kebab' } })).toThrow(/camelCase or snake_case/);
    expect(() => parseRuleSettings({ params: { subjectNamingStrategy: 'x' } })).toThrow(/topic, record, topic-record or any/);
    expect(() => parseRuleSettings({ params: { envelopeFields: { a: 'b' } } })).toThrow(/envelopeFields/);
    expect(() => parseRuleSettings({ params: { other: 1 } })).toThrow(/Unknown rule parameter 'other'/);
    expect(() => parseRuleSettings([])).toThrow(/JSON object/);
  });

  it('describeFindings names each rule, path and fix', () => {
    const text = describeFindings(run('u-value', outline, OWNED, { severities: { EVENT_NAME_SPECIFIC: 'error' } }));
    expect(text).toBe("EVENT_NAME_SPECIFIC at /: Event name 'UserUpdated' does not say what about the user changed. Fix: name the specific fact, e.g. 'UserAddressChanged' or 'UserEmailVerified', with one event per kind of change.");
  });
});

describe('shared-type subjects', () => {
  it('subjects named like files hold shared types', () => {
    for (const s of ['shipping/address.proto', 'common.avsc', 'x/y.avdl', 'types.json']) expect(isSharedTypesSubject(s), s).toBe(true);
    for (const s of ['orders-value', 'shop.orders.OrderPlaced', 'proto-value']) expect(isSharedTypesSubject(s), s).toBe(false);
  });

  it('event-only rules (naming, envelope) skip them; type, field, privacy, ownership and Protobuf rules still apply', () => {
    const text = 'syntax = "proto3";\npackage shipping;\nmessage address {\n  string Street = 1;\n}\nenum Kind { HOME = 0; }\n';
    const asEvent = new Set(run('x', proto(text), null).map((f) => f.rule));
    const asShared = new Set(run('x/y.proto', proto(text), null).map((f) => f.rule));
    const eventOnly = RULES.filter((r) => r.eventsOnly).map((r) => r.id);
    expect(eventOnly.sort()).toEqual(['ENVELOPE_FIELDS', 'EVENT_NAME_NOT_COMMAND', 'EVENT_NAME_PASCAL_CASE', 'EVENT_NAME_PAST_TENSE', 'EVENT_NAME_SPECIFIC', 'SUBJECT_NAMING_STRATEGY']);
    for (const id of ['SUBJECT_NAMING_STRATEGY', 'EVENT_NAME_PASCAL_CASE', 'EVENT_NAME_PAST_TENSE', 'ENVELOPE_FIELDS']) {
      expect(asEvent.has(id), id).toBe(true);
      expect(asShared.has(id), id).toBe(false);
    }
    expect([...asShared].sort()).toEqual(['FIELD_DOCUMENTED', 'OWNER_DECLARED', 'PERSONAL_DATA_MARKED', 'PROTOBUF_ENUM_ZERO_UNSPECIFIED', 'PROTOBUF_FIELD_LOWER_SNAKE_CASE', 'PROTOBUF_PACKAGE_VERSIONED', 'TYPE_DOCUMENTED']);
  });

  it('the example contracts: the shared Address type is clean', async () => {
    const { readFileSync } = await import('node:fs');
    const text = readFileSync(new URL('../../contracts/examples/shipping/address.proto', import.meta.url), 'utf8');
    expect(run('shipping/address.proto', proto(text), { owner: 'logistics', domain: 'shipping', sensitive: ['Address.street', 'Address.postal_code'] })).toEqual([]);
  });
});
