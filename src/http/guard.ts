// The one middleware that authenticates and authorises, by the route's entry in the permission table. Present only
// when authentication is configured: without it the app is exactly what it was.
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Auth } from '../auth/settings.js';
import { ANONYMOUS, principalId, type Access, type Principal } from '../auth/policy.js';
import { subjectName } from '../registry/identifiers.js';
import type { Registry } from '../registry/registry.js';
import { errorBody } from './errors.js';
import { requestHeader } from '../node-request.js';
import type { Logger, Metrics } from './observability.js';
import { permissionName, permissionOf, type Permission } from './permissions.js';

/** A principal the transport vouched for (an mTLS client certificate), consulted when no Authorization is sent. */
export type TransportPrincipal = (c: Context) => Principal | undefined;

export interface GuardOptions {
  auth: Auth;
  registry: Registry;
  metrics: Metrics;
  logger: Logger;
  transportPrincipal?: TransportPrincipal | undefined;
  /** The caller's address for the log of refusals (through trusted proxies). */
  clientAddress?: ((c: Context) => string | undefined) | undefined;
}

/** `/config/:.:` and `/mode/:.:` name the default context: the registry-wide setting (routes/settings.ts). */
const DEFAULT_CONTEXT = ':.:';

const MAX_ID = 2 ** 31 - 1;

const FAILURES = 'accord_auth_failures_total';
const FAILURES_HELP = 'Requests refused for missing or bad credentials (401), by scheme.';
const DENIALS = 'accord_auth_denied_total';
const DENIALS_HELP = 'Requests refused for a missing permission (403).';

export function guard({ auth, registry, metrics, logger, transportPrincipal, clientAddress }: GuardOptions): MiddlewareHandler {
  const { authenticator, policy } = auth;
  const challenge = (bearerError: boolean) =>
    authenticator.schemes.map((s) => `${s} realm="${auth.realm}"${s === 'Bearer' && bearerError ? ', error="invalid_token"' : ''}`).join(', ');

  const unauthorized = (c: Context, scheme: string, reason: string | undefined) => {
    metrics.count(FAILURES, FAILURES_HELP, `scheme="${scheme}"`);
    if (reason && logger.enabled('info')) logger.log('info', 'authentication refused', { requestId: c.get('requestId'), client: clientAddress?.(c), scheme, reason });
    const res = errorBody(
      c,
      401,
      40101,
      reason ? 'Unauthorized: the credentials were not accepted' : 'Unauthorized: this registry needs credentials (HTTP Basic or a bearer token)',
    );
    res.headers.set('www-authenticate', challenge(scheme === 'bearer'));
    return res;
  };

  return async (c, next) => {
    const [method, path, index] = declaredRoute(c);
    const permission = method ? permissionOf(method, path) : undefined;
    if (permission && 'access' in permission && permission.access === 'public') return next();

    const authentication = await authenticator.authenticate(requestHeader(c, 'authorization'));
    if (authentication.kind === 'refused') return unauthorized(c, authentication.scheme, authentication.reason);
    let principal = authentication.kind === 'principal' ? authentication.principal : transportPrincipal?.(c);
    if (!principal) {
      if (!policy.allowsAnonymous) return unauthorized(c, 'none', undefined);
      principal = ANONYMOUS;
    }
    const access = policy.access(principal);
    c.set('principal', principal);
    c.set('access', access);

    // A path no route answers, or a method it does not take: 404 or 405 follow, and reveal nothing.
    if (!method) return next();
    const param = (name: string) => paramOf(c, index, name);
    const missing = permission ? await missingPermission(permission, access, param, (name) => c.req.query(name)) : 'a permission this route does not declare';
    if (missing === undefined) return next();
    // Anonymous callers are asked to sign in; signed-in ones are told what they lack.
    if (principal === ANONYMOUS) return unauthorized(c, 'none', undefined);
    metrics.count(DENIALS, DENIALS_HELP, `method="${method}"`);
    if (logger.enabled('info')) logger.log('info', 'permission denied', { requestId: c.get('requestId'), principal: principalId(principal), missing });
    return errorBody(c, 403, 40301, `Forbidden: ${principalId(principal)} lacks ${missing}`);
  };

  /** The permission the caller lacks, named; undefined when it has it. */
  async function missingPermission(
    permission: Permission,
    access: Access,
    param: (name: string) => string | undefined,
    query: (name: string) => string | undefined,
  ): Promise<string | undefined> {
    if ('access' in permission) return undefined; // signed-in
    if (permission.on === 'listing') return undefined; // filtered by the handler
    if (permission.on === 'subject') {
      const raw = param('subject') ?? '';
      if (permission.registryWide && raw === DEFAULT_CONTEXT) {
        const global = { operation: permission.operation, on: permission.registryWide } as const;
        return access.global(global.operation, global.on) ? undefined : permissionName(global);
      }
      const subject = subjectName(raw);
      if (access.subject(permission.operation, subject)) return undefined;
      if (permission.operation === 'write' && (await ownsSubject(access.principal, subject))) return undefined;
      return permissionName(permission, subject);
    }
    if (permission.on === 'schema-id') {
      const raw = param('id') ?? '';
      const id = /^\d{1,10}$/.test(raw) ? Number(raw) : 0;
      if (id < 1 || id > MAX_ID) return undefined; // no schema has it: the handler answers 404 or 40403
      // Deserializers ask by id on every cold start: the carriers are cached, and asked afresh only before a refusal.
      const context = await registry.reads.contextForId(id, query('subject'));
      let carriers = await registry.reads.subjectsCarrying(context, id);
      if (carriers.length === 0 || carriers.some(access.readable)) return undefined; // none: the handler answers 40403
      carriers = await registry.reads.subjectsCarrying(context, id, true);
      if (carriers.length === 0 || carriers.some(access.readable)) return undefined;
      return permissionName(permission, undefined, id);
    }
    if (permission.on === 'schema-guid') {
      const guid = param('guid') ?? '';
      const ids = await registry.reads.idsOfGuid(guid);
      // Readable when any id with this GUID is: the handler answers 40403 when none exists.
      for (const fresh of [false, true]) {
        const carriers = (await Promise.all(ids.map(({ context, id }) => registry.reads.subjectsCarrying(context, id, fresh)))).flat();
        if (carriers.length === 0 || carriers.some(access.readable)) return undefined;
      }
      return permissionName(permission, undefined, guid);
    }
    return access.global(permission.operation, permission.on) ? undefined : permissionName(permission);
  }

  /** Owner rights: the catalog names a team as the subject's owner, and the principal is in that group. */
  async function ownsSubject(principal: Principal, subject: string): Promise<boolean> {
    if (!auth.ownersWrite || principal.groups.length === 0) return false;
    const owner = (await registry.store.catalogEntry(subject))?.owner;
    return typeof owner === 'string' && principal.groups.includes(owner);
  }
}

/**
 * The route that will answer: the first matched route registered for a method (middleware and the 405 fallbacks
 * are registered for ALL). None for an unknown path or an unsupported method. A handler that passes the request on
 * (`GET /` for a browser's page, else Confluent's `{}`) passes it to the same method and path: the same entry.
 */
function declaredRoute(c: Context): [method: string | undefined, path: string, index: number] {
  const routes = matchedRoutes(c);
  for (let i = 0; i < routes.length; i++) {
    const route = routes[i]!;
    if (route.method !== 'ALL') return [route.method, route.path, i];
  }
  return [undefined, '', -1];
}

/** A path parameter of the answering route, read as its handler will read it. */
function paramOf(c: Context, index: number, name: string): string | undefined {
  const own = c.req.routeIndex;
  c.req.routeIndex = index;
  try {
    return c.req.param(name);
  } finally {
    c.req.routeIndex = own;
  }
}

/** For listing handlers: the items whose subject the caller may read (all of them when authentication is off). */
export function readableOnly<T>(c: Context, items: T[], subjectOf: (item: T) => string): T[] {
  const access = c.get('access');
  return access ? items.filter((item) => access.readable(subjectOf(item))) : items;
}
