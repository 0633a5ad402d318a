// /schemas: schemas by id (in a context: `?subject=` names it), the list of all schemas, and the supported types.
import { Hono, type Context } from 'hono';
import { unqualifiedName } from '../../registry/contexts.js';
import { subjectName } from '../../registry/identifiers.js';
import { supportedSchemaTypes } from '../../formats/index.js';
import type { Registry } from '../../registry/registry.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import { readableOnly } from '../guard.js';
import { immutableAnswer, immutableJson } from '../caching.js';
import { flag, idParam, paginate } from '../params.js';

export function schemaRoutes(registry: Registry): Hono {
  const app = new Hono();

  /** The context an id is read in: that of `?subject=` (the default context without one). */
  const contextOfId = (c: Context, id: number) => registry.reads.contextForId(id, c.req.query('subject'));
  /** `?subject=` as a filter of the holders of an id; a bare context (`:.team-a:`) names no subject. */
  const subjectFilterOf = (c: Context) => {
    const subject = c.req.query('subject');
    return subject === undefined || unqualifiedName(subjectName(subject)) === '' ? undefined : subjectName(subject);
  };

  app.get('/schemas/ids/:id', async (c) => {
    const fetchMaxId = flag(c, 'fetchMaxId');
    const id = idParam(c);
    const view = await registry.reads.schemaById(await contextOfId(c, id), id, { format: c.req.query('format'), fetchMaxId });
    // An id's schema never changes; maxId does.
    return fetchMaxId ? c.json(view) : immutableJson(c, view);
  });

  app.get('/schemas/ids/:id/schema', async (c) => {
    const id = idParam(c);
    const view = await registry.reads.schemaById(await contextOfId(c, id), id, { format: c.req.query('format') });
    return immutableAnswer(c, view.schema);
  });

  app.get('/schemas/ids/:id/subjects', async (c) => {
    const id = idParam(c);
    const versions = await registry.reads.versionsOfId(await contextOfId(c, id), id, { subject: subjectFilterOf(c), deleted: flag(c, 'deleted') });
    return c.json(paginate(c, [...new Set(readableOnly(c, versions, (v) => v.subject).map((v) => v.subject))]));
  });

  app.get('/schemas/ids/:id/versions', async (c) => {
    const id = idParam(c);
    const versions = await registry.reads.versionsOfId(await contextOfId(c, id), id, { subject: subjectFilterOf(c), deleted: flag(c, 'deleted') });
    return c.json(paginate(c, readableOnly(c, versions, (v) => v.subject)));
  });

  // Confluent 8: a schema by GUID, as Kafka clients resolve a header id or a V1 payload. A GUID's schema never changes.
  app.get('/schemas/guids/:guid', async (c) => immutableJson(c, await registry.reads.schemaByGuid(c.req.param('guid'), { format: c.req.query('format') })));

  app.get('/schemas/guids/:guid/ids', async (c) => c.json(await registry.reads.idsInContexts(c.req.param('guid'))));

  app.get('/schemas/types', (c) => c.json(supportedSchemaTypes()));

  app.get('/schemas', async (c) => {
    const schemas = await registry.reads.schemas({
      prefix: c.req.query('subjectPrefix'),
      deleted: flag(c, 'deleted'),
      latestOnly: flag(c, 'latestOnly'),
    });
    return c.json(paginate(c, readableOnly(c, schemas, (s) => s.subject), 1000, 1000));
  });

  methodNotAllowed(app, '/schemas/ids/:id', '/schemas/ids/:id/schema', '/schemas/ids/:id/subjects', '/schemas/ids/:id/versions', '/schemas/guids/:guid', '/schemas/guids/:guid/ids', '/schemas/types', '/schemas');
  return app;
}
