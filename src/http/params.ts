// Reading path and query parameters the way Confluent's resources read them.
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { errors } from '../registry/errors.js';
import { decodeBody } from './body-encoding.js';
import { incomingOf, requestHeader } from '../node-request.js';
import { principalId } from '../auth/policy.js';
import { parseAsOf } from '../registry/history.js';
import { subjectName, writableSubject, writableSubjectPrefix, parseVersionSpec, type Subject, type VersionSpec } from '../registry/identifiers.js';

/** Query booleans: `true` in any case is true; anything else, or absence, is false. */
export function flag(c: Context, name: string): boolean {
  return c.req.query(name)?.toLowerCase() === 'true';
}

/** A boolean query parameter that may be absent (then config decides), e.g. `normalize`. */
export function optionalFlag(c: Context, name: string): boolean | undefined {
  const raw = c.req.query(name);
  return raw === undefined ? undefined : raw.toLowerCase() === 'true';
}

export function subjectParam(c: Context): Subject {
  return subjectName(c.req.param('subject') ?? '');
}

/**
 * A subject to write to (`writableSubject`: 42208 naming what is wrong). hono leaves a segment whose escapes are not
 * UTF-8 (`%ED%A0%80`, a lone surrogate; `%FF`) undecoded, which would name a subject "%ED%A0%80" the client never
 * meant: such a path is refused too. Reads keep hono's reading: a subject that cannot be written answers as missing.
 */
export function writableSubjectParam(c: Context): Subject {
  const raw = c.req.param('subject') ?? '';
  if (!percentDecodable(c.req.url)) throw errors.invalidSubject(raw, NOT_UTF8);
  return writableSubject(raw);
}

/** A subject prefix to write rule settings for, from the path, held to the same rules. */
export function writablePrefixParam(c: Context): string {
  const raw = c.req.param('prefix') ?? '';
  if (!percentDecodable(c.req.url)) throw errors.invalidSubjectPrefix(raw, NOT_UTF8);
  return writableSubjectPrefix(raw);
}

const NOT_UTF8 = 'Its percent-escapes in the path are not UTF-8.';

/** Whether the URL's path decodes as UTF-8; a `%` that starts no escape stands for itself, as hono reads it. */
function percentDecodable(url: string): boolean {
  const start = url.indexOf('/', url.indexOf('//') + 2);
  const end = url.indexOf('?', start);
  const path = url.slice(start, end === -1 ? undefined : end);
  if (!path.includes('%')) return true;
  try {
    decodeURIComponent(path.replace(/%(?![0-9a-fA-F]{2})/g, '%25'));
    return true;
  } catch {
    return false;
  }
}

export function versionParam(c: Context): VersionSpec {
  return parseVersionSpec(c.req.param('version') ?? '');
}

/** A non-integer `{id}` is a route that does not match: 404/404, as Jersey answers; an id no schema can have is 40403. */
export function idParam(c: Context): number {
  const raw = c.req.param('id') ?? '';
  if (!/^-?\d+$/.test(raw)) throw new HTTPException(404);
  const id = Number(raw);
  if (id < 1 || id > MAX_ID) throw errors.schemaNotFound(id);
  return id;
}

const MAX_ID = 2 ** 31 - 1;

/** Applies `offset` and `limit`; a limit ≤ 0 or above `max` becomes `fallback` (-1 = unlimited). */
export function paginate<T>(c: Context, items: T[], fallback = -1, max = Infinity): T[] {
  const offset = Math.max(0, Number.parseInt(c.req.query('offset') ?? '0', 10) || 0);
  let limit = Number.parseInt(c.req.query('limit') ?? String(fallback), 10);
  if (!Number.isFinite(limit) || limit <= 0 || limit > max) limit = fallback;
  return limit < 0 ? items.slice(offset) : items.slice(offset, offset + limit);
}

/**
 * Reads the body of every POST and PUT as bytes, refusing more than `maxBytes` with `onTooLarge`; `jsonBody` decodes
 * them. Under Node it reads the request stream itself: going through the web `Request` that hono's adapter builds on
 * demand (a stream, an abort signal, a Request object) cost a tenth of a registration's time.
 */
export function readBodies(maxBytes: number, onTooLarge: (c: Context) => Response): MiddlewareHandler {
  return async (c, next) => {
    if (c.req.method !== 'POST' && c.req.method !== 'PUT') return next();
    const incoming = incomingOf(c);
    const bytes = incoming ? await readStream(incoming, maxBytes) : await readWebBody(c.req.raw, maxBytes);
    if (bytes === undefined) return onTooLarge(c);
    c.set('body', bytes);
    return next();
  };
}

/** A Node request stream's bytes; undefined once it passes `maxBytes` (declared or sent). */
function readStream(incoming: NonNullable<ReturnType<typeof incomingOf>>, maxBytes: number): Promise<Uint8Array | undefined> {
  if (Number(incoming.headers['content-length'] ?? 0) > maxBytes) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        incoming.off('data', onData);
        resolve(undefined);
      } else chunks.push(chunk);
    };
    incoming.on('data', onData);
    incoming.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    incoming.once('error', reject);
  });
}

async function readWebBody(request: Request, maxBytes: number): Promise<Uint8Array | undefined> {
  const bytes = new Uint8Array(await request.arrayBuffer());
  return bytes.length > maxBytes ? undefined : bytes;
}

const NO_BODY = new Uint8Array(0);

/**
 * The request body (read by `readBodies`) as JSON: bytes invalid in their encoding or unparsable → 400 with the
 * reason, none → 422 (a body is required).
 */
export function jsonBody(c: Context): unknown {
  const text = decodeBody(c.get('body') ?? NO_BODY, requestHeader(c, 'content-type'));
  if (text.trim() === '') throw errors.unprocessableBody('Request body is missing');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw errors.malformedBody(`Unrecognized JSON in the request body: ${(err as Error).message}`);
  }
}

/**
 * Who made the change, for the audit log. With authentication on, the principal (`user:alice`, `token:ci`); the
 * X-Accord-Actor header only for principals allowed to act for others, and then labelled with who sent it. Without
 * authentication nothing is verified: the header, else the Basic user name, else anonymous.
 */
export function actorOf(c: Context): string {
  const explicit = requestHeader(c, 'x-accord-actor')?.slice(0, 200);
  const principal = c.get('principal');
  if (principal) return principal.actsForOthers && explicit ? `${explicit} (via ${principalId(principal)})` : principalId(principal);
  if (explicit) return explicit;
  const auth = requestHeader(c, 'authorization');
  if (auth?.toLowerCase().startsWith('basic ')) {
    const decoded = Buffer.from(auth.slice(6), 'base64').toString('utf8');
    const user = decoded.split(':')[0];
    if (user) return user;
  }
  return 'anonymous';
}

/** A time query parameter (`asOf`, `from`, `to`): an ISO timestamp or epoch milliseconds; anything else is 400. */
export function timeParam(c: Context, name: string): Date | undefined {
  const raw = c.req.query(name);
  if (raw === undefined) return undefined;
  const at = parseAsOf(raw);
  if (!at) throw errors.malformedBody(`"${name}" must be an ISO timestamp or epoch milliseconds`);
  return at;
}
