import { describe, expect, it } from 'vitest';
import { evaluate, mergePolicy, parseRuleSettings } from '../../governance/policy.js';
import { jsonSchemaFormat } from './index.js';

const outline = (schema: unknown) => jsonSchemaFormat.outline(jsonSchemaFormat.parse(JSON.stringify(schema), [], { validate: true, normalize: false, maxDepth: 64 }));
const strict = mergePolicy([parseRuleSettings({ profile: 'strict' })]);

describe('JSON Schema outline for governance', () => {
  it('names the event by title, else by the file its $id names; properties are fields, description is the doc', () => {
    const o = outline({ title: 'OrderShipped', description: 'Shipped.', type: 'object', properties: { orderId: { type: 'string', description: 'The order.' }, email: { type: 'string', 'confluent:tags': ['PII'] } } });
    expect(o.event).toMatchObject({ kind: 'record', name: 'OrderShipped', fullName: 'OrderShipped', path: '/', doc: 'Shipped.' });
    expect(o.event!.fields).toEqual([
      { name: 'orderId', path: '/properties/orderId', doc: 'The order.', type: 'string', sensitive: false },
      { name: 'email', path: '/properties/email', type: 'string', sensitive: true },
    ]);
    expect(outline({ $id: 'https://acme.com/schemas/order-cancelled.schema.json', type: 'object', properties: {} }).event?.name).toBe('order-cancelled');
  });

  it('nested objects and definitions are types of their own; enums under definitions too', () => {
    const o = outline({
      title: 'OrderPlaced',
      type: 'object',
      properties: { address: { type: 'object', properties: { street: { type: 'string' } } } },
      definitions: { Status: { enum: ['A', 'B'] } },
    });
    expect(o.types.map((t) => [t.kind, t.name, t.path])).toEqual([
      ['record', 'OrderPlaced', '/'],
      ['record', 'address', '/properties/address'],
      ['enum', 'Status', '/definitions/Status'],
    ]);
  });

  it('the naming, documentation, envelope and privacy rules apply as to the other formats', () => {
    const findings = evaluate('orders.update-order-value', outline({ title: 'UpdateOrder', type: 'object', properties: { customer_email: { type: 'string' } } }), undefined, strict);
    const rules = findings.map((f) => f.rule);
    expect(rules).toEqual(expect.arrayContaining(['EVENT_NAME_NOT_COMMAND', 'TYPE_DOCUMENTED', 'FIELD_DOCUMENTED', 'ENVELOPE_FIELDS', 'PERSONAL_DATA_MARKED', 'FIELD_NAME_CASE']));
    expect(findings.find((f) => f.rule === 'PERSONAL_DATA_MARKED')).toMatchObject({ path: '/properties/customer_email', hint: expect.stringContaining('"confluent:tags": ["PII"]') });
    expect(findings.find((f) => f.rule === 'FIELD_NAME_CASE')?.hint).toBe("rename it 'customerEmail'");
  });
});
