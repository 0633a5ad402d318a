// `npm run build` (also run after install and before `npm start`):
// 1. bundles the server and CLI into dist/accord.mjs, which bin/accord.js runs while it is newer than every source
//    file (running the TypeScript through tsx instead costs about 0.6 s of start-up and 75 MB of memory);
// 2. makes the PGlite template (a new, migrated database every embedded database starts from) when this install has
//    none for the current migrations, so the first `npm start` does not wait for initdb.
// Neither step is needed to run Accord: without them it runs through tsx and makes the template on first use.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const started = performance.now();

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // An install without devDependencies (a package a team installed): bin/accord.js runs the sources through tsx.
}
if (esbuild) {
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: { accord: 'src/cli/index.ts' },
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
  const entry = result.outputFiles.find((f) => f.path.endsWith(`${sep}accord.mjs`));
  for (const file of [...result.outputFiles.filter((f) => f !== entry), entry]) {
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

const { register } = await import('tsx/esm/api');
register();
const { findTemplate, ensureTemplate } = await import('../src/storage/pglite-template.ts');
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
