// The HTTP application: negotiation and limits first, then one sub-app per resource, one error boundary.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Registry } from '../registry/registry.js';
import { errorBody, httpError, onError } from './errors.js';
import { contentNegotiation, DEFAULT_RESPONSE_TYPE } from './negotiation.js';
import { compatibilityRoutes } from './routes/compatibility.js';
import { governanceRoutes } from './routes/governance.js';
import { contractRoutes, metaRoutes, type ServerInfo } from './routes/meta.js';
import { schemaRoutes } from './routes/schemas.js';
import { settingsRoutes } from './routes/settings.js';
import { subjectRoutes } from './routes/subjects.js';

export interface AppOptions {
  /** Largest request body accepted, in bytes; larger ones get 413. */
  maxBodyBytes: number;
  info: ServerInfo;
}

export function createApp(registry: Registry, options: AppOptions): Hono {
  // strict: false accepts one trailing slash, which the Java client sends on /compatibility/.../versions/.
  const app = new Hono({ strict: false });
  app.onError(onError);
  app.notFound((c) => {
    const res = httpError(c, 404);
    res.headers.set('content-type', DEFAULT_RESPONSE_TYPE);
    return res;
  });

  app.route('/', contractRoutes(options.info));

  const api = new Hono({ strict: false });
  api.use(contentNegotiation);
  api.use(
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: (c) => errorBody(c, 413, 413, `Request body is larger than the limit of ${options.maxBodyBytes} bytes`),
    }),
  );
  api.route('/', metaRoutes(options.info));
  api.route('/', schemaRoutes(registry));
  api.route('/', subjectRoutes(registry));
  api.route('/', compatibilityRoutes(registry));
  api.route('/', settingsRoutes(registry));
  api.route('/', governanceRoutes(registry));
  app.route('/', api);
  return app;
}
