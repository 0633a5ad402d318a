// Confluent's content negotiation: three JSON response types by preference, JSON-ish request bodies only.
import type { MiddlewareHandler } from 'hono';
import { httpError } from './errors.js';
import { isFinal } from './final-response.js';
import { requestHeader } from '../node-request.js';

/** Response types with the server's quality: the v1 type wins unless the client asks otherwise. */
const RESPONSE_TYPES: [type: string, serverQuality: number][] = [
  ['application/vnd.schemaregistry.v1+json', 1],
  ['application/vnd.schemaregistry+json', 0.9],
  ['application/json', 0.5],
];
export const DEFAULT_RESPONSE_TYPE = RESPONSE_TYPES[0]![0];

/** Request body types, all read as JSON; octet-stream is what Confluent assumes when Content-Type is missing. */
const REQUEST_TYPES = [
  'application/vnd.schemaregistry.v1+json',
  'application/vnd.schemaregistry+json',
  'application/json',
  'application/octet-stream',
];
const ACCEPTED_REQUEST_TYPES = new Set(REQUEST_TYPES);

/**
 * Jersey's 415 wording, then what would have been accepted. `curl -d` without a Content-Type header sends
 * form-urlencoded, the one mistake common enough to name the fix for.
 */
function unsupportedMediaType(contentType: string): string {
  const accepted =
    `HTTP 415 Unsupported Media Type: a request body of type ${contentType} is not accepted; ` +
    `send JSON as ${REQUEST_TYPES.join(', ')}, or with no Content-Type`;
  if (contentType !== 'application/x-www-form-urlencoded') return accepted;
  return `${accepted}. curl -d sends application/x-www-form-urlencoded when no Content-Type is given: add -H 'Content-Type: application/json'`;
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
}

function parseAccept(header: string): MediaRange[] {
  return header
    .split(',')
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [range = '', ...params] = part.split(';').map((s) => s.trim());
      const [type = '*', subtype = '*'] = range === '*' ? ['*', '*'] : range.toLowerCase().split('/');
      const qParam = params.find((p) => p.toLowerCase().startsWith('q='));
      const q = qParam ? Number(qParam.slice(2)) : 1;
      // Jersey reads `*/anything` as `*/*`.
      return { type, subtype: type === '*' ? '*' : subtype, q: Number.isFinite(q) ? q : 0 };
    });
}

/** The client's quality for a type: from the most specific range that matches it. */
function clientQuality(ranges: MediaRange[], mediaType: string): number {
  const [type, subtype] = mediaType.split('/');
  let best: { specificity: number; q: number } | undefined;
  for (const r of ranges) {
    const specificity = r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' ? 0 : -1;
    if (specificity >= 0 && (!best || specificity > best.specificity)) best = { specificity, q: r.q };
  }
  return best?.q ?? 0;
}

export function negotiateResponseType(accept: string | undefined): string | undefined {
  if (!accept || accept.trim() === '') return DEFAULT_RESPONSE_TYPE;
  const ranges = parseAccept(accept);
  let chosen: string | undefined;
  let bestScore = 0;
  for (const [type, serverQuality] of RESPONSE_TYPES) {
    const score = clientQuality(ranges, type) * serverQuality;
    if (score > bestScore) [chosen, bestScore] = [type, score];
  }
  return chosen;
}

/**
 * Whether an Accept header ranks text/html above every JSON response type: a browser's does
 * (`text/html,...,*\/*;q=0.8`); `*\/*`, JSON types and no header do not, as a tie goes to JSON. Only a range
 * naming text/ can rank HTML higher, since `*\/*` matches the JSON types as well.
 */
export function prefersHtml(accept: string | undefined): boolean {
  if (!accept || !/text\//i.test(accept)) return false;
  const ranges = parseAccept(accept);
  const html = clientQuality(ranges, 'text/html');
  return html > 0 && RESPONSE_TYPES.every(([type]) => clientQuality(ranges, type) < html);
}

/** Answers by Accept header: clients send the same few on every request. */
const negotiated = new Map<string, string | undefined>();

function negotiatedType(accept: string | undefined): string | undefined {
  if (accept === undefined) return DEFAULT_RESPONSE_TYPE;
  if (negotiated.has(accept)) return negotiated.get(accept);
  const type = negotiateResponseType(accept);
  if (negotiated.size < 256) negotiated.set(accept, type);
  return type;
}

/** 406 for an Accept nothing satisfies, 415 for a body that is not JSON; every answer gets the negotiated type. */
export const contentNegotiation: MiddlewareHandler = async (c, next) => {
  const responseType = negotiatedType(requestHeader(c, 'accept'));
  if (!responseType) {
    const res = httpError(c, 406);
    res.headers.set('content-type', DEFAULT_RESPONSE_TYPE);
    return res;
  }
  if (c.req.method === 'POST' || c.req.method === 'PUT') {
    const contentType = requestHeader(c, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (contentType && !ACCEPTED_REQUEST_TYPES.has(contentType)) {
      const res = httpError(c, 415, unsupportedMediaType(contentType));
      res.headers.set('content-type', responseType);
      return res;
    }
  }
  c.set('responseType', responseType);
  await next();
  if (!isFinal(c.res)) c.res.headers.set('content-type', responseType);
};
