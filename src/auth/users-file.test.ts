import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replaceFile, tempDir, usersYaml } from '../../test/security/support.js';
import { UsersFile } from './users-file.js';

describe('UsersFile', () => {
  it('keeps the last good users through a broken or missing file, reporting each problem once', async () => {
    const path = join(tempDir(), 'users.yaml');
    writeFileSync(path, await usersYaml({ alice: { password: 'pw-1', groups: ['g'] } }));
    const reports: string[] = [];
    const users = new UsersFile(path, (m) => reports.push(m));
    expect(await users.authenticate('alice', 'pw-1')).toMatchObject({ name: 'alice', groups: ['g'] });
    expect(await users.authenticate('alice', 'pw-2')).toBeUndefined();
    expect(await users.authenticate('bob', 'pw-1')).toBeUndefined();

    replaceFile(path, 'users: [');
    expect(await users.authenticate('alice', 'pw-1')).toBeDefined();
    expect(await users.authenticate('alice', 'pw-1')).toBeDefined();
    rmSync(path);
    expect(await users.authenticate('alice', 'pw-1')).toBeDefined();
    expect(await users.authenticate('alice', 'pw-1')).toBeDefined();
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatch(/is not valid YAML.*keeping the users read before$/);
    expect(reports[1]).toMatch(/cannot read the users file .* \(ENOENT\); keeping the users read before$/);

    replaceFile(path, await usersYaml({ alice: { password: 'pw-2' } }));
    expect(await users.authenticate('alice', 'pw-1')).toBeUndefined();
    expect(await users.authenticate('alice', 'pw-2')).toBeDefined();
  });

  it('refuses a plaintext password at load without repeating it', async () => {
    const path = join(tempDir(), 'users.yaml');
    writeFileSync(path, 'users:\n  alice:\n    password: swordfish\n');
    expect(() => new UsersFile(path)).toThrow(/user 'alice' needs "password" set to a scrypt hash/);
    expect(() => new UsersFile(path)).not.toThrow(/swordfish/);
  });
});
