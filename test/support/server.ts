// A real Accord over real HTTP on an ephemeral port, for API and interop suites.
import type { SchemaLimits } from '../../src/formats/limits.js';
import type { SchemaWorkOptions } from '../../src/settings.js';
import { startServer, type RunningServer } from '../../src/server.js';
import { truncateAll, type Database } from '../../src/storage/database.js';
import type { Backend } from './backends.js';

export interface TestServer extends RunningServer {
  /** Empties every table between tests that touch registry-wide state. */
  reset(): Promise<void>;
}

export async function startTestServer(backend: Backend, overrides: { maxBodyBytes?: number; maxSchemaDepth?: number; limits?: SchemaLimits; schemaWork?: SchemaWorkOptions; modeMutability?: boolean } = {}): Promise<TestServer> {
  const database: Database = await backend.open();
  const server = await startServer(
    {
      port: 0,
      host: '127.0.0.1',
      databaseUrl: undefined,
      dataDir: 'memory://',
      maxBodyBytes: overrides.maxBodyBytes ?? 1024 * 1024,
      maxSchemaDepth: overrides.maxSchemaDepth ?? 64,
      limits: overrides.limits,
      schemaWork: overrides.schemaWork,
      modeMutability: overrides.modeMutability,
    },
    database,
  );
  return {
    ...server,
    reset: async () => {
      await truncateAll(database.db);
      server.registry.forgetCachedSchemas();
      server.registry.store.settingsCache.clear();
    },
    close: async () => {
      await server.close();
      await database.close();
    },
  };
}

/** A small client for tests: JSON in, status and JSON out, Confluent's content type by default. */
export function client(baseUrl: string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${baseUrl}${path}`, {
      method,
      headers: { 'content-type': 'application/vnd.schemaregistry.v1+json', ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await res.text();
    let json: any;
    try {
      json = text === '' ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: res.status, json, text, headers: res.headers };
  };
  return {
    call,
    get: (path: string, headers?: Record<string, string>) => call('GET', path, undefined, headers),
    post: (path: string, body?: unknown, headers?: Record<string, string>) => call('POST', path, body, headers),
    put: (path: string, body?: unknown) => call('PUT', path, body),
    delete: (path: string) => call('DELETE', path),
    /** Registers an Avro (or other) schema; `schema` may be an object, serialised for the caller. */
    register: (subject: string, schema: unknown, extra: Record<string, unknown> = {}, query = '') =>
      call('POST', `/subjects/${encodeURIComponent(subject)}/versions${query}`, {
        schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
        ...extra,
      }),
  };
}
