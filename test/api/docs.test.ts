// The API reference at /docs, its assets served by Accord itself, and the root page a browser gets.
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { mediaType, PLAIN_JSON, raw, V1_JSON } from './helpers.js';

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';
const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

/** The src and href attributes of an HTML page. */
const references = (html: string) => [...html.matchAll(/\b(?:src|href)="([^"]*)"/g)].map((m) => m[1]!);

/** A request whose path goes out byte for byte: no URL parsing to resolve `..` first. Returns status and body. */
function rawPath(baseUrl: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('API reference and root page', () => {
  let server: TestServer;
  let html: string;
  beforeAll(async () => {
    server = await startTestServer(backends[0]!);
    html = await (await fetch(`${server.url}/docs`)).text();
  });
  afterAll(() => server.close());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
  const assetPaths = () => references(html).filter((r) => r.startsWith('/docs/assets/'));

  describe('/docs', () => {
    it('answers an HTML page that loads Swagger UI and the initializer from Accord’s own paths', async () => {
      const res = await get('/docs', { accept: BROWSER_ACCEPT });
      expect(res.status).toBe(200);
      expect(mediaType(res.headers)).toBe('text/html');
      expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'.*script-src 'self'/);
      const names = assetPaths().map((p) => new URL(p, server.url).pathname.split('/').pop());
      expect(names).toEqual(expect.arrayContaining(['swagger-ui-bundle.js', 'swagger-ui.css', 'accord-docs.js']));
      expect(html).toMatch(/<script src="\/docs\/assets\/swagger-ui-bundle\.js\?v=[0-9a-f]+"><\/script>/);
      expect(html).not.toMatch(/<script>/); // no inline script: the CSP allows none
    });

    it('serves every asset the page references with its content type and a long-lived cache', async () => {
      const types: Record<string, string> = { js: 'text/javascript', css: 'text/css', png: 'image/png' };
      expect(assetPaths().length).toBeGreaterThanOrEqual(4);
      for (const path of assetPaths()) {
        const res = await get(path);
        expect(res.status, path).toBe(200);
        expect(mediaType(res.headers), path).toBe(types[path.split('?')[0]!.split('.').pop()!]);
        expect(res.headers.get('cache-control'), path).toMatch(/max-age=31536000/);
        expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
        expect((await res.arrayBuffer()).byteLength, path).toBeGreaterThan(0);
      }
    });

    it('serves the installed package’s files unchanged, gzipped when asked', async () => {
      const expected = readFileSync(join(swaggerDir, 'swagger-ui-bundle.js'));
      const plain = await raw(server.url, 'GET', '/docs/assets/swagger-ui-bundle.js', {});
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.text).toBe(expected.toString('utf8'));
      const refused = await raw(server.url, 'GET', '/docs/assets/swagger-ui-bundle.js', { 'accept-encoding': 'gzip;q=0, identity' });
      expect(refused.headers['content-encoding']).toBeUndefined();
      expect(refused.text.length).toBe(plain.text.length);
      const gz = await new Promise<{ encoding?: string; body: Buffer }>((resolve, reject) => {
        const url = new URL(server.url);
        request({ host: url.hostname, port: url.port, path: '/docs/assets/swagger-ui-bundle.js', headers: { 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ encoding: res.headers['content-encoding'], body: Buffer.concat(chunks) }));
        })
          .on('error', reject)
          .end();
      });
      expect(gz.encoding).toBe('gzip');
      expect(gz.body.length).toBeLessThan(expected.length / 2);
      expect(gunzipSync(gz.body).equals(expected)).toBe(true);
    });

    it('starts Swagger UI on /openapi.json with the validator badge off', async () => {
      const init = await (await get('/docs/assets/accord-docs.js')).text();
      expect(init).toMatch(/url: '\/openapi\.json'/);
      expect(init).toMatch(/validatorUrl: null/);
      expect(init).not.toMatch(/petstore/);
    });

    it('names no other host: no absolute URL in the page, the initializer or Accord’s stylesheet', async () => {
      const own = await Promise.all(['accord-docs.js', 'accord-docs.css'].map(async (f) => (await get(`/docs/assets/${f}`)).text()));
      for (const text of [html, ...own]) expect(text).not.toMatch(/\bhttps?:\/\/|(?:src|href)="\/\//i);
      for (const ref of references(html)) expect(ref, ref).toMatch(/^\/(?!\/)/);
    });

    it('answers 404 to any asset name outside its list, and to path traversal', async () => {
      for (const path of [
        '/docs/assets/..%2Fpackage.json',
        '/docs/assets/%2e%2e%2f%2e%2e%2fpackage.json',
        '/docs/assets/..%2F..%2F..%2Fpackage.json',
        '/docs/assets/../../package.json',
        '/docs/assets/..%5Cpackage.json',
        '/docs/assets/package.json',
        '/docs/assets/swagger-initializer.js', // in the package, but it loads the petstore
        '/docs/assets/index.html',
        '/docs/assets/swagger-ui-bundle.js.map',
        '/docs/assets/constructor',
        '/docs/assets/__proto__',
        '/docs/assets/',
      ]) {
        const res = await rawPath(server.url, path);
        expect(res.status, path).toBe(404);
        expect(res.body, path).not.toMatch(/swagger-ui-dist|"version"/);
      }
    });
  });

  describe('/openapi.json tags', () => {
    it('gives every operation a tag, and declares (with a description) every tag it uses and no other', async () => {
      const doc = (await (await get('/openapi.json')).json()) as {
        tags: { name: string; description?: string }[];
        paths: Record<string, Record<string, { tags?: string[] }>>;
      };
      const declared = doc.tags.map((t) => t.name);
      for (const t of doc.tags) expect(t.description, t.name).toBeTruthy();
      const used = new Set<string>();
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const method of ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const) {
          const op = item[method];
          if (!op) continue;
          expect(op.tags?.length, `${method} ${path}`).toBeGreaterThan(0);
          for (const tag of op.tags ?? []) {
            expect(declared, `${method} ${path}`).toContain(tag);
            used.add(tag);
          }
        }
      }
      expect([...used].sort()).toEqual([...declared].sort());
    });
  });

  describe('GET /', () => {
    for (const [label, headers, type] of [
      ['no Accept', {}, V1_JSON],
      ['*/*', { accept: '*/*' }, V1_JSON],
      ['application/json', { accept: 'application/json' }, PLAIN_JSON],
      ['the v1 type', { accept: V1_JSON }, V1_JSON],
      ['JSON and HTML alike', { accept: 'application/json, text/html' }, PLAIN_JSON],
      ['HTML below JSON', { accept: 'text/html;q=0.5, application/json' }, PLAIN_JSON],
    ] as [string, Record<string, string>, string][]) {
      it(`answers exactly {} to ${label}, with the Confluent content type`, async () => {
        const res = await raw(server.url, 'GET', '/', headers);
        expect(res.status).toBe(200);
        expect(res.text).toBe('{}');
        expect(mediaType(res.headers)).toBe(type);
      });
    }

    it('POST / still answers {} with a browser’s Accept', async () => {
      const res = await raw(server.url, 'POST', '/', { accept: BROWSER_ACCEPT, 'content-type': 'application/json' }, '{}');
      expect(res.status).toBe(200);
      expect(res.text).toBe('{}');
    });

    for (const accept of [BROWSER_ACCEPT, 'text/html']) {
      it(`answers a page of links to Accept: ${accept}`, async () => {
        const res = await raw(server.url, 'GET', '/', { accept });
        expect(res.status).toBe(200);
        expect(mediaType(res.headers)).toBe('text/html');
        expect(res.headers.vary).toMatch(/accept/i);
        expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
        expect(res.text).toMatch(/<title>Accord \d+\.\d+\.\d+/);
        const links = references(res.text);
        for (const path of ['/docs', '/openapi.json', '/health/live', '/health/ready', '/metrics']) expect(links).toContain(path);
        expect(res.text).toMatch(/Confluent-compatible REST API is served here/);
        expect(res.text).not.toMatch(/\bhttps?:\/\/|<script/i);
      });
    }

    it('links only to pages that answer', async () => {
      const page = (await raw(server.url, 'GET', '/', { accept: BROWSER_ACCEPT })).text;
      for (const link of references(page).filter((r) => r.startsWith('/'))) expect((await get(link)).status, link).toBe(200);
    });
  });
});
