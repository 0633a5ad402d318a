// Registration throughput with client schemas parsed and checked on the event loop (ACCORD_SCHEMA_WORKERS=0) against
// the default worker pool, in the same run: one registration at a time, and eight in flight at once (distinct
// subjects). `npx tsx bench/schema-work.ts`, or as part of `npm run bench`.
import { buildApp } from '../src/server.js';
import { DEFAULT_SCHEMA_WORK, type SchemaWorkOptions } from '../src/settings.js';
import { openDatabase } from '../src/storage/database.js';

const fields = (n: number, revision: number) =>
  JSON.stringify({
    type: 'record',
    name: 'Order',
    namespace: 'bench',
    doc: `revision ${revision}`,
    fields: Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: i % 3 === 0 ? 'long' : 'string' })),
  });

/** Registrations per second: `total` new versions (each compatible with the last), `inFlight` at a time. */
async function throughput(work: SchemaWorkOptions, width: number, total: number, inFlight: number): Promise<number> {
  const database = await openDatabase({ dataDir: 'memory://' });
  const { app, registry } = buildApp(database, { maxBodyBytes: 1 << 20, maxSchemaDepth: 64, schemaWork: work, logLevel: 'silent' });
  const register = async (subject: string, revision: number) => {
    const res = await app.request(`/subjects/${subject}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: fields(width, revision) }),
    });
    if (res.status !== 200) throw new Error(`registration failed: ${res.status} ${await res.text()}`);
  };
  // Warm-up: workers started and their code optimised as the event loop's already is (a new worker starts cold).
  for (let r = 0; r < 100; r++) await register(`s${r % inFlight}`, -r - 1);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, s) => {
      for (let r = 0; next < total; r++, next++) await register(`s${s}`, r);
    }),
  );
  const perSecond = (total / (performance.now() - started)) * 1000;
  await registry.close();
  await database.close();
  return perSecond;
}

export async function schemaWorkBenchmarks(): Promise<void> {
  const inline = { ...DEFAULT_SCHEMA_WORK, workers: 0 };
  console.log(`\nRegistration throughput, schema work on the event loop vs ${DEFAULT_SCHEMA_WORK.workers} worker thread(s) (BACKWARD, new version each)`);
  console.log(`${'case'.padEnd(44)} ${'inline/s'.padStart(9)} ${'workers/s'.padStart(10)} ${'ratio'.padStart(7)}`);
  for (const [width, total, inFlight] of [
    [10, 300, 1],
    [10, 300, 8],
    [200, 150, 1],
    [200, 150, 8],
  ] as const) {
    // Alternated, twice each, the better of two: the figures of one process drift as it runs.
    const b1 = await throughput(DEFAULT_SCHEMA_WORK, width, total, inFlight);
    const a1 = await throughput(inline, width, total, inFlight);
    const a2 = await throughput(inline, width, total, inFlight);
    const b2 = await throughput(DEFAULT_SCHEMA_WORK, width, total, inFlight);
    const [a, b] = [Math.max(a1, a2), Math.max(b1, b2)];
    const name = `${width} fields, ${inFlight} in flight`;
    console.log(`${name.padEnd(44)} ${a.toFixed(0).padStart(9)} ${b.toFixed(0).padStart(10)} ${(b / a).toFixed(2).padStart(7)}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await schemaWorkBenchmarks();
