// Makes the PGlite template: a new, migrated database dumped as a tar file, from which every new data directory and
// every in-memory database starts (a copy in a fraction of a second instead of initdb's 5–30 s). Run in a process of
// its own (by scripts/build.mjs at install time, or by database.ts on first use): initdb grows PGlite's WebAssembly
// heap to several hundred MB, which a process never hands back to the system.
// Usage: node pglite-template.mjs <migrations folder> <output .tar>
import { renameSync, writeFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle } from 'drizzle-orm/pglite';
import { migrate } from 'drizzle-orm/pglite/migrator';

const [migrationsFolder, output] = process.argv.slice(2);
if (!migrationsFolder || !output) {
  console.error('usage: node pglite-template.mjs <migrations folder> <output .tar>');
  process.exit(2);
}
const db = await PGlite.create('memory://');
await migrate(drizzle(db), { migrationsFolder });
const tar = await db.dumpDataDir('none');
await db.close();
// Written beside the target and renamed over it, so a reader never sees half a template, and two processes making
// it at once both leave a whole one.
const partial = `${output}.${process.pid}.partial`;
writeFileSync(partial, new Uint8Array(await tar.arrayBuffer()));
renameSync(partial, output);
