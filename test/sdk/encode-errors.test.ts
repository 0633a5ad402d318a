// What `@accord/sdk` offers a service by name, and how its codecs refuse a value: an encode error names the field by
// its path in the value (`items[2].sku`), what the schema expects there and what the value holds, for Avro, Protobuf
// and JSON Schema alike; a Protobuf value of the wrong type is refused rather than turned into another value. The
// read-only client is `RegistryReader` (the old name still works).
// (Import direction and circles are src/architecture.test.ts's.)
import { describe, expect, it } from 'vitest';
import * as sdk from '../../sdk/index.js';
import { defineAvroEvent, defineJsonEvent, defineProtobufEvent, EncodeError } from '../../sdk/codegen.js';

const ORDER_AVRO = JSON.stringify({
  type: 'record',
  name: 'Order',
  namespace: 'shop',
  fields: [
    { name: 'orderId', type: 'string' },
    { name: 'items', type: { type: 'array', items: { type: 'record', name: 'Item', fields: [{ name: 'sku', type: 'string' }, { name: 'qty', type: 'int' }] } } },
    { name: 'attributes', type: { type: 'map', values: 'long' } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
});
const ORDER_PROTO = [
  'syntax = "proto3";',
  'package shop;',
  'message Order {',
  '  string order_id = 1;',
  '  repeated Item items = 2;',
  '  map<string, Item> by_sku = 3;',
  '  Kind kind = 4;',
  '  bool paid = 5;',
  '  int32 count = 6;',
  '  enum Kind { KIND_UNSET = 0; KIND_RETAIL = 1; }',
  '}',
  'message Item { string sku = 1; int32 qty = 2; }',
  '',
].join('\n');
const ORDER_JSON = JSON.stringify({
  type: 'object',
  properties: {
    orderId: { type: 'string' },
    items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] } },
  },
});

const avroOrders = defineAvroEvent<unknown>({ subject: 'orders-value', versions: [{ version: 1, id: 1, schema: ORDER_AVRO }], upcasters: [] });
const protoOrders = defineProtobufEvent<unknown>({
  subject: 'orders-proto-value',
  versions: [{ version: 1, id: 2, message: 'shop.Order', indexes: [0], files: [{ name: 'order.proto', source: ORDER_PROTO }] }],
  upcasters: [],
});
const jsonOrders = defineJsonEvent<unknown>({ subject: 'orders-json-value', versions: [{ version: 1, id: 3, schema: ORDER_JSON, references: [] }], upcasters: [] });

/** The error `encode` throws for `value`. */
const refusal = (encode: (value: never) => unknown, value: unknown): Error => {
  try {
    encode(value as never);
  } catch (error) {
    return error as Error;
  }
  throw new Error(`encoded ${JSON.stringify(value)}`);
};

describe('encode errors name the field, its path, what is expected and what was given', () => {
  const item = { sku: 'a', qty: 1 };

  it('Avro', () => {
    expect(refusal(avroOrders.encode, { orderId: 5, items: [], attributes: {} }).message).toBe('orders-value: orderId: expected string, got 5');
    const deep = refusal(avroOrders.encode, { orderId: 'o', items: [item, item, { sku: 7, qty: 1 }], attributes: {} });
    expect(deep).toBeInstanceOf(EncodeError);
    expect(deep).toMatchObject({ subject: 'orders-value', path: 'items[2].sku', expected: 'string', value: 7 });
    expect(deep.message).toBe('orders-value: items[2].sku: expected string, got 7');
    expect(refusal(avroOrders.encode, { orderId: 'o', items: [], attributes: { depot: 'x' } }).message).toBe('orders-value: attributes["depot"]: expected long (an integer), got "x"');
    expect(refusal(avroOrders.encode, { orderId: 'o', items: [], attributes: {}, note: 5 }).message).toBe('orders-value: note: expected null or string, got 5');
    expect(refusal(avroOrders.encode, { orderId: 'o', attributes: {} }).message).toBe('orders-value: items: expected an array, got undefined (missing)');
  });

  it('Protobuf: a value of the wrong type is refused, not converted', () => {
    expect(refusal(protoOrders.encode, { order_id: 5 }).message).toBe('orders-proto-value: order_id: expected string, got 5');
    const deep = refusal(protoOrders.encode, { order_id: 'o', items: [item, item, { sku: 7 }] });
    expect(deep).toMatchObject({ subject: 'orders-proto-value', path: 'items[2].sku', value: 7 });
    expect(deep.message).toBe('orders-proto-value: items[2].sku: expected string, got 7');
    expect(refusal(protoOrders.encode, { by_sku: { a: { qty: 'x' } } }).message).toBe('orders-proto-value: by_sku["a"].qty: expected int32 (an integer), got "x"');
    expect(refusal(protoOrders.encode, { kind: 'KIND_WHOLESALE' }).message).toBe('orders-proto-value: kind: expected shop.Order.Kind, one of "KIND_UNSET", "KIND_RETAIL", got "KIND_WHOLESALE"');
    expect(refusal(protoOrders.encode, { paid: 'yes' }).message).toBe('orders-proto-value: paid: expected boolean, got "yes"');
    expect(refusal(protoOrders.encode, { count: 1.5 }).message).toBe('orders-proto-value: count: expected int32 (an integer), got 1.5');
    expect(refusal(protoOrders.encode, { items: [null] }).message).toBe('orders-proto-value: items[0]: expected shop.Item (an object), got null');
    // What the generated types allow still encodes.
    const value = { order_id: 'o', items: [item], by_sku: { a: item }, kind: 'KIND_RETAIL', paid: true, count: 2 };
    expect(protoOrders.decode(protoOrders.encode(value))).toMatchObject(value);
  });

  it('JSON Schema', () => {
    expect(refusal(jsonOrders.encode, { orderId: 5 }).message).toBe('orders-json-value: value does not match the schema: orderId: expected string, got 5');
    expect(refusal(jsonOrders.encode, { items: [{ sku: 'a' }, { sku: 'b' }, { sku: 7 }] }).message).toBe(
      'orders-json-value: value does not match the schema: items[2].sku: expected string, got 7',
    );
    expect(refusal(jsonOrders.encode, { items: [{}] }).message).toBe('orders-json-value: value does not match the schema: items[0].sku: required, missing');
  });
});

describe('@accord/sdk exports', () => {
  it('defineProtobufEvent beside defineAvroEvent and defineJsonEvent, and EncodeError', () => {
    expect(typeof sdk.defineProtobufEvent).toBe('function');
    expect(typeof sdk.defineAvroEvent).toBe('function');
    expect(typeof sdk.defineJsonEvent).toBe('function');
    expect(sdk.EncodeError).toBe(EncodeError);
  });

  it('the read-only client is RegistryReader; SchemaRegistryClient remains as its deprecated alias', () => {
    expect(typeof sdk.RegistryReader).toBe('function');
    expect(sdk.SchemaRegistryClient).toBe(sdk.RegistryReader);
    const reader: sdk.SchemaRegistryClient = new sdk.RegistryReader({ baseUrl: 'http://127.0.0.1:9' });
    expect(reader).toBeInstanceOf(sdk.SchemaRegistryClient);
  });
});
