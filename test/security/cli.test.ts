// `accord hash-password` and `accord new-token` end to end: what they print is what the auth file accepts.
import { spawn } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Authenticator } from '../../src/auth/authenticator.js';
import { tokenDigest, verifyPassword } from '../../src/auth/secrets.js';
import { authFromDocument, loadAuth } from '../../src/auth/settings.js';
import { startServer } from '../../src/server.js';
import { backends } from '../support/backends.js';
import { client } from '../support/server.js';
import { accord, BIN, ENV, paymentSchema, writeContracts } from '../cli/support.js';
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

describe('accord new-token --auth-file: adding tokens to an auth file, every time', () => {
  const tokenOf = (stderr: string) => stderr.trim().split('\n').pop()!;

  it('adds each token and its binding in place, keeps comments, refuses a duplicate name; the server then loads the file', async () => {
    const dir = tempDir();
    const file = join(dir, 'auth.yaml');
    writeFileSync(file, '# Accord auth file\nbindings:\n  # everyone may read\n  - role: reader\n    members: [anonymous]\n    subjects: ["*"]\n');
    const first = await accordWithStdin(['new-token', 'ci-orders', '--auth-file', file, '--role', 'writer', '--subjects', 'orders.*'], '');
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim()).toBe(`added to ${file}: token ci-orders, bound to writer on orders.*; restart the server to admit it (it reads the auth file at start)`);
    const second = await accordWithStdin(['new-token', 'ci-payments', '--auth-file', file, '--role', 'writer', '--subjects', 'payments.*,refunds.*', '--group', 'payments'], '');
    expect(second.code, second.stderr).toBe(0);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# Accord auth file');
    expect(text).toContain('  # everyone may read');
    expect(text.match(/^tokens:/gm)).toHaveLength(1);
    expect(text).not.toContain(tokenOf(first.stderr));

    const duplicate = await accordWithStdin(['new-token', 'ci-orders', '--auth-file', file], '');
    expect(duplicate.code).toBe(2);
    expect(duplicate.stderr).toMatch(new RegExp(`^accord new-token: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+: a token named 'ci-orders' is there already`));
    expect(duplicate.stderr).not.toContain('accord_'); // no token was made or shown
    expect(readFileSync(file, 'utf8')).toBe(text);

    const auth = loadAuth(file);
    expect(await auth.authenticator.authenticate(`Bearer ${tokenOf(first.stderr)}`)).toMatchObject({ kind: 'principal', principal: { kind: 'token', name: 'ci-orders' } });
    expect(await auth.authenticator.authenticate(`Bearer ${tokenOf(second.stderr)}`)).toMatchObject({ kind: 'principal', principal: { kind: 'token', name: 'ci-payments', groups: ['payments'] } });
    const access = auth.policy.access({ kind: 'token', name: 'ci-orders', groups: [] } as never);
    expect(access.subject('write', 'orders.order-created-value')).toBe(true);
    expect(access.subject('write', 'payments.x-value')).toBe(false);

    // A new file is created, readable by its owner only.
    const fresh = join(dir, 'new-auth.yaml');
    const created = await accordWithStdin(['new-token', 'svc', '--auth-file', fresh, '--role', 'admin'], '');
    expect(created.code, created.stderr).toBe(0);
    expect(statSync(fresh).mode & 0o777).toBe(0o600);
    expect(loadAuth(fresh).policy).toBeDefined();
  });

  it('binding flags without --auth-file, and a role without subjects, are usage errors', async () => {
    const [noFile, noSubjects] = await Promise.all([
      accordWithStdin(['new-token', 'x', '--role', 'writer'], ''),
      accordWithStdin(['new-token', 'x', '--auth-file', join(tempDir(), 'a.yaml'), '--role', 'writer'], ''),
    ]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/^accord new-token: --role goes with --auth-file FILE/);
    expect(noSubjects.code).toBe(2);
    expect(noSubjects.stderr).toMatch(/^accord new-token: a writer binding needs --subjects GLOB or --resources R/);
  });
});

describe('accord push as a token that may not write', () => {
  it("prints the registry's 40301 message (who lacks which permission on what) and writes nothing", async () => {
    const dir = tempDir();
    const file = join(dir, 'auth.yaml');
    // CI tokens read everything (through their group) and write their own team's subjects.
    writeFileSync(file, 'bindings:\n  - role: reader\n    members: [group:ci]\n    subjects: ["*"]\n');
    const made = await accordWithStdin(['new-token', 'ci-orders', '--auth-file', file, '--role', 'writer', '--subjects', 'orders.*', '--group', 'ci'], '');
    expect(made.code, made.stderr).toBe(0);
    const token = made.stderr.trim().split('\n').pop()!;
    const database = await backends[0]!.open();
    const server = await startServer({ port: 0, host: '127.0.0.1', databaseUrl: undefined, dataDir: 'memory://', maxBodyBytes: 1 << 20, maxSchemaDepth: 64, auth: loadAuth(file) }, database);
    try {
      const subject = 'payments.payment-captured-value';
      const contracts = writeContracts(tempDir(), subject, paymentSchema());
      const pushed = await accord(['push', contracts, '--registry', server.url], undefined, { ACCORD_REGISTRY_TOKEN: token });
      expect(pushed.code).toBe(1);
      expect(pushed.stdout.trim()).toBe(`${subject}: FAILED catalog: 40301: Forbidden: token:ci-orders lacks write on subject '${subject}'`);
      expect(pushed.stderr).not.toContain('refused the credentials');
      const api = client(server.url);
      const reader = { authorization: `Bearer ${token}` };
      expect((await api.call('GET', `/catalog/subjects/${subject}`, undefined, reader)).status).toBe(404);
      expect((await api.call('GET', `/subjects/${subject}/versions`, undefined, reader)).status).toBe(404);
      // Where it may write, it registers; pushed again, the version is unchanged.
      const own = writeContracts(tempDir(), 'orders.payment-captured-value', paymentSchema());
      const ok = await accord(['push', own, '--registry', server.url], undefined, { ACCORD_REGISTRY_TOKEN: token });
      expect(ok.stdout.trim()).toMatch(/^orders\.payment-captured-value: version 1, id \d+$/);
      const again = await accord(['push', own, '--registry', server.url], undefined, { ACCORD_REGISTRY_TOKEN: token });
      expect(again.stdout.trim()).toMatch(/^orders\.payment-captured-value: unchanged \(already registered as version 1, id \d+\)$/);
    } finally {
      await server.close();
      await database.close();
    }
  });
});
