// Reading a request as Node received it. hono's Node adapter builds web Headers (and, for a body, a web Request)
// on first use; Node has already parsed the headers into a plain object, which is several times cheaper to read.
// On the ground floor: http and auth (which reads the transport's client certificate) both read requests so.
import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';

/** Node's request, when served by @hono/node-server. */
export function incomingOf(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}

/** A request header (lower-case name); repeated headers come joined with ", ", as the Fetch API joins them. */
export function requestHeader(c: Context, name: string): string | undefined {
  const incoming = incomingOf(c);
  if (!incoming) return c.req.header(name);
  const value = incoming.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}
