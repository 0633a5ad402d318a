// Compiles the runtime (sdk/*.ts) to sdk/dist: ES modules with .d.ts, and CommonJS with .d.ts in sdk/dist/cjs, which
// the `exports` of package.json (`accord/sdk`, `accord/sdk/codegen`) and of sdk/package.json (`@accord/sdk`) name.
// Run by `npm run build` (scripts/build.mjs) and before `npm pack` of either package. Without TypeScript (an install
// without devDependencies) it does nothing: a packed package already holds sdk/dist. Up to date (sdk/dist newer than
// every sdk/*.ts and this script), it does nothing either; `--force` rebuilds regardless.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const sdk = fileURLToPath(new URL('../sdk/', import.meta.url));
const dist = join(sdk, 'dist');
const stamp = join(dist, '.built');
const sources = readdirSync(sdk).filter((name) => name.endsWith('.ts') || name.startsWith('tsconfig') || name === 'package.json');
const newestSource = Math.max(statSync(fileURLToPath(import.meta.url)).mtimeMs, ...sources.map((name) => statSync(join(sdk, name)).mtimeMs));
if (!process.argv.includes('--force') && existsSync(stamp) && statSync(stamp).mtimeMs >= newestSource) process.exit(0);

let tsc;
try {
  tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
} catch {
  if (!existsSync(stamp)) console.error('accord: TypeScript is not installed; sdk/dist (the compiled runtime) not built');
  process.exit(0);
}
rmSync(dist, { recursive: true, force: true });
for (const config of ['tsconfig.build.json', 'tsconfig.cjs.json']) {
  const result = spawnSync(process.execPath, [tsc, '-p', join(sdk, config)], { stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`accord: compiling the runtime (sdk/${config}) failed`);
    process.exit(1);
  }
}
// tsc does not copy declaration files: the client's types import the generated API types.
for (const out of [dist, join(dist, 'cjs')]) copyFileSync(join(sdk, 'api.d.ts'), join(out, 'api.d.ts'));
mkdirSync(join(dist, 'cjs'), { recursive: true });
writeFileSync(join(dist, 'cjs', 'package.json'), '{ "type": "commonjs" }\n');
writeFileSync(stamp, '');
