// What every route needs, in one table beside the routes: each (method, path) as hono registers it maps to exactly
// one operation on one resource. The guard (guard.ts) enforces it; permissions.test.ts fails when a route is missing.
import type { GlobalResource, Operation } from '../auth/policy.js';

export type Permission =
  /** Served to anyone, signed in or not: probes, metrics, the API contract and its pages. */
  | { access: 'public' }
  /** Anyone signed in (or anonymous, when bound): server facts that name no subject. */
  | { access: 'signed-in' }
  /** The subject in the path; for settings, the default context `:.:` there means registry-wide (`registryWide`). */
  | { operation: Operation; on: 'subject'; registryWide?: GlobalResource }
  /** A listing: every caller may ask, the answer keeps only the subjects it may read. */
  | { operation: 'read'; on: 'listing' }
  /** A schema by global id: readable when one subject holding it is. */
  | { operation: 'read'; on: 'schema-id' }
  /** A schema by GUID: as by id, readable when one subject holding it is. */
  | { operation: 'read'; on: 'schema-guid' }
  /** A registry-wide resource. */
  | { operation: Operation; on: GlobalResource };

const PUBLIC: Permission = { access: 'public' };
const SIGNED_IN: Permission = { access: 'signed-in' };
const LISTING: Permission = { operation: 'read', on: 'listing' };
const SCHEMA_ID: Permission = { operation: 'read', on: 'schema-id' };
const SCHEMA_GUID: Permission = { operation: 'read', on: 'schema-guid' };
const subject = (operation: Operation): Permission => ({ operation, on: 'subject' });
/** A subject's setting, or the registry-wide one when the path names the default context (`/config/:.:`). */
const setting = (operation: Operation, resource: GlobalResource): Permission => ({ operation, on: 'subject', registryWide: resource });
const global = (operation: Operation, on: GlobalResource): Permission => ({ operation, on });

export const PERMISSIONS: Readonly<Record<string, Permission>> = {
  // The server's own (outside the API): probes and Prometheus scrape without credentials; no subject is named there.
  'GET /': PUBLIC,
  'POST /': PUBLIC,
  'GET /openapi.json': PUBLIC,
  'GET /docs': PUBLIC,
  'GET /docs/assets/:name': PUBLIC,
  'GET /health/live': PUBLIC,
  'GET /health/ready': PUBLIC,
  'GET /metrics': PUBLIC,
  'GET /v1/metadata/id': SIGNED_IN,
  'GET /v1/metadata/version': SIGNED_IN,
  'GET /v1/metadata/deployment': SIGNED_IN,
  'GET /contexts': SIGNED_IN,
  // Only an empty context can go; with it go its config and mode.
  'DELETE /contexts/:context': global('write', 'config'),
  'GET /schemas/types': SIGNED_IN,

  // Schemas by id: what deserializers ask for.
  'GET /schemas/ids/:id': SCHEMA_ID,
  'GET /schemas/ids/:id/schema': SCHEMA_ID,
  'GET /schemas/ids/:id/subjects': LISTING,
  'GET /schemas/ids/:id/versions': LISTING,
  'GET /schemas/guids/:guid': SCHEMA_GUID,
  'GET /schemas/guids/:guid/ids': SCHEMA_GUID,
  'GET /schemas': LISTING,

  // Subjects.
  'GET /subjects': LISTING,
  'GET /subjects/:subject/versions': subject('read'),
  'POST /subjects/:subject/versions': subject('write'),
  'GET /subjects/:subject/versions/:version': subject('read'),
  'GET /subjects/:subject/versions/:version/schema': subject('read'),
  'GET /subjects/:subject/versions/:version/referencedby': subject('read'),
  'DELETE /subjects/:subject/versions/:version': subject('write'),
  'POST /subjects/:subject': subject('read'),
  'GET /subjects/:subject/metadata': subject('read'),
  'DELETE /subjects/:subject': subject('write'),
  'POST /compatibility/subjects/:subject/versions/:version': subject('read'),
  'POST /compatibility/subjects/:subject/versions': subject('read'),

  // Settings: a subject's own compatibility goes with the subject (a CI check reads it; Kafka clients set it when
  // they first register a subject); registry-wide settings and every mode (IMPORT lets ids be chosen) are global.
  'GET /config': global('read', 'config'),
  'PUT /config': global('write', 'config'),
  'DELETE /config': global('write', 'config'),
  'GET /config/:subject': setting('read', 'config'),
  'PUT /config/:subject': setting('write', 'config'),
  'DELETE /config/:subject': setting('write', 'config'),
  'GET /mode': global('read', 'mode'),
  'PUT /mode': global('write', 'mode'),
  'DELETE /mode': global('write', 'mode'),
  'GET /mode/:subject': setting('read', 'mode'),
  'PUT /mode/:subject': global('write', 'mode'),
  'DELETE /mode/:subject': global('write', 'mode'),

  // Governance: a subject's catalog entry goes with the subject; the catalog's views and the rules are registry-wide.
  'GET /catalog/subjects/:subject': subject('read'),
  'PUT /catalog/subjects/:subject': subject('write'),
  'DELETE /catalog/subjects/:subject': subject('write'),
  'GET /catalog/search': LISTING,
  'GET /catalog/teams': global('read', 'catalog'),
  'GET /catalog/domains': global('read', 'catalog'),
  'GET /governance/rules': global('read', 'governance'),
  'GET /governance/settings': global('read', 'governance'),
  'PUT /governance/settings': global('write', 'governance'),
  'DELETE /governance/settings': global('write', 'governance'),
  'PUT /governance/settings/prefixes/:prefix': global('write', 'governance'),
  'DELETE /governance/settings/prefixes/:prefix': global('write', 'governance'),
  'POST /governance/profiles/strict': global('write', 'governance'),
  // A dry run writes nothing: reading the subject is enough.
  'POST /governance/subjects/:subject/check': subject('read'),
  'GET /audit': global('read', 'audit'),
};

/** The permission a route needs, by hono's method and registered path. */
export const permissionOf = (method: string, path: string): Permission | undefined => PERMISSIONS[`${method} ${path}`];

/** How a missing permission is named in a 403 and the log: `write on subject 'orders-value'`, `read on audit`. */
export function permissionName(permission: Permission, subject?: string, id?: number | string): string {
  if ('access' in permission) return permission.access;
  if (permission.on === 'subject') return `${permission.operation} on subject '${subject}'`;
  if (permission.on === 'schema-id' || permission.on === 'schema-guid') return `read on a subject holding schema ${id}`;
  if (permission.on === 'listing') return 'read';
  return `${permission.operation} on ${permission.on}`;
}
