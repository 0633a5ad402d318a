// Server configuration from the environment; CLI flags override these.
import { isIP } from 'node:net';
import { StartupError } from './errors.js';
import { DEFAULT_LIMITS, LIMIT_SETTINGS, type SchemaLimits } from './formats/limits.js';
import type { LogLevel } from './http/observability.js';
import type { TlsConfig } from './http/tls.js';
import { DEFAULT_SCHEMA_WORK, SCHEMA_WORK_SETTINGS, type SchemaWorkOptions } from './settings.js';

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
  /** Worker threads that parse and check client schemas, and each task's time and memory limit; defaults when absent. */
  schemaWork?: SchemaWorkOptions | undefined;
  /** debug, info (one JSON line per request), warn, error or silent. */
  logLevel: LogLevel;
  /** The auth file (ACCORD_AUTH_CONFIG): users, tokens, OIDC, role bindings. Absent: no authentication, as before. */
  authConfig?: string | undefined;
  /** Serve HTTPS with these PEM files (re-read when they change); absent: plain HTTP. */
  tls?: TlsConfig | undefined;
  /** Peers (addresses, CIDR ranges) whose forwarded headers are believed: a TLS-terminating proxy. */
  trustedProxies?: string[] | undefined;
  /** The header in which a trusted proxy passes the verified client certificate's subject (e.g. x-ssl-client-s-dn). */
  clientCertHeader?: string | undefined;
  /** Whether PUT and DELETE /mode may change modes (Confluent's mode.mutability); default true. */
  modeMutability?: boolean | undefined;
}

function tlsConfig(env: NodeJS.ProcessEnv): TlsConfig | undefined {
  const cert = env.ACCORD_TLS_CERT || undefined;
  const key = env.ACCORD_TLS_KEY || undefined;
  const clientCa = env.ACCORD_TLS_CLIENT_CA || undefined;
  const required = env.ACCORD_TLS_CLIENT_CERT || 'optional';
  if (!cert && !key) {
    if (clientCa) throw new StartupError('ACCORD_TLS_CLIENT_CA needs ACCORD_TLS_CERT and ACCORD_TLS_KEY (client certificates are a TLS feature)');
    return undefined;
  }
  if (!cert || !key) throw new StartupError(`ACCORD_TLS_CERT and ACCORD_TLS_KEY go together; ${cert ? 'ACCORD_TLS_KEY' : 'ACCORD_TLS_CERT'} is not set`);
  if (required !== 'optional' && required !== 'required') throw new StartupError(`ACCORD_TLS_CLIENT_CERT must be optional or required, got '${required}'`);
  if (required === 'required' && !clientCa) throw new StartupError('ACCORD_TLS_CLIENT_CERT=required needs ACCORD_TLS_CLIENT_CA (the CA that signs client certificates)');
  return { cert, key, clientCa, requireClientCert: required === 'required' };
}

/** ACCORD_TRUSTED_PROXIES: comma-separated addresses or CIDR ranges, checked here so a typo stops the start. */
function trustedProxies(raw: string | undefined): string[] | undefined {
  if (!raw) return undefined;
  const entries = raw.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const family = isIP(address ?? '');
    const maxBits = family === 6 ? 128 : 32;
    if (!family || extra !== undefined || (bits !== undefined && !(/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits))) {
      throw new StartupError(`ACCORD_TRUSTED_PROXIES: '${entry}' is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1)`);
    }
  }
  return entries;
}

function headerName(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  if (!/^[A-Za-z0-9-]{1,100}$/.test(raw)) throw new StartupError(`ACCORD_CLIENT_CERT_HEADER must be a header name, got '${raw}'`);
  return raw.toLowerCase();
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

function boolean(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new StartupError(`${name} must be true or false, got '${env[name]}'`);
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

/** Each limit from its ACCORD_MAX_… setting, else its default. */
function schemaLimits(env: NodeJS.ProcessEnv): SchemaLimits {
  const entries = (Object.keys(DEFAULT_LIMITS) as (keyof SchemaLimits)[]).map((key) => [key, integer(env, LIMIT_SETTINGS[key], DEFAULT_LIMITS[key])]);
  return Object.fromEntries(entries) as SchemaLimits;
}

export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  if (env.ACCORD_CLIENT_CERT_HEADER && !env.ACCORD_TRUSTED_PROXIES) {
    throw new StartupError('ACCORD_CLIENT_CERT_HEADER needs ACCORD_TRUSTED_PROXIES: the header is believed only from the proxies named there');
  }
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
    schemaWork: {
      workers: integer(env, SCHEMA_WORK_SETTINGS.workers, DEFAULT_SCHEMA_WORK.workers, 256),
      // setTimeout's longest delay (about 24.8 days): a longer one would fire at once.
      taskTimeoutMs: Math.max(1, integer(env, SCHEMA_WORK_SETTINGS.taskTimeoutMs, DEFAULT_SCHEMA_WORK.taskTimeoutMs, 2_147_483_647)),
      taskMemoryMb: Math.max(16, integer(env, SCHEMA_WORK_SETTINGS.taskMemoryMb, DEFAULT_SCHEMA_WORK.taskMemoryMb)),
    },
    logLevel: logLevel(env.ACCORD_LOG_LEVEL),
    authConfig: env.ACCORD_AUTH_CONFIG || undefined,
    tls: tlsConfig(env),
    trustedProxies: trustedProxies(env.ACCORD_TRUSTED_PROXIES),
    clientCertHeader: headerName(env.ACCORD_CLIENT_CERT_HEADER),
    modeMutability: boolean(env, 'ACCORD_MODE_MUTABILITY', true),
  };
}
