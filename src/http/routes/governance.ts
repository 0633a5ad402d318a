// Governance over HTTP: the ownership catalog, rule settings and profiles, dry runs, and the audit log.
import { Hono, type Context } from 'hono';
import { parseCatalogEntry } from '../../governance/catalog.js';
import { Governance } from '../../governance/governance.js';
import type { Registry } from '../../registry/registry.js';
import type { Store } from '../../storage/store.js';
import { parseSchemaRequest } from '../../registry/request.js';
import { readableOnly } from '../guard.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import { writableSubjectPrefix } from '../../registry/identifiers.js';
import { actorOf, jsonBody, optionalFlag, paginate, subjectParam, timeParam, writablePrefixParam, writableSubjectParam } from '../params.js';

export function governanceRoutes(registry: Registry): Hono {
  const app = new Hono();
  const governance = new Governance();
  const read = registry.read.bind(registry);
  const tx = registry.tx.bind(registry);

  // ---- catalog
  app.get('/catalog/subjects/:subject', (c) => read(async (s) => c.json(await governance.entry(s, subjectParam(c)))));
  app.put('/catalog/subjects/:subject', async (c) => {
    const subject = writableSubjectParam(c);
    const body = await jsonBody(c);
    return tx(async (s) => {
      await registry.settings.assertWritable(s, subject);
      return c.json(await governance.putEntry(s, subject, body, actorOf(c)));
    });
  });
  app.delete('/catalog/subjects/:subject', (c) =>
    tx(async (s) => {
      await registry.settings.assertWritable(s, subjectParam(c));
      return c.json(await governance.deleteEntry(s, subjectParam(c), actorOf(c)));
    }),
  );
  app.get('/catalog/search', (c) =>
    read(async (s) => {
      const all = await governance.search(s, {
        owner: c.req.query('owner'),
        domain: c.req.query('domain'),
        tag: c.req.query('tag'),
        lifecycle: c.req.query('lifecycle'),
        text: c.req.query('q'),
      });
      const readable = readableOnly(c, all, (e) => e.subject as string);
      return c.json({ total: readable.length, entries: paginate(c, readable, 100, 1000) });
    }),
  );
  // Teams and domains list only the subjects the caller may read; one with none of them is left out.
  const readableGroups = async (c: Context, s: Store, by: 'owner' | 'domain') =>
    (await governance.groups(s, by)).map((g) => ({ ...g, subjects: readableOnly(c, g.subjects, (subject) => subject) })).filter((g) => g.subjects.length > 0);
  app.get('/catalog/teams', (c) =>
    read(async (s) => c.json((await readableGroups(c, s, 'owner')).map((g) => ({ team: g.name, domains: g.related, subjects: g.subjects })))),
  );
  app.get('/catalog/domains', (c) =>
    read(async (s) => c.json((await readableGroups(c, s, 'domain')).map((g) => ({ domain: g.name, teams: g.related, subjects: g.subjects })))),
  );

  // ---- rules
  app.get('/governance/rules', (c) => read(async (s) => c.json(await governance.rules(s, c.req.query('subject')))));
  app.get('/governance/settings', (c) => read(async (s) => c.json(await governance.settings(s))));
  app.put('/governance/settings', async (c) => {
    const body = await jsonBody(c);
    return tx(async (s) => {
      await registry.settings.assertWritable(s, null);
      return c.json(await governance.putSettings(s, '', body, actorOf(c)));
    });
  });
  app.delete('/governance/settings', (c) =>
    tx(async (s) => {
      await registry.settings.assertWritable(s, null);
      await governance.deleteSettings(s, '', actorOf(c));
      return c.json({ prefix: '' });
    }),
  );
  app.put('/governance/settings/prefixes/:prefix', async (c) => {
    const prefix = writablePrefixParam(c);
    const body = await jsonBody(c);
    return tx(async (s) => {
      await registry.settings.assertWritable(s, null);
      return c.json(await governance.putSettings(s, prefix, body, actorOf(c)));
    });
  });
  app.delete('/governance/settings/prefixes/:prefix', (c) =>
    tx(async (s) => {
      await registry.settings.assertWritable(s, null);
      await governance.deleteSettings(s, c.req.param('prefix'), actorOf(c));
      return c.json({ prefix: c.req.param('prefix') });
    }),
  );
  app.post('/governance/profiles/strict', (c) => {
    const prefix = writableSubjectPrefix(c.req.query('prefix') ?? '');
    return tx(async (s) => {
      await registry.settings.assertWritable(s, null);
      return c.json(await governance.applyStrict(s, prefix, actorOf(c)));
    });
  });

  // ---- dry run: every finding a registration would meet, without registering
  app.post('/governance/subjects/:subject/check', async (c) => {
    const body = await jsonBody(c);
    const request = parseSchemaRequest(body);
    // A catalog entry sent with the schema (e.g. from a contracts manifest) stands in for the stored one.
    const catalog = (body as { catalog?: unknown }).catalog;
    // What a registration would meet, starting with the subject name's own check.
    const result = await registry.checks.dryRun(writableSubjectParam(c), request, {
      normalize: optionalFlag(c, 'normalize'),
      ...(catalog !== undefined ? { catalog: parseCatalogEntry(catalog) } : {}),
    });
    return c.json({
      is_compatible: result.compatible,
      messages: result.messages,
      incompatibilities: result.incompatibilities,
      findings: result.findings,
      would_register: result.compatible && !result.findings.some((f) => f.severity === 'error'),
    });
  });

  // ---- audit
  app.get('/audit', (c) =>
    read(async (s) => {
      const entries = await s.auditTrail(c.req.query('subject'), { action: c.req.query('kind'), from: timeParam(c, 'from'), to: timeParam(c, 'to') });
      return c.json(paginate(c, entries, 1000, 10_000));
    }),
  );

  methodNotAllowed(
    app,
    '/catalog/subjects/:subject',
    '/catalog/search',
    '/catalog/teams',
    '/catalog/domains',
    '/governance/rules',
    '/governance/settings',
    '/governance/settings/prefixes/:prefix',
    '/governance/profiles/strict',
    '/governance/subjects/:subject/check',
    '/audit',
  );
  return app;
}

