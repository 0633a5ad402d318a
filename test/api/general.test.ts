// Conformance, reference §1 and §3.1: root, metadata, content negotiation, framework errors, limits, subject names.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mediaType, PLAIN_JSON, raw, record, SR_JSON, uniq, V1_JSON, type Client } from './helpers.js';

const simple = (name = 'r') => JSON.stringify(record(name, [['a', 'string']]));

describe.each(backends)('general conventions ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());

  describe('root and metadata (§3.1)', () => {
    it('GET / answers 200 {}', async () => {
      const res = await api.get('/');
      expect(res.status).toBe(200);
      expect(res.json).toEqual({});
    });

    it('POST / with a JSON object answers 200 {}', async () => {
      const res = await api.post('/', { anything: 1 });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({});
    });

    it('GET /v1/metadata/id has the scope shape', async () => {
      const res = await api.get('/v1/metadata/id');
      expect(res.status).toBe(200);
      expect(res.json.scope.path).toEqual([]);
      expect(Object.keys(res.json.scope.clusters).sort()).toEqual(['kafka-cluster', 'schema-registry-cluster']);
      expect(typeof res.json.scope.clusters['kafka-cluster']).toBe('string');
    });

    it('GET /v1/metadata/version gives version and commitId strings', async () => {
      const res = await api.get('/v1/metadata/version');
      expect(res.status).toBe(200);
      expect(typeof res.json.version).toBe('string');
      expect(typeof res.json.commitId).toBe('string');
    });

    it('GET /v1/metadata/deployment answers Confluent 8.x\'s empty attributes', async () => {
      const res = await api.get('/v1/metadata/deployment');
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ attributes: [] });
    });

    it('GET /contexts lists the default context', async () => {
      const res = await api.get('/contexts');
      expect(res.status).toBe(200);
      expect(res.json).toEqual(['.']);
    });

    it('GET /schemas/types contains AVRO and only known types', async () => {
      const res = await api.get('/schemas/types');
      expect(res.status).toBe(200);
      expect(res.json).toContain('AVRO');
      for (const t of res.json) expect(['AVRO', 'JSON', 'PROTOBUF']).toContain(t);
    });

    it('GET /openapi.json returns a document with paths', async () => {
      const res = await api.get('/openapi.json');
      expect(res.status).toBe(200);
      expect(typeof res.json.paths).toBe('object');
      expect(Object.keys(res.json.paths).length).toBeGreaterThan(0);
    });

    it('GET /docs returns HTML', async () => {
      const res = await fetch(`${server.url}/docs`, { headers: { accept: 'text/html' } });
      expect(res.status).toBe(200);
      expect(mediaType(res.headers)).toBe('text/html');
      expect(await res.text()).toMatch(/<html/i);
    });
  });

  describe('response content type (§1.2)', () => {
    it('no Accept header → v1 type', async () => {
      const res = await raw(server.url, 'GET', '/subjects', {});
      expect(res.status).toBe(200);
      expect(mediaType(res.headers)).toBe(V1_JSON);
    });

    it.each(['*/*', '*', 'application/*', '*/anything', V1_JSON])('Accept %s → v1 type', async (accept) => {
      const res = await raw(server.url, 'GET', '/subjects', { accept });
      expect(res.status).toBe(200);
      expect(mediaType(res.headers)).toBe(V1_JSON);
    });

    it('Accept application/json → application/json', async () => {
      const res = await raw(server.url, 'GET', '/subjects', { accept: PLAIN_JSON });
      expect(res.status).toBe(200);
      expect(mediaType(res.headers)).toBe(PLAIN_JSON);
    });

    it('Accept application/vnd.schemaregistry+json → that type', async () => {
      const res = await raw(server.url, 'GET', '/config', { accept: SR_JSON });
      expect(res.status).toBe(200);
      expect(mediaType(res.headers)).toBe(SR_JSON);
    });

    it('weighted Accept is honoured', async () => {
      const accept = 'application/vnd.schemaregistry.v2+json;q=0.1, application/vnd.schemaregistry+json;q=0.9';
      const res = await raw(server.url, 'GET', '/subjects', { accept });
      expect(res.status).toBe(200);
      expect(mediaType(res.headers)).toBe(SR_JSON);
    });

    it.each(['text/*', 'application/octet-stream', 'application/vnd.schemaregistry.v2+json'])('Accept %s → 406', async (accept) => {
      const res = await raw(server.url, 'GET', '/subjects', { accept });
      expect(res.status).toBe(406);
      expect(res.json).toEqual({ error_code: 406, message: 'HTTP 406 Not Acceptable' });
    });
  });

  describe('request content type (§1.2)', () => {
    it('an unsupported Content-Type → 415 with a JSON body and JSON content type, naming the types accepted', async () => {
      const res = await raw(server.url, 'POST', `/subjects/${enc(uniq('ct'))}/versions`, { 'content-type': 'text/plain' }, JSON.stringify({ schema: simple() }));
      expect(res.status).toBe(415);
      expect(res.json.error_code).toBe(415);
      expect(res.json.message).toMatch(/^HTTP 415 Unsupported Media Type: a request body of type text\/plain is not accepted/);
      for (const type of [V1_JSON, SR_JSON, PLAIN_JSON, 'application/octet-stream']) expect(res.json.message).toContain(type);
      expect(res.json.message).not.toContain('curl');
      expect(mediaType(res.headers)).toMatch(/json$/);
    });

    it('a form-urlencoded body (curl -d without a header) → 415 saying which header to add', async () => {
      const res = await raw(server.url, 'POST', `/subjects/${enc(uniq('ct'))}/versions`, { 'content-type': 'application/x-www-form-urlencoded' }, JSON.stringify({ schema: simple() }));
      expect(res.status).toBe(415);
      expect(res.json.error_code).toBe(415);
      expect(res.json.message).toContain(PLAIN_JSON);
      expect(res.json.message).toContain("curl -d sends application/x-www-form-urlencoded when no Content-Type is given: add -H 'Content-Type: application/json'");
    });

    it.each([V1_JSON, SR_JSON, PLAIN_JSON, 'application/octet-stream', 'application/json; charset=utf-8'])(
      'Content-Type %s is accepted on register',
      async (contentType) => {
        const res = await raw(server.url, 'POST', `/subjects/${enc(uniq('ct'))}/versions`, { 'content-type': contentType }, JSON.stringify({ schema: simple() }));
        expect(res.status).toBe(200);
        expect(typeof res.json.id).toBe('number');
      },
    );

    it('a missing Content-Type is treated as JSON', async () => {
      const res = await raw(server.url, 'POST', `/subjects/${enc(uniq('noct'))}/versions`, {}, JSON.stringify({ schema: simple() }));
      expect(res.status).toBe(200);
      expect(typeof res.json.id).toBe('number');
    });

    it('unknown headers and unknown body properties are ignored', async () => {
      const res = await api.post(
        `/subjects/${enc(uniq('hdr'))}/versions?normalize=false&someUnknownParam=1`,
        { schema: simple(), somethingNew: { x: 1 } },
        { 'Confluent-Accept-Unknown-Properties': 'true', 'Confluent-Client-Version': 'java/7.6.0' },
      );
      expect(res.status).toBe(200);
      expect(typeof res.json.id).toBe('number');
    });
  });

  describe('framework errors (§1.3)', () => {
    it('unknown route → 404/404 with a JSON body', async () => {
      const res = await api.get('/no/such/route');
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
      expect(mediaType(res.headers)).toMatch(/json$/);
    });

    it('a non-numeric id → 404/404', async () => {
      const res = await api.get('/schemas/ids/abc');
      expect(res.status).toBe(404);
      expect(res.json.error_code).toBe(404);
    });

    it.each([
      ['DELETE', '/schemas/types'],
      ['PUT', '/subjects'],
      ['POST', '/config'],
      ['GET', '/compatibility/subjects/x/versions/1'],
      ['PATCH', '/mode'],
    ])('%s %s → 405/405', async (method, path) => {
      const res = await api.call(method, path, method === 'GET' || method === 'DELETE' ? undefined : {});
      expect(res.status).toBe(405);
      expect(res.json).toEqual({ error_code: 405, message: 'HTTP 405 Method Not Allowed' });
    });

    it('a trailing slash is accepted', async () => {
      const subject = uniq('slash');
      expect((await api.register(subject, simple())).status).toBe(200);
      expect((await api.get('/subjects/')).json).toContain(subject);
      expect((await api.get(`/subjects/${enc(subject)}/versions/`)).json).toEqual([1]);
      const compat = await api.post(`/compatibility/subjects/${enc(subject)}/versions/`, { schema: simple() });
      expect(compat.status).toBe(200);
      expect(compat.json).toEqual({ is_compatible: true });
    });

    it('malformed JSON → 400/400', async () => {
      const res = await api.post(`/subjects/${enc(uniq('bad'))}/versions`, '{"schema": ');
      expect(res.status).toBe(400);
      expect(res.json.error_code).toBe(400);
      expect(typeof res.json.message).toBe('string');
    });

    it('a body of the wrong shape (-1) → 400/400', async () => {
      const res = await api.post(`/subjects/${enc(uniq('bad'))}/versions`, '-1');
      expect(res.status).toBe(400);
      expect(res.json.error_code).toBe(400);
    });

    it.each([
      ['POST', '/subjects/{s}'],
      ['POST', '/compatibility/subjects/{s}/versions/latest'],
      ['PUT', '/config'],
      ['PUT', '/config/{s}'],
      ['PUT', '/mode'],
      ['PUT', '/mode/{s}'],
    ])('%s %s with body -1 → 400/400', async (method, template) => {
      const res = await api.call(method, template.replace('{s}', enc(uniq('shape'))), '-1');
      expect(res.status).toBe(400);
      expect(res.json.error_code).toBe(400);
      expect((await api.get('/mode')).json).toEqual({ mode: 'READWRITE' });
    });

    it('a missing body → 422/422', async () => {
      const res = await api.post(`/subjects/${enc(uniq('nobody'))}/versions`);
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(422);
    });

    it('every success is 200, including register, PUT config and DELETE (§1.4)', async () => {
      const subject = uniq('ok');
      expect((await api.register(subject, simple())).status).toBe(200);
      expect((await api.put(`/config/${enc(subject)}`, { compatibility: 'NONE' })).status).toBe(200);
      // (Config first: soft-deleting the last version removes the subject's config, as in Confluent.)
      expect((await api.delete(`/config/${enc(subject)}`)).status).toBe(200);
      expect((await api.delete(`/subjects/${enc(subject)}/versions/1`)).status).toBe(200);
    });

    it('query booleans: "TRUE" is true, anything else is false (§1.5)', async () => {
      const subject = uniq('bool');
      await api.register(subject, simple());
      await api.delete(`/subjects/${enc(subject)}`);
      expect((await api.get(`/subjects/${enc(subject)}/versions?deleted=TRUE`)).json).toEqual([1]);
      expect((await api.get(`/subjects/${enc(subject)}/versions?deleted=yes`)).json.error_code).toBe(40401);
    });
  });

  describe('limits', () => {
    it('a schema nested deeper than maxSchemaDepth → 42201; a shallow one registers', async () => {
      let deep: unknown = 'string';
      for (let i = 0; i < 200; i++) deep = { type: 'array', items: deep };
      const res = await api.register(uniq('deep'), deep);
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42201);
      let shallow: unknown = 'string';
      for (let i = 0; i < 5; i++) shallow = { type: 'array', items: shallow };
      expect((await api.register(uniq('shallow'), shallow)).status).toBe(200);
    });

    it('a body over maxBodyBytes → 413/413 naming the limit and its setting; one under it is served', async () => {
      const small = await startTestServer(backend, { maxBodyBytes: 2048 });
      try {
        const smallApi = client(small.url);
        const big = record('big', [{ name: 'a', type: 'string', doc: 'x'.repeat(4096) }]);
        const res = await smallApi.register(uniq('big'), big);
        expect(res.status).toBe(413);
        expect(res.json.error_code).toBe(413);
        expect(res.json.message).toBe("Request body is larger than the limit of 2048 bytes (the server's ACCORD_MAX_BODY_BYTES setting)");
        expect((await smallApi.register(uniq('fits'), simple())).status).toBe(200);
      } finally {
        await small.close();
      }
    });
  });

  describe('subject names (§1.1)', () => {
    it('a subject containing / is reachable percent-encoded as %2F', async () => {
      const subject = `${uniq('pkg')}/a/b/c.proto`;
      const reg = await api.register(subject, simple());
      expect(reg.status).toBe(200);
      expect((await api.get('/subjects')).json).toContain(subject);
      const path = `/subjects/${subject.replace(/\//g, '%2F')}/versions`;
      expect((await api.get(path)).json).toEqual([1]);
      const v = await api.get(`${path}/1`);
      expect(v.status).toBe(200);
      expect(v.json.subject).toBe(subject);
    });

    it.each([`odd "{:}' name`, 'ünïcødé ✓', 'with space', '*'])('subject %j round-trips', async (name) => {
      const subject = `${uniq('n')}${name}`;
      expect((await api.register(subject, simple())).status).toBe(200);
      const res = await api.get(`/subjects/${enc(subject)}/versions/latest`);
      expect(res.status).toBe(200);
      expect(res.json.subject).toBe(subject);
    });

    it('subject names are case-sensitive', async () => {
      const base = uniq('Case');
      await api.register(base, simple());
      expect((await api.get(`/subjects/${enc(base.toLowerCase())}/versions`)).json.error_code).toBe(40401);
    });

    it('a default-context-qualified name :.:s is the same subject as s', async () => {
      const subject = uniq('ctx');
      await api.register(subject, simple());
      const res = await api.get(`/subjects/${enc(`:.:${subject}`)}/versions`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual([1]);
    });

    it.each(['bad\nname', 'tab\there', 'cr\rhere', 'bell\u0007'])('control characters in %j → 42208', async (name) => {
      const res = await api.register(`${uniq('ctl')}${name}`, simple());
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42208);
    });

    it.each(['__GLOBAL', '__EMPTY'])('the reserved name %s → 42208', async (name) => {
      const res = await api.register(name, simple());
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42208);
    });

    it('the 42208 message names the subject', async () => {
      const res = await api.register('__GLOBAL', simple());
      expect(res.json).toEqual({ error_code: 42208, message: "The specified subject '__GLOBAL' is not a valid." });
    });
  });
});
