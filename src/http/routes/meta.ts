// The server's own endpoints: liveness, metadata, and the API contract with its reference page.
import { Hono } from 'hono';
import { methodNotAllowed } from '../method-not-allowed.js';
import { acceptsGzip, ASSET_CACHE_CONTROL, DOCS_CSP, docsAsset, docsPage } from '../docs.js';
import { LANDING_CSP, landingPage } from '../landing.js';
import { prefersHtml } from '../negotiation.js';
import { requestHeader } from '../../node-request.js';

export interface ServerInfo {
  version: string;
  commitId: string;
  clusterId: string;
  /** The OpenAPI document of this API, as a JSON value (read when first asked for). */
  openapi: () => Record<string, unknown>;
}

export function metaRoutes(info: ServerInfo): Hono {
  const app = new Hono();
  // Vary: a browser gets a page here instead (contractRoutes).
  app.get('/', (c) => c.json({}, 200, { vary: 'Accept' }));
  app.post('/', (c) => c.json({}));
  app.get('/v1/metadata/id', (c) =>
    c.json({ scope: { path: [], clusters: { 'kafka-cluster': info.clusterId, 'schema-registry-cluster': info.clusterId } } }),
  );
  app.get('/v1/metadata/version', (c) => c.json({ version: info.version, commitId: info.commitId }));
  // Confluent 8.x: attributes of the deployment (none are configured by default, and Accord has none).
  app.get('/v1/metadata/deployment', (c) => c.json({ attributes: [] }));
  methodNotAllowed(app, '/', '/v1/metadata/id', '/v1/metadata/version', '/v1/metadata/deployment');
  return app;
}

/** Headers of the two HTML pages: never cached stale (their asset URLs change on upgrade), never framed or sniffed. */
const pageHeaders = (csp: string) => ({
  'cache-control': 'no-cache',
  'content-security-policy': csp,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

/** Served outside content negotiation: a browser asks for text/html. */
export function contractRoutes(info: ServerInfo): Hono {
  const app = new Hono();
  // A browser at the root gets a page of links; every other client falls through to Confluent's `{}` (metaRoutes).
  const landing = landingPage(info.version);
  app.get('/', async (c, next) => {
    if (!prefersHtml(requestHeader(c, 'accept'))) return next();
    return c.html(landing, 200, { ...pageHeaders(LANDING_CSP), vary: 'Accept' });
  });
  app.get('/openapi.json', (c) => c.json(info.openapi()));
  let docs: string | undefined;
  app.get('/docs', (c) => c.html((docs ??= docsPage(info.version)), 200, pageHeaders(DOCS_CSP)));
  app.get('/docs/assets/:name', async (c) => {
    const pending = docsAsset(c.req.param('name'));
    if (!pending) return c.notFound();
    const asset = await pending;
    const gzip = asset.gzipped && acceptsGzip(requestHeader(c, 'accept-encoding'));
    return c.body(gzip ? asset.gzipped! : asset.body, 200, {
      'content-type': asset.type,
      'cache-control': ASSET_CACHE_CONTROL,
      'x-content-type-options': 'nosniff',
      vary: 'Accept-Encoding',
      ...(gzip ? { 'content-encoding': 'gzip' } : {}),
    });
  });
  return app;
}
