// `npm run bench:cold`: first, a new user's first starts on an empty registry (goals: ≤ 2 s from spawn to the first
// answer on a new PGlite directory or memory://, ≤ 1 s on a restart); then cold start to first answer, and memory,
// with many versions stored. Goals: ≤ 1 s from spawn to the first answer, ≤ 250 MB RSS after every schema has been
// read once, with 100,000 versions stored.
// The registry is seeded with SQL (registering 100,000 versions over HTTP would take far longer than the benchmark):
// Accord migrates a fresh database and registers one schema through the API, which checks that the text and
// fingerprint generated here are the ones Accord stores; then the tables are filled in bulk. Each figure is also given
// as a ratio against the same start on a 1-version registry, so the cost proportional to the data stands out.
// Accord runs as a child process; RSS comes from /proc (Linux).
//
// PostgreSQL runs when BENCH_DATABASE_URL or TEST_DATABASE_URL is set (scratch databases accord_cold_*, dropped at the
// end); PGlite always, in scratch directories under .tmp/. Knobs: BENCH_VERSIONS (100000), BENCH_VERSIONS_PER_SUBJECT
// (50), BENCH_PGLITE_VERSIONS (as BENCH_VERSIONS; 0 skips PGlite), BENCH_STARTS (5 per case), BENCH_CONCURRENCY (32
// requests in flight), BENCH_EXTRA_FIELDS (0: extra documented fields per schema, for larger schemas).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { availableParallelism, loadavg } from 'node:os';
import { PGlite } from '@electric-sql/pglite';
import postgres from 'postgres';
import { formatFor } from '../src/formats/index.js';
import { fingerprintOf } from '../src/registry/schemas.js';

const VERSIONS = Number(process.env.BENCH_VERSIONS ?? 100_000);
const PER_SUBJECT = Number(process.env.BENCH_VERSIONS_PER_SUBJECT ?? 50);
const PGLITE_VERSIONS = Number(process.env.BENCH_PGLITE_VERSIONS ?? VERSIONS);
const STARTS = Math.max(1, Number(process.env.BENCH_STARTS ?? 5));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const PG_URL = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
const GOAL_FIRST_ANSWER_MS = 1000;
const GOAL_RSS_MB = 250;
const BATCH = 5000;
const STAMP = Date.now();
/** Extra documented string fields per schema (default none: small schemas); larger schemas show what the caches hold. */
const EXTRA_FIELDS = Number(process.env.BENCH_EXTRA_FIELDS ?? 0);

/** Progress on stderr; the table goes to stdout. */
const progress = (message: string) => console.error(`[bench:cold] ${message}`);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on the URL's port: a bare TCP connect, far cheaper than an HTTP request. */
function accepting(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port) });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * Waits until `url` answers 200; the time is counted from `since` (the spawn), not from the first poll. Until the port
 * accepts connections it probes with bare TCP connects every 5 ms: polling with HTTP requests would spend the CPU
 * the starting server needs (on 2 cores, about 200 ms of its start-up).
 */
async function waitFor(url: string, since = performance.now(), timeoutMs = 120_000): Promise<number> {
  for (;;) {
    if (await accepting(url)) {
      try {
        const res = await fetch(url);
        await res.arrayBuffer();
        if (res.ok) return performance.now() - since;
      } catch {
        // not up yet
      }
    }
    if (performance.now() - since > timeoutMs) throw new Error(`${url} did not come up`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Accord's environment: the chosen database only (a DATABASE_URL in the caller's environment must not leak into a PGlite run). */
type Target = { DATABASE_URL: string } | { ACCORD_DATA_DIR: string };

const children = new Set<ChildProcess>();

function startAccord(port: number, target: Target): ChildProcess {
  const env: NodeJS.ProcessEnv = { ...process.env, ACCORD_LOG_LEVEL: 'silent' };
  delete env.DATABASE_URL;
  delete env.ACCORD_DATA_DIR;
  const child = spawn(process.execPath, ['bin/accord.js', 'serve', '--port', String(port), '--host', '127.0.0.1'], {
    env: { ...env, ...target },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

/** SIGTERM, and wait for the exit: PGlite's data directory must be closed before anything else opens it. */
async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Resident memory of a child process in MB, now (`VmRSS`) or at its peak since start (`VmHWM`), from /proc (Linux). */
const rss = (pid: number | undefined, field: 'VmRSS' | 'VmHWM' = 'VmRSS') => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
};

// ---- the data: `count` versions over ceil(count / PER_SUBJECT) subjects, each version a distinct small record

interface Seed {
  count: number;
  subjects: string[];
  /** Per id (index id - 1): subject, version, the text as a producer would send it, and what Accord stores. */
  rows: { subject: string; version: number; raw: string; canonical: string; fingerprint: string }[];
  /** Per subject: its latest version and that version's id. */
  latest: Map<string, { version: number; id: number }>;
}

const subjectName = (s: number) => `cold-${String(s).padStart(5, '0')}-value`;

/** Version `v` of subject `s`, keys deliberately out of canonical order and indented: Accord stores the canonical form. */
function rawSchema(s: number, v: number): string {
  return JSON.stringify(
    {
      fields: [
        { name: 'id', type: 'string' },
        { name: 'at', type: 'long' },
        { type: ['null', 'long'], name: `f${v}`, default: null },
        ...Array.from({ length: EXTRA_FIELDS }, (_, i) => ({ name: `x${i}`, type: 'string', doc: `extra field ${i} of revision ${v}` })),
      ],
      doc: `revision ${v}`,
      namespace: 'bench.cold',
      name: `Subject${s}`,
      type: 'record',
    },
    null,
    2,
  );
}

const seeds = new Map<number, Seed>();

/** Ids are handed out round-robin over the subjects, as if every subject had evolved over the same period. */
function seedOf(count: number): Seed {
  const known = seeds.get(count);
  if (known) return known;
  const avro = formatFor('AVRO')!;
  const nSubjects = Math.ceil(count / PER_SUBJECT);
  const subjects = Array.from({ length: nSubjects }, (_, s) => subjectName(s));
  const rows: Seed['rows'] = [];
  const latest = new Map<string, { version: number; id: number }>();
  for (let id = 1; id <= count; id++) {
    const s = (id - 1) % nSubjects;
    const version = Math.floor((id - 1) / nSubjects) + 1;
    const raw = rawSchema(s, version);
    // What register stores: the parser's canonical text (validation only rejects; it does not change the text).
    const canonical = avro.parse(raw, [], { validate: false, normalize: false, maxDepth: 64 }).canonical;
    rows.push({ subject: subjects[s]!, version, raw, canonical, fingerprint: fingerprintOf('AVRO', canonical, [], null, null) });
    latest.set(subjects[s]!, { version, id });
  }
  const seed = { count, subjects, rows, latest };
  seeds.set(count, seed);
  return seed;
}

// ---- seeding a backend

/** The two clients (postgres.js, PGlite) behind one query function. */
interface Sql {
  query(text: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

function postgresSql(url: string): Sql {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  return {
    query: async (text, params = []) => [...(await sql.unsafe(text, params as never[]))],
    close: () => sql.end(),
  };
}

async function pgliteSql(dir: string): Promise<Sql> {
  const db = await PGlite.create(dir);
  return {
    query: async (text, params = []) => (await db.query<Record<string, unknown>>(text, params)).rows,
    close: () => db.close(),
  };
}

/**
 * Seeds a fresh database: Accord migrates it and registers version 1 of the first subject through the API; the
 * stored text and fingerprint must be the ones generated here. Then every table a registration writes is emptied and
 * filled in bulk (schemas, subject_versions, audit_log), the id sequence set past the highest id, and statistics
 * gathered, as autovacuum would have done on a registry that grew to this size.
 */
async function seedDatabase(target: Target, open: () => Promise<Sql>, seed: Seed): Promise<{ ms: number }> {
  const started = performance.now();
  const first = seed.rows[0]!;
  const port = await freePort();
  const accord = startAccord(port, target);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/health/ready`);
    const res = await fetch(`${url}/subjects/${encodeURIComponent(first.subject)}/versions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: first.raw }),
    });
    if (!res.ok) throw new Error(`registering the check schema: ${res.status} ${await res.text()}`);
  } finally {
    await stop(accord);
  }
  const sql = await open();
  try {
    const stored = (await sql.query('select id, schema, fingerprint from schemas'))[0] as { id: number; schema: string; fingerprint: string };
    if (stored.schema !== first.canonical) throw new Error(`stored text differs from the generated canonical text:\n${stored.schema}\n${first.canonical}`);
    if (stored.fingerprint !== first.fingerprint) throw new Error(`stored fingerprint ${stored.fingerprint} differs from the generated ${first.fingerprint}`);
    await sql.query('truncate audit_log, schema_references, subject_versions, schemas restart identity cascade');
    for (let from = 0; from < seed.count; from += BATCH) {
      const batch = JSON.stringify(
        seed.rows.slice(from, from + BATCH).map((r, i) => ({ id: from + i + 1, subject: r.subject, version: r.version, schema: r.canonical, fingerprint: r.fingerprint })),
      );
      await sql.query(
        `insert into schemas (id, schema_type, schema, fingerprint)
         select id, 'AVRO', schema, fingerprint from json_to_recordset($1::text::json) as r(id int, schema text, fingerprint text)`,
        [batch],
      );
      await sql.query(
        `insert into subject_versions (subject, version, schema_id)
         select subject, version, id from json_to_recordset($1::text::json) as r(subject text, version int, id int)`,
        [batch],
      );
      await sql.query(
        `insert into audit_log (actor, action, subject, version, schema_id)
         select 'bench', 'register', subject, version, id from json_to_recordset($1::text::json) as r(subject text, version int, id int) order by id`,
        [batch],
      );
    }
    await sql.query(`select setval('schema_ids', (select max(id) from schemas))`);
    await sql.query('analyze');
  } finally {
    await sql.close();
  }
  return { ms: performance.now() - started };
}

// ---- measuring

interface Start {
  /** Spawn to the first 200 of the probe. */
  ms: number;
  rssMb: number;
}

/** Spawns Accord and polls `probe` from the moment of the spawn; the process is left running. */
async function coldStart(target: Target, probe: string): Promise<Start & { accord: ChildProcess; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const spawned = performance.now();
  const accord = startAccord(port, target);
  const ms = await waitFor(`${url}${probe}`, spawned);
  return { ms, rssMb: rss(accord.pid), accord, url };
}

interface Starts {
  ready: Start[];
  firstAnswer: Start[];
}

/** A start, then a stop. */
async function measuredStart(target: Target, probe: string): Promise<Start> {
  const { ms, rssMb, accord } = await coldStart(target, probe);
  await stop(accord);
  return { ms, rssMb };
}

/**
 * STARTS starts of each registry probing /health/ready, and STARTS probing GET /schemas/ids/1, the 1-version and the
 * full registry alternating, so that load from elsewhere on the machine weighs on both alike. The last start of the
 * full registry is left running for the read pass.
 */
async function coldStarts(base: Target, full: Target): Promise<{ baseline: Starts; starts: Starts; running: { accord: ChildProcess; url: string } }> {
  const baseline: Starts = { ready: [], firstAnswer: [] };
  const starts: Starts = { ready: [], firstAnswer: [] };
  for (let i = 0; i < STARTS - 1; i++) {
    baseline.ready.push(await measuredStart(base, '/health/ready'));
    starts.ready.push(await measuredStart(full, '/health/ready'));
    baseline.firstAnswer.push(await measuredStart(base, '/schemas/ids/1'));
    starts.firstAnswer.push(await measuredStart(full, '/schemas/ids/1'));
  }
  baseline.ready.push(await measuredStart(base, '/health/ready'));
  starts.ready.push(await measuredStart(full, '/health/ready'));
  baseline.firstAnswer.push(await measuredStart(base, '/schemas/ids/1'));
  const running = await coldStart(full, '/schemas/ids/1');
  starts.firstAnswer.push({ ms: running.ms, rssMb: running.rssMb });
  return { baseline, starts, running };
}

interface Pass {
  requests: number;
  ms: number;
  rate: number;
  errors: number;
}

/** `requests` GETs, CONCURRENCY in flight; `check` validates each answer (a wrong body counts as an error). */
async function pass(requests: number, url: (i: number) => string, check: (i: number, body: unknown) => boolean): Promise<Pass> {
  let next = 0;
  let errors = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < requests; i = next++) {
        try {
          const res = await fetch(url(i));
          const body: unknown = await res.json();
          if (res.status !== 200 || !check(i, body)) errors++;
        } catch {
          errors++;
        }
      }
    }),
  );
  const ms = performance.now() - started;
  return { requests, ms, rate: (requests / ms) * 1000, errors };
}

interface ReadAll {
  byId: Pass;
  latest: Pass;
  rssPeakSampledMb: number;
  /** The kernel's high-water mark since the process started. */
  rssPeakMb: number;
  rssFinalMb: number;
  /** Accord's own gauges (/metrics) after the pass: cache sizes, hits and misses. */
  gauges: Record<string, number>;
  /** Exit code or signal, when Accord died during the pass. */
  exitedDuringPass?: string;
}

/** Reads every schema by id, then every subject's latest version, sampling RSS every 50 ms. */
async function readAll(accord: ChildProcess, url: string, seed: Seed): Promise<ReadAll> {
  let peak = rss(accord.pid);
  const sampler = setInterval(() => (peak = Math.max(peak, rss(accord.pid))), 50);
  try {
    const byId = await pass(
      seed.count,
      (i) => `${url}/schemas/ids/${i + 1}`,
      (i, body) => (body as { schema?: string }).schema === seed.rows[i]!.canonical,
    );
    const latest = await pass(
      seed.subjects.length,
      (i) => `${url}/subjects/${encodeURIComponent(seed.subjects[i]!)}/versions/latest`,
      (i, body) => {
        const want = seed.latest.get(seed.subjects[i]!)!;
        const got = body as { version?: number; id?: number };
        return got.version === want.version && got.id === want.id;
      },
    );
    const rssFinalMb = rss(accord.pid);
    peak = Math.max(peak, rssFinalMb);
    const rssPeakMb = Math.max(rss(accord.pid, 'VmHWM'), peak);
    // A process that died during the pass (out of memory, say) has its requests counted as errors; say so too.
    const exit = accord.exitCode ?? accord.signalCode;
    if (exit !== null) progress(`Accord exited during the read pass (${exit})`);
    const metrics = exit === null ? await (await fetch(`${url}/metrics`)).text() : '';
    const gauges = Object.fromEntries([...metrics.matchAll(/^(accord_(?!http)\w+) (\d+)$/gm)].map((m) => [m[1]!, Number(m[2])]));
    return { byId, latest, rssPeakSampledMb: peak, rssPeakMb, rssFinalMb, gauges, ...(exit !== null ? { exitedDuringPass: String(exit) } : {}) };
  } finally {
    clearInterval(sampler);
  }
}

interface Backend {
  label: string;
  /** A fresh, empty database of this kind, and how to open it from this process and remove it afterwards. */
  create(name: string): Promise<{ target: Target; open: () => Promise<Sql>; drop: () => Promise<void> }>;
}

interface Run {
  label: string;
  versions: number;
  subjects: number;
  note?: string;
  seedMs: number;
  baseline: Starts;
  starts: Starts;
  read: ReadAll;
}

/** Scratch databases and directories still to remove (also on Ctrl-C). */
const cleanups: (() => Promise<void>)[] = [];

async function cleanUp(): Promise<void> {
  for (let cleanup = cleanups.pop(); cleanup; cleanup = cleanups.pop()) await cleanup();
}

async function run(backend: Backend, versions: number, note?: string): Promise<Run> {
  try {
    // The 1-version registry: the same start with nothing proportional to the data to do.
    const base = await backend.create('base');
    cleanups.push(base.drop);
    const full = await backend.create('full');
    cleanups.push(full.drop);
    const seed = seedOf(versions);
    progress(`${backend.label}: seeding ${versions} versions`);
    await seedDatabase(base.target, base.open, seedOf(1));
    const { ms: seedMs } = await seedDatabase(full.target, full.open, seed);
    progress(`${backend.label}: seeded in ${(seedMs / 1000).toFixed(1)} s; ${STARTS} × 4 cold starts`);
    const { baseline, starts, running } = await coldStarts(base.target, full.target);
    try {
      progress(`${backend.label}: reading ${seed.count} schemas by id and ${seed.subjects.length} latest versions`);
      const read = await readAll(running.accord, running.url, seed);
      return { label: backend.label, versions, subjects: seed.subjects.length, ...(note ? { note } : {}), seedMs, baseline, starts, read };
    } finally {
      await stop(running.accord);
    }
  } finally {
    await cleanUp();
  }
}

function postgresBackend(adminUrl: string): Backend {
  return {
    label: 'PostgreSQL',
    async create(name) {
      const db = `accord_cold_${STAMP}_${name}`;
      const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
      await admin.unsafe(`CREATE DATABASE ${db}`);
      await admin.end();
      const url = Object.assign(new URL(adminUrl), { pathname: `/${db}` }).toString();
      return {
        target: { DATABASE_URL: url },
        open: async () => postgresSql(url),
        drop: async () => {
          const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
          await sql.unsafe(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
          await sql.end();
        },
      };
    },
  };
}

const pgliteBackend: Backend = {
  label: 'PGlite (on disk)',
  async create(name) {
    const dir = `.tmp/cold-pglite-${STAMP}-${name}`;
    mkdirSync(dir, { recursive: true });
    return {
      target: { ACCORD_DATA_DIR: dir },
      open: () => pgliteSql(dir),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  },
};

// ---- first start: a new user's first `npm start`, on a database with nothing in it yet

const GOAL_FRESH_MS = 2000;
const GOAL_RESTART_MS = 1000;
/** BENCH_FIRST_START_ONLY=1 measures only these (a minute), not the 100,000-version registry. */
const FIRST_START_ONLY = process.env.BENCH_FIRST_START_ONLY === '1';

interface FirstStart {
  label: string;
  goalMs: number;
  ms: number[];
}

/**
 * Spawn to the first answer of GET /subjects, STARTS times each: a new PGlite data directory (made from the
 * template), `memory://`, a restart of an existing directory, and a new PostgreSQL database (migrated on start).
 */
async function firstStarts(): Promise<FirstStart[]> {
  const fresh: FirstStart = { label: 'new PGlite data directory (from the template)', goalMs: GOAL_FRESH_MS, ms: [] };
  const memory: FirstStart = { label: 'PGlite memory://', goalMs: GOAL_FRESH_MS, ms: [] };
  const restart: FirstStart = { label: 'restart on that PGlite data directory', goalMs: GOAL_RESTART_MS, ms: [] };
  const pgFresh: FirstStart = { label: 'new PostgreSQL database (migrated on start)', goalMs: GOAL_FRESH_MS, ms: [] };
  const pgRestart: FirstStart = { label: 'restart on that PostgreSQL database', goalMs: GOAL_RESTART_MS, ms: [] };
  for (let i = 0; i < STARTS; i++) {
    const dir = `.tmp/first-start-${STAMP}-${i}`;
    rmSync(dir, { recursive: true, force: true });
    fresh.ms.push((await measuredStart({ ACCORD_DATA_DIR: dir }, '/subjects')).ms);
    restart.ms.push((await measuredStart({ ACCORD_DATA_DIR: dir }, '/subjects')).ms);
    rmSync(dir, { recursive: true, force: true });
    memory.ms.push((await measuredStart({ ACCORD_DATA_DIR: 'memory://' }, '/subjects')).ms);
    if (PG_URL) {
      const db = await postgresBackend(PG_URL).create(`first${i}`);
      try {
        pgFresh.ms.push((await measuredStart(db.target, '/subjects')).ms);
        pgRestart.ms.push((await measuredStart(db.target, '/subjects')).ms);
      } finally {
        await db.drop();
      }
    }
  }
  return [fresh, memory, restart, ...(PG_URL ? [pgFresh, pgRestart] : [])];
}

// ---- report

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] ?? 0;
const ms = (x: number) => `${x.toFixed(0)} ms`;
const mb = (x: number) => `${x} MB`;
const ratio = (a: number, b: number) => (b ? `${(a / b).toFixed(2)}× 1-version` : '-');
const verdict = (value: number, goal: number) => (value <= goal ? 'met' : 'NOT met');

function rows(r: Run): string[][] {
  const times = (s: Start[]) => s.map((x) => x.ms);
  const rssOf = (s: Start[]) => s.map((x) => x.rssMb);
  const ready = times(r.starts.ready);
  const first = times(r.starts.firstAnswer);
  const startRss = rssOf(r.starts.firstAnswer);
  const died = r.read.exitedDuringPass ? `NOT met (Accord died: ${r.read.exitedDuringPass})` : undefined;
  const span = (xs: number[], f: (x: number) => string) => `${f(median(xs))} (max ${f(Math.max(...xs)).replace(/ .*/, '')})`;
  return [
    ['start-up to ready (/health/ready)', span(ready, ms), ratio(median(ready), median(times(r.baseline.ready))), '-', '-'],
    ['start-up to first answer (GET /schemas/ids/1)', span(first, ms), ratio(median(first), median(times(r.baseline.firstAnswer))), `≤ ${GOAL_FIRST_ANSWER_MS} ms`, verdict(Math.max(...first), GOAL_FIRST_ANSWER_MS)],
    ['RSS at first answer', span(startRss, mb), ratio(median(startRss), median(rssOf(r.baseline.firstAnswer))), `≤ ${GOAL_RSS_MB} MB`, verdict(Math.max(...startRss), GOAL_RSS_MB)],
    [`read pass: GET /schemas/ids/{id} × ${r.read.byId.requests}`, `${r.read.byId.rate.toFixed(0)}/s`, `${(r.read.byId.ms / 1000).toFixed(1)} s`, '0 errors', r.read.byId.errors === 0 ? 'met' : `NOT met (${r.read.byId.errors} errors)`],
    [`read pass: GET /subjects/{s}/versions/latest × ${r.read.latest.requests}`, `${r.read.latest.rate.toFixed(0)}/s`, `${(r.read.latest.ms / 1000).toFixed(1)} s`, '0 errors', r.read.latest.errors === 0 ? 'met' : `NOT met (${r.read.latest.errors} errors)`],
    ['RSS peak during the read pass (VmHWM)', mb(r.read.rssPeakMb), `sampled ${mb(r.read.rssPeakSampledMb)}`, `≤ ${GOAL_RSS_MB} MB`, died ?? verdict(r.read.rssPeakMb, GOAL_RSS_MB)],
    ['RSS after reading every schema once', died ? '-' : mb(r.read.rssFinalMb), '-', `≤ ${GOAL_RSS_MB} MB`, died ?? verdict(r.read.rssFinalMb, GOAL_RSS_MB)],
  ];
}

/** The commit measured, marked when src/ has uncommitted changes (they are measured too). */
function revision(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src', 'migrations'], { encoding: 'utf8' }).trim() !== '';
    return `commit ${head}${dirty ? ' + uncommitted changes in src/' : ''}`;
  } catch {
    return 'commit unknown';
  }
}

async function main() {
  const began = performance.now();
  const commit = revision();
  const loadBefore = loadavg()[0]!;
  progress(`first starts: ${STARTS} of each`);
  const first = await firstStarts();
  const runs: Run[] = [];
  if (PG_URL && !FIRST_START_ONLY) runs.push(await run(postgresBackend(PG_URL), VERSIONS));
  if (PGLITE_VERSIONS > 0 && !FIRST_START_ONLY) {
    const note = PGLITE_VERSIONS < VERSIONS ? `seeded with ${PGLITE_VERSIONS} versions (BENCH_PGLITE_VERSIONS), not ${VERSIONS}` : undefined;
    runs.push(await run(pgliteBackend, PGLITE_VERSIONS, note));
  }
  const totalSeconds = (performance.now() - began) / 1000;
  const load = { cpus: availableParallelism(), before: loadBefore, after: loadavg()[0]! };

  console.log(
    `Accord cold start and memory (${STARTS} starts per case, median (max); ${CONCURRENCY} requests in flight; ${PER_SUBJECT} versions per subject${EXTRA_FIELDS ? `, ${EXTRA_FIELDS} extra fields each` : ''}; ` +
      `node ${process.version}; ${load.cpus} CPUs, 1-min load ${load.before.toFixed(1)} before, ${load.after.toFixed(1)} after; ${commit})\n`,
  );
  const widths = [54, 20, 22, 10];
  console.log(`${'case'.padEnd(widths[0]!)} ${'figure'.padStart(widths[1]!)} ${'ratio / detail'.padStart(widths[2]!)} ${'goal'.padStart(widths[3]!)}  verdict`);
  console.log('\nfirst start, empty registry: spawn to the first answer of GET /subjects');
  for (const f of first) {
    const worst = Math.max(...f.ms);
    console.log(`${f.label.padEnd(widths[0]!)} ${`${ms(median(f.ms))} (max ${worst.toFixed(0)})`.padStart(widths[1]!)} ${`${f.ms.length} starts`.padStart(widths[2]!)} ${`≤ ${f.goalMs} ms`.padStart(widths[3]!)}  ${verdict(worst, f.goalMs)}`);
  }
  for (const r of runs) {
    console.log(`\n${r.label}: ${r.versions} versions, ${r.subjects} subjects, seeded in ${(r.seedMs / 1000).toFixed(1)} s${r.note ? ` — ${r.note}` : ''}`);
    for (const [a, b, c, d, e] of rows(r)) {
      console.log(`${a!.padEnd(widths[0]!)} ${b!.padStart(widths[1]!)} ${c!.padStart(widths[2]!)} ${d!.padStart(widths[3]!)}  ${e}`);
    }
    const g = r.read.gauges;
    console.log(
      `  after the pass: ${g.accord_parsed_schema_cache_entries ?? '?'} parsed schemas cached; 1-version registry: ready ${ms(median(r.baseline.ready.map((s) => s.ms)))}, first answer ${ms(median(r.baseline.firstAnswer.map((s) => s.ms)))}, RSS ${mb(median(r.baseline.firstAnswer.map((s) => s.rssMb)))}`,
    );
  }
  if (!PG_URL) console.log('\n(PostgreSQL skipped: set BENCH_DATABASE_URL or TEST_DATABASE_URL)');
  console.log(`\nwhole run: ${totalSeconds.toFixed(0)} s`);
  writeFileSync(
    'bench/cold-results.json',
    `${JSON.stringify({ date: new Date().toISOString(), commit, node: process.version, goals: { firstAnswerMs: GOAL_FIRST_ANSWER_MS, rssMb: GOAL_RSS_MB, freshMs: GOAL_FRESH_MS, restartMs: GOAL_RESTART_MS }, starts: STARTS, concurrency: CONCURRENCY, perSubject: PER_SUBJECT, extraFields: EXTRA_FIELDS, load, totalSeconds, first, runs }, null, 2)}\n`,
  );
  console.log('written: bench/cold-results.json');
}

// Children still running when this process ends (an error, Ctrl-C) are stopped with it.
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
process.once('SIGINT', () => {
  for (const child of children) child.kill('SIGKILL');
  void cleanUp().finally(() => process.exit(130));
});

await main();
