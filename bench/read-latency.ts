// `npx tsx bench/read-latency.ts`: read latency of GET /schemas/ids/{id} from 20 concurrent readers, before and while
// one pathological registration (a union of 100,000 records, limits raised so it reaches the parser) is processed,
// with schema work on the event loop (ACCORD_SCHEMA_WORKERS=0, the behaviour before the worker pool) and in workers.
// The server is `accord serve` in a process of its own (run `npm run build` first, or it runs through tsx).
import { spawn } from 'node:child_process';
import { projectFile } from '../src/paths.js';
import { DEFAULT_SCHEMA_WORK } from '../src/settings.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const summary = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return `${String(sorted.length).padStart(6)} reads, p50 ${percentile(sorted, 0.5).toFixed(1).padStart(7)} ms, p99 ${percentile(sorted, 0.99).toFixed(1).padStart(7)} ms, max ${sorted.at(-1)!.toFixed(1).padStart(7)} ms`;
};

/** `accord serve` in a process of its own (the readers' own work must not count as the server's), on a free port. */
async function serve(workers: number): Promise<{ url: string; stop(): Promise<void> }> {
  const port = 20_000 + Math.floor(Math.random() * 20_000);
  const child = spawn(process.execPath, [projectFile('bin', 'accord.js'), 'serve'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      ACCORD_DATA_DIR: 'memory://',
      ACCORD_LOG_LEVEL: 'silent',
      ACCORD_MAX_BODY_BYTES: String(8 << 20),
      ACCORD_MAX_UNION_BRANCHES: '1000000',
      ACCORD_MAX_TYPES: '1000000',
      ACCORD_SCHEMA_WORKERS: String(workers),
      ACCORD_SCHEMA_TASK_TIMEOUT_MS: '3000',
    },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${url}/subjects`)).ok) break;
    } catch {
      if (tries > 300) throw new Error('accord serve did not start');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  return { url, stop: () => new Promise((resolve) => (child.once('exit', () => resolve()), child.kill('SIGTERM'))) };
}

async function run(workers: number, unionSize: number) {
  const server = await serve(workers);
  const post = (path: string, body: unknown) =>
    fetch(server.url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const { id } = (await (await post('/subjects/small/versions', { schema: '{"type":"record","name":"S","fields":[]}' })).json()) as { id: number };
  const latencies: { started: number; ms: number }[] = [];
  const failures: string[] = [];
  let stop = false;
  const reader = async () => {
    while (!stop) {
      const started = performance.now();
      try {
        await (await fetch(`${server.url}/schemas/ids/${id}`)).arrayBuffer();
        latencies.push({ started, ms: performance.now() - started });
      } catch (err) {
        failures.push(`${((performance.now() - started) / 1000).toFixed(1)} s: ${(err as Error & { cause?: Error }).cause?.message ?? (err as Error).message}`);
      }
    }
  };
  const readers = range(20).map(reader);
  await new Promise((resolve) => setTimeout(resolve, 3_000));
  const union = JSON.stringify(range(unionSize).map((i) => ({ type: 'record', name: `R${i}`, fields: [] })));
  const started = performance.now();
  const answer = await post('/subjects/union/versions', { schema: union });
  const ended = performance.now();
  stop = true;
  await Promise.all(readers);
  // Reads that overlap the registration, including those it held up until after it was answered.
  const before = latencies.filter((r) => r.started + r.ms <= started).map((r) => r.ms);
  const during = latencies.filter((r) => r.started < ended && r.started + r.ms > started).map((r) => r.ms);
  const took = ended - started;
  await server.stop();
  console.log(`${workers === 0 ? 'event loop' : `${workers} worker(s)`}, union of ${unionSize}: answered ${answer.status} after ${(took / 1000).toFixed(1)} s`);
  console.log(`  before:  ${summary(before)}`);
  console.log(`  during:  ${summary(during)}`);
  if (failures.length) console.log(`  ${failures.length} reads failed: ${[...new Set(failures)].slice(0, 3).join('; ')}`);
}

// On the event loop a 100,000-record union runs for tens of seconds: 20,000 shows the stall in a few.
await run(0, 20_000);
await run(DEFAULT_SCHEMA_WORK.workers, 100_000);
