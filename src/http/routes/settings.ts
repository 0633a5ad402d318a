// /config and /mode, registry-wide and per subject.
import { Hono, type Context } from 'hono';
import { errors } from '../../registry/errors.js';
import { subjectName, type Subject } from '../../registry/identifiers.js';
import type { Registry } from '../../registry/registry.js';
import { parseConfigUpdate } from '../../registry/settings.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import { actorOf, flag, jsonBody, timeParam, writableSubjectParam } from '../params.js';

/** The subject a settings path names; none (registry-wide) for the bare path and for the default context `:.:`. */
function scopeOf(c: Context, forWrite: boolean): string | null {
  const raw = c.req.param('subject');
  if (raw === undefined || raw === ':.:') return null;
  return forWrite ? writableSubjectParam(c) : subjectName(raw);
}

export function settingsRoutes(registry: Registry): Hono {
  const app = new Hono();
  const { settings } = registry;

  for (const path of ['/config', '/config/:subject']) {
    app.get(path, async (c) => {
      const asOf = timeParam(c, 'asOf');
      if (asOf) return c.json(await registry.history.configAsOf(scopeOf(c, false) as Subject | null, asOf));
      return c.json(await settings.getConfig(registry.store, scopeOf(c, false), flag(c, 'defaultToGlobal')));
    });
    app.put(path, async (c) => {
      const update = parseConfigUpdate(await jsonBody(c));
      return registry.tx(async (store) => c.json(await settings.putConfig(store, scopeOf(c, true), update, actorOf(c))));
    });
    app.delete(path, (c) => registry.tx(async (store) => c.json(await settings.deleteConfig(store, scopeOf(c, false), actorOf(c)))));
  }

  for (const path of ['/mode', '/mode/:subject']) {
    app.get(path, async (c) => c.json(await settings.getMode(registry.store, scopeOf(c, false), flag(c, 'defaultToGlobal'))));
    app.put(path, async (c) => {
      const body = await jsonBody(c);
      if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errors.malformedBody('The request body must be a JSON object');
      const { mode } = body as { mode?: unknown };
      const answer = await registry.tx((store) => settings.putMode(store, scopeOf(c, true), mode, flag(c, 'force'), actorOf(c)));
      // Entering IMPORT hard-deletes soft-deleted leftovers, which may leave ids unreadable.
      if (answer.mode === 'IMPORT') registry.forgetCachedAnswers();
      return c.json(answer);
    });
    app.delete(path, (c) => registry.tx(async (store) => c.json(await settings.deleteMode(store, scopeOf(c, false), actorOf(c)))));
  }

  methodNotAllowed(app, '/config', '/config/:subject', '/mode', '/mode/:subject');
  return app;
}
