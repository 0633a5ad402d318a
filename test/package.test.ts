// `npm install` on a fresh clone must not rewrite tracked files: npm rewrites package-lock.json whenever its record of
// the project itself (the root entry) differs from package.json, e.g. `hasInstallScript` once a postinstall exists.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { run } from './support/run.js';

const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as Record<string, unknown> & { scripts: Record<string, string>; engines: { node: string } };
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { name: string; version: string; packages: Record<string, Record<string, unknown>> };

describe('package-lock.json', () => {
  it("records the project as package.json declares it, so npm install leaves it unchanged", () => {
    const root = lock.packages['']!;
    expect({ name: lock.name, version: lock.version }).toEqual({ name: pkg.name, version: pkg.version });
    const hasInstallScript = ['preinstall', 'install', 'postinstall'].some((s) => s in pkg.scripts);
    expect(root).toEqual({
      name: pkg.name,
      version: pkg.version,
      ...(hasInstallScript ? { hasInstallScript: true } : {}),
      license: pkg.license,
      dependencies: pkg.dependencies,
      bin: pkg.bin,
      devDependencies: pkg.devDependencies,
      engines: pkg.engines,
    });
  });
});

describe('engines', () => {
  it('no dependency needs a newer Node than the one running this suite (npm install warns EBADENGINE otherwise)', async () => {
    // npm's own check, against the lock file, with nothing fetched or written.
    const { code, stdout, stderr } = await run('npm', ['install', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund', '--engine-strict', '--offline']);
    expect(`${stdout}${stderr}`).not.toMatch(/EBADENGINE|notsup/);
    expect(code).toBe(0);
  }, 120_000);

  it("README's Quick start names the Node versions package.json's engines admits", () => {
    const readme = readFileSync('README.md', 'utf8');
    const range = pkg.engines.node;
    expect(readme).toContain(`Node.js \`${range}\``);
  });
});
