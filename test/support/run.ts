// Child processes for tests, always asynchronous: a test process that also serves HTTP (to the child, or to clients
// in the same file) must keep its event loop free, or connections time out and reset on a loaded machine.
import { execFile, spawn } from 'node:child_process';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `command args` (no shell) and resolves with its exit code and output, whatever the code. */
export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<RunResult> {
  return new Promise((done, fail) => {
    execFile(command, args, { cwd: options.cwd, env: options.env, encoding: 'utf8', timeout: options.timeoutMs ?? 300_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return fail(new Error(`${command} ${args.join(' ')} did not run: ${err.message}\n${stderr}`));
      done({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/** Starts `command args` (no shell) without waiting: the test reads its output as it comes and may kill it. */
export function start(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((done) =>
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr })),
  );
  return { child, exited };
}
