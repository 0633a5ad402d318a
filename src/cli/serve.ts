// `accord serve`: reads the configuration, opens the database, serves until SIGINT or SIGTERM.
import { configFromEnv, type ServerConfig } from '../config.js';

/** Flags that override the environment's settings. */
export interface ServeFlags {
  port?: string | undefined;
  host?: string | undefined;
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
}

export async function serve(flags: ServeFlags): Promise<'running'> {
  const env = { ...process.env };
  if (flags.port !== undefined) env.PORT = flags.port;
  if (flags.host !== undefined) env.HOST = flags.host;
  if (flags.databaseUrl !== undefined) env.DATABASE_URL = flags.databaseUrl;
  if (flags.dataDir !== undefined) env.ACCORD_DATA_DIR = flags.dataDir;
  const config: ServerConfig = configFromEnv(env);
  const started = performance.now();
  const { startServer } = await import('../server.js');
  const server = await startServer(config);
  // Requests are logged at the configured level (ACCORD_LOG_LEVEL, default info).
  const storage = config.databaseUrl ? 'PostgreSQL' : `PGlite (${config.dataDir})`;
  const { jsonLogger } = await import('../http/observability.js');
  const logger = jsonLogger(config.logLevel === 'silent' ? 'silent' : 'info');
  logger.log('info', `accord: serving on http://${config.host}:${server.port} with ${storage}`, { readyMs: Math.round(performance.now() - started) });
  const stop = async () => {
    await server.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 'running';
}
