// `accord <command>`: every command is declared here; only this file exits the process.
import { configFromEnv, type ServerConfig } from '../config.js';

interface Command {
  description: string;
  usage: string;
  run(args: string[]): Promise<number | 'running'>;
}

/** Reads `--name value` / `--name=value` flags into an object. */
function flags(args: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) throw new UsageError(`Unexpected argument '${arg}'`);
    const eq = arg.indexOf('=');
    if (eq > 0) out[arg.slice(2, eq)] = arg.slice(eq + 1);
    else {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`Flag ${arg} needs a value`);
      out[arg.slice(2)] = value;
      i++;
    }
  }
  return out;
}

class UsageError extends Error {}

const commands: Record<string, Command> = {
  serve: {
    description: 'Serve the registry over HTTP (PGlite in ./data unless DATABASE_URL is set).',
    usage: 'accord serve [--port N] [--host H] [--database-url URL] [--data-dir DIR]',
    async run(args) {
      const f = flags(args);
      const known = new Set(['port', 'host', 'database-url', 'data-dir']);
      for (const k of Object.keys(f)) if (!known.has(k)) throw new UsageError(`Unknown flag --${k}`);
      const env = { ...process.env };
      if (f.port) env.PORT = f.port;
      if (f.host) env.HOST = f.host;
      if (f['database-url']) env.DATABASE_URL = f['database-url'];
      if (f['data-dir']) env.ACCORD_DATA_DIR = f['data-dir'];
      const config: ServerConfig = configFromEnv(env);
      const started = performance.now();
      const { startServer } = await import('../server.js');
      const server = await startServer(config);
      const storage = config.databaseUrl ? 'PostgreSQL' : `PGlite (${config.dataDir})`;
      console.log(`accord: serving on http://${config.host}:${server.port} with ${storage}, ready in ${Math.round(performance.now() - started)} ms`);
      const stop = async () => {
        await server.close();
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      return 'running';
    },
  },
};

function help(): string {
  return ['Usage: accord <command> [flags]', '', 'Commands:', ...Object.entries(commands).map(([name, c]) => `  ${name.padEnd(10)} ${c.description}\n             ${c.usage}`)].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help') {
    console.log(help());
    process.exit(name ? 0 : 2);
  }
  const command = commands[name];
  if (!command) {
    console.error(`accord: unknown command '${name}'\n\n${help()}`);
    process.exit(2);
  }
  try {
    const code = await command.run(args);
    if (code !== 'running') process.exit(code);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`accord ${name}: ${err.message}\n${command.usage}`);
      process.exit(2);
    }
    console.error(`accord ${name}:`, err);
    process.exit(2);
  }
}

await main(process.argv.slice(2));
