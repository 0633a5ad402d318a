// `accord hash-password` and `accord new-token` end to end: what they print is what the auth file accepts.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/authenticator.js';
import { tokenDigest, verifyPassword } from '../../src/auth/secrets.js';
import { authFromDocument } from '../../src/auth/settings.js';
import { BIN, ENV } from '../cli/support.js';
import { basic, tempDir } from './support.js';

function accordWithStdin(args: string[], input: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [BIN, ...args], { env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

describe('accord hash-password', () => {
  it('prints a scrypt hash of the first line of stdin that a users file accepts, and never the password', async () => {
    const run = await accordWithStdin(['hash-password'], 'a long passphrase\n');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const hash = run.stdout.trim();
    expect(hash).toMatch(/^scrypt\$15\$8\$1\$/);
    expect(run.stdout).not.toContain('passphrase');
    expect(await verifyPassword('a long passphrase', hash)).toBe(true);
    const dir = tempDir();
    writeFileSync(join(dir, 'users.yaml'), `users:\n  alice:\n    password: '${hash}'\n`);
    const auth = authFromDocument({ usersFile: 'users.yaml' }, join(dir, 'auth.yaml'));
    expect(await auth.authenticator.authenticate(basic('alice', 'a long passphrase'))).toMatchObject({ kind: 'principal', principal: { kind: 'user', name: 'alice' } });
  });

  it('with --token prints the digest the auth file wants; without input it is a usage error', async () => {
    expect((await accordWithStdin(['hash-password', '--token'], 'accord_abc')).stdout.trim()).toBe(tokenDigest('accord_abc'));
    const empty = await accordWithStdin(['hash-password'], '');
    expect(empty.code).toBe(2);
    expect(empty.stderr).toMatch(/^accord hash-password: give the secret on stdin/);
  });
});

describe('accord new-token', () => {
  it('shows the token once on stderr and its auth-file entry on stdout', async () => {
    const run = await accordWithStdin(['new-token', 'ci-orders'], '');
    expect(run.code).toBe(0);
    const token = run.stderr.trim().split('\n').pop()!;
    expect(token).toMatch(/^accord_[\w-]{43}$/);
    expect(run.stdout).not.toContain(token);
    const dir = tempDir();
    writeFileSync(join(dir, 'auth.yaml'), run.stdout);
    const { parse } = await import('yaml');
    const auth = authFromDocument(parse(run.stdout), join(dir, 'auth.yaml'));
    expect(auth.authenticator).toBeInstanceOf(Authenticator);
    expect(await auth.authenticator.authenticate(`Bearer ${token}`)).toMatchObject({ kind: 'principal', principal: { kind: 'token', name: 'ci-orders' } });
  });
});
