// /compatibility: would this schema be accepted? Confluent's verdict, plus structured findings when verbose.
import { Hono, type Context } from 'hono';
import type { VersionSpec } from '../../registry/identifiers.js';
import type { Registry } from '../../registry/registry.js';
import { parseSchemaRequest } from '../../registry/request.js';
import { methodNotAllowed } from '../method-not-allowed.js';
import { flag, jsonBody, optionalFlag, subjectParam, versionParam } from '../params.js';

export function compatibilityRoutes(registry: Registry): Hono {
  const app = new Hono();

  const check = async (c: Context, spec: VersionSpec | undefined) => {
    const verbose = flag(c, 'verbose');
    const request = parseSchemaRequest(await jsonBody(c));
    const result = await registry.checks.testCompatibility(subjectParam(c), spec, request, { normalize: optionalFlag(c, 'normalize'), verbose });
    // Clients ignore unknown fields, so the structured findings travel beside Confluent's strings.
    return c.json(
      verbose
        ? { is_compatible: result.compatible, messages: result.messages, incompatibilities: result.incompatibilities }
        : { is_compatible: result.compatible },
    );
  };

  app.post('/compatibility/subjects/:subject/versions/:version', (c) => check(c, versionParam(c)));
  app.post('/compatibility/subjects/:subject/versions', (c) => check(c, undefined));

  methodNotAllowed(app, '/compatibility/subjects/:subject/versions/:version', '/compatibility/subjects/:subject/versions');
  return app;
}
