// The Kafka helpers of generated modules against kafkajs' own declarations and record codec: messages they build go
// into producer.send as they are, consumed messages (Buffer header values) come back with their trace context and
// correlation id, and a dispatcher routes a topic of several event types by schema id, or through the registry for ids
// registered since generation.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { EachMessagePayload, IHeaders, KafkaMessage, Message, ProducerRecord } from 'kafkajs';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it } from 'vitest';
import { SchemaRegistryClient } from '../../sdk/client.js';
import { defineAvroEvent, type EventCodec } from '../../sdk/codegen.js';
import { createEventDispatcher, UnknownEventError } from '../../sdk/dispatch.js';
import { isValidTraceparent, type ConsumedKafkaMessage, type KafkaHeaders, type ProducedKafkaMessage } from '../../sdk/kafka.js';
import { frame } from '../../sdk/wire.js';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { orderCreated } from '../golden/orders/index.js';
import type { OrderCreated } from '../golden/orders/OrderCreated.js';
import { shipmentDispatched } from '../golden/shipping/index.js';

const TRACEPARENT = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const order: OrderCreated = { orderId: 'o-1', amountCents: 1250, currency: 'EUR' };

/** A message as a kafkajs consumer hands it over: the record encoded and decoded by kafkajs' own protocol code. */
function throughKafkajs(message: Message): KafkaMessage {
  const require = createRequire(import.meta.url);
  const encodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0') as (record: object) => { buffer: Buffer };
  const decodeRecord = require('kafkajs/src/protocol/recordBatch/record/v0/decoder') as (decoder: unknown, context: object) => KafkaMessage;
  const Decoder = require('kafkajs/src/protocol/decoder') as new (buffer: Buffer) => { readVarInt(): number };
  const decoder = new Decoder(encodeRecord({ key: message.key, value: message.value, headers: message.headers }).buffer);
  decoder.readVarInt(); // the record's length
  return decodeRecord(decoder, { firstOffset: '0', firstTimestamp: '0', magicByte: 2 });
}

describe('message shapes', () => {
  it('toKafkaMessage gives a kafkajs Message; a kafkajs consumer message is what fromKafkaMessage takes', () => {
    expectTypeOf(orderCreated.toKafkaMessage(order)).toExtend<Message>();
    expectTypeOf<ProducedKafkaMessage>().toExtend<Message>();
    expectTypeOf<EachMessagePayload['message']>().toExtend<Parameters<typeof orderCreated.fromKafkaMessage>[0]>();
    expectTypeOf<KafkaMessage>().toExtend<ConsumedKafkaMessage>();
    expectTypeOf<IHeaders>().toEqualTypeOf<KafkaHeaders>();
    // As a user writes it.
    const record: ProducerRecord = { topic: 'orders', messages: [orderCreated.toKafkaMessage(order, { key: 'o-1', traceparent: TRACEPARENT })] };
    const eachMessage = ({ message }: EachMessagePayload) => orderCreated.fromKafkaMessage(message).value;
    expectTypeOf(eachMessage).returns.toEqualTypeOf<OrderCreated>();
    expect(record.messages).toHaveLength(1);
  });

  it('carries trace context and correlation id through kafkajs: string headers in, Buffer headers out', () => {
    const message = orderCreated.toKafkaMessage(order, {
      key: 'o-1',
      headers: { source: 'checkout' },
      traceparent: TRACEPARENT,
      tracestate: 'congo=t61rcWkgMzE',
      correlationId: 'corr-7',
      partition: 2,
      timestamp: '1700000000000',
    });
    expect(message).toMatchObject({ key: 'o-1', partition: 2, timestamp: '1700000000000' });
    expect(message.headers).toEqual({ source: 'checkout', traceparent: TRACEPARENT, tracestate: 'congo=t61rcWkgMzE', 'correlation-id': 'corr-7' });

    const consumed = throughKafkajs(message);
    expect(Buffer.isBuffer(consumed.headers!.traceparent)).toBe(true);
    const read = orderCreated.fromKafkaMessage(consumed);
    expect(read).toEqual({
      value: order,
      key: Buffer.from('o-1'),
      headers: consumed.headers,
      schemaId: 3,
      traceparent: TRACEPARENT,
      tracestate: 'congo=t61rcWkgMzE',
      correlationId: 'corr-7',
    });
  });

  it('keeps the older positional form: key, then headers', () => {
    const message = orderCreated.toKafkaMessage(order, Buffer.from('k'), { source: 'x' });
    expect(message.key).toEqual(Buffer.from('k'));
    expect(message.headers).toEqual({ source: 'x' });
    expect(orderCreated.toKafkaMessage(order).key).toBeNull();
    expect(orderCreated.toKafkaMessage(order, null).headers).toEqual({});
  });

  it('drops a malformed traceparent (and its tracestate) when producing, instead of sending it', () => {
    const message = orderCreated.toKafkaMessage(order, { traceparent: 'not-a-traceparent', tracestate: 'a=b', correlationId: 'c' });
    expect(message.headers).toEqual({ 'correlation-id': 'c' });
  });

  it('ignores invalid traceparents when consuming, and reads repeated tracestate headers joined', () => {
    const value = orderCreated.encode(order);
    const read = (headers: KafkaHeaders) => {
      const { traceparent, tracestate, correlationId } = orderCreated.fromKafkaMessage({ value, headers });
      return { traceparent, tracestate, correlationId };
    };
    expect(read({ traceparent: TRACEPARENT.toUpperCase(), tracestate: 'a=b' })).toEqual({});
    expect(read({ traceparent: [TRACEPARENT, TRACEPARENT] })).toEqual({});
    expect(read({ traceparent: Buffer.from(TRACEPARENT), tracestate: [Buffer.from('a=1'), 'b=2'], 'correlation-id': Buffer.from('c-1') })).toEqual({
      traceparent: TRACEPARENT,
      tracestate: 'a=1,b=2',
      correlationId: 'c-1',
    });
    expect(read({})).toEqual({});
    expect(() => orderCreated.fromKafkaMessage({ value: null })).toThrow(/no value/);
  });

  it('validates traceparent as W3C Trace Context level 1 does', () => {
    expect(isValidTraceparent(TRACEPARENT)).toBe(true);
    expect(isValidTraceparent('00-00000000000000000000000000000000-00f067aa0ba902b7-01')).toBe(false);
    expect(isValidTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01')).toBe(false);
    expect(isValidTraceparent('ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toBe(false);
    expect(isValidTraceparent(`${TRACEPARENT}-extra`)).toBe(false); // version 00 has exactly four fields
    expect(isValidTraceparent('01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra')).toBe(true); // later versions may add some
    expect(isValidTraceparent('00-4bf92f3577b34da6a3ce929d0e0e473-00f067aa0ba902b7-01')).toBe(false);
  });
});

// ---- A topic carrying two Avro events and a Protobuf one

const cancelledSchema = JSON.stringify({ type: 'record', name: 'OrderCancelled', namespace: 'shop.orders', fields: [{ name: 'orderId', type: 'string' }, { name: 'reason', type: 'string' }] });
interface OrderCancelled {
  orderId: string;
  reason: string;
}
const OrderCancelledEvent: EventCodec<OrderCancelled, 'OrderCancelled'> = defineAvroEvent<OrderCancelled, 'OrderCancelled'>({
  event: 'OrderCancelled',
  subject: 'order-cancelled-value',
  versions: [{ version: 1, id: 10, schema: cancelledSchema }],
  upcasters: [],
});
const { OrderCreatedEvent } = orderCreated;
const { ShipmentDispatchedEvent } = shipmentDispatched;

describe('createEventDispatcher', () => {
  it('routes each message to its event handler by schema id, decoded and with its context', async () => {
    const seen: string[] = [];
    const dispatch = createEventDispatcher([OrderCreatedEvent, OrderCancelledEvent], {
      OrderCreated: (created, context) => {
        expectTypeOf(created).toEqualTypeOf<OrderCreated>();
        seen.push(`created ${created.orderId} ${created.amountCents} ${context.event} ${context.traceparent ?? '-'} ${context.schemaId}`);
        return 'created';
      },
      OrderCancelled: async (cancelled, context) => {
        expectTypeOf(cancelled).toEqualTypeOf<OrderCancelled>();
        seen.push(`cancelled ${cancelled.orderId} ${cancelled.reason} ${context.correlationId}`);
        return 'cancelled';
      },
    });
    expect(await dispatch(throughKafkajs(orderCreated.toKafkaMessage(order, { traceparent: TRACEPARENT })))).toBe('created');
    expect(await dispatch(throughKafkajs(OrderCancelledEvent.toKafkaMessage({ orderId: 'o-1', reason: 'changed mind' }, { correlationId: 'c-9' })))).toBe('cancelled');
    // Old versions are upcast before the handler sees them.
    const v1 = frame(1, avro.Type.forSchema(JSON.parse(readFileSync('contracts/examples/orders/order-created.v1.avsc', 'utf8'))).toBuffer({ orderId: 'o-2', total: 3 }));
    await dispatch({ value: Buffer.from(v1) });
    expect(seen).toEqual([`created o-1 1250 OrderCreated ${TRACEPARENT} 3`, 'cancelled o-1 changed mind c-9', 'created o-2 300 OrderCreated - 1']);
  });

  it('handlers are typed per event and every event needs one', () => {
    createEventDispatcher([OrderCancelledEvent, ShipmentDispatchedEvent], {
      OrderCancelled: (cancelled) => cancelled.reason,
      ShipmentDispatched: (shipment) => shipment.weight_grams,
    });
    expect(() =>
      // @ts-expect-error ShipmentDispatched has no handler
      createEventDispatcher([OrderCancelledEvent, ShipmentDispatchedEvent], { OrderCancelled: () => undefined }),
    ).toThrow(/no handler for event ShipmentDispatched/);
    // The golden modules come from two registries: their ids overlap, which one topic's events cannot.
    expect(() => createEventDispatcher([OrderCreatedEvent, ShipmentDispatchedEvent], { OrderCreated: () => 1, ShipmentDispatched: () => 2 })).toThrow(
      /schema id 2 is a version of both OrderCreated and ShipmentDispatched/,
    );
    createEventDispatcher([OrderCreatedEvent], {
      // @ts-expect-error an OrderCreated handler does not get a shipment
      OrderCreated: (created: { weight_grams: string }) => created.weight_grams,
    });
  });

  it('sends what no handler takes to `unknown`, or rejects with UnknownEventError', async () => {
    const unknown: string[] = [];
    const dispatch = createEventDispatcher([OrderCancelledEvent], { OrderCancelled: () => 'cancelled' }, { unknown: (_, error) => unknown.push(error.message) });
    await dispatch(orderCreated.toKafkaMessage(order));
    await dispatch({ value: null });
    await dispatch({ value: Buffer.from('{"json":true}') });
    expect(unknown).toEqual([
      'schema id 3 is not a version of any of OrderCancelled (pass a registry client to look up ids registered since generation)',
      'message has no value (a tombstone?)',
      'message value is not in the Confluent wire format: Unknown magic byte 123',
    ]);
    const strict = createEventDispatcher([OrderCancelledEvent], { OrderCancelled: () => 'cancelled' });
    const error = await strict(orderCreated.toKafkaMessage(order)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UnknownEventError);
    expect(error).toMatchObject({ schemaId: 3 });
  });

  it('refuses two codecs claiming one schema id', () => {
    const clash = defineAvroEvent<OrderCancelled, 'Clash'>({ event: 'Clash', subject: 'clash-value', versions: [{ version: 1, id: 10, schema: cancelledSchema }], upcasters: [] });
    expect(() => createEventDispatcher([OrderCancelledEvent, clash], { OrderCancelled: () => 1, Clash: () => 2 })).toThrow(/schema id 10 is a version of both/);
  });

  describe('ids registered since generation, through the registry', () => {
    let server: TestServer;
    let newId: number;

    beforeAll(async () => {
      server = await startTestServer(backends[0]!);
      const api = client(server.url);
      await api.put('/config/orders-value', { compatibility: 'NONE' });
      for (const v of [1, 2, 3]) await api.register('orders-value', readFileSync(`contracts/examples/orders/order-created.v${v}.avsc`, 'utf8'));
      // A fourth version the golden module has never seen: v3 with a doc, under the same subject.
      const v4 = JSON.parse(readFileSync('contracts/examples/orders/order-created.v3.avsc', 'utf8')) as { doc: string };
      v4.doc = 'Version 4: same fields.';
      newId = (await api.register('orders-value', v4)).json.id as number;
      expect(newId).toBe(4);
    });
    afterAll(() => server?.close());

    it('finds the event by the subject the id is registered under, and asks once per id', async () => {
      const registry = new SchemaRegistryClient({ baseUrl: server.url });
      const got: OrderCreated[] = [];
      const unknown: number[] = [];
      const dispatch = createEventDispatcher(
        [OrderCreatedEvent, OrderCancelledEvent],
        { OrderCreated: (created) => got.push(created), OrderCancelled: () => undefined },
        { client: registry, unknown: (_, error) => unknown.push(error.schemaId!) },
      );
      const bytes = frame(newId, orderCreated.encode(order).subarray(5));
      await dispatch({ value: Buffer.from(bytes) });
      await dispatch({ value: Buffer.from(bytes) });
      expect(got).toEqual([order, order]);
      const stranger = frame(999, orderCreated.encode(order).subarray(5));
      await dispatch({ value: Buffer.from(stranger) });
      await dispatch({ value: Buffer.from(stranger) });
      expect(unknown).toEqual([999, 999]);
      // One subjects lookup and one schema fetch for id 4; one lookup for 999.
      expect(registry.calls).toBe(3);
      // A consumer of the one event reads it too, with its context.
      const read = await orderCreated.OrderCreatedEvent.fromKafkaMessageAsync({ value: Buffer.from(bytes), headers: { 'correlation-id': 'c' } }, registry);
      expect(read).toMatchObject({ value: order, schemaId: newId, correlationId: 'c' });
      expect(() => orderCreated.fromKafkaMessage({ value: Buffer.from(bytes) })).toThrow(/decodeAsync/);
    });
  });
});
