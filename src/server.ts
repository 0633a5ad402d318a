// Wires database, registry and HTTP together and serves them.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { projectFile } from './paths.js';
import type { Server as HttpServer } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import type { ServerConfig } from './config.js';
import { StartupError } from './errors.js';
import { createApp } from './http/app.js';
import { loadAuth, type Auth } from './auth/settings.js';
import { clientAddress, clientCertificatePrincipal } from './auth/transport.js';
import type { TransportPrincipal } from './http/guard.js';
import { reloadTlsOnChange, tlsServerOptions } from './http/tls.js';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import type { Context } from 'hono';
import { answerClientErrors } from './http/client-errors.js';
import { drainable } from './http/drain.js';
import { Registry } from './registry/registry.js';
import { schemaWork } from './registry/schema-workers.js';
import { upgradeStoredSchemas } from './registry/upgrades.js';
import { openDatabase, SHIPPED_MIGRATIONS, type Database } from './storage/database.js';
import { jsonLogger, Metrics, type LogLevel } from './http/observability.js';
import { CHANGES_CHANNEL, parseChange, Store } from './storage/store.js';
import type { Subject } from './registry/identifiers.js';


import { ACCORD_VERSION } from './version.js';

// Node loads its web Response (undici) the first time the global is touched, about 30 ms: touched here, while the
// server's modules load beside a starting database, rather than on the first request.
void Response;

let openapi: Record<string, unknown> | undefined;
/** The OpenAPI document; the YAML parser is loaded only when first asked (start-up need not wait for it). */
export function loadOpenApi(): Record<string, unknown> {
  if (!openapi) {
    const { parse } = createRequire(import.meta.url)('yaml') as typeof import('yaml');
    openapi = parse(readFileSync(projectFile('contracts', 'accord.openapi.yaml'), 'utf8')) as Record<string, unknown>;
  }
  return openapi;
}

export interface RunningServer {
  url: string;
  port: number;
  registry: Registry;
  database: Database;
  close(): Promise<void>;
}

/** Builds the app over an open database (tests reuse one database across several apps). */
export function buildApp(
  database: Database,
  config: Pick<ServerConfig, 'maxBodyBytes' | 'maxSchemaDepth' | 'limits' | 'schemaWork' | 'modeMutability'> & {
    logLevel?: LogLevel;
    auth?: Auth | undefined;
    transportPrincipal?: TransportPrincipal | undefined;
    clientAddress?: ((c: Context) => string | undefined) | undefined;
  },
) {
  const store = new Store(database.db, database.kind === 'pglite');
  const registry = new Registry(store, {
    maxSchemaDepth: config.maxSchemaDepth,
    limits: config.limits,
    work: schemaWork(config.schemaWork),
    modeMutability: config.modeMutability,
  });
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
      else if (change?.kind === 'context') registry.forgetCachedSchemas();
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
      ['accord_parsed_schema_cache_hits_total', 'Parsed-schema cache hits since start.', registry.cache.hits, 'counter'],
      ['accord_parsed_schema_cache_misses_total', 'Parsed-schema cache misses since start.', registry.cache.misses, 'counter'],
      ['accord_schema_tasks_killed_total', 'Schema parses and checks killed for exceeding their time or memory limit, since start.', registry.work.killed, 'counter'],
    ];
  });
  const logger = jsonLogger(config.logLevel ?? 'info');
  const app = createApp(registry, {
    logger,
    auth: config.auth,
    transportPrincipal: config.transportPrincipal,
    clientAddress: config.clientAddress,
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
export async function startServer(
  config: Omit<ServerConfig, 'logLevel' | 'poolSize' | 'connectTimeoutSeconds'> & {
    logLevel?: LogLevel;
    poolSize?: number;
    connectTimeoutSeconds?: number;
    /** Authentication already loaded (tests); else read from `authConfig`. */
    auth?: Auth | undefined;
    /** How often the TLS files are checked for a change (tests shorten it). */
    tlsReloadIntervalMs?: number;
  },
  database?: Database,
): Promise<RunningServer> {
  // Read first: a broken auth file stops the start before any database is opened.
  const auth = config.auth ?? (config.authConfig ? loadAuth(config.authConfig, usersFileWarning(config.logLevel ?? 'warn')) : undefined);
  const tlsOptions = config.tls ? tlsServerOptions(config.tls) : undefined;
  const transportPrincipal = clientCertificatePrincipal({
    mtls: config.tls?.clientCa !== undefined,
    trustedProxies: config.trustedProxies,
    clientCertHeader: config.clientCertHeader,
  });
  const db =
    database ??
    (await openDatabase({
      url: config.databaseUrl,
      dataDir: config.dataDir,
      poolSize: config.poolSize,
      connectTimeoutMs: (config.connectTimeoutSeconds ?? 30) * 1000,
    }));
  const { registry, app } = buildApp(db, { ...config, auth, transportPrincipal, clientAddress: clientAddress(config.trustedProxies), logLevel: config.logLevel ?? 'warn' });
  const logger = jsonLogger(config.logLevel ?? 'warn');
  try {
    await upgradeStoredSchemas(registry.store, config.maxSchemaDepth, (message) => logger.log('info', message));
  } catch (err) {
    // Nothing is listening yet: release the workers and the database so a failed start exits instead of hanging.
    await registry.close();
    if (!database) await db.close();
    throw err;
  }
  const server = (
    tlsOptions ? createAdaptorServer({ fetch: app.fetch, createServer: createHttpsServer, serverOptions: tlsOptions }) : createAdaptorServer({ fetch: app.fetch })
  ) as HttpServer;
  const stopWatching = config.tls ? reloadTlsOnChange(server as unknown as HttpsServer, config.tls, logger, config.tlsReloadIntervalMs) : () => {};
  answerClientErrors(server);
  const stopping = drainable(server);
  try {
    await listen(server, config.port, config.host);
  } catch (err) {
    stopWatching();
    if (!database) await db.close();
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    url: `${tlsOptions ? 'https' : 'http'}://${host}:${port}`,
    port,
    registry,
    database: db,
    close: async () => {
      stopWatching();
      await stopping.drain();
      await registry.close();
      if (!database) await db.close();
    },
  };
}

/** A users file that stopped parsing after start is logged; the users read before stay in force. */
const usersFileWarning = (level: LogLevel) => (message: string) => jsonLogger(level).log('warn', 'users file not reloaded', { detail: message });

/** Listens, or fails with a StartupError naming the setting to change (a port in use, an address not on this host). */
function listen(server: HttpServer, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (err: NodeJS.ErrnoException) => {
      const at = `${host}:${port}`;
      const reason: Record<string, string> = {
        EADDRINUSE: `port ${port} is already in use on ${host}; stop what is using it, or set PORT (--port) to another port`,
        EACCES: `not permitted to listen on ${at}; set PORT (--port) to a port above 1023, or run with the right to bind this one`,
        EADDRNOTAVAIL: `cannot listen on ${at}: ${host} is not an address of this machine; set HOST (--host), e.g. 0.0.0.0 or 127.0.0.1`,
        ENOTFOUND: `cannot listen on ${at}: the host name ${host} does not resolve; set HOST (--host), e.g. 0.0.0.0 or 127.0.0.1`,
        EAI_AGAIN: `cannot listen on ${at}: the host name ${host} does not resolve; set HOST (--host), e.g. 0.0.0.0 or 127.0.0.1`,
      };
      reject(err.code && reason[err.code] ? new StartupError(reason[err.code]) : err);
    };
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}
