// Server configuration from the environment; CLI flags override these.
import type { LogLevel } from './http/observability.js';
import { DEFAULT_LIMITS, LIMIT_SETTINGS, type SchemaLimits } from './formats/limits.js';

/**
 * A start-up failure that a person fixes by changing a setting or their environment (a malformed PORT, a port in use,
 * an unreachable database): its message is one line naming the problem and the setting to change, and `accord serve`
 * prints it without a stack trace and exits with status 2.
 */
export class StartupError extends Error {}

const LOG_LEVELS: LogLevel[] = ['debug', 'info', 'warn', 'error', 'silent'];

function logLevel(raw: string | undefined): LogLevel {
  if (raw === undefined || raw === '') return 'info';
  if (!LOG_LEVELS.includes(raw as LogLevel)) throw new StartupError(`ACCORD_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got '${raw}'`);
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
  /** How long the first connection to PostgreSQL is retried, in seconds (PostgreSQL may be starting beside Accord). */
  connectTimeoutSeconds: number;
  maxBodyBytes: number;
  maxSchemaDepth: number;
  /** Size limits on schemas clients send (fields, union branches, enum symbols, references, names, types); defaults when absent. */
  limits?: SchemaLimits | undefined;
  /** debug, info (one JSON line per request), warn, error or silent. */
  logLevel: LogLevel;
  /** The auth file (ACCORD_AUTH_CONFIG): users, tokens, OIDC, role bindings. Absent: no authentication, as before. */
  authConfig?: string | undefined;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isSafeInteger(value) || value > max) {
    const setting = name === 'PORT' ? 'PORT (--port)' : name;
    throw new StartupError(`${setting} must be ${max === 65_535 ? 'a port number from 0 to 65535' : 'a non-negative integer'}, got '${raw}'`);
  }
  return value;
}

/** A PostgreSQL URL, checked: another scheme (mysql://, a file path) must not be taken for PostgreSQL. */
function databaseUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'postgres:' && url?.protocol !== 'postgresql:') {
    // The value itself is not repeated: it may hold a password.
    const got = url ? `a ${url.protocol}// URL` : 'something that is not a URL';
    throw new StartupError(`DATABASE_URL (--database-url) must be a postgres:// or postgresql:// URL, got ${got}; fix it, or unset it to use the embedded database (PGlite)`);
  }
  return raw;
}

/** The URL without its password, for messages and logs. */
export function redactedUrl(raw: string): string {
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

/** Each limit from its ACCORD_MAX_… setting, else its default. */
function schemaLimits(env: NodeJS.ProcessEnv): SchemaLimits {
  const entries = (Object.keys(DEFAULT_LIMITS) as (keyof SchemaLimits)[]).map((key) => [key, integer(env, LIMIT_SETTINGS[key], DEFAULT_LIMITS[key])]);
  return Object.fromEntries(entries) as SchemaLimits;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  return {
    port: integer(env, 'PORT', 8081, 65_535),
    host: env.HOST || '0.0.0.0',
    databaseUrl: databaseUrl(env.DATABASE_URL),
    dataDir: env.ACCORD_DATA_DIR || './data',
    poolSize: Math.max(1, integer(env, 'ACCORD_DB_POOL_SIZE', 20)),
    connectTimeoutSeconds: integer(env, 'ACCORD_DB_CONNECT_TIMEOUT', 30),
    maxBodyBytes: integer(env, 'ACCORD_MAX_BODY_BYTES', 1024 * 1024),
    maxSchemaDepth: integer(env, 'ACCORD_MAX_SCHEMA_DEPTH', 64),
    limits: schemaLimits(env),
    logLevel: logLevel(env.ACCORD_LOG_LEVEL),
    authConfig: env.ACCORD_AUTH_CONFIG || undefined,
  };
}
