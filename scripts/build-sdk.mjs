// Compiles the runtime (sdk/*.ts) to sdk/dist: ES modules with .d.ts, and CommonJS with .d.ts in sdk/dist/cjs, which
// the `exports` of package.json (`accord/sdk`, `accord/sdk/codegen`) and of sdk/package.json (`@accord/sdk`) name.
// Run by `npm run build` (scripts/build.mjs imports it) and before `npm pack` of either package. Without TypeScript
// (an install without devDependencies) it does nothing: a packed package already holds sdk/dist. Up to date (sdk/dist
// newer than every sdk/*.ts and this script), it does nothing either; `--force` rebuilds regardless.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sdk = fileURLToPath(new URL('../sdk/', import.meta.url));
const dist = join(sdk, 'dist');
const stamp = join(dist, '.built');

/** Builds sdk/dist unless it is up to date; true when it is there afterwards (or not needed), false on failure. */
export async function buildSdk({ force = false } = {}) {
  const sources = readdirSync(sdk).filter((name) => name.endsWith('.ts') || name.startsWith('tsconfig') || name === 'package.json');
  const newestSource = Math.max(statSync(fileURLToPath(import.meta.url)).mtimeMs, ...sources.map((name) => statSync(join(sdk, name)).mtimeMs));
  if (!force && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource) return true;

  let tsc;
  try {
    tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    if (!existsSync(stamp)) console.error('accord: TypeScript is not installed; sdk/dist (the compiled runtime) not built');
    return true;
  }
  // Compiled beside and renamed into place, so a process reading sdk/dist meanwhile sees the old build or the new one.
  const next = join(sdk, `dist.${process.pid}.partial`);
  rmSync(next, { recursive: true, force: true });
  for (const [config, out] of [['tsconfig.build.json', next], ['tsconfig.cjs.json', join(next, 'cjs')]]) {
    const status = await new Promise((resolve) => spawn(process.execPath, [tsc, '-p', join(sdk, config), '--outDir', out], { stdio: 'inherit' }).once('exit', resolve));
    if (status !== 0) {
      console.error(`accord: compiling the runtime (sdk/${config}) failed`);
      rmSync(next, { recursive: true, force: true });
      return false;
    }
  }
  // tsc does not copy declaration files: the client's types import the generated API types.
  for (const out of [next, join(next, 'cjs')]) copyFileSync(join(sdk, 'api.d.ts'), join(out, 'api.d.ts'));
  mkdirSync(join(next, 'cjs'), { recursive: true });
  writeFileSync(join(next, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
  writeFileSync(join(next, '.built'), '');
  const old = join(sdk, `dist.${process.pid}.old`);
  if (existsSync(dist)) renameSync(dist, old);
  renameSync(next, dist);
  rmSync(old, { recursive: true, force: true });
  return true;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exitCode = (await buildSdk({ force: process.argv.includes('--force') })) ? 0 : 1;
}
