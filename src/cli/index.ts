// `accord <command>`: every command is declared here; only this file exits the process.
// Exit codes: 0 clean, 1 findings (or a failed registration), 2 usage or connection errors.
import { UsageError } from './contracts.js';

interface Command {
  description: string;
  usage: string;
  run(args: string[]): Promise<number | 'running'>;
}

/** Reads `--name value` / `--name=value` flags into an object; bare words go to `_` (positional). */
function flags(args: string[], known: string[]): Record<string, string> & { _: string[]; all: Record<string, string[]> } {
  const out = Object.assign(Object.create(null) as Record<string, string>, { _: [] as string[], all: {} as Record<string, string[]> });
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('--')) {
      out._.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = eq > 0 ? arg.slice(2, eq) : arg.slice(2);
    if (!known.includes(name)) throw new UsageError(`Unknown flag --${name}`);
    let value: string | undefined;
    if (eq > 0) value = arg.slice(eq + 1);
    else {
      value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`Flag ${arg} needs a value`);
      i++;
    }
    out[name] = value;
    (out.all[name] ??= []).push(value);
  }
  return out;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T, flag: string): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}`);
  return value as T;
}

const commands: Record<string, Command> = {
  serve: {
    description: 'Serve the registry over HTTP (PGlite in ./data unless DATABASE_URL is set).',
    usage: 'accord serve [--port N] [--host H] [--database-url URL] [--data-dir DIR]',
    async run(args) {
      const f = flags(args, ['port', 'host', 'database-url', 'data-dir']);
      if (f._.length) throw new UsageError(`Unexpected argument '${f._[0]}'`);
      const { serve } = await import('./serve.js');
      return serve({ port: f.port, host: f.host, databaseUrl: f['database-url'], dataDir: f['data-dir'] });
    },
  },
  check: {
    description: 'Check a contracts directory: compatibility at each subject\'s level and the governance rules.',
    usage: 'accord check [DIR] (--registry URL | --against GIT_REF) [--format text|json|github] [--fail-on error|warn]',
    async run(args) {
      const f = flags(args, ['registry', 'against', 'format', 'fail-on']);
      const { check, failing } = await import('./check.js');
      const { printFindings, OUTPUT_FORMATS } = await import('./printers.js');
      const format = oneOf(f.format, OUTPUT_FORMATS, 'text', 'format');
      const failOn = oneOf(f['fail-on'], ['error', 'warn'] as const, 'error', 'fail-on');
      const findings = await check({ dir: f._[0] ?? '.', registry: f.registry ?? process.env.ACCORD_REGISTRY, against: f.against });
      const out = printFindings(findings, format);
      if (out) console.log(out);
      return failing(findings, failOn) ? 1 : 0;
    },
  },
  codegen: {
    description: 'Generate a typed TypeScript module per subject: a type per version, encode/decode, upcasters.',
    usage: 'accord codegen --registry URL (--subject S [--subject S2 ...] | --prefix P) --out DIR [--runtime-import accord/sdk/codegen]',
    async run(args) {
      const f = flags(args, ['registry', 'subject', 'prefix', 'out', 'runtime-import']);
      const registry = f.registry ?? process.env.ACCORD_REGISTRY;
      if (!registry) throw new UsageError('Give --registry URL');
      if (!f.out) throw new UsageError('Give --out DIR');
      const { codegen } = await import('./codegen.js');
      const { ACCORD_VERSION } = await import('../version.js');
      const result = await codegen({
        registry,
        subjects: f.all.subject ?? [],
        prefix: f.prefix,
        out: f.out,
        runtimeImport: f['runtime-import'] ?? 'accord/sdk/codegen',
        accordVersion: ACCORD_VERSION,
      });
      for (const path of result.written) console.log(`wrote ${path}`);
      for (const path of result.kept) console.log(`kept ${path} (yours: never overwritten)`);
      return 0;
    },
  },
  push: {
    description: 'Register every contract of a directory (in reference order) and write its catalog entries.',
    usage: 'accord push [DIR] --registry URL',
    async run(args) {
      const f = flags(args, ['registry']);
      const registry = f.registry ?? process.env.ACCORD_REGISTRY;
      if (!registry) throw new UsageError('Give --registry URL');
      const { push, printPush } = await import('./push.js');
      const results = await push({ dir: f._[0] ?? '.', registry });
      console.log(printPush(results));
      return results.every((r) => r.ok) ? 0 : 1;
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
    const { ConnectionError } = await import('./registry-client.js');
    const { StartupError } = await import('../config.js');
    if (err instanceof UsageError || err instanceof ConnectionError || err instanceof StartupError) {
      console.error(`accord ${name}: ${err.message}${err instanceof UsageError ? `\n${command.usage}` : ''}`);
      process.exit(2);
    }
    console.error(`accord ${name}:`, err);
    process.exit(2);
  }
}

await main(process.argv.slice(2));
