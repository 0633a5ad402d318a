// Answers that never change for a given URL (a schema id's content) carry an ETag and may be cached for ever.
import { createHash } from 'node:crypto';
import type { Context } from 'hono';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Sends `body` with an ETag; a matching If-None-Match gets 304 with no body. */
export function immutableAnswer(c: Context, body: string): Response {
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  const headers = { etag, 'cache-control': IMMUTABLE };
  if (c.req.header('if-none-match')?.split(',').some((t) => t.trim() === etag || t.trim() === `W/${etag}`)) {
    return c.body(null, 304, headers);
  }
  return c.body(body, 200, headers);
}
