// Reading path and query parameters the way Confluent's resources read them.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { errors } from '../registry/errors.js';
import { parseAsOf } from '../registry/history.js';
import { subjectName, writableSubject, parseVersionSpec, type Subject, type VersionSpec } from '../registry/identifiers.js';

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

export function writableSubjectParam(c: Context): Subject {
  return writableSubject(c.req.param('subject') ?? '');
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

/** Reads a JSON body: none → 422 (a body is required), unparsable → 400 with the parser's message. */
export async function jsonBody(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw errors.unprocessableBody('Request body is missing');
  try {
    return JSON.parse(text);
  } catch (err) {
    throw errors.malformedBody(`Unrecognized JSON in the request body: ${(err as Error).message}`);
  }
}

/** Who made the change, for the audit log: an explicit header, else the basic-auth user, else anonymous. */
export function actorOf(c: Context): string {
  const explicit = c.req.header('x-accord-actor');
  if (explicit) return explicit.slice(0, 200);
  const auth = c.req.header('authorization');
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
