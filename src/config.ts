// Server configuration from the environment; CLI flags override these.
import type { LogLevel } from './http/observability.js';

const LOG_LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

function logLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw === '') return 'info';
  if (!LOG_LEVELS.includes(raw as LogLevel)) throw new Error(`ACCORD_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${raw}'`);
  return raw as LogLevel;
}

export interface ServerConfig {
  port: number;
  host: string;
  /** PostgreSQL URL; when absent, embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  /** PGlite data directory, or `memory://` to keep everything in memory. */
  dataDir: string;
  /** Connections to PostgreSQL per process (ignored for PGlite, which has one). */
  poolSize: number;
  maxBodyBytes: number;
  maxSchemaDepth: number;
  /** debug, info (one JSON line per request), warn, error or silent. */
  logLevel: LogLevel;
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
    poolSize: Math.max(1, integer(env, 'ACCORD_DB_POOL_SIZE', 20)),
    maxBodyBytes: integer(env, 'ACCORD_MAX_BODY_BYTES', 1024 * 1024),
    maxSchemaDepth: integer(env, 'ACCORD_MAX_SCHEMA_DEPTH', 64),
    logLevel: logLevel(env.ACCORD_LOG_LEVEL),
  };
}
