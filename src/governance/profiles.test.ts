// The profiles: what runs out of the box (`default`: named facts and the envelope, as warnings) and what `strict` adds
// (every rule). The documented table of rules is checked against what really fires, so the docs cannot drift; plain,
// well-formed events get no findings by default; badly named ones still do; settings choose a profile per scope.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { avroFormat } from '../formats/avro/index.js';
import type { SchemaOutline } from '../formats/format.js';
import { protobufFormat } from '../formats/protobuf/index.js';
import { evaluate, mergePolicy, parseRuleSettings, type RuleSettingsUpdate } from './policy.js';
import { PROFILE_NAMES, PROFILES, profileSeverities } from './profiles.js';
import type { CatalogFacts } from './rule.js';
import { RULES, RULES_BY_ID } from './rules.js';

const OPTIONS = { validate: true, normalize: false, maxDepth: 64 };
const avro = (schema: unknown): SchemaOutline => avroFormat.outline(avroFormat.parse(typeof schema === 'string' ? schema : JSON.stringify(schema), [], OPTIONS));
const proto = (text: string, references: { name: string; text: string }[] = []): SchemaOutline =>
  protobufFormat.outline(
    protobufFormat.parse(text, references.map((r) => ({ name: r.name, subject: r.name, version: 1, schemaType: 'PROTOBUF' as const, schema: r.text })), OPTIONS),
  );
const example = (path: string) => readFileSync(new URL(`../../contracts/examples/${path}`, import.meta.url), 'utf8');

/** Rule ids found for `subject` (no catalog entry unless given) under the settings `layers`, in order, repeats kept. */
const rulesFound = (subject: string, outline: SchemaOutline, layers: RuleSettingsUpdate[] = [], catalog?: CatalogFacts) =>
  evaluate(subject, outline, catalog, mergePolicy(layers)).map((f) => f.rule);
const STRICT: RuleSettingsUpdate[] = [{ profile: 'strict' }];

/**
 * The rules as the README documents them: id, what it checks (the rule's doc after "Checks that"), and whether the
 * default profile runs it. Change this table and the README's together.
 */
const DOCUMENTED: [id: string, checks: string, byDefault: boolean][] = [
  ['SUBJECT_NAMING_STRATEGY', 'the subject follows the configured naming strategy (topic `-value`/`-key`, record name, or topic-record).', false],
  ['EVENT_NAME_PASCAL_CASE', 'the event type name is PascalCase.', false],
  ['EVENT_NAME_PAST_TENSE', 'the event name ends in a past-tense verb: an event states a fact that happened.', true],
  ['EVENT_NAME_SPECIFIC', 'the event says what changed: no bare Updated/Changed/Modified after a single noun.', true],
  ['EVENT_NAME_NOT_COMMAND', 'the event name is not a command (CreateOrder, SendEmail): events record facts, commands ask for them.', false],
  ['FIELD_NAME_CASE', 'Avro field names and JSON Schema property names use the configured case (camelCase by default).', false],
  ['TYPE_DOCUMENTED', 'every record, message and enum has a doc (Avro `doc`, Protobuf comment).', false],
  ['FIELD_DOCUMENTED', 'every field has a doc (Avro `doc`, Protobuf comment).', false],
  ['ENVELOPE_FIELDS', 'the event carries the envelope fields (event id, occurred-at time, correlation id; names configurable).', true],
  ['PERSONAL_DATA_MARKED', 'fields which look like personal data (email, phone, address, birth date, …) are marked sensitive.', false],
  ['OWNER_DECLARED', 'the subject has a catalog entry naming its owner team and domain.', false],
  ['PROTOBUF_PACKAGE_VERSIONED', 'the Protobuf package ends in a version (`shop.orders.v1`).', false],
  ['PROTOBUF_ENUM_ZERO_UNSPECIFIED', 'every Protobuf enum starts with a zero value named `<ENUM>_UNSPECIFIED`.', false],
  ['PROTOBUF_FIELD_LOWER_SNAKE_CASE', 'Protobuf field names are lower_snake_case.', false],
];

/** Schemas that between them break every rule (no catalog entry, subjects outside the topic strategy). */
const BROKEN: [subject: string, outline: SchemaOutline][] = [
  ['users', avro({ type: 'record', name: 'userUpdated', fields: [{ name: 'user_email', type: 'string' }] })],
  ['orders', avro({ type: 'record', name: 'CreateOrder', fields: [{ name: 'orderId', type: 'string' }] })],
  ['payments', proto('syntax = "proto3";\npackage acme.payments;\nmessage PaymentCapture {\n  string paymentId = 1;\n  Status status = 2;\n}\nenum Status {\n  OK = 0;\n}\n')],
];
const firing = (layers: RuleSettingsUpdate[]) => new Set(BROKEN.flatMap(([subject, outline]) => rulesFound(subject, outline, layers)));

describe('the documented rule table', () => {
  it('lists every rule once, in catalogue order, with its doc', () => {
    expect(DOCUMENTED.map(([id]) => id)).toEqual(RULES.map((r) => r.id));
    for (const [id, checks] of DOCUMENTED) expect(RULES_BY_ID.get(id)!.doc, id).toBe(`Checks that ${checks}`);
  });

  it('the broken schemas break every rule under strict, so the rows below prove something', () => {
    expect([...firing(STRICT)].sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  const byDefault = firing([]);
  it.each(DOCUMENTED.map(([id, , inDefault]) => [id, inDefault ? 'runs' : 'does not run', inDefault] as const))('%s %s by default', (id, _label, inDefault) => {
    expect(byDefault.has(id)).toBe(inDefault);
    expect(PROFILES.default.severities[id] !== undefined).toBe(inDefault);
  });
});

describe('the profiles as data', () => {
  it('name only known rules; strict names every rule; default is a part of strict', () => {
    for (const name of PROFILE_NAMES) {
      expect(PROFILES[name].name).toBe(name);
      expect(PROFILES[name].doc).toMatch(/\.$/);
      for (const id of Object.keys(PROFILES[name].severities)) expect(RULES_BY_ID.has(id), `${name}: ${id}`).toBe(true);
    }
    expect(Object.keys(PROFILES.strict.severities).sort()).toEqual(RULES.map((r) => r.id).sort());
    for (const id of Object.keys(PROFILES.default.severities)) expect(PROFILES.strict.severities[id], id).toBeDefined();
  });

  it('default warns and never rejects; strict makes every rule an error but OWNER_DECLARED, which stays a warning', () => {
    expect(Object.values(PROFILES.default.severities).every((s) => s === 'warn')).toBe(true);
    expect(Object.entries(PROFILES.strict.severities).filter(([, s]) => s !== 'error')).toEqual([['OWNER_DECLARED', 'warn']]);
  });

  it('profileSeverities gives every rule a severity, off where the profile does not name it', () => {
    const severities = profileSeverities('default');
    expect(Object.keys(severities)).toEqual(RULES.map((r) => r.id));
    expect(severities.FIELD_DOCUMENTED).toBe('off');
    expect(severities.EVENT_NAME_SPECIFIC).toBe('warn');
    expect(mergePolicy([])).toMatchObject({ profile: 'default', severities });
  });
});

describe('out of the box (the default profile)', () => {
  const ADDRESS = example('shipping/address.proto');

  /** A typical hand-written event: the envelope, no docs, no catalog entry. */
  const orderPlaced = {
    type: 'record',
    name: 'OrderPlaced',
    namespace: 'com.acme.orders',
    fields: [
      { name: 'eventId', type: 'string' },
      { name: 'occurredAt', type: 'long' },
      { name: 'correlationId', type: 'string' },
      { name: 'orderId', type: 'string' },
      { name: 'amount', type: 'double' },
    ],
  };
  const paymentCaptured =
    'syntax = "proto3";\npackage acme.payments;\nmessage PaymentCaptured {\n  string event_id = 1;\n  int64 occurred_at = 2;\n  string correlation_id = 3;\n  int64 amount_cents = 4;\n  Status status = 5;\n}\nenum Status {\n  OK = 0;\n  FAILED = 1;\n}\n';

  it.each([
    ['the example Avro contract', 'orders.order-created-value', () => avro(example('order-created.avsc'))],
    ['the example Protobuf contract', 'shipping.shipment-dispatched-value', () => proto(example('shipping/shipment-dispatched.proto'), [{ name: 'shipping/address.proto', text: ADDRESS }])],
    ['the example shared Protobuf type', 'shipping/address.proto', () => proto(ADDRESS)],
    ['a hand-written Avro event', 'orders.order-placed-value', () => avro(orderPlaced)],
    ['a hand-written Avro event under a record-named subject', 'com.acme.orders.OrderPlaced', () => avro(orderPlaced)],
    ['a hand-written Protobuf event', 'payments-value', () => proto(paymentCaptured)],
  ])('%s gets no findings, with no catalog entry', (_label, subject, outline) => {
    expect(rulesFound(subject, outline())).toEqual([]);
  });

  it.each([
    ['UserUpdated', ['EVENT_NAME_SPECIFIC']],
    ['DataChanged', ['EVENT_NAME_SPECIFIC']],
    ['OrderModified', ['EVENT_NAME_SPECIFIC']],
    ['OrderCreate', ['EVENT_NAME_PAST_TENSE']],
    ['OrderPayment', ['EVENT_NAME_PAST_TENSE']],
    // One warning, whose hint names the fact ('OrderCreated'); EVENT_NAME_NOT_COMMAND would say the same again.
    ['CreateOrder', ['EVENT_NAME_PAST_TENSE']],
  ])('a badly named event, %s, is still warned about: %j', (name, rules) => {
    const findings = evaluate('x-value', avro({ ...orderPlaced, name }), undefined, mergePolicy([]));
    expect(findings.map((f) => f.rule)).toEqual(rules);
    expect(findings.every((f) => f.severity === 'warn')).toBe(true);
  });

  it('an event without the envelope is warned once, and about nothing else', () => {
    const bare = { type: 'record', name: 'OrderPlaced', namespace: 'com.acme.orders', fields: [{ name: 'orderId', type: 'string' }, { name: 'amount', type: 'double' }] };
    expect(rulesFound('orders.order-placed-value', avro(bare))).toEqual(['ENVELOPE_FIELDS']);
    expect(rulesFound('orders/order-placed.avsc', avro(bare))).toEqual([]);
  });

  it('the strict profile reports the full set for the same events: the 7 or 8 findings they used to get by default', () => {
    expect(rulesFound('orders.order-placed-value', avro(orderPlaced), STRICT)).toEqual(['TYPE_DOCUMENTED', ...Array(5).fill('FIELD_DOCUMENTED'), 'OWNER_DECLARED']);
    expect(rulesFound('OrderPlaced', avro(orderPlaced), STRICT)).toEqual(['SUBJECT_NAMING_STRATEGY', 'TYPE_DOCUMENTED', ...Array(5).fill('FIELD_DOCUMENTED'), 'OWNER_DECLARED']);
    expect(rulesFound('payments-value', proto(paymentCaptured), STRICT)).toEqual([
      'TYPE_DOCUMENTED',
      'TYPE_DOCUMENTED',
      ...Array(5).fill('FIELD_DOCUMENTED'),
      'OWNER_DECLARED',
      'PROTOBUF_PACKAGE_VERSIONED',
      'PROTOBUF_ENUM_ZERO_UNSPECIFIED',
    ]);
    const severities = evaluate('OrderPlaced', avro(orderPlaced), undefined, mergePolicy(STRICT)).map((f) => `${f.rule}:${f.severity}`);
    expect(new Set(severities)).toEqual(new Set(['SUBJECT_NAMING_STRATEGY:error', 'TYPE_DOCUMENTED:error', 'FIELD_DOCUMENTED:error', 'OWNER_DECLARED:warn']));
    // The example contracts, with their catalog entries, are clean even under strict.
    const owned = { owner: 'checkout', domain: 'orders', sensitive: ['OrderCreated.customerEmail'] };
    expect(rulesFound('orders.order-created-value', avro(example('order-created.avsc')), STRICT, owned)).toEqual([]);
  });
});

describe('choosing a profile', () => {
  it('settings take a profile, or null to inherit one, and reject any other', () => {
    expect(parseRuleSettings({ profile: 'strict' })).toEqual({ profile: 'strict' });
    expect(parseRuleSettings({ profile: 'default', severities: { FIELD_DOCUMENTED: 'warn' } })).toEqual({ profile: 'default', severities: { FIELD_DOCUMENTED: 'warn' } });
    expect(parseRuleSettings({ profile: null })).toEqual({ profile: null });
    for (const profile of ['STRICT', 'lenient', 1, true]) expect(() => parseRuleSettings({ profile }), String(profile)).toThrow(/"profile" must be default or strict/);
  });

  it('a layer that names a profile starts over from it; its own severities apply on top', () => {
    // Registry-wide: the default profile with documentation switched on; a prefix then goes strict, minus one rule.
    const global: RuleSettingsUpdate = { severities: { FIELD_DOCUMENTED: 'warn', PERSONAL_DATA_MARKED: 'off' } };
    const prefix: RuleSettingsUpdate = { profile: 'strict', severities: { SUBJECT_NAMING_STRATEGY: 'off' } };
    expect(mergePolicy([global]).severities).toMatchObject({ FIELD_DOCUMENTED: 'warn', TYPE_DOCUMENTED: 'off', EVENT_NAME_SPECIFIC: 'warn' });
    const strict = mergePolicy([global, prefix]);
    expect(strict.profile).toBe('strict');
    expect(strict.severities).toMatchObject({ FIELD_DOCUMENTED: 'error', PERSONAL_DATA_MARKED: 'error', TYPE_DOCUMENTED: 'error', SUBJECT_NAMING_STRATEGY: 'off', OWNER_DECLARED: 'warn' });
    // A longer prefix may go back to the default profile.
    expect(mergePolicy([global, prefix, { profile: 'default' }])).toMatchObject({ profile: 'default', severities: profileSeverities('default') });
    // A layer without a profile keeps the one in force.
    expect(mergePolicy([prefix, { severities: { TYPE_DOCUMENTED: 'warn' } }])).toMatchObject({ profile: 'strict', severities: { TYPE_DOCUMENTED: 'warn', FIELD_DOCUMENTED: 'error' } });
  });
});
