// The summary reporter, run as CI runs it (a real vitest process): skip reasons with counts, the plain line last.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function vitest(args: string[]): Promise<string> {
  return new Promise((done, fail) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
    const child = spawn(process.execPath, [resolve(ROOT, 'node_modules/vitest/vitest.mjs'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c) => (output += c));
    child.stderr.on('data', (c) => (output += c));
    child.once('error', fail);
    child.once('exit', () => done(output));
  });
}

describe('test/support/summary-reporter.ts', () => {
  it('lists why each skipped test was skipped, with counts, and ends with the plain closing line', async () => {
    const output = await vitest([
      'run', '--config', 'test/support/fixtures/skips.vitest.config.ts', '--root', ROOT, '--no-color']);
    expect(output).toMatch(/Skipped, by reason:\n\s+2 {2}TEST_DATABASE_URL is not set\n/);
    expect(output).toMatch(/\s1 {2}skipped by a condition or \.skip, no reason given \(test\/support\/fixtures\/skips\.fixture\.ts\)/);
    expect(output).toMatch(/\s1 {2}todo \(test\/support\/fixtures\/skips\.fixture\.ts\)/);
    expect(output.trim().split('\n').at(-1)).toBe('1 passed, 0 failed, 4 skipped');
  }, 120_000);
});
