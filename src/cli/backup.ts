// `accord export FILE` and `accord import FILE`: the database directly (as `accord serve` opens it), since only direct
// access restores the audit log, the catalog and the id sequence exactly. The file is JSON lines, gzip when its name
// ends in .gz (contracts/backup-format.md). An export is written beside FILE and renamed into place when complete.
import { once } from 'node:events';
import { createReadStream, createWriteStream, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';
import { StartupError } from '../errors.js';
import { BackupFormatError, exportRegistry, importRegistry, readBackup, type ImportResult } from '../storage/backup.js';
import { openDatabase, type Database } from '../storage/database.js';
import { ACCORD_VERSION } from '../version.js';
import { DataError, UsageError } from './errors.js';

export interface DatabaseFlags {
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
}

/** The database `accord serve` would open with the same flags and environment. */
async function openRegistryDatabase(flags: DatabaseFlags, env: NodeJS.ProcessEnv): Promise<Database> {
  const url = flags.databaseUrl ?? (env.DATABASE_URL || undefined);
  const dataDir = flags.dataDir ?? (env.ACCORD_DATA_DIR || './data');
  try {
    return await openDatabase({ url, dataDir, poolSize: 2, connectTimeoutMs: 10_000 });
  } catch (err) {
    if (err instanceof StartupError) throw err;
    throw new StartupError(`cannot open the registry's database: ${(err as Error).message.split('\n')[0]}; check --database-url (DATABASE_URL) or --data-dir (ACCORD_DATA_DIR)`);
  }
}

export async function exportToFile(file: string, flags: DatabaseFlags, env: NodeJS.ProcessEnv) {
  const partial = `${file}.partial`;
  let out: NodeJS.WritableStream;
  let sink: ReturnType<typeof createWriteStream>;
  try {
    sink = createWriteStream(partial, { flags: 'w' });
    await once(sink, 'open');
  } catch (err) {
    throw new UsageError(`cannot write ${file}: ${(err as Error).message}; give a FILE in a writable directory`);
  }
  const gzip = file.endsWith('.gz') ? createGzip() : undefined;
  if (gzip) gzip.pipe(sink);
  out = gzip ?? sink;
  const database = await openRegistryDatabase(flags, env).catch((err: unknown) => {
    sink.destroy();
    rmSync(partial, { force: true });
    throw err;
  });
  const started = performance.now();
  let buffer = '';
  const flush = async () => {
    if (!out.write(buffer)) await once(out, 'drain');
    buffer = '';
  };
  try {
    const counts = await exportRegistry(
      database.db,
      async (line) => {
        buffer += `${line}\n`;
        if (buffer.length >= 1 << 16) await flush();
      },
      ACCORD_VERSION,
    );
    await flush();
    out.end();
    await once(sink, 'close');
    renameSync(partial, file);
    return { counts, bytes: statSync(file).size, seconds: (performance.now() - started) / 1000 };
  } catch (err) {
    sink.destroy();
    rmSync(partial, { force: true });
    throw err;
  } finally {
    await database.close();
  }
}

/** The file's lines, gunzipped when it starts with gzip's magic bytes (whatever its name). */
async function linesOf(file: string): Promise<AsyncIterable<string>> {
  if (!existsSync(file)) throw new UsageError(`cannot read ${file}: no such file; give the FILE accord export wrote`);
  const magic = Buffer.alloc(2);
  try {
    const handle = await open(file, 'r');
    try {
      await handle.read(magic, 0, 2, 0);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'EISDIR' ? 'a directory' : (err as Error).message}; give the FILE accord export wrote`);
  }
  const raw = createReadStream(file);
  const gzipped = magic[0] === 0x1f && magic[1] === 0x8b;
  const stream = gzipped ? raw.pipe(createGunzip()) : raw;
  return createInterface({ input: stream, crlfDelay: Infinity });
}

export async function importFromFile(file: string, flags: DatabaseFlags & { force: boolean }, env: NodeJS.ProcessEnv): Promise<ImportResult & { seconds: number }> {
  const started = performance.now();
  let backup;
  try {
    backup = await readBackup(await linesOf(file), file);
  } catch (err) {
    // What the file holds is wrong, not how the command was given: no usage line.
    if (err instanceof BackupFormatError) throw new DataError(err.message);
    if ((err as NodeJS.ErrnoException).code === 'Z_DATA_ERROR' || (err as NodeJS.ErrnoException).code === 'Z_BUF_ERROR') throw new DataError(`${file}: the gzip data is damaged or cut short`);
    throw err;
  }
  const database = await openRegistryDatabase(flags, env);
  try {
    const result = await importRegistry(database.db, backup, { force: flags.force });
    return { ...result, seconds: (performance.now() - started) / 1000 };
  } finally {
    await database.close();
  }
}

export function printImport(file: string, result: ImportResult & { seconds: number }, force: boolean): string {
  const lines: string[] = [];
  if (result.merged && !force) {
    lines.push(`nothing was imported: the registry is not empty${result.conflicts.length ? ` and holds ${result.conflicts.length} conflict(s) with ${file}:` : ` (everything it holds agrees with ${file}); give --force to add what it lacks`}`);
    lines.push(...result.conflicts.map((c) => `  ${c}`));
    if (result.conflicts.length) lines.push('give --force to add only what the registry lacks and keep its own rows where they conflict, or import into an empty registry');
    return lines.join('\n');
  }
  const w = result.written;
  lines.push(
    `imported ${file} in ${result.seconds.toFixed(1)} s: ${w.schema ?? 0} schema(s), ${w.version ?? 0} version(s), ${w.config ?? 0} config(s), ${w.mode ?? 0} mode(s), ` +
      `${w.ruleSettings ?? 0} governance setting(s), ${w.catalog ?? 0} catalog entr${w.catalog === 1 ? 'y' : 'ies'}, ${w.audit ?? 0} audit entr${w.audit === 1 ? 'y' : 'ies'}`,
  );
  if (result.conflicts.length) lines.push(`--force: ${result.conflicts.length} conflict(s) kept as the registry holds them:`, ...result.conflicts.map((c) => `  ${c}`));
  return lines.join('\n');
}
