// Issue 13: no request can take the replica from the others. Client schemas are parsed and checked in worker threads,
// each task under a time and a memory limit; meanwhile the event loop keeps answering reads. The figures this test
// prints (read latency while a pathological registration runs, against the same readers just before) are the issue's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/formats/limits.js';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { mustRegister, record, uniq, type Client } from './helpers.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
/** Limits raised so the schemas below reach the parser: the per-task limits are what must stop them. */
const permissive = { ...DEFAULT_LIMITS, maxUnionBranches: 1_000_000, maxTypes: 1_000_000 };
/** A union of 100,000 records: tens of seconds and over a gigabyte to parse with avsc. */
const hugeUnion = () => JSON.stringify(range(100_000).map((i) => ({ type: 'record', name: `R${i}`, fields: [] })));

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

/** Keeps `readers` loops reading `path` until `until` settles; the latency of each read, by when it started. */
async function readWhile(url: string, path: string, readers: number, until: Promise<unknown>) {
  const reads: { started: number; ms: number; status: number }[] = [];
  let done = false;
  void until.finally(() => (done = true));
  const loop = async () => {
    while (!done) {
      const started = performance.now();
      const res = await fetch(url + path);
      await res.arrayBuffer();
      reads.push({ started, ms: performance.now() - started, status: res.status });
    }
  };
  await Promise.all(range(readers).map(loop));
  return reads;
}

describe('schema work off the event loop', () => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backends[0]!, {
      maxBodyBytes: 8 << 20,
      limits: permissive,
      schemaWork: { workers: 1, taskTimeoutMs: 4_000, taskMemoryMb: 512 },
    });
    api = client(server.url);
  });
  afterAll(() => server.close());

  it('a registration over the time limit is killed and answered 422, while 20 readers keep being answered', async () => {
    const { id } = await mustRegister(api, uniq('small'), record('Small', [['a', 'string']]));
    const path = `/schemas/ids/${id}`;
    const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const baseline = await readWhile(server.url, path, 20, settle(2_000));

    const started = performance.now();
    const registration = api.register(uniq('union'), hugeUnion());
    const reads = await readWhile(server.url, path, 20, registration);
    const took = performance.now() - started;
    const answer = await registration;

    expect(answer.status).toBe(422);
    expect(answer.json).toEqual({
      error_code: 42201,
      message: 'Checking the schema took longer than 4 s, the limit (ACCORD_SCHEMA_TASK_TIMEOUT_MS); simplify the schema or raise the limit',
    });
    expect(reads.every((r) => r.status === 200)).toBe(true);
    // A blocked event loop answers each reader once at most while the registration runs; a free one, many times.
    expect(reads.length).toBeGreaterThan(100);
    const during = reads.map((r) => r.ms).sort((a, b) => a - b);
    const before = baseline.map((r) => r.ms).sort((a, b) => a - b);
    console.log(
      `GET ${path} with 20 readers: before, ${before.length} reads in 2 s, p50 ${percentile(before, 0.5).toFixed(1)} ms, p99 ${percentile(before, 0.99).toFixed(1)} ms; ` +
        `during a ${(took / 1000).toFixed(1)} s pathological registration, ${during.length} reads, p50 ${percentile(during, 0.5).toFixed(1)} ms, ` +
        `p99 ${percentile(during, 0.99).toFixed(1)} ms, max ${during.at(-1)!.toFixed(1)} ms`,
    );
  });

  it('a registration over the memory limit is killed and answered 422; the next one is served by a new worker', async () => {
    const small = await startTestServer(backends[0]!, { maxBodyBytes: 8 << 20, limits: permissive, schemaWork: { workers: 1, taskTimeoutMs: 60_000, taskMemoryMb: 64 } });
    try {
      const smallApi = client(small.url);
      const answer = await smallApi.register(uniq('union'), hugeUnion());
      expect(answer.status).toBe(422);
      expect(answer.json).toEqual({
        error_code: 42201,
        message: 'Checking the schema needed more than 64 MB of memory, the limit (ACCORD_SCHEMA_TASK_MEMORY_MB); simplify the schema or raise the limit',
      });
      await mustRegister(smallApi, uniq('after'), record('After', [['a', 'string']]));
      const metrics = await smallApi.get('/metrics');
      expect(metrics.text).toMatch(/^accord_schema_tasks_killed_total 1$/m);
    } finally {
      await small.close();
    }
  });

  it('concurrent registrations and checks across several workers give the answers one at a time would', async () => {
    const pooled = await startTestServer(backends[0]!, { schemaWork: { workers: 3, taskTimeoutMs: 60_000, taskMemoryMb: 256 } });
    try {
      const pooledApi = client(pooled.url);
      const subjects = range(12).map(() => uniq('concurrent'));
      const v1 = await Promise.all(subjects.map((s, i) => pooledApi.register(s, record(`E${i}`, [['a', 'string']]))));
      expect(v1.map((r) => r.status)).toEqual(subjects.map(() => 200));
      // Even subjects get a compatible change (a field with a default), odd ones an incompatible one (no default).
      const v2 = await Promise.all(
        subjects.map((s, i) =>
          pooledApi.register(s, {
            type: 'record',
            name: `E${i}`,
            fields: [{ name: 'a', type: 'string' }, i % 2 === 0 ? { name: 'b', type: 'string', default: '' } : { name: 'b', type: 'string' }],
          }),
        ),
      );
      expect(v2.map((r) => r.status)).toEqual(subjects.map((_, i) => (i % 2 === 0 ? 200 : 409)));
      for (const [i, r] of v2.entries()) if (i % 2 === 1) expect(r.json.incompatibilities[0].rule).toBe('READER_FIELD_MISSING_DEFAULT_VALUE');
    } finally {
      await pooled.close();
    }
  });

  it('ACCORD_SCHEMA_WORKERS=0 runs schema work on the event loop with the same answers', async () => {
    const inline = await startTestServer(backends[0]!, { schemaWork: { workers: 0, taskTimeoutMs: 1, taskMemoryMb: 16 } });
    try {
      const inlineApi = client(inline.url);
      const subject = uniq('inline');
      await mustRegister(inlineApi, subject, record('Inline', [['a', 'string']]));
      const incompatible = await inlineApi.register(subject, record('Inline', [['a', 'int']]));
      expect(incompatible.status).toBe(409);
      const invalid = await inlineApi.register(subject, '{"type":"record"}');
      expect(invalid.status).toBe(422);
    } finally {
      await inline.close();
    }
  });
});
