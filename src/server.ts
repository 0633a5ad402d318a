// Wires database, registry and HTTP together and serves them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { parse as parseYaml } from 'yaml';
import type { ServerConfig } from './config.js';
import { createApp } from './http/app.js';
import { Registry } from './registry/registry.js';
import { openDatabase, type Database } from './storage/database.js';
import { Store } from './storage/store.js';

const root = (p: string) => fileURLToPath(new URL(`../${p}`, import.meta.url));

import { ACCORD_VERSION } from './version.js';

let openapi: Record<string, unknown> | undefined;
export function loadOpenApi(): Record<string, unknown> {
  return (openapi ??= parseYaml(readFileSync(root('contracts/accord.openapi.yaml'), 'utf8')) as Record<string, unknown>);
}

export interface RunningServer {
  url: string;
  port: number;
  registry: Registry;
  database: Database;
  close(): Promise<void>;
}

/** Builds the app over an open database (tests reuse one database across several apps). */
export function buildApp(database: Database, config: Pick<ServerConfig, 'maxBodyBytes' | 'maxSchemaDepth'>) {
  const registry = new Registry(new Store(database.db, database.kind === 'pglite'), { maxSchemaDepth: config.maxSchemaDepth });
  const app = createApp(registry, {
    maxBodyBytes: config.maxBodyBytes,
    info: { version: ACCORD_VERSION, commitId: process.env.ACCORD_COMMIT ?? 'unknown', clusterId: 'accord', openapi: loadOpenApi },
  });
  return { registry, app };
}

export async function startServer(config: ServerConfig, database?: Database): Promise<RunningServer> {
  const db = database ?? (await openDatabase({ url: config.databaseUrl, dataDir: config.dataDir }));
  const { registry, app } = buildApp(db, config);
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
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!database) await db.close();
    },
  };
}
