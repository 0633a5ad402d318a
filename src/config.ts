// Server configuration from the environment; CLI flags override these.

export interface ServerConfig {
  port: number;
  host: string;
  /** PostgreSQL URL; when absent, embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** PGlite data directory, or `memory://` to keep everything in memory. */
  dataDir: string;
  maxBodyBytes: number;
  maxSchemaDepth: number;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, got '${raw}'`);
  return value;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: integer(env, 'PORT', 8081),
    host: env.HOST || '0.0.0.0',
    databaseUrl: env.DATABASE_URL || undefined,
    dataDir: env.ACCORD_DATA_DIR || './data',
    maxBodyBytes: integer(env, 'ACCORD_MAX_BODY_BYTES', 1024 * 1024),
    maxSchemaDepth: integer(env, 'ACCORD_MAX_SCHEMA_DEPTH', 64),
  };
}
