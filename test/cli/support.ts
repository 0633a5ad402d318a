// Shared by the CLI suites: the real CLI (`node bin/accord.js`) in a child process, run asynchronously (the test process
// may be serving the HTTP it calls), temporary contracts directories, and a port nothing listens on.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll } from 'vitest';

export const ROOT = resolve(import.meta.dirname, '../..');
export const BIN = join(ROOT, 'bin/accord.js');
export const EXAMPLES = join(ROOT, 'contracts/examples');

/** The environment without anything that would steer the CLI or the child node (registry, credentials, vitest's loaders). */
export const ENV = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !k.startsWith('ACCORD_REGISTRY') && k !== 'NODE_OPTIONS' && !k.startsWith('VITEST')),
) as NodeJS.ProcessEnv;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `node bin/accord.js ...args` (no shell) and resolves with its exit code and output, whatever the code. */
export function accord(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [BIN, ...args], { cwd, env: { ...ENV, ...env }, encoding: 'utf8', timeout: 50_000 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') return fail(new Error(`accord ${args.join(' ')} did not run: ${err.message}\n${stderr}`));
      done({ code: err ? (err.code as number) : 0, stdout, stderr });
    });
  });
}

/** The 1-based line of the first line of `file` containing `needle`. */
export function lineOf(file: string, needle: string): number {
  const index = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`${needle} not in ${file}`);
  return index + 1;
}

const tmp: string[] = [];
/** A fresh temporary directory, removed when the file's tests end. */
export function tempDir(label: string): string {
  const dir = mkdtempSync(join(tmpdir(), `accord-cli-${label}-`));
  tmp.push(dir);
  return dir;
}
afterAll(() => tmp.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A documented Avro event; `extraFields` are JSON lines appended after the last field. */
export function paymentSchema(extraFields: string[] = [], amountType = 'long'): string {
  return [
    '{',
    '  "type": "record",',
    '  "name": "PaymentCaptured",',
    '  "namespace": "acme.billing",',
    '  "doc": "A payment was captured.",',
    '  "fields": [',
    '    { "name": "eventId", "type": "string", "doc": "Event id." },',
    '    { "name": "occurredAt", "type": "long", "doc": "When, epoch ms." },',
    '    { "name": "correlationId", "type": "string", "doc": "Correlation id." },',
    `    { "name": "amount", "type": "${amountType}", "doc": "Amount in cents." }${extraFields.length ? ',' : ''}`,
    ...extraFields.map((f, i) => `    ${f}${i < extraFields.length - 1 ? ',' : ''}`),
    '  ]',
    '}',
    '',
  ].join('\n');
}

/** A contracts directory with one Avro contract. */
export function writeContracts(dir: string, subject: string, schema: string, manifestExtra = ''): string {
  writeFileSync(
    join(dir, 'accord.yaml'),
    `contracts:\n  - subject: ${subject}\n    schema: payment-captured.avsc\n    compatibility: BACKWARD\n    catalog:\n      owner: payments\n      domain: billing\n${manifestExtra}`,
  );
  writeFileSync(join(dir, 'payment-captured.avsc'), schema);
  return dir;
}

/** A port nothing listens on. */
export async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Escapes a string for use inside a RegExp. */
export const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
