// Wires database, registry and HTTP together and serves them.
import { readFileSync } from 'node:fs';
import { projectFile } from './paths.js';
import type { Server as HttpServer } from 'node:http';
import { serve, type ServerType } from '@hono/node-server';
import { parse as parseYaml } from 'yaml';
import type { ServerConfig } from './config.js';
import { createApp } from './http/app.js';
import { Registry } from './registry/registry.js';
import { openDatabase, SHIPPED_MIGRATIONS, type Database } from './storage/database.js';
import { jsonLogger, Metrics, type LogLevel } from './http/observability.js';
import { CHANGES_CHANNEL, parseChange, Store } from './storage/store.js';
import type { Subject } from './registry/identifiers.js';


import { ACCORD_VERSION } from './version.js';

let openapi: Record<string, unknown> | undefined;
export function loadOpenApi(): Record<string, unknown> {
  return (openapi ??= parseYaml(readFileSync(projectFile('contracts', 'accord.openapi.yaml'), 'utf8')) as Record<string, unknown>);
}

/**
 * Graceful stop: no new connections, in-flight requests finish, idle keep-alive connections are closed as they
 * appear, and whatever is still open after `graceMs` is cut.
 */
async function drain(server: HttpServer, graceMs = 10_000): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  const sweep = setInterval(() => server.closeIdleConnections(), 50);
  const deadline = setTimeout(() => server.closeAllConnections(), graceMs);
  server.closeIdleConnections();
  await closed;
  clearInterval(sweep);
  clearTimeout(deadline);
}

export interface RunningServer {
  url: string;
  port: number;
  registry: Registry;
  database: Database;
  close(): Promise<void>;
}

/** Builds the app over an open database (tests reuse one database across several apps). */
export function buildApp(database: Database, config: Pick<ServerConfig, 'maxBodyBytes' | 'maxSchemaDepth'> & { logLevel?: LogLevel }) {
  const store = new Store(database.db, database.kind === 'pglite');
  const registry = new Registry(store, { maxSchemaDepth: config.maxSchemaDepth });
  // Other replicas' changes: a delete may have made ids unreadable or registration answers untrue; a settings write
  // changes config or mode. While the listening connection was down, notices may have been missed: forget everything.
  const forgetAll = () => {
    store.settingsCache.clear();
    registry.forgetCachedAnswers();
  };
  void database.listen?.(
    CHANGES_CHANNEL,
    (payload) => {
      const change = parseChange(payload);
      if (change?.kind === 'deletion') registry.forgetDeletion(change.subject as Subject, change.permanent);
      else if (change?.kind === 'settings') store.settingsCache.clear();
      else forgetAll(); // a notice this version does not know (a replica of another version, mid-upgrade)
    },
    forgetAll,
  );
  const metrics = new Metrics();
  metrics.addGauges(async () => {
    const counts = await store.counts();
    return [
      ['accord_schemas', 'Distinct schemas (global ids).', counts.schemas],
      ['accord_subjects', 'Subjects with a live version.', counts.subjects],
      ['accord_parsed_schema_cache_entries', 'Parsed schemas held in memory.', registry.cache.size],
      ['accord_parsed_schema_cache_hits', 'Parsed-schema cache hits since start.', registry.cache.hits],
      ['accord_parsed_schema_cache_misses', 'Parsed-schema cache misses since start.', registry.cache.misses],
    ];
  });
  const app = createApp(registry, {
    logger: jsonLogger(config.logLevel ?? 'info'),
    metrics,
    ready: async () => {
      const applied = await store.appliedMigrations();
      return applied >= SHIPPED_MIGRATIONS ? { ok: true } : { ok: false, detail: `${applied} of ${SHIPPED_MIGRATIONS} migrations applied` };
    },
    maxBodyBytes: config.maxBodyBytes,
    info: { version: ACCORD_VERSION, commitId: process.env.ACCORD_COMMIT ?? 'unknown', clusterId: 'accord', openapi: loadOpenApi },
  });
  return { registry, app };
}

/** Starts serving; without a `logLevel` only warnings and errors are logged (tests embed servers). */
export async function startServer(config: Omit<ServerConfig, 'logLevel' | 'poolSize'> & { logLevel?: LogLevel; poolSize?: number }, database?: Database): Promise<RunningServer> {
  const db = database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir, poolSize: config.poolSize }));
  const { registry, app } = buildApp(db, { ...config, logLevel: config.logLevel ?? 'warn' });
  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => resolve(s));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host}:${port}`,
    port,
    registry,
    database: db,
    close: async () => {
      await drain(server as unknown as HttpServer);
      if (!database) await db.close();
    },
  };
}
