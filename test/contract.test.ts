// The OpenAPI contract and what is generated from it stay in step.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOpenApi } from '../src/server.js';
import { run } from './support/run.js';

describe('contracts/accord.openapi.yaml', () => {
  it('generates exactly the committed sdk/api.d.ts (run `npm run gen:api` when this fails)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-api-'));
    try {
      const out = join(dir, 'api.d.ts');
      const generated = await run(process.execPath, ['node_modules/openapi-typescript/bin/cli.js', 'contracts/accord.openapi.yaml', '-o', out]);
      expect(generated.code, generated.stderr).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync('sdk/api.d.ts', 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('describes every route the server answers', () => {
    const paths = Object.keys((loadOpenApi().paths ?? {}) as object);
    for (const route of [
      '/', '/v1/metadata/id', '/v1/metadata/version', '/contexts', '/schemas', '/schemas/types', '/schemas/ids/{id}',
      '/schemas/ids/{id}/schema', '/schemas/ids/{id}/subjects', '/schemas/ids/{id}/versions', '/schemas/guids/{guid}', '/schemas/guids/{guid}/ids', '/subjects', '/subjects/{subject}',
      '/subjects/{subject}/versions', '/subjects/{subject}/versions/{version}', '/subjects/{subject}/versions/{version}/schema',
      '/subjects/{subject}/versions/{version}/referencedby', '/compatibility/subjects/{subject}/versions',
      '/compatibility/subjects/{subject}/versions/{version}', '/config', '/config/{subject}', '/mode', '/mode/{subject}',
      '/openapi.json', '/docs', '/docs/assets/{name}', '/subjects/{subject}/metadata', '/catalog/subjects/{subject}',
      '/catalog/search', '/catalog/teams', '/catalog/domains', '/governance/rules', '/governance/settings',
      '/governance/settings/prefixes/{prefix}', '/governance/profiles/strict', '/governance/subjects/{subject}/check', '/audit',
      '/health/live', '/health/ready', '/metrics',
    ]) {
      expect(paths, route).toContain(route);
    }
  });
});
