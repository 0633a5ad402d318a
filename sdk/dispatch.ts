// A consumer of a topic that carries several event types: each message goes to the handler of its event, chosen by the
// schema id in its frame, and arrives decoded (upcast to the latest version) with its trace context and correlation id.
import type { RegistryReader } from './client.js';
import type { EventCodec } from './event-codec.js';
import { readEventHeaders, type ConsumedKafkaMessage, type KafkaEventContext } from './kafka.js';
import { schemaReferenceOf, type SchemaReferenceOf } from './schema-ids.js';
import { schemaIdOf } from './wire.js';

// Any event's codec; handlers are typed per event (EventHandlers).
type AnyEventCodec = EventCodec<any, string>;

/** The event type a codec decodes to. */
export type EventOf<C> = C extends { decode(bytes: Uint8Array): infer T } ? T : never;

/** One handler per event, under the event's name (`OrderCreatedEvent.event` is `'OrderCreated'`). */
export type EventHandlers<Codecs extends readonly AnyEventCodec[]> = {
  [C in Codecs[number] as C['event']]: (event: EventOf<C>, context: DispatchedEventContext) => unknown;
};

export interface DispatchedEventContext extends KafkaEventContext {
  /** The name of the event the message carries. */
  event: string;
}

/** A message no handler takes: a tombstone, bytes not in the Confluent wire format, or a schema id of no given event. */
export class UnknownEventError extends Error {
  override name = 'UnknownEventError';
  constructor(
    message: string,
    /** The schema id in the message's frame, when it has one. */
    readonly schemaId?: number,
  ) {
    super(message);
  }
}

export interface EventDispatcherOptions {
  /**
   * For schema ids no codec knew at generation time (a version registered since, or modules generated offline): the
   * registry says which subjects the id is registered under, and the codec of that subject decodes the message
   * (`decodeAsync`). Each id is looked up once.
   */
  client?: RegistryReader;
  /** Receives the messages no handler takes. Without it, dispatching one rejects with an `UnknownEventError`. */
  unknown?: (message: ConsumedKafkaMessage, error: UnknownEventError) => unknown;
}

/**
 * `dispatch(message)` decodes a consumed message with the codec its schema id belongs to and calls that event's
 * handler with the event and its context; it resolves to what the handler returns.
 *
 * ```ts
 * const dispatch = createEventDispatcher([OrderCreatedEvent, OrderCancelledEvent], {
 *   OrderCreated: (order, { traceparent }) => …,
 *   OrderCancelled: (cancellation) => …,
 * });
 * await consumer.run({ eachMessage: ({ message }) => dispatch(message) });
 * ```
 */
export function createEventDispatcher<const Codecs extends readonly AnyEventCodec[]>(
  codecs: Codecs,
  handlers: NoInfer<EventHandlers<Codecs>>,
  options: EventDispatcherOptions = {},
): (message: ConsumedKafkaMessage) => Promise<unknown> {
  interface Route {
    codec: AnyEventCodec;
    handle: (event: unknown, context: DispatchedEventContext) => unknown;
  }
  const routes = new Map<string, Route>();
  const byId = new Map<number, Route>();
  const bySubject = new Map<string, Route>();
  for (const codec of codecs) {
    if (routes.has(codec.event)) throw new Error(`createEventDispatcher: two codecs for event ${codec.event}`);
    const handle = (handlers as Record<string, Route['handle'] | undefined>)[codec.event];
    if (typeof handle !== 'function') throw new Error(`createEventDispatcher: no handler for event ${codec.event}`);
    const route = { codec, handle };
    routes.set(codec.event, route);
    bySubject.set(codec.subject, route);
    for (const id of codec.schemaIds) {
      if (id === 0) continue; // generated offline: no id, found by subject through the client
      const other = byId.get(id);
      if (other && other !== route) throw new Error(`createEventDispatcher: schema id ${id} is a version of both ${other.codec.event} and ${codec.event}`);
      byId.set(id, route);
    }
  }
  for (const name of Object.keys(handlers)) {
    if (!routes.has(name)) throw new Error(`createEventDispatcher: handler ${name} names no given codec (events: ${[...routes.keys()].join(', ')})`);
  }
  const events = [...routes.keys()].join(', ');

  /** Routes found through the registry, by schema id (undefined: the id belongs to none of these events). */
  const looked = new Map<number, Promise<Route | undefined>>();
  const lookUp = (client: RegistryReader, id: number) => {
    let pending = looked.get(id);
    if (!pending) {
      pending = client.subjectVersionsOfId(id).then((found) => {
        const routesOf = [...new Set(found.map((f) => bySubject.get(f.subject)).filter((r): r is Route => r !== undefined))];
        if (routesOf.length > 1) throw new UnknownEventError(`schema id ${id} is registered under the subjects of ${routesOf.map((r) => r.codec.event).join(' and ')}`, id);
        return routesOf[0];
      });
      looked.set(id, pending);
      pending.catch(() => looked.delete(id));
    }
    return pending;
  };

  const unknown = (message: ConsumedKafkaMessage, error: UnknownEventError) => {
    if (options.unknown) return options.unknown(message, error);
    throw error;
  };

  return async (message) => {
    const bytes = message.value;
    if (!bytes || bytes.length === 0) return unknown(message, new UnknownEventError('message has no value (a tombstone?)'));
    // Any of Confluent's framings (schema-ids.ts); a GUID needs the registry to name its id.
    let ref: SchemaReferenceOf;
    try {
      ref = schemaReferenceOf(bytes, message.headers);
    } catch (error) {
      return unknown(message, new UnknownEventError(`message value is not in the Confluent wire format: ${(error as Error).message}`));
    }
    if (ref.kind === 'guid' && !options.client) {
      return unknown(message, new UnknownEventError(`message names its schema by GUID ${ref.guid}: pass a registry client to resolve it`));
    }
    const prefixed = ref.kind === 'id' ? ref.prefixed() : ref.prefixed(await options.client!.schemaIdOfGuid(ref.guid));
    const schemaId = schemaIdOf(prefixed);
    let route = byId.get(schemaId);
    const known = route !== undefined;
    if (!route && options.client) route = await lookUp(options.client, schemaId);
    if (!route) {
      const hint = options.client ? '' : ' (pass a registry client to look up ids registered since generation)';
      return unknown(message, new UnknownEventError(`schema id ${schemaId} is not a version of any of ${events}${hint}`, schemaId));
    }
    const event = known ? route.codec.decode(prefixed) : await route.codec.decodeAsync(prefixed, options.client!);
    const context: DispatchedEventContext = {
      event: route.codec.event,
      key: message.key ?? null,
      headers: message.headers ?? {},
      schemaId,
      ...readEventHeaders(message.headers),
    };
    return route.handle(event, context);
  };
}
