// `npm run bench`: Accord's hot paths as ratios against a baseline measured in the same process, then the SDK's
// generated codecs against the raw libraries (bench/sdk.ts).
import { Hono } from 'hono';
import { buildApp } from '../src/server.js';
import { openDatabase } from '../src/storage/database.js';
import { schemaWorkBenchmarks } from './schema-work.js';
import { sdkBenchmarks } from './sdk.js';

interface Result {
  name: string;
  perSecond: number;
  meanMs: number;
}

async function measure(name: string, iterations: number, work: (i: number) => unknown): Promise<Result> {
  for (let i = 0; i < Math.min(50, iterations); i++) await work(i); // warm-up
  const start = performance.now();
  for (let i = 0; i < iterations; i++) await work(i);
  const elapsed = performance.now() - start;
  return { name, perSecond: (iterations / elapsed) * 1000, meanMs: elapsed / iterations };
}

const schemaWithFields = (n: number, extra = 0) =>
  JSON.stringify({
    type: 'record',
    name: 'Wide',
    namespace: 'bench',
    fields: Array.from({ length: n + extra }, (_, i) => ({ name: `f${i}`, type: 'string', ...(i >= n ? { default: '' } : {}) })),
  });

async function main() {
  const database = await openDatabase({ dataDir: 'memory://' });
  const { app } = buildApp(database, { maxBodyBytes: 1 << 20, maxSchemaDepth: 64 });
  const json = { 'content-type': 'application/json' };
  const first = await app.request('/subjects/bench/versions', { method: 'POST', headers: json, body: JSON.stringify({ schema: schemaWithFields(50) }) });
  const stored = await first.json();

  // Baseline: bare hono answering the same body with no registry behind it.
  const bare = new Hono();
  bare.get('/subjects/:s/versions/:v', (c) => c.json(stored));

  const results: [Result, Result | undefined][] = [];
  const baseline = await measure('bare hono GET (baseline)', 5000, () => bare.request('/subjects/bench/versions/latest'));
  results.push([baseline, undefined]);
  results.push([await measure('GET /subjects/{s}/versions/latest', 2000, () => app.request('/subjects/bench/versions/latest')), baseline]);
  results.push([await measure('GET /schemas/ids/{id}', 2000, () => app.request('/schemas/ids/1')), baseline]);
  results.push([
    await measure('POST lookup (50-field record)', 1000, () =>
      app.request('/subjects/bench', { method: 'POST', headers: json, body: JSON.stringify({ schema: schemaWithFields(50) }) }),
    ),
    baseline,
  ]);
  let extra = 0;
  results.push([
    await measure('POST register new version (BACKWARD, 50 fields)', 200, () =>
      app.request('/subjects/bench/versions', { method: 'POST', headers: json, body: JSON.stringify({ schema: schemaWithFields(50, ++extra) }) }),
    ),
    baseline,
  ]);

  results.push(...(await compatibilityBenchmarks()));

  console.log(`Accord benchmarks (in-process app.request, PGlite in memory, node ${process.version})\n`);
  console.log(`${'case'.padEnd(52)} ${'ops/s'.padStart(10)} ${'mean ms'.padStart(9)} ${'× slower'.padStart(11)}`);
  for (const [r, base] of results) {
    // Slower-than-baseline factor; the compatibility figures are absolute (goal: ≤ 50 ms per transitive registration).
    const ratio = base ? (base.perSecond / r.perSecond).toFixed(1) : r === results[0]?.[0] ? '1.0' : '-';
    console.log(`${r.name.padEnd(52)} ${r.perSecond.toFixed(0).padStart(10)} ${r.meanMs.toFixed(3).padStart(9)} ${ratio.padStart(11)}`);
  }
  await database.close();
}

/** A 50-field record whose version `k` differs only in a doc string: a new id, trivially compatible. */
const docVersion = (k: number) =>
  JSON.stringify({
    type: 'record',
    name: 'Order',
    namespace: 'bench',
    doc: `revision ${k}`,
    fields: Array.from({ length: 50 }, (_, i) => ({ name: `f${i}`, type: i % 3 === 0 ? 'long' : 'string' })),
  });

/** Issue 3's figures: BACKWARD_TRANSITIVE registration against 1,000 versions, and single-version checks per second. */
async function compatibilityBenchmarks(): Promise<[Result, Result | undefined][]> {
  const database = await openDatabase({ dataDir: 'memory://' });
  const { app } = buildApp(database, { maxBodyBytes: 1 << 20, maxSchemaDepth: 64 });
  const json = { 'content-type': 'application/json' };
  const post = (path: string, body: unknown) => app.request(path, { method: 'POST', headers: json, body: JSON.stringify(body) });
  await app.request('/config/transitive', { method: 'PUT', headers: json, body: JSON.stringify({ compatibility: 'NONE' }) });
  const setupStart = performance.now();
  for (let k = 1; k <= 1000; k++) await post('/subjects/transitive/versions', { schema: docVersion(k) });
  const setupMs = performance.now() - setupStart;
  await app.request('/config/transitive', { method: 'PUT', headers: json, body: JSON.stringify({ compatibility: 'BACKWARD_TRANSITIVE' }) });

  // Each registration is checked against every one of the (growing) live versions.
  let k = 1000;
  const transitive = await measure('register, BACKWARD_TRANSITIVE over 1,000 versions', 20, async () => {
    const res = await post('/subjects/transitive/versions', { schema: docVersion(++k) });
    if (res.status !== 200) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
  });
  const single = await measure('POST /compatibility/.../versions/latest (50 fields)', 1000, () =>
    post('/compatibility/subjects/transitive/versions/latest', { schema: docVersion(0) }),
  );
  const { avroFormat } = await import('../src/formats/avro/index.js');
  const options = { validate: false, normalize: false, maxDepth: 64 };
  const [reader, writer] = [avroFormat.parse(docVersion(1), [], options), avroFormat.parse(docVersion(2), [], options)];
  const checkOnly = await measure('checker only: one 50-field reader/writer pair', 20000, () => avroFormat.checkReader(reader, writer));
  console.log(`(set-up: 1,000 versions registered in ${(setupMs / 1000).toFixed(1)} s)`);
  await database.close();
  return [
    [transitive, undefined],
    [single, undefined],
    [checkOnly, undefined],
  ];
}

// `npm run bench -- sdk` runs the SDK section alone, `npm run bench -- registration` the registration throughput one.
if (process.argv[2] === undefined) await main();
if (process.argv[2] === undefined || process.argv[2] === 'registration') await schemaWorkBenchmarks();
if (process.argv[2] === undefined || process.argv[2] === 'sdk') await sdkBenchmarks();
