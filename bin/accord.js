#!/usr/bin/env node
// Runs the bundle that `npm run build` makes (on install and before `npm start`) while it is newer than every source
// file; otherwise the TypeScript sources through tsx, so an edited checkout never runs stale code and needs no build.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { guardPostgres } from './postgres-guard.mjs';

guardPostgres();
const root = fileURLToPath(new URL('..', import.meta.url));
const bundle = `${root}dist/accord.mjs`;

/** Newest modification time of the files under `dir`. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

if (existsSync(bundle) && statSync(bundle).mtimeMs >= newest(`${root}src`)) {
  await import(bundle);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../src/cli/index.ts');
}
