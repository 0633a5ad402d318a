// /subjects: listing, versions, register, lookup, deletes and referencedby.
import { Hono } from 'hono';
import type { Registry } from '../../registry/registry.js';
import { parseSchemaRequest } from '../../registry/request.js';
import { readableOnly } from '../guard.js';
import { finalJson } from '../final-response.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import { actorOf, flag, jsonBody, optionalFlag, paginate, subjectParam, versionParam, writableSubjectParam, timeParam } from '../params.js';

export function subjectRoutes(registry: Registry): Hono {
  const app = new Hono();

  app.get('/subjects', async (c) => {
    // No prefix is CP's `:*:`: every context.
    const subjects = await registry.reads.subjects({
      prefix: c.req.query('subjectPrefix'),
      deleted: flag(c, 'deleted'),
      deletedOnly: flag(c, 'deletedOnly'),
    });
    return c.json(paginate(c, readableOnly(c, subjects, (s) => s)));
  });

  app.get('/subjects/:subject/versions', async (c) => {
    const asOf = timeParam(c, 'asOf');
    if (asOf) return c.json(paginate(c, await registry.history.versionsAsOf(subjectParam(c), asOf, flag(c, 'deleted'))));
    const versions = await registry.reads.versions(subjectParam(c), {
      deleted: flag(c, 'deleted'),
      deletedOnly: flag(c, 'deletedOnly'),
      deletedAsNegative: flag(c, 'deletedAsNegative'),
    });
    return c.json(paginate(c, versions));
  });

  app.post('/subjects/:subject/versions', async (c) => {
    const subject = writableSubjectParam(c);
    const request = parseSchemaRequest(await jsonBody(c));
    const view = await registry.register(subject, request, { normalize: optionalFlag(c, 'normalize') }, actorOf(c));
    return finalJson(c, view);
  });

  app.get('/subjects/:subject/versions/:version', async (c) => {
    const asOf = timeParam(c, 'asOf');
    if (asOf) return c.json(await registry.history.versionAsOf(subjectParam(c), versionParam(c), asOf, flag(c, 'deleted')));
    return c.json(await registry.reads.version(subjectParam(c), versionParam(c), flag(c, 'deleted'), c.req.query('format')));
  });

  app.get('/subjects/:subject/versions/:version/schema', async (c) => {
    const view = await registry.reads.version(subjectParam(c), versionParam(c), flag(c, 'deleted'), c.req.query('format'));
    return c.body(view.schema);
  });

  app.get('/subjects/:subject/versions/:version/referencedby', async (c) => {
    const ids = await registry.reads.referencedBy(subjectParam(c), versionParam(c), flag(c, 'deleted'));
    return c.json(paginate(c, ids, 1000, 1000));
  });

  app.delete('/subjects/:subject/versions/:version', async (c) => {
    const version = versionParam(c);
    return c.json(await registry.deleteVersion(subjectParam(c), version, flag(c, 'permanent'), actorOf(c)));
  });

  app.post('/subjects/:subject', async (c) => {
    const request = parseSchemaRequest(await jsonBody(c));
    const view = await registry.reads.lookup(subjectParam(c), request, { normalize: optionalFlag(c, 'normalize'), deleted: flag(c, 'deleted') });
    return c.json(view);
  });

  app.get('/subjects/:subject/metadata', async (c) => {
    const keys = c.req.queries('key') ?? [];
    const values = c.req.queries('value') ?? [];
    const wanted = keys.map((k, i): [string, string] => [k, values[i] ?? '']);
    return c.json(await registry.reads.latestWithMetadata(subjectParam(c), wanted));
  });

  app.delete('/subjects/:subject', async (c) => {
    return c.json(await registry.deleteSubject(subjectParam(c), flag(c, 'permanent'), actorOf(c)));
  });

  methodNotAllowed(
    app,
    '/subjects',
    '/subjects/:subject',
    '/subjects/:subject/versions',
    '/subjects/:subject/versions/:version',
    '/subjects/:subject/versions/:version/schema',
    '/subjects/:subject/versions/:version/referencedby',
    '/subjects/:subject/metadata',
  );
  return app;
}
