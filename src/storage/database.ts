// Opens Accord's database: PostgreSQL through postgres.js when a URL is given, otherwise embedded PGlite.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { Sql } from 'postgres';
import { StartupError } from '../errors.js';
import { projectFile } from '../paths.js';
import { LOCK_FILE, lockDataDirectory } from './directory-lock.js';
import { backfillGuids } from './guids.js';
import { ensureTemplate, extractTemplate, templateFingerprint, templateForPglite } from './pglite-template.js';
import * as schema from './schema.js';

export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  db: Db;
  /** `postgres` or `pglite`: PGlite is one connection, so some concurrency guarantees come from its queue instead. */
  kind: 'postgres' | 'pglite';
  /** The PostgreSQL URL, when on PostgreSQL (another replica can open the same database). */
  url?: string;
  /**
   * Runs `onNotice` for every notice on `channel` from any replica, and `onListen` each time listening (re)starts, when
   * notices may have been missed (PostgreSQL only: PGlite is one process).
   */
  listen?(channel: string, onNotice: (payload: string) => void, onListen: () => void): Promise<void>;
  close(): Promise<void>;
}

const migrationsFolder = projectFile('migrations');

/** The URL without its password, for messages and logs. */
function redactedUrl(raw: string): string {
  try {
    const url = new URL(raw);
    if (url.password) url.password = '***';
    // Drivers also take credentials as query parameters (?password=…, ?sslpassword=…).
    for (const key of [...url.searchParams.keys()]) if (/pass|secret|token|key/i.test(key)) url.searchParams.set(key, '***');
    return url.toString();
  } catch {
    return '(a URL that does not parse)';
  }
}

/** How many migrations this build ships (readiness compares it with what the database recorded). */
export const SHIPPED_MIGRATIONS = (
  JSON.parse(readFileSync(`${migrationsFolder}/meta/_journal.json`, 'utf8')) as { entries: unknown[] }
).entries.length;
/** Key of the session-level advisory lock that makes concurrent start-ups migrate one after another. */
const MIGRATION_LOCK_KEY = 7_411_001;

export interface DatabaseOptions {
  /** postgres:// URL; when absent, PGlite is used. */
  url?: string | undefined;
  /** PGlite data directory, or `memory://` for an in-memory database. */
  dataDir?: string | undefined;
  /** Connection pool size for PostgreSQL. */
  poolSize?: number | undefined;
  /**
   * Told what opening is doing now (`step`), and each failed attempt to reach PostgreSQL (`retry`), so a slow start
   * can say why.
   */
  progress?: ((event: { kind: 'step' | 'retry'; message: string }) => void) | undefined;
  /** How long to keep trying to reach PostgreSQL at first (an orchestrator may start it beside Accord). */
  connectTimeoutMs?: number | undefined;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const progress = options.progress ?? (() => {});
  const database = options.url
    ? await openPostgres(options.url, options.poolSize ?? 10, progress, options.connectTimeoutMs ?? 30_000)
    : await openPglite(options.dataDir ?? './data', progress);
  try {
    // Schemas stored before GUIDs existed get theirs now (the migration that added the column cannot hash in SQL).
    await backfillGuids(database.db);
  } catch (err) {
    await database.close();
    throw err;
  }
  return database;
}

/** Errors that mean "not reachable yet": worth another attempt while PostgreSQL (or its DNS name) may still be starting. */
const TRANSIENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN', 'CONNECT_TIMEOUT', '57P03']);

/**
 * The first connection, retried while the error is transient (refused, starting up, a host name not resolving yet)
 * until `timeoutMs` has passed; a refusal that another attempt cannot change (wrong password, no such database) fails
 * at once. Either
 * way the failure is a StartupError naming the server (never the password) and DATABASE_URL.
 */
async function firstConnection(postgres: Postgres, url: string, progress: NonNullable<DatabaseOptions['progress']>, timeoutMs: number): Promise<Sql> {
  const where = redactedUrl(url);
  const started = Date.now();
  for (let attempt = 1; ; attempt++) {
    const client = postgres(url, { max: 1, onnotice: () => {}, connect_timeout: 10 });
    try {
      await client`select 1`;
      return client;
    } catch (err) {
      await client.end({ timeout: 0 }).catch(() => {});
      const code = String((err as { code?: unknown }).code ?? '');
      const reason = (err as Error).message.split('\n')[0];
      const elapsed = Date.now() - started;
      if (!TRANSIENT.has(code)) {
        throw new StartupError(`PostgreSQL at ${where} refused the connection: ${reason}; check DATABASE_URL (user, password, database name, host)`);
      }
      if (elapsed >= timeoutMs) {
        throw new StartupError(
          `cannot reach PostgreSQL at ${where} (${reason}) after ${Math.round(elapsed / 1000)} s and ${attempt} attempts; start it, or set DATABASE_URL to a server that is running`,
        );
      }
      progress({ kind: 'retry', message: `PostgreSQL at ${where} is not reachable yet (${reason}); attempt ${attempt}, retrying for up to ${Math.round((timeoutMs - elapsed) / 1000)} s more` });
      await sleep(Math.min(1000 * attempt, 5000, timeoutMs - elapsed));
    }
  }
}

type Postgres = typeof import('postgres');

async function openPostgres(url: string, poolSize: number, progress: NonNullable<DatabaseOptions['progress']>, connectTimeoutMs: number): Promise<Database> {
  progress({ kind: 'step', message: `connecting to PostgreSQL at ${redactedUrl(url)}` });
  // Loaded only here, as PGlite is only for PGlite: each start loads the driver it uses.
  const [{ default: postgres }, { drizzle: drizzlePostgres }, { migrate: migratePostgres }] = await Promise.all([
    import('postgres'),
    import('drizzle-orm/postgres-js'),
    import('drizzle-orm/postgres-js/migrator'),
  ]);
  // Migrate on a single connection holding a session lock: drizzle's migrator takes none, and replicas
  // starting together against a new database would otherwise race on CREATE SCHEMA.
  const migrator = await firstConnection(postgres, url, progress, connectTimeoutMs);
  try {
    progress({ kind: 'step', message: 'applying migrations' });
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
    try {
      await migratePostgres(drizzlePostgres(migrator), { migrationsFolder });
    } finally {
      await migrator`select pg_advisory_unlock(${MIGRATION_LOCK_KEY})`;
    }
  } finally {
    await migrator.end();
  }
  const client = postgres(url, {
    max: poolSize,
    onnotice: () => {},
    // Accord uses no array types, and fetching them on a connection killed mid-start rejects unhandled.
    fetch_types: false,
    // Reconnect quickly after the database drops connections or restarts, instead of backing off for up to 20 s.
    backoff: (attempt: number) => Math.min(0.05 * 2 ** attempt, 0.5),
  });
  const db = drizzlePostgres(preparing(client), { schema }) as unknown as Db;
  return {
    db,
    kind: 'postgres',
    url,
    listen: async (channel, onNotice, onListen) => {
      await client.listen(channel, onNotice, onListen);
    },
    close: () => client.end(),
  };
}

/**
 * drizzle runs every query through `unsafe(…, { prepare: false })`, and postgres.js then spends a round trip
 * describing each query with parameters before running it: two round trips per query. Accord's statements are a small
 * fixed set, so they are prepared instead: described once per connection, and planned from PostgreSQL's plan cache.
 */
function preparing(client: Sql): Sql {
  return new Proxy(client, {
    get(target, property, receiver) {
      if (property === 'unsafe') {
        return (query: string, args: never[] = [], options: Record<string, unknown> = {}) => target.unsafe(query, args, { ...options, prepare: true });
      }
      if (property === 'begin') {
        return (...args: unknown[]) => {
          const work = args.pop() as (tx: Sql) => unknown;
          return (target.begin as (...a: unknown[]) => unknown)(...args, (tx: Sql) => work(preparing(tx)));
        };
      }
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

/**
 * PGlite runs PostgreSQL inside this process, whose memory it shares with the HTTP server: its default 128 MB of shared
 * buffers would be most of the process's resident memory once a large registry has been read through. The data
 * directory is on local disk (and in the OS page cache) anyway.
 */
const PGLITE_SETTINGS = ['-c', 'shared_buffers=16MB'];
/** Present in a data directory while it is being created from the template. */
const CREATING_MARK = 'accord.creating';
/** In a data directory: the fingerprint of the migrations (and PGlite version) it was last migrated to. */
const MIGRATED_MARK = 'accord.migrated';

async function openPglite(dataDir: string, progress: NonNullable<DatabaseOptions['progress']>): Promise<Database> {
  const memory = dataDir.startsWith('memory://');
  if (!memory) mkdirSync(dataDir, { recursive: true });
  // Taken before anything is read: a second process on the directory must not even open it.
  const lock = memory ? undefined : lockDataDirectory(dataDir);
  try {
    return await openPgliteLocked(dataDir, memory, progress, () => lock?.release());
  } catch (err) {
    lock?.release();
    throw err;
  }
}

async function openPgliteLocked(dataDir: string, memory: boolean, progress: NonNullable<DatabaseOptions['progress']>, release: () => void): Promise<Database> {
  // Loaded only here: a replica on PostgreSQL need not spend start-up time loading an embedded database.
  const imports = Promise.all([import('@electric-sql/pglite'), import('drizzle-orm/pglite'), import('drizzle-orm/pglite/migrator')]);
  // A directory still marked as being created was cut short, even if its PG_VERSION got written: made again.
  const fresh = memory || !existsSync(join(dataDir, 'PG_VERSION')) || existsSync(join(dataDir, CREATING_MARK));
  let loadDataDir: Blob | undefined;
  if (fresh) {
    progress({ kind: 'step', message: 'making the embedded database template (once per install)' });
    const template = await ensureTemplate(migrationsFolder);
    if (memory) loadDataDir = templateForPglite(template);
    else {
      progress({ kind: 'step', message: `creating the embedded database in ${resolve(dataDir)}` });
      // The lock and its drafts are Accord's; so is `lost+found`, which a newly formatted volume comes with.
      const strangers = readdirSync(dataDir).filter((name) => !name.startsWith(LOCK_FILE) && name !== 'lost+found');
      if (strangers.includes(CREATING_MARK)) {
        // A creation cut short (the process was killed): nothing in here but the template's files; start again.
        for (const name of strangers) rmSync(join(dataDir, name), { recursive: true, force: true });
      } else if (strangers.length) {
        // Files Accord did not put there: not a directory to initialise over.
        throw new StartupError(`${resolve(dataDir)} is not empty and holds no database (found ${strangers.slice(0, 3).join(', ')}); set ACCORD_DATA_DIR (--data-dir) to a new or empty directory`);
      }
      writeFileSync(join(dataDir, CREATING_MARK), '');
      // PG_VERSION, which marks a directory as a database, is written last, and the mark removed after it.
      extractTemplate(template, dataDir);
      writeFileSync(join(dataDir, MIGRATED_MARK), templateFingerprint(migrationsFolder));
      rmSync(join(dataDir, CREATING_MARK));
    }
  }
  progress({ kind: 'step', message: memory ? 'starting the embedded database in memory' : `opening the embedded database in ${resolve(dataDir)}` });
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await imports;
  // PGlite keeps the event loop busy until it is up: a turn of the loop first lets a slow start say so.
  await new Promise((resolve) => setImmediate(resolve));
  const client = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS], ...(loadDataDir ? { loadDataDir } : {}) });
  const pglite = drizzlePglite(client, { schema });
  // A database made from the template, or migrated by a start of this same build, is up to date: the migrator's
  // check (reading and hashing every migration, then querying) is skipped. Otherwise it applies what is missing.
  if (!memory) {
    const fingerprint = templateFingerprint(migrationsFolder);
    const marker = join(dataDir, MIGRATED_MARK);
    if (!existsSync(marker) || readFileSync(marker, 'utf8') !== fingerprint) {
      await migratePglite(pglite, { migrationsFolder });
      writeFileSync(marker, fingerprint);
    }
  }
  return {
    db: pglite as unknown as Db,
    kind: 'pglite',
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

/** Empties every table (tests only): TRUNCATE bypasses the audit log's row-level append-only guard. */
export async function truncateAll(db: Db): Promise<void> {
  await db.execute(
    sql`TRUNCATE audit_log, configs, modes, schema_references, subject_versions, schemas, context_schema_ids, catalog_entries, rule_settings RESTART IDENTITY CASCADE`,
  );
  await db.execute(sql`ALTER SEQUENCE schema_ids RESTART WITH 1`);
}
