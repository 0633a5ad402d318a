// The server's own endpoints: liveness, metadata, contexts, and the API contract with its rendered docs.
import { Hono } from 'hono';
import { methodNotAllowed } from '../method-not-allowed.js';
import { renderDocs } from '../docs.js';

export interface ServerInfo {
  version: string;
  commitId: string;
  clusterId: string;
  /** The OpenAPI document of this API, as a JSON value (read when first asked for). */
  openapi: () => Record<string, unknown>;
}

export function metaRoutes(info: ServerInfo): Hono {
  const app = new Hono();
  app.get('/', (c) => c.json({}));
  app.post('/', (c) => c.json({}));
  app.get('/v1/metadata/id', (c) =>
    c.json({ scope: { path: [], clusters: { 'kafka-cluster': info.clusterId, 'schema-registry-cluster': info.clusterId } } }),
  );
  app.get('/v1/metadata/version', (c) => c.json({ version: info.version, commitId: info.commitId }));
  // Accord serves the default context only.
  app.get('/contexts', (c) => c.json(['.']));
  methodNotAllowed(app, '/', '/v1/metadata/id', '/v1/metadata/version', '/contexts');
  return app;
}

/** Served outside content negotiation: a browser asks for text/html. */
export function contractRoutes(info: ServerInfo): Hono {
  const app = new Hono();
  app.get('/openapi.json', (c) => c.json(info.openapi()));
  let html: string | undefined;
  app.get('/docs', (c) => c.html((html ??= renderDocs(info.openapi()))));
  return app;
}
