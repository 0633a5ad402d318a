// For the platform running Accord: liveness, readiness and Prometheus metrics (outside content negotiation).
import { Hono } from 'hono';
import type { Metrics } from '../observability.js';

export function operationsRoutes(metrics: Metrics, ready: () => Promise<{ ok: boolean; detail?: string }>): Hono {
  const app = new Hono();
  app.get('/health/live', (c) => c.json({ status: 'UP' }));
  app.get('/health/ready', async (c) => {
    const state = await ready().catch((err: Error) => ({ ok: false, detail: err.message }));
    return c.json({ status: state.ok ? 'UP' : 'DOWN', ...(state.detail ? { detail: state.detail } : {}) }, state.ok ? 200 : 503);
  });
  app.get('/metrics', async (c) => c.text(await metrics.render(), 200, { 'content-type': 'text/plain; version=0.0.4' }));
  return app;
}
