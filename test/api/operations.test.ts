// What the platform running Accord relies on: health, readiness, metrics, request ids and cacheable answers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';

describe.each(backends)('operations endpoints ($name)', (backend) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server.close());

  it('answers liveness, and readiness once every migration is applied', async () => {
    const live = await fetch(`${server.url}/health/live`);
    expect([live.status, await live.json()]).toEqual([200, { status: 'UP' }]);
    const ready = await fetch(`${server.url}/health/ready`);
    expect([ready.status, await ready.json()]).toEqual([200, { status: 'UP' }]);
  });

  it('exposes Prometheus metrics by route and status, and registry gauges', async () => {
    await client(server.url).register('metrics-value', { type: 'record', name: 'Measured', fields: [] });
    await fetch(`${server.url}/subjects/nope/versions`);
    const text = await (await fetch(`${server.url}/metrics`)).text();
    expect(text).toMatch(/accord_http_requests_total\{route="\/subjects\/:subject\/versions",method="POST",status="200"\} 1/);
    expect(text).toMatch(/accord_http_requests_total\{route="\/subjects\/:subject\/versions",method="GET",status="404"\} 1/);
    expect(text).toMatch(/accord_http_request_duration_seconds_bucket\{route="\/subjects\/:subject\/versions",method="POST",le="\+Inf"\} 1/);
    expect(text).toMatch(/^accord_schemas 1$/m);
    expect(text).toMatch(/^accord_subjects 1$/m);
  });

  it('gives every answer a request id, keeping the caller\'s', async () => {
    const own = await fetch(`${server.url}/`, { headers: { 'x-request-id': 'trace-123' } });
    expect(own.headers.get('x-request-id')).toBe('trace-123');
    const fresh = await fetch(`${server.url}/`);
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('marks a schema by id immutable with an ETag, and answers 304 to a matching If-None-Match', async () => {
    const { id } = (await client(server.url).register('etag-value', { type: 'record', name: 'Tagged', fields: [] })).json;
    for (const path of [`/schemas/ids/${id}`, `/schemas/ids/${id}/schema`]) {
      const first = await fetch(`${server.url}${path}`);
      expect(first.headers.get('cache-control')).toContain('immutable');
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^".+"$/);
      const again = await fetch(`${server.url}${path}`, { headers: { 'if-none-match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
    }
    const withMax = await fetch(`${server.url}/schemas/ids/${id}?fetchMaxId=true`);
    expect(withMax.headers.get('cache-control')).toBeNull();
  });
});
