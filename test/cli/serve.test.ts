// `accord serve` and `npm start` as a person or a supervisor runs them: real processes, real ports, real signals.
// Start-up from the template, one process per data directory (and a kill -9 not blocking the next start), start-up
// failures as one line naming the setting with exit status 2, and a SIGTERM to npm that drains without cutting off
// requests in progress. Every child is spawned asynchronously: this process must stay free to talk to them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const BIN = join(ROOT, 'bin/accord.js');
const SCHEMA = JSON.stringify({ type: 'record', name: 'OrderPlaced', fields: [{ name: 'orderId', type: 'string' }] });

/** The environment without anything that would steer Accord or the child node (vitest's loaders, a database). */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['DATABASE_URL', 'ACCORD_DATA_DIR', 'PORT', 'HOST', 'NODE_OPTIONS'].includes(k) && !k.startsWith('VITEST')),
  ) as NodeJS.ProcessEnv;
  return { ...env, ACCORD_LOG_LEVEL: 'warn', ...extra };
}

const children = new Set<ChildProcess>();
const dirs: string[] = [];
afterEach(() => {
  // Each child leads a process group of its own: killing the group also stops a server npm started (SIGKILL to npm
  // alone is not passed on).
  for (const child of children) {
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  children.clear();
});
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'accord-serve-'));
  dirs.push(dir);
  return dir;
}

async function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(command: string, args: string[], env: NodeJS.ProcessEnv): Running {
  const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  void exited.then(() => children.delete(child));
  return { child, output: () => output, exited };
}

/** Runs `accord serve` with `env` until it exits (for start-ups that must fail). */
async function serveExpectingExit(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  const run = start(process.execPath, [BIN, 'serve', '--host', '127.0.0.1', ...args], cleanEnv(env));
  const code = await run.exited;
  return { code, output: run.output() };
}

/** Polls until the server answers GET /subjects. */
async function waitUp(port: number, run: Running, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (run.child.exitCode !== null) throw new Error(`accord exited with ${run.child.exitCode}: ${run.output()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/subjects`);
      if (res.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`accord did not come up: ${run.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function register(port: number, subject: string, schema = SCHEMA): Promise<{ status: number; json: { id?: number } }> {
  const res = await fetch(`http://127.0.0.1:${port}/subjects/${subject}/versions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ schema }),
  });
  return { status: res.status, json: (await res.json()) as { id?: number } };
}

/** The single line a failed start prints (besides nothing else): no stack trace. */
function oneLine(output: string): string {
  const lines = output.trim().split('\n');
  expect(lines.filter((l) => /^\s+at /.test(l))).toEqual([]);
  return lines.at(-1)!;
}

describe('a PGlite data directory', () => {
  it('is created from the template, keeps what was registered across a restart, and is held by one process only', async () => {
    const dir = join(tempDir(), 'data');
    const port = await freePort();
    const first = start(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1', '--data-dir', dir], cleanEnv());
    await waitUp(port, first);
    expect(existsSync(join(dir, 'PG_VERSION'))).toBe(true);
    expect((await register(port, 'a-value')).json.id).toBe(1);

    // A second process on the same directory: refused, naming the directory and the holder.
    const second = await serveExpectingExit({ ACCORD_DATA_DIR: dir }, ['--port', String(await freePort())]);
    expect(second.code).toBe(2);
    const line = oneLine(second.output);
    expect(line).toContain(dir);
    expect(line).toContain(`process ${first.child.pid}`);
    expect(line).toContain('ACCORD_DATA_DIR');

    // kill -9 leaves the lock behind; the next start takes the directory over and finds the data.
    first.child.kill('SIGKILL');
    await first.exited;
    expect(existsSync(join(dir, 'accord.lock'))).toBe(true);
    const port2 = await freePort();
    const third = start(process.execPath, [BIN, 'serve', '--port', String(port2), '--host', '127.0.0.1', '--data-dir', dir], cleanEnv());
    await waitUp(port2, third);
    expect((await fetch(`http://127.0.0.1:${port2}/subjects/a-value/versions/1`).then((r) => r.json())) as { id: number }).toMatchObject({ id: 1 });
    const again = await register(port2, 'b-value', JSON.stringify({ type: 'record', name: 'OrderShipped', fields: [{ name: 'orderId', type: 'string' }] }));
    // A new id (after a crash PostgreSQL's sequence resumes past the values it had logged, so not necessarily 2).
    expect(again.status).toBe(200);
    expect(again.json.id).toBeGreaterThan(1);
    third.child.kill('SIGTERM');
    expect(await third.exited).toBe(0);
    // A clean stop removes the lock.
    expect(existsSync(join(dir, 'accord.lock'))).toBe(false);
  }, 240_000);

  it('a directory holding files that are not a database is refused, untouched', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    const { code, output } = await serveExpectingExit({ ACCORD_DATA_DIR: dir }, ['--port', String(await freePort())]);
    expect(code).toBe(2);
    expect(oneLine(output)).toMatch(/is not empty and holds no database.*ACCORD_DATA_DIR/);
    expect(existsSync(join(dir, 'notes.txt'))).toBe(true);
  }, 120_000);
});

describe('start-up failures: one line naming the setting, exit status 2', () => {
  it.each([
    [{ PORT: 'abc' }, /PORT \(--port\) must be a port number/],
    [{ PORT: '70000' }, /PORT \(--port\) must be a port number/],
    [{ DATABASE_URL: 'mysql://root:secret@localhost/shop' }, /DATABASE_URL \(--database-url\) must be a postgres:\/\/ or postgresql:\/\/ URL, got a mysql:\/\/ URL/],
    [{ DATABASE_URL: 'not a url' }, /DATABASE_URL \(--database-url\) must be a postgres:\/\/ or postgresql:\/\/ URL/],
    [{ ACCORD_LOG_LEVEL: 'loud' }, /ACCORD_LOG_LEVEL must be one of/],
    [{ ACCORD_DB_CONNECT_TIMEOUT: '-1' }, /ACCORD_DB_CONNECT_TIMEOUT must be a non-negative integer/],
    [{ PORT: '8081', ACCORD_MAX_BODY_BYTES: '1MB' }, /ACCORD_MAX_BODY_BYTES must be a non-negative integer, got '1MB'/],
  ])('%o', async (env, message) => {
    const { code, output } = await serveExpectingExit({ ACCORD_DATA_DIR: 'memory://', ...env });
    expect(code).toBe(2);
    expect(oneLine(output)).toMatch(message);
    expect(output).not.toContain('secret');
  }, 60_000);

  it('a port in use', async () => {
    const blocker = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => blocker.once('listening', r));
    const port = (blocker.address() as { port: number }).port;
    try {
      const { code, output } = await serveExpectingExit({ ACCORD_DATA_DIR: 'memory://' }, ['--port', String(port)]);
      expect(code).toBe(2);
      expect(oneLine(output)).toBe(`accord serve: port ${port} is already in use on 127.0.0.1; stop what is using it, or set PORT (--port) to another port`);
    } finally {
      blocker.close();
    }
  }, 60_000);

  it('PostgreSQL unreachable: a line per attempt, then one line naming DATABASE_URL, never the password', async () => {
    const port = await freePort(); // nothing listens there
    const { code, output } = await serveExpectingExit({ DATABASE_URL: `postgres://app:hunter2@127.0.0.1:${port}/registry`, ACCORD_DB_CONNECT_TIMEOUT: '2' });
    expect(code).toBe(2);
    expect(output).toMatch(/is not reachable yet .*attempt 1, retrying/);
    // Start-up took more than a second: it said what it was doing, once.
    // (which step it names depends on how fast the machine loads the modules: loading, or connecting to PostgreSQL)
    expect(output.match(/"accord: starting: (loading|connecting to PostgreSQL at )/g), output).toHaveLength(1);
    expect(oneLine(output)).toMatch(new RegExp(`cannot reach PostgreSQL at postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/registry .*set DATABASE_URL`));
    expect(output).not.toContain('hunter2');
  }, 60_000);

  it.runIf(process.env.TEST_DATABASE_URL)('PostgreSQL refusing (no such database): one line at once, no retries', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.pathname = '/accord_no_such_database';
    url.password = 'hunter2';
    const { code, output } = await serveExpectingExit({ DATABASE_URL: url.toString() });
    expect(code).toBe(2);
    expect(output).not.toMatch(/retrying/);
    expect(oneLine(output)).toMatch(/refused the connection: database "accord_no_such_database" does not exist; check DATABASE_URL/);
    expect(output).not.toContain('hunter2');
  }, 60_000);
});

/** Sends the headers and half the body of a registration; `finish()` sends the rest and resolves with the answer. */
function halfSentRegistration(port: number, subject: string): { sent: Promise<void>; finish(): Promise<{ status: number; body: string }> } {
  const body = Buffer.from(JSON.stringify({ schema: JSON.stringify({ type: 'record', name: `Evt${subject.replace(/\W/g, '')}`, fields: [{ name: 'a', type: 'string' }] }) }));
  const req = request({ host: '127.0.0.1', port, method: 'POST', path: `/subjects/${subject}/versions`, agent: false, headers: { 'content-type': 'application/json', 'content-length': body.length } });
  const answered = new Promise<{ status: number; body: string }>((done, fail) => {
    req.once('response', (res: IncomingMessage) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: text }));
    });
    req.once('error', fail);
  });
  const half = Math.floor(body.length / 2);
  const sent = new Promise<void>((done) => req.write(body.subarray(0, half), () => done()));
  return {
    sent,
    finish: () => {
      req.end(body.subarray(half));
      return answered;
    },
  };
}

describe('stopping', () => {
  it('SIGTERM to npm start stops the server, after the 20 registrations in flight complete', async () => {
    const port = await freePort();
    const npm = start('npm', ['start', '--silent'], cleanEnv({ PORT: String(port), HOST: '127.0.0.1', ACCORD_DATA_DIR: 'memory://' }));
    await waitUp(port, npm, 180_000);
    const inFlight = Array.from({ length: 20 }, (_, i) => halfSentRegistration(port, `drain-${i}-value`));
    await Promise.all(inFlight.map((r) => r.sent));
    // Let the server read the headers of all 20 (each is then a request in progress, its body still on the way).
    await new Promise((r) => setTimeout(r, 500));
    npm.child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    const answers = await Promise.all(inFlight.map((r) => r.finish()));
    expect(answers.map((a) => a.status)).toEqual(Array(20).fill(200));
    expect(await npm.exited).toBe(0);
    // The server itself is gone, not just npm: nothing answers on the port any more.
    await expect(fetch(`http://127.0.0.1:${port}/subjects`)).rejects.toThrow();
  }, 240_000);
});

/** Whether nothing listens on `port` any more (a listener can be bound there again). */
function portFree(port: number): Promise<boolean> {
  return new Promise((done) => {
    const probe = createServer();
    probe.once('error', () => done(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => done(true)));
  });
}

describe('every way the README starts Accord stops on a signal to the outer process, leaving nothing on the port', () => {
  const ways: [string, string, string[]][] = [
    ['npm start', 'npm', ['start', '--silent']],
    ['npx accord serve', 'npx', ['--yes', 'accord', 'serve']],
    ['node bin/accord.js serve', process.execPath, [BIN, 'serve']],
    ['npm run accord -- serve', 'npm', ['run', '--silent', 'accord', '--', 'serve']],
  ];
  it.each(ways.flatMap(([name, command, args]) => (['SIGTERM', 'SIGINT'] as const).map((signal) => [name, signal, command, args] as const)))(
    '%s, %s',
    async (_name, signal, command, args) => {
      const port = await freePort();
      const outer = start(command, args, cleanEnv({ PORT: String(port), HOST: '127.0.0.1', ACCORD_DATA_DIR: 'memory://' }));
      await waitUp(port, outer, 180_000);
      // SIGINT to npx alone is passed by npm to the shell it runs Accord in, which waits for Accord and stops nothing
      // (nothing is orphaned either); Ctrl-C on a terminal, as here, signals the whole process group.
      if (command === 'npx' && signal === 'SIGINT') process.kill(-outer.child.pid!, signal);
      else outer.child.kill(signal);
      await outer.exited;
      // The server, wherever it runs under the outer process, lets go of the port (a drained stop takes a moment).
      const deadline = Date.now() + 30_000;
      while (!(await portFree(port))) {
        if (Date.now() > deadline) throw new Error(`still listening on ${port} 30 s after ${signal} to ${command}: ${outer.output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
    240_000,
  );
});

describe('serve --help', () => {
  it("lists every setting README's Configuration table and its TLS table list", async () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const tables = ['## Configuration', '### TLS, client certificates, proxies'].map((heading) => {
      const from = readme.indexOf(heading);
      return readme.slice(from, readme.indexOf('\n#', from + heading.length));
    });
    const documented = new Set(tables.flatMap((table) => [...table.matchAll(/^\| `([A-Z][A-Z0-9_]+)`(?:, `([A-Z][A-Z0-9_]+)`)?/gm)].flatMap((m) => [m[1]!, m[2]].filter(Boolean) as string[])));
    expect(documented.size).toBeGreaterThan(20);
    const help = await serveExpectingExit({}, ['--help']);
    expect(help.code).toBe(0);
    const listed = new Set([...help.output.matchAll(/\b([A-Z][A-Z0-9]*_[A-Z0-9_]+|PORT|HOST)\b/g)].map((m) => m[1]!));
    expect([...documented].filter((name) => !listed.has(name))).toEqual([]);
  }, 60_000);
});

describe('logs', () => {
  it('every line a server writes is JSON, from the users file broken after start to the "stopped" line', async () => {
    const dir = tempDir();
    const port = await freePort();
    writeFileSync(join(dir, 'users.yaml'), 'users: {}\n');
    writeFileSync(join(dir, 'auth.yaml'), 'usersFile: users.yaml\nbindings:\n  - role: reader\n    members: [anonymous]\n    subjects: ["*"]\n');
    const server = start(process.execPath, [BIN, 'serve', '--port', String(port), '--host', '127.0.0.1'], cleanEnv({ ACCORD_DATA_DIR: 'memory://', ACCORD_AUTH_CONFIG: join(dir, 'auth.yaml'), ACCORD_LOG_LEVEL: 'info' }));
    await waitUp(port, server);
    writeFileSync(join(dir, 'users.yaml'), 'users: [not: a map\n');
    // The users file is looked at on a Basic attempt.
    const authorization = `Basic ${Buffer.from('bob:x').toString('base64')}`;
    expect((await fetch(`http://127.0.0.1:${port}/subjects`, { headers: { authorization } })).status).toBe(401);
    const deadline = Date.now() + 30_000;
    while (!server.output().includes('users file not reloaded')) {
      if (Date.now() > deadline) throw new Error(`no line about the broken users file: ${server.output()}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    const lines = server.output().trim().split('\n');
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const messages = lines.map((l) => JSON.parse(l) as { level: string; message: string });
    expect(messages.find((m) => m.message.includes('users file not reloaded'))?.level).toBe('warn');
    expect(messages.at(-1)!.message).toBe('accord: stopped');
  }, 120_000);
});
