// The copy-paste set-ups of README's "Securing Accord" load as written (given a users file to point at).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ANONYMOUS, type Principal } from '../../src/auth/policy.js';
import { authFromDocument } from '../../src/auth/settings.js';
import { PERMISSIONS } from '../../src/http/permissions.js';
import { tempDir, usersYaml } from './support.js';

const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Securing Accord'), readme.indexOf('\n## ', readme.indexOf('## Securing Accord') + 5));
const blocks = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README: Securing Accord', () => {
  it('has a users file and auth files for basic, OIDC and CI tokens', () => {
    expect(blocks.filter((b) => b.startsWith('# auth.yaml'))).toHaveLength(3);
    expect(blocks.filter((b) => b.startsWith('# users.yaml'))).toHaveLength(1);
  });

  it('every auth file loads', async () => {
    const dir = tempDir();
    // The README's users file with its placeholders filled in, as its reader would.
    writeFileSync(join(dir, 'users.yaml'), await usersYaml({ alice: { password: 'x', groups: ['payments'] }, ana: { password: 'y' } }));
    for (const block of blocks.filter((b) => b.startsWith('# auth.yaml'))) {
      const auth = authFromDocument(parse(block), join(dir, 'auth.yaml'));
      expect(auth.policy).toBeDefined();
    }
  });

  it("the users file's shape is the one the server reads (placeholders aside)", () => {
    const users = parse(blocks.find((b) => b.startsWith('# users.yaml'))!) as { users: Record<string, { password: string; groups?: string[] }> };
    expect(Object.keys(users.users)).toEqual(['alice', 'ana']);
    expect(users.users.alice!.groups).toEqual(['payments']);
  });

  it('no signed-in caller reads less than an anonymous one (anonymous bindings do not extend to signed-in callers)', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'users.yaml'), await usersYaml({ alice: { password: 'x', groups: ['payments'] }, ana: { password: 'y' } }));
    const callers: Principal[] = [
      { kind: 'user', name: 'bob', groups: ['payments'] },
      { kind: 'user', name: 'ana', groups: [] },
      { kind: 'token', name: 'ci-orders', groups: ['orders-team'] },
      { kind: 'oidc', name: 'carol', groups: ['orders-team'] },
    ];
    const subjects = ['orders-value', 'orders.created-value', 'payments.settled-value', 'shipping-value'];
    for (const block of blocks.filter((b) => b.startsWith('# auth.yaml'))) {
      const { policy } = authFromDocument(parse(block), join(dir, 'auth.yaml'));
      const anonymous = policy!.access(ANONYMOUS);
      for (const caller of callers) {
        const access = policy!.access(caller);
        for (const subject of subjects) {
          if (anonymous.subject('read', subject)) expect(access.subject('read', subject), `${caller.kind}:${caller.name} reads ${subject}`).toBe(true);
        }
      }
    }
    // The case the README once got wrong: a user in group payments reading a subject outside payments.*.
    const basic = blocks.find((b) => b.startsWith('# auth.yaml') && b.includes('usersFile'))!;
    const { policy } = authFromDocument(parse(basic), join(dir, 'auth.yaml'));
    expect(policy!.access({ kind: 'user', name: 'bob', groups: ['payments'] }).subject('read', 'orders-value')).toBe(true);
  });

  it("says what src/http/permissions.ts does with a subject's mode: read with the subject, set only with write on mode", () => {
    expect(PERMISSIONS['GET /mode/:subject']).toMatchObject({ operation: 'read', on: 'subject' });
    expect(PERMISSIONS['PUT /mode/:subject']).toEqual({ operation: 'write', on: 'mode' });
    expect(PERMISSIONS['DELETE /mode/:subject']).toEqual({ operation: 'write', on: 'mode' });
    const text = section.replace(/\s+/g, ' ');
    expect(text).not.toContain('any mode');
    expect(text).toContain("A subject's mode is read by whoever may read the subject");
    expect(text).toContain('set or deleted only with write on `mode`');
  });
});
