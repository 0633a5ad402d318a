// /contexts: the schema contexts (each with ids of its own), listed and removed once empty.
import { Hono } from 'hono';
import { contextName } from '../../registry/identifiers.js';
import type { Registry } from '../../registry/registry.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import { actorOf, paginate } from '../params.js';

export function contextRoutes(registry: Registry): Hono {
  const app = new Hono();

  app.get('/contexts', async (c) => c.json(paginate(c, await registry.contexts(c.req.query('contextPrefix') ?? ''))));

  // The one success that is not a 200 in Confluent's API: 204, no body.
  app.delete('/contexts/:context', async (c) => {
    await registry.deleteContext(contextName(c.req.param('context')), actorOf(c));
    return c.body(null, 204);
  });

  methodNotAllowed(app, '/contexts', '/contexts/:context');
  return app;
}
