// The HTTP application: negotiation and limits first, then one sub-app per resource, one error boundary.
import { Hono, type Context } from 'hono';
import type { Registry } from '../registry/registry.js';
import type { Auth } from '../auth/settings.js';
import { errorBody, errorHandler, httpError } from './errors.js';
import { guard, type TransportPrincipal } from './guard.js';
import { readBodies } from './params.js';
import { jsonLogger, Metrics, observe, type Logger } from './observability.js';
import { operationsRoutes } from './routes/operations.js';
import { contentNegotiation, DEFAULT_RESPONSE_TYPE } from './negotiation.js';
import { compatibilityRoutes } from './routes/compatibility.js';
import { contextRoutes } from './routes/contexts.js';
import { governanceRoutes } from './routes/governance.js';
import { contractRoutes, metaRoutes, type ServerInfo } from './routes/meta.js';
import { schemaRoutes } from './routes/schemas.js';
import { settingsRoutes } from './routes/settings.js';
import { subjectRoutes } from './routes/subjects.js';

export interface AppOptions {
  /** Largest request body accepted, in bytes; larger ones get 413. */
  maxBodyBytes: number;
  info: ServerInfo;
  logger?: Logger;
  metrics?: Metrics;
  /** Readiness: the database answers and every migration is applied. */
  ready: () => Promise<{ ok: boolean; detail?: string }>;
  /** Authentication and authorisation (ACCORD_AUTH_CONFIG); without it every request is let through, as before. */
  auth?: Auth | undefined;
  /** A principal vouched for by the transport (an mTLS client certificate). */
  transportPrincipal?: TransportPrincipal | undefined;
  /** The caller's address, through trusted proxies (logged with refusals). */
  clientAddress?: ((c: Context) => string | undefined) | undefined;
}

export function createApp(registry: Registry, options: AppOptions): Hono {
  // strict: false accepts one trailing slash, which the Java client sends on /compatibility/.../versions/.
  const app = new Hono({ strict: false });
  const logger = options.logger ?? jsonLogger('info');
  const metrics = options.metrics ?? new Metrics();
  app.use(observe(metrics, logger));
  app.onError(errorHandler(logger));
  if (options.auth) app.use(guard({ auth: options.auth, registry, metrics, logger, transportPrincipal: options.transportPrincipal, clientAddress: options.clientAddress }));
  app.notFound((c) => {
    const res = httpError(c, 404);
    res.headers.set('content-type', DEFAULT_RESPONSE_TYPE);
    return res;
  });

  app.route('/', contractRoutes(options.info));
  app.route('/', operationsRoutes(metrics, options.ready));

  const api = new Hono({ strict: false });
  api.use(contentNegotiation);
  api.use(
    readBodies(options.maxBodyBytes, (c) =>
      errorBody(c, 413, 413, `Request body is larger than the limit of ${options.maxBodyBytes} bytes (the server's ACCORD_MAX_BODY_BYTES setting)`),
    ),
  );
  api.route('/', metaRoutes(options.info));
  api.route('/', schemaRoutes(registry));
  api.route('/', contextRoutes(registry));
  api.route('/', subjectRoutes(registry));
  api.route('/', compatibilityRoutes(registry));
  api.route('/', settingsRoutes(registry));
  api.route('/', governanceRoutes(registry));
  app.route('/', api);
  return app;
}
