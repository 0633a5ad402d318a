// Answers that never change for a given URL (a schema id's content) carry an ETag and may be cached for ever.
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import { finalResponse } from './final-response.js';
import { requestHeader } from '../node-request.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';

const etagOf = (body: string) => `"${createHash('sha1').update(body).digest('base64url')}"`;

/** Serialised answers and their ETags, kept as long as the (cached) answer object lives. */
const serialised = new WeakMap<object, { body: string; etag: string }>();

/** An immutable JSON answer, serialised and hashed once per cached answer object. */
export function immutableJson(c: Context, answer: object): Response {
  let memo = serialised.get(answer);
  if (!memo) {
    const body = JSON.stringify(answer);
    serialised.set(answer, (memo = { body, etag: etagOf(body) }));
  }
  return send(c, memo.body, memo.etag);
}

/** Sends `body` with an ETag; a matching If-None-Match gets 304 with no body. */
export function immutableAnswer(c: Context, body: string): Response {
  return send(c, body, etagOf(body));
}

function send(c: Context, body: string, etag: string): Response {
  const headers = { etag, 'cache-control': IMMUTABLE };
  if (requestHeader(c, 'if-none-match')?.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) {
    return finalResponse(c, null, 304, headers);
  }
  return finalResponse(c, body, 200, headers);
}
