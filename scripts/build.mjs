// `npm run build` (also run after install and before `npm start`):
// 0. compiles the runtime generated code imports (sdk/*.ts) to sdk/dist, JavaScript with declarations
//    (scripts/build-sdk.mjs; skipped while up to date, and without TypeScript, as a packed install holds it);
// 1. bundles the server and CLI into dist/accord.mjs, which bin/accord.js runs while it is newer than every source
//    file (running the TypeScript through tsx instead costs about 0.6 s of start-up and 75 MB of memory);
// 2. makes the PGlite template (a new, migrated database every embedded database starts from) when this install has
//    none for the current migrations, so the first `npm start` does not wait for initdb.
// Neither step is needed to run Accord: without them it runs through tsx and makes the template on first use. A bundle
// newer than every source file is not made again (`npm start` runs this each time). `--force` rebuilds regardless.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();
const { buildSdk } = await import('./build-sdk.mjs');
if (!(await buildSdk({ force: process.argv.includes('--force') }))) process.exit(1);
// The CLI, and the template maker this script itself uses on later runs.
// The worker threads that parse and check client schemas have an entry of their own.
const entries = { accord: 'src/cli/index.ts', 'embedded-template': 'src/storage/pglite-template.ts', 'schema-worker': 'src/registry/schema-worker.ts' };

/** Newest modification time of the files under `dir` (as bin/accord.js judges the bundle). */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}
const bundled = Object.keys(entries).map((name) => join(root, 'dist', `${name}.mjs`));
const upToDate =
  !process.argv.includes('--force') &&
  bundled.every((path) => existsSync(path) && statSync(path).mtimeMs >= Math.max(newest(join(root, 'src')), statSync(fileURLToPath(import.meta.url)).mtimeMs));

let esbuild;
try {
  esbuild = upToDate ? undefined : await import('esbuild');
} catch {
  // An install without devDependencies (a package a team installed): bin/accord.js runs the sources through tsx.
}
if (esbuild) {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: entries,
    bundle: true,
    // Each command's modules in chunks of their own, loaded when the command runs: `accord --version` loads no
    // server, and `accord serve` starts its database while the HTTP side loads.
    splitting: true,
    chunkNames: 'chunks/[name]-[hash]',
    outExtension: { '.js': '.mjs' },
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outdir: 'dist',
    write: false,
    logLevel: 'warning',
  });
  // Chunks are named by their content, so new ones never replace old ones; the entry is written last, beside and
  // renamed over the old one: an `accord` starting meanwhile runs the old build or the new one, never half of one.
  const last = new Set(bundled);
  for (const file of [...result.outputFiles.filter((f) => !last.has(f.path)), ...result.outputFiles.filter((f) => last.has(f.path))]) {
    mkdirSync(dirname(file.path), { recursive: true });
    const partial = `${file.path}.${process.pid}.partial`;
    writeFileSync(partial, file.contents);
    renameSync(partial, file.path);
  }
  // Chunks of earlier builds, once no process started in the last hour can still be loading them.
  const current = new Set(result.outputFiles.map((f) => f.path));
  const chunks = join(root, 'dist', 'chunks');
  for (const name of readdirSync(chunks)) {
    const path = join(chunks, name);
    if (!current.has(path) && Date.now() - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
  }
}

// From the bundle when there is one (fast); otherwise from the sources, through tsx.
let template;
if (existsSync(bundled[1]) && statSync(bundled[1]).mtimeMs >= newest(join(root, 'src'))) template = await import(bundled[1]);
else {
  const { register } = await import('tsx/esm/api');
  register();
  template = await import('../src/storage/pglite-template.ts');
}
const { findTemplate, ensureTemplate } = template;
const migrations = `${root}migrations`;
if (!findTemplate(migrations)) {
  console.error('accord: making the embedded database template (once per install; a few seconds)');
  try {
    await ensureTemplate(migrations);
  } catch (err) {
    // Not fatal: the first start makes it instead.
    console.error(`accord: could not make the embedded database template now (${err.message}); the first start will`);
  }
}
if (process.env.ACCORD_BUILD_TIMING) console.error(`build: ${Math.round(performance.now() - started)} ms`);
