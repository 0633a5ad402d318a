// The copy-paste set-ups of README's "Securing Accord" load as written (given a users file to point at).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { authFromDocument } from '../../src/auth/settings.js';
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
});
