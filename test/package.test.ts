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

describe('a production install', () => {
  it('brings no install-time telemetry and no install script that rewrites other packages', async () => {
    const listed = await run('npm', ['ls', '--omit=dev', '--all', '--parseable', '--long']);
    expect(listed.code, listed.stderr).toBe(0);
    // Lines are `dir:name@version[:EXTRANEOUS]`; what the lockfile does not hold (CI's `npm install --no-save` of buf,
    // the test oracle) is no part of what an install of Accord brings.
    const dirs = listed.stdout.trim().split('\n').filter((line) => !line.endsWith(':EXTRANEOUS')).map((line) => line.split(':')[0]!);
    const packages = dirs.map((dir) => ({ dir, ...(JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')) as { name: string; version: string; scripts?: Record<string, string> }) }));
    expect(packages.length).toBeGreaterThan(10);
    expect(packages.filter((p) => /scarf/i.test(p.name)).map((p) => p.name)).toEqual([]);
    // Install scripts run in the installing project: Accord's own, which builds inside its own folder, and esbuild's
    // (tsx's), which checks its platform binary inside its own folder. Anything new here must be looked at.
    const installing = packages.filter((p) => ['preinstall', 'install', 'postinstall'].some((s) => p.scripts?.[s]));
    expect(installing.map((p) => `${p.name}: ${p.scripts?.postinstall ?? p.scripts?.install ?? p.scripts?.preinstall}`).sort()).toEqual([
      'accord: node scripts/build.mjs',
      'esbuild: node install.js',
    ]);
    const { existsSync } = await import('node:fs');
    expect(existsSync('scripts/patch-postgres.mjs')).toBe(false);
    expect(readFileSync('scripts/build.mjs', 'utf8')).not.toMatch(/node_modules|writeFileSync\([^)]*postgres/);
  }, 120_000);

  it("guards postgres.js's nextWrite as it loads, leaving the installed file as published", async () => {
    const onDisk = readFileSync('node_modules/postgres/src/connection.js', 'utf8');
    expect(onDisk).not.toContain('accord');
    const probe = [
      "import { guardPostgres } from './bin/postgres-guard.mjs';",
      'guardPostgres();',
      "const { default: Connection } = await import('./node_modules/postgres/src/connection.js');",
      "console.log(String(Connection).includes('guarded by accord'));",
    ].join('\n');
    const loaded = await run(process.execPath, ['--input-type=module', '-e', probe]);
    expect(loaded.stdout.trim(), loaded.stderr).toBe('true');
  }, 60_000);
});
