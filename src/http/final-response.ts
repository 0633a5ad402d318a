// Responses built with every header they will carry. Middleware otherwise adds the request id and the negotiated
// content type after the handler, which turns the adapter's plain header object into web Headers: a measurable share
// of the cheapest answers (a schema by id, from cache).
import type { Context } from 'hono';

/** Marks a response as final: a property, not a WeakSet, whose insertions cost as much as the rest of the answer. */
const FINAL = Symbol('accord.final');

/** A response carrying, besides `headers`, the request id and the negotiated content type: nothing is added later. */
export function finalResponse(c: Context, body: string | null, status: number, headers: Record<string, string>): Response {
  const all: Record<string, string> = { ...headers };
  const type = c.get('responseType');
  const requestId = c.get('requestId');
  if (type) all['content-type'] = type;
  if (requestId) all['x-request-id'] = requestId;
  const response = new Response(body, { status, headers: all });
  (response as Response & { [FINAL]?: true })[FINAL] = true;
  return response;
}

/** A JSON answer (200) built final: for the answers producers ask for most, a schema registration. */
export function finalJson(c: Context, value: unknown): Response {
  return finalResponse(c, JSON.stringify(value), 200, {});
}

/** Whether middleware may leave this response's headers as they are. */
export const isFinal = (response: Response): boolean => (response as Response & { [FINAL]?: true })[FINAL] === true;
