// `npx tsx bench/read-latency.ts`: read latency of GET /schemas/ids/{id} from 20 concurrent readers, before and while
// one pathological registration (a union of 100,000 records, limits raised so it reaches the parser) is processed,
// with schema work on the event loop (ACCORD_SCHEMA_WORKERS=0, the behaviour before the worker pool) and in workers.
// The server is in this process, over real HTTP, so a blocked event loop shows in the readers' latency.
import { DEFAULT_LIMITS } from '../src/formats/limits.js';
import { DEFAULT_SCHEMA_WORK } from '../src/registry/schema-workers.js';
import { startServer } from '../src/server.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `${String(sorted.length).padStart(6)} reads, p50 ${percentile(sorted, 0.5).toFixed(1).padStart(7)} ms, p99 ${percentile(sorted, 0.99).toFixed(1).padStart(7)} ms, max ${sorted.at(-1)!.toFixed(1).padStart(7)} ms`;
};

async function run(workers: number, unionSize: number) {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    databaseUrl: undefined,
    dataDir: 'memory://',
    maxBodyBytes: 8 << 20,
    maxSchemaDepth: 64,
    limits: { ...DEFAULT_LIMITS, maxUnionBranches: 1_000_000, maxTypes: 1_000_000 },
    schemaWork: { ...DEFAULT_SCHEMA_WORK, workers, taskTimeoutMs: 3_000 },
    logLevel: 'silent',
  });
  const post = (path: string, body: unknown) =>
    fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const { id } = (await (await post('/subjects/small/versions', { schema: '{"type":"record","name":"S","fields":[]}' })).json()) as { id: number };
  server.registry.work.warm();
  const latencies: number[] = [];
  const failures: string[] = [];
  let stop = false;
  const reader = async () => {
    while (!stop) {
      const started = performance.now();
      try {
        await (await fetch(`${server.url}/schemas/ids/${id}`)).arrayBuffer();
        latencies.push(performance.now() - started);
      } catch (err) {
        failures.push(`${((performance.now() - started) / 1000).toFixed(1)} s: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
      }
    }
  };
  const readers = range(20).map(reader);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const before = latencies.splice(0);
  const union = JSON.stringify(range(unionSize).map((i) => ({ type: 'record', name: `R${i}`, fields: [] })));
  const started = performance.now();
  const answer = await post('/subjects/union/versions', { schema: union });
  const took = performance.now() - started;
  const during = latencies.splice(0);
  stop = true;
  await Promise.all(readers);
  await server.close();
  console.log(`${workers === 0 ? 'event loop' : `${workers} worker(s)`}, union of ${unionSize}: answered ${answer.status} after ${(took / 1000).toFixed(1)} s`);
  console.log(`  before:  ${summary(before)}`);
  console.log(`  during:  ${summary(during)}`);
  if (failures.length) console.log(`  ${failures.length} reads failed: ${[...new Set(failures)].slice(0, 3).join('; ')}`);
}

// On the event loop a 100,000-record union runs for tens of seconds: 20,000 shows the stall in a few.
await run(0, 20_000);
await run(DEFAULT_SCHEMA_WORK.workers, 100_000);
