// Shared machinery of the cluster and fault suites: a database of their own on the shared PostgreSQL, Accord
// replicas as real child processes (`node bin/accord.js serve`), a bounded HTTP client, and the schemas they register.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import postgres from 'postgres';

/** The Accord checkout whose `bin/accord.js` the replicas run: this one, or ACCORD_CLUSTER_ROOT (e.g. a build to compare). */
const repoRoot = process.env.ACCORD_CLUSTER_ROOT || fileURLToPath(new URL('../../', import.meta.url));

// ---------------------------------------------------------------- database

export interface TestDatabase {
  name: string;
  /** URL of the new database (the replicas' --database-url). */
  url: string;
  /** Drops the database, forcing out whatever is still connected. */
  drop(): Promise<void>;
}

/** `CREATE DATABASE accord_cluster_<random>` on the server of `adminUrl`. */
export async function createDatabase(adminUrl: string): Promise<TestDatabase> {
  const name = `accord_cluster_${randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    name,
    url: url.toString(),
    async drop() {
      const dropper = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 10 });
      try {
        await dropper.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await dropper.end({ timeout: 5 });
      }
    },
  };
}

/** Terminates every server process connected to database `name` (as an operator or a failover would); returns how many. */
export async function terminateBackends(adminUrl: string, name: string): Promise<number> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const rows = await admin`SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity WHERE datname = ${name} AND pid <> pg_backend_pid()`;
    return rows.filter((r) => r.done === true).length;
  } finally {
    await admin.end({ timeout: 5 });
  }
}

/** How many server processes are connected to database `name`. */
export async function backendCount(adminUrl: string, name: string): Promise<number> {
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {}, connect_timeout: 5 });
  try {
    const [row] = await admin`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ${name}`;
    return row!.n as number;
  } finally {
    await admin.end({ timeout: 5 });
  }
}

// ---------------------------------------------------------------- replicas

export interface Replica {
  index: number;
  url: string;
  pid: number;
  child: ChildProcess;
  /** Resolves with the exit code (or signal name) once the process is gone. */
  exited: Promise<number | string | null>;
  alive(): boolean;
  /** The last lines the process wrote, for failure messages. */
  output(): string;
}

/** Every child any suite in this process started, so that nothing outlives the worker even when a hook is skipped. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

const STARTUP_TIMEOUT_MS = 30_000;

/**
 * Starts `node bin/accord.js serve --port 0 --host 127.0.0.1 --database-url <url>` and waits for its
 * "accord: serving on http://127.0.0.1:<port> with PostgreSQL" line; the server picks a free port itself.
 */
export function startReplica(databaseUrl: string, index: number): Promise<Replica> {
  // Request logs (one JSON line each) would cost this 2-core machine more than the registrations; warnings and
  // errors (storage failures) are still written and kept for failure messages. ACCORD_CLUSTER_LOG_LEVEL overrides.
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ACCORD_LOG_LEVEL: process.env.ACCORD_CLUSTER_LOG_LEVEL ?? 'warn' };
  // The worker's own settings must not leak into the server (a test runner's loader, another port or database).
  for (const key of Object.keys(env)) if (key.startsWith('VITEST') || key === 'NODE_OPTIONS' || key === 'PORT' || key === 'DATABASE_URL') delete env[key];
  const child = spawn(process.execPath, ['bin/accord.js', 'serve', '--port', '0', '--host', '127.0.0.1', '--database-url', databaseUrl], {
    cwd: repoRoot,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(line);
    if (lines.length > 200) lines.splice(0, lines.length - 200);
  };
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string | null>((resolve) => {
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve(code ?? signal);
    });
  });
  const output = () => lines.slice(-40).join('\n');
  return new Promise<Replica>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`replica ${index} did not print "serving on" within ${STARTUP_TIMEOUT_MS} ms:\n${output()}`));
    }, STARTUP_TIMEOUT_MS);
    // The line is plain text or, with JSON logs, the `message` of a JSON line: both hold the same words.
    let buffered: string | undefined = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      if (buffered === undefined) return;
      buffered = (buffered + chunk.toString('utf8')).slice(-64 * 1024);
      const match = /accord: serving on (http:\/\/127\.0\.0\.1:(\d+))\b/.exec(buffered);
      if (match) {
        buffered = undefined;
        clearTimeout(timer);
        resolve({
          index,
          url: match[1]!,
          pid: child.pid!,
          child,
          exited,
          alive: () => child.exitCode === null && child.signalCode === null,
          output,
        });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`replica ${index} exited (${code}) before serving:\n${output()}`));
    });
  });
}

/** Stops replicas: SIGTERM (graceful), then SIGKILL for any still running after `graceMs`. Never throws. */
export async function stopReplicas(replicas: Iterable<Replica | undefined>, graceMs = 3_000): Promise<void> {
  await Promise.all(
    [...replicas].map(async (r) => {
      if (!r || !r.alive()) return;
      r.child.kill('SIGTERM');
      const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
      if ((await Promise.race([r.exited, timer])) === 'timeout' && r.alive()) {
        r.child.kill('SIGKILL');
        await Promise.race([r.exited, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
      }
    }),
  );
}

// ---------------------------------------------------------------- HTTP

export interface Answer {
  status: number;
  text: string;
  json: any;
  /** Milliseconds from sending to the whole body read. */
  ms: number;
}

const CONTENT_TYPE = 'application/vnd.schemaregistry.v1+json';

/** One request with a hard time limit; rejects on connection errors and on the time limit (see `failureKind`). */
export async function call(baseUrl: string, method: string, path: string, body?: unknown, timeoutMs = 10_000): Promise<Answer> {
  const started = performance.now();
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { 'content-type': CONTENT_TYPE, accept: CONTENT_TYPE },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let json: any;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, ms: performance.now() - started };
}

const CONNECTION_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/** What a rejected `call` means: the peer is gone (`connection`), nothing came back in time (`timeout`), or else. */
export function failureKind(err: unknown): 'connection' | 'timeout' | 'other' {
  const e = err as { name?: string; cause?: { code?: string; name?: string } };
  if (e?.name === 'TimeoutError' || e?.cause?.name === 'TimeoutError') return 'timeout';
  if (e?.name === 'TypeError' && e.cause?.code && CONNECTION_CODES.has(e.cause.code)) return 'connection';
  return 'other';
}

export const describeFailure = (err: unknown) => {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  return `${e?.name}: ${e?.message}${e?.cause ? ` (${e.cause.code ?? ''} ${e.cause.message ?? ''})` : ''}`;
};

export const enc = encodeURIComponent;

/** POST /subjects/{subject}/versions with the schema as text. */
export const register = (baseUrl: string, subject: string, schema: string, timeoutMs?: number) =>
  call(baseUrl, 'POST', `/subjects/${enc(subject)}/versions`, { schema }, timeoutMs);

/** A successful registration answer: a positive integer id and version. */
export const isRegistration = (a: Answer) => a.status === 200 && Number.isInteger(a.json?.id) && a.json.id > 0 && Number.isInteger(a.json?.version) && a.json.version > 0;

/** A failure answered as the registry's JSON error: a 5xx whose body carries a numeric error_code. */
export const isJsonServerError = (a: Answer) => a.status >= 500 && a.status <= 599 && typeof a.json?.error_code === 'number' && typeof a.json?.message === 'string';

// ---------------------------------------------------------------- schemas and helpers

/** Distinct schema number `n`: an Avro record named `<tag>N` (the name alone makes it distinct). */
export function schemaText(tag: string, n: number): string {
  return JSON.stringify({
    type: 'record',
    name: `${tag}${n}`,
    namespace: 'accord.cluster',
    fields: [
      { name: 'key', type: 'long' },
      { name: `field${n}`, type: ['null', 'string'], default: null },
    ],
  });
}

/** The number `n` of a schema made by `schemaText(tag, n)`, read back from whatever text a replica returns. */
export function schemaNumber(tag: string, text: string): number | undefined {
  const match = new RegExp(`"(?:accord\\.cluster\\.)?${tag}(\\d+)"`).exec(text);
  return match ? Number(match[1]) : undefined;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Fisher–Yates, in place. */
export function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export const pick = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/** Runs `worker` on `concurrency` loops over `items`; each loop takes the next item until none is left. */
export async function pool<T>(items: readonly T[], concurrency: number, worker: (item: T, loop: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, loop) => {
      while (next < items.length) await worker(items[next++]!, loop);
    }),
  );
}

/** Every version of every subject under `prefix`, from one replica's GET /schemas (paged by 1000). */
export async function listAll(baseUrl: string, prefix: string): Promise<{ subject: string; version: number; id: number; schema: string }[]> {
  const out: { subject: string; version: number; id: number; schema: string }[] = [];
  for (let offset = 0; offset < 1_000_000; offset += 1000) {
    const a = await call(baseUrl, 'GET', `/schemas?subjectPrefix=${enc(prefix)}&offset=${offset}&limit=1000`, undefined, 30_000);
    if (a.status !== 200 || !Array.isArray(a.json)) throw new Error(`GET /schemas from ${baseUrl}: ${a.status} ${a.text.slice(0, 300)}`);
    out.push(...a.json);
    if (a.json.length < 1000) break;
  }
  return out;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Replicas that are no longer running (other than those in `expected`), each with its exit and last output. */
export function deaths(replicas: readonly Replica[], expected: ReadonlySet<number> = new Set()): string[] {
  return replicas
    .filter((r) => !expected.has(r.index) && !r.alive())
    .map((r) => `replica ${r.index} (pid ${r.pid}) exited (${r.child.exitCode ?? r.child.signalCode}); its last output:\n${r.output()}`);
}
