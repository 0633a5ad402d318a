// `accord serve`: reads the configuration, opens the database, serves until SIGINT or SIGTERM, then drains.
// Start-up failures a person can fix (a setting, a port in use, an unreachable database) are StartupErrors: one line.
import { configFromEnv, type ServerConfig } from '../config.js';
import type { RunningServer } from '../server.js';
import type { Database } from '../storage/database.js';

/** Flags that override the environment's settings. */
export interface ServeFlags {
  port?: string | undefined;
  host?: string | undefined;
  databaseUrl?: string | undefined;
  dataDir?: string | undefined;
}

/** After this long without an answer, start-up says what it is doing (once). */
const SLOW_START_MS = 1000;

export async function serve(flags: ServeFlags): Promise<'running'> {
  const env = { ...process.env };
  if (flags.port !== undefined) env.PORT = flags.port;
  if (flags.host !== undefined) env.HOST = flags.host;
  if (flags.databaseUrl !== undefined) env.DATABASE_URL = flags.databaseUrl;
  if (flags.dataDir !== undefined) env.ACCORD_DATA_DIR = flags.dataDir;
  const config: ServerConfig = configFromEnv(env);
  const started = performance.now();
  // Start-up, stopping and the users file's reloads are logged as every other line is (JSON; readable on a terminal),
  // at any level but silent.
  const { jsonLogger } = await import('../http/observability.js');
  const lifecycle = jsonLogger(config.logLevel === 'silent' ? 'silent' : 'info');
  const say = (line: string, level: 'info' | 'warn' = 'info') => lifecycle.log(level, `accord: ${line}`);
  // A broken auth file stops the start before the database is opened: its error is the only line printed.
  const auth = config.authConfig ? (await import('../auth/settings.js')).loadAuth(config.authConfig, (message) => say(`users file not reloaded: ${message}`, 'warn')) : undefined;

  let step = 'loading';
  let toldStep = false;
  const tell = () => {
    if (toldStep) return;
    toldStep = true;
    say(`starting: ${step}…`);
  };
  // The timer alone is not enough: a step that keeps the event loop busy (instantiating PGlite) delays it.
  const slow = setTimeout(tell, SLOW_START_MS);
  // The database starts while the server's modules load: PGlite's WebAssembly compiles on other threads meanwhile.
  const { openDatabase } = await import('../storage/database.js');
  const opening = openDatabase({
    url: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.poolSize,
    connectTimeoutMs: config.connectTimeoutSeconds * 1000,
    progress: (event) => {
      if (event.kind === 'retry') say(event.message, 'warn');
      else {
        step = event.message;
        if (performance.now() - started > SLOW_START_MS) tell();
      }
    },
  });
  const loading = import('../server.js');
  loading.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled meanwhile
  let database: Database;
  let server: RunningServer;
  try {
    database = await opening;
    try {
      const { startServer } = await loading;
      server = await startServer({ ...config, auth }, database);
    } catch (err) {
      await database.close();
      throw err;
    }
  } finally {
    clearTimeout(slow);
  }
  // Signals are handled from the moment the server listens: a SIGTERM arriving while the lines below are written
  // (they await a module) would otherwise end the process without draining.
  let stoppingSince: number | undefined;
  const stop = async (signal: string) => {
    if (stoppingSince !== undefined) {
      // Ctrl-C under `npm start` arrives twice (the terminal signals the whole process group, and npm forwards it):
      // a repeat within a second is that echo. A later one means the person wants out now.
      if (Date.now() - stoppingSince < 1000) return;
      say(`${signal} again: stopping now`);
      process.exit(1);
    }
    stoppingSince = Date.now();
    clearInterval(watchingParent);
    say(`${signal}: finishing requests in progress, then stopping`);
    try {
      await server.close();
      await database.close();
    } catch (err) {
      say(`stopping: ${(err as Error).message}`, 'warn');
      process.exit(1);
    }
    say('stopped', 'info');
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  // Under npx, npm runs Accord through a shell that does not pass a SIGTERM on: npm exits, the shell dies, and the
  // server would be left serving, orphaned. Started by npm, a server whose parent has gone stops as on SIGTERM. (Not
  // otherwise: `nohup accord serve &` must outlive its shell.)
  const parent = process.ppid;
  const watchingParent = process.env.npm_command
    ? setInterval(() => process.ppid !== parent && void stop('the npm process that started it exited'), 250).unref()
    : undefined;
  // Requests are logged at the configured level (ACCORD_LOG_LEVEL, default info).
  const storage = config.databaseUrl ? 'PostgreSQL' : `PGlite (${config.dataDir})`;
  // The line keeps its shape (scripts read the URL from it); what protects the server follows it.
  const security = auth ? `, authentication on (${config.authConfig})` : '';
  lifecycle.log('info', `accord: serving on ${config.tls ? 'https' : 'http'}://${config.host}:${server.port} with ${storage}${security}`, {
    readyMs: Math.round(performance.now() - started),
  });
  // The schema workers start once the server answers, so the first registration does not wait for one.
  server.registry.work.warm();

  return 'running';
}
