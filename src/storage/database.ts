// Opens Accord's database: PostgreSQL through postgres.js when a URL is given, otherwise embedded PGlite.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres, { type Sql } from 'postgres';
import { projectFile } from '../paths.js';
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
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.url) return openPostgres(options.url, options.poolSize ?? 10);
  return openPglite(options.dataDir ?? './data');
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  // Migrate on a single connection holding a session lock: drizzle's migrator takes none, and replicas
  // starting together against a new database would otherwise race on CREATE SCHEMA.
  const migrator = postgres(url, { max: 1, onnotice: () => {} });
  try {
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

async function openPglite(dataDir: string): Promise<Database> {
  // Loaded only here: a replica on PostgreSQL need not spend start-up time loading an embedded database.
  const [{ PGlite }, { drizzle: drizzlePglite }, { migrate: migratePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
    import('drizzle-orm/pglite/migrator'),
  ]);
  if (!dataDir.startsWith('memory://')) {
    mkdirSync(dataDir, { recursive: true });
    // A new directory is initialised by a short-lived process, so this one never holds initdb's heap.
    if (!existsSync(join(dataDir, 'PG_VERSION'))) {
      await promisify(execFile)(process.execPath, [projectFile('src', 'storage', 'pglite-initdb.mjs'), dataDir]);
    }
  }
  const client = await PGlite.create(dataDir, { startParams: [...PGlite.defaultStartParams, ...PGLITE_SETTINGS] });
  const pglite = drizzlePglite(client, { schema });
  await migratePglite(pglite, { migrationsFolder });
  return { db: pglite as unknown as Db, kind: 'pglite', close: () => client.close() };
}

/** Empties every table (tests only): TRUNCATE bypasses the audit log's row-level append-only guard. */
export async function truncateAll(db: Db): Promise<void> {
  await db.execute(
    sql`TRUNCATE audit_log, configs, modes, schema_references, subject_versions, schemas, catalog_entries, rule_settings RESTART IDENTITY CASCADE`,
  );
  await db.execute(sql`ALTER SEQUENCE schema_ids RESTART WITH 1`);
}
