// `npm run bench:http`: Accord over real HTTP under load (autocannon, loopback), each figure a ratio against a baseline
// measured in the same run: a bare hono server answering the same bytes, and raw insert transactions on the same database.
// Servers run as child processes so the load generator does not share their event loop.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import autocannon from 'autocannon';
import postgres from 'postgres';

const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  for (;;) {
    try {
      if ((await fetch(url)).ok) return performance.now() - started;
    } catch {
      // not up yet
    }
    if (performance.now() - started > timeoutMs) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function startAccord(port: number, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, ['bin/accord.js', 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env: { ...process.env, ACCORD_LOG_LEVEL: 'silent', ...env },
    stdio: 'ignore',
  });
}

/** A bare hono server answering `body` on every GET: the ceiling for a cached read. */
function startBare(port: number, body: string): ChildProcess {
  const code = `
    import { Hono } from 'hono'; import { serve } from '@hono/node-server';
    const app = new Hono(); const body = ${JSON.stringify(body)};
    app.get('*', (c) => c.body(body, 200, { 'content-type': 'application/vnd.schemaregistry.v1+json' }));
    serve({ fetch: app.fetch, port: ${port}, hostname: '127.0.0.1' });`;
  return spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: 'ignore' });
}

interface Load {
  rps: number;
  p99: number;
  errors: number;
}

async function load(options: autocannon.Options): Promise<Load> {
  const result = await autocannon({ duration: DURATION, ...options });
  return { rps: result.requests.average, p99: result.latency.p99, errors: result.errors + result.non2xx };
}

/** Resident memory of a child process, from /proc (Linux). */
const rss = (pid: number | undefined) => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
};

const schemaOf = (n: number) => JSON.stringify({ type: 'record', name: `Event${n}`, namespace: 'bench', fields: [{ name: 'id', type: 'string' }, { name: 'at', type: 'long' }] });

async function registry(label: string, env: Record<string, string>, rawInsert?: () => Promise<Load>) {
  const port = await freePort();
  const accord = startAccord(port, env);
  const url = `http://127.0.0.1:${port}`;
  const startupMs = await waitFor(`${url}/health/ready`);
  try {
    const json = { 'content-type': 'application/json' };
    await fetch(`${url}/config`, { method: 'PUT', headers: json, body: JSON.stringify({ compatibility: 'NONE' }) });
    const first = await (await fetch(`${url}/subjects/bench-value/versions`, { method: 'POST', headers: json, body: JSON.stringify({ schema: schemaOf(0) }) })).json() as { id: number };
    const byIdBody = await (await fetch(`${url}/schemas/ids/${first.id}`)).text();

    const barePort = await freePort();
    const bare = startBare(barePort, byIdBody);
    await waitFor(`http://127.0.0.1:${barePort}/`);
    const baseline = await load({ url: `http://127.0.0.1:${barePort}/schemas/ids/1`, connections: 100 });
    bare.kill();
    const reads = await load({ url: `${url}/schemas/ids/${first.id}`, connections: 100 });
    const reregister = await load({
      url: `${url}/subjects/bench-value/versions`,
      method: 'POST',
      headers: json,
      body: JSON.stringify({ schema: schemaOf(0) }),
      connections: 100,
    });
    // New registrations: 64 writers over distinct subjects, each request a new schema.
    let n = 1;
    const writes = await load({
      url,
      connections: 64,
      requests: [
        {
          method: 'POST',
          headers: json,
          setupRequest: (req) => {
            const k = n++;
            return { ...req, path: `/subjects/writer-${k % 64}-value/versions`, body: JSON.stringify({ schema: schemaOf(k) }) };
          },
        },
      ],
    });
    const raw = rawInsert ? await rawInsert() : undefined;
    return { label, startupMs, rssMb: rss(accord.pid), baseline, reads, reregister, writes, raw };
  } finally {
    accord.kill('SIGTERM');
  }
}

/** Raw single-row insert transactions, 64 at a time, on the same PostgreSQL: the ceiling for a durable write. */
async function rawInserts(dbUrl: string): Promise<Load> {
  const sql = postgres(dbUrl, { max: 64, onnotice: () => {} });
  await sql`create table if not exists bench_raw (id bigserial primary key, body text not null)`;
  let done = 0;
  let errors = 0;
  const until = performance.now() + DURATION * 1000;
  const latencies: number[] = [];
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() < until) {
        const t = performance.now();
        try {
          await sql.begin((tx) => tx`insert into bench_raw (body) values (${schemaOf(done)})`);
          done++;
        } catch {
          errors++;
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  await sql`drop table bench_raw`;
  await sql.end();
  latencies.sort((a, b) => a - b);
  return { rps: done / DURATION, p99: latencies[Math.floor(latencies.length * 0.99)] ?? 0, errors };
}

async function main() {
  const runs = [await registry('PGlite (embedded)', { ACCORD_DATA_DIR: 'memory://' })];
  if (PG_URL) {
    const admin = postgres(PG_URL, { max: 1, onnotice: () => {} });
    const db = `accord_bench_${Date.now()}`;
    await admin.unsafe(`CREATE DATABASE ${db}`);
    const dbUrl = Object.assign(new URL(PG_URL), { pathname: `/${db}` }).toString();
    try {
      runs.push(await registry('PostgreSQL', { DATABASE_URL: dbUrl }, () => rawInserts(dbUrl)));
    } finally {
      await admin.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await admin.end();
    }
  }
  const rows: [string, string, string, string][] = [];
  for (const r of runs) {
    const ratio = (a: number, b: number) => (b ? (a / b).toFixed(2) : '-');
    rows.push(
      [`${r.label}: GET /schemas/ids/{id}, 100 conn`, r.reads.rps.toFixed(0), `${r.reads.p99} ms`, `${ratio(r.reads.rps, r.baseline.rps)}× bare hono (${r.baseline.rps.toFixed(0)}/s)`],
      [`${r.label}: idempotent re-registration, 100 conn`, r.reregister.rps.toFixed(0), `${r.reregister.p99} ms`, `${ratio(r.reregister.rps, r.reads.rps)}× the read rate`],
      [`${r.label}: new registrations, 64 writers`, r.writes.rps.toFixed(0), `${r.writes.p99} ms`, r.raw ? `${ratio(r.writes.rps, r.raw.rps)}× raw inserts (${r.raw.rps.toFixed(0)}/s)` : '-'],
      [`${r.label}: start-up to ready / RSS under load`, `${r.startupMs.toFixed(0)} ms`, `${r.rssMb} MB`, '-'],
    );
  }
  console.log(`Accord HTTP benchmarks (autocannon on loopback, ${DURATION}s per case, node ${process.version})\n`);
  console.log(`${'case'.padEnd(58)} ${'req/s'.padStart(8)} ${'p99'.padStart(9)}  ratio`);
  for (const [a, b, c, d] of rows) console.log(`${a.padEnd(58)} ${b.padStart(8)} ${c.padStart(9)}  ${d}`);
  writeFileSync('bench/results.json', `${JSON.stringify({ date: new Date().toISOString(), durationSeconds: DURATION, runs }, null, 2)}\n`);
  console.log('\nwritten: bench/results.json');
}

await main();
