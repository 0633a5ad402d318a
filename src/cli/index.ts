// `accord <command>`: every command is declared here; only this file exits the process.
// Exit codes: 0 clean, 1 findings (or a failed registration), 2 usage or connection errors (and bugs).
import { nearest, oneOf, parseCommandArgs, type CommandSpec, type FlagSpec, type FlagValues } from './args.js';
import { ConnectionError, DataError, UsageError } from './errors.js';
import { StartupError } from '../errors.js';
import { commandHelp, overview, usageLine } from './help.js';
import type { RegistryTarget } from './registry-target.js';

const registryFlag = (what: string): FlagSpec => ({ type: 'string', value: 'URL', description: `${what} (default: $ACCORD_REGISTRY)` });

const REGISTRY_ENV: [string, string][] = [
  ['ACCORD_REGISTRY', 'the default for --registry'],
  ['ACCORD_REGISTRY_USER', 'with ACCORD_REGISTRY_PASSWORD: HTTP Basic credentials (or https://user:password@host/ in the URL)'],
  ['ACCORD_REGISTRY_PASSWORD', "the password (or API secret) for ACCORD_REGISTRY_USER"],
  ['ACCORD_REGISTRY_TOKEN', 'a bearer token for the registry (instead of a user and password)'],
];

/** Where serve, export and import find the registry's database. */
const DATABASE_ENV: [string, string][] = [
  ['DATABASE_URL', 'the default for --database-url'],
  ['ACCORD_DATA_DIR', 'the default for --data-dir'],
];
const databaseOf = (values: FlagValues) => ({ databaseUrl: values['database-url'] as string | undefined, dataDir: values['data-dir'] as string | undefined });

/** Secrets in play (passwords, tokens), scrubbed from anything printed as a last defence. */
const secrets: string[] = [];

/** The registry from --registry, else ACCORD_REGISTRY (unless `fallback` is false), with its credentials. */
async function registryOf(values: FlagValues, env: NodeJS.ProcessEnv, fallback = true, flagName = 'registry'): Promise<RegistryTarget | undefined> {
  const flag = values[flagName] as string | undefined;
  const raw = flag ?? (fallback && env.ACCORD_REGISTRY ? env.ACCORD_REGISTRY : undefined);
  if (raw === undefined) return undefined;
  const userinfo = /\/\/([^/@]*)@/.exec(raw)?.[1];
  if (userinfo?.includes(':')) secrets.push(userinfo.slice(userinfo.indexOf(':') + 1));
  const { registryTarget } = await import('./registry-target.js');
  const target = registryTarget(raw, flag !== undefined ? `--${flagName}` : 'ACCORD_REGISTRY', env);
  secrets.push(...target.secrets);
  return target;
}

/** `--from`'s registry, with its own credential variables (ACCORD_SOURCE_TOKEN, or _USER and _PASSWORD). */
async function sourceOf(raw: string, env: NodeJS.ProcessEnv): Promise<RegistryTarget> {
  const userinfo = /\/\/([^/@]*)@/.exec(raw)?.[1];
  if (userinfo?.includes(':')) secrets.push(userinfo.slice(userinfo.indexOf(':') + 1));
  const { registryTarget, credentialEnvOf } = await import('./registry-target.js');
  const target = registryTarget(raw, '--from', env, credentialEnvOf('SOURCE'));
  secrets.push(...target.secrets);
  return target;
}

const requireRegistry = (target: RegistryTarget | undefined) => {
  if (!target) throw new UsageError('give --registry URL (or set ACCORD_REGISTRY)');
  return target;
};

const commands: Record<string, CommandSpec> = {
  serve: {
    summary: 'Serve the registry over HTTP (PGlite in ./data unless DATABASE_URL is set).',
    synopsis: '[--port N] [--host H] [--database-url URL] [--data-dir DIR]',
    flags: {
      port: { type: 'string', value: 'N', description: 'the port to listen on (default: $PORT, else 8081; 0 picks a free one)' },
      host: { type: 'string', value: 'H', description: 'the interface to listen on (default: $HOST, else 0.0.0.0)' },
      'database-url': { type: 'string', value: 'URL', description: 'a PostgreSQL URL (default: $DATABASE_URL, else embedded PGlite)' },
      'data-dir': { type: 'string', value: 'DIR', description: "PGlite's data directory, or memory:// (default: $ACCORD_DATA_DIR, else ./data)" },
    },
    env: [
      ['PORT, HOST', 'the defaults for --port and --host'],
      ['DATABASE_URL', 'the default for --database-url'],
      ['ACCORD_DATA_DIR', 'the default for --data-dir'],
      ['ACCORD_DB_POOL_SIZE', 'PostgreSQL connections per process (default 20)'],
      ['ACCORD_DB_CONNECT_TIMEOUT', 'seconds to keep retrying the first PostgreSQL connection (default 30)'],
      ['ACCORD_MAX_BODY_BYTES', 'the largest request body accepted (default 1048576)'],
      ['ACCORD_MAX_SCHEMA_DEPTH', 'the deepest schema nesting accepted (default 64)'],
      ['ACCORD_MAX_FIELDS', 'fields in one record or message (default 5000)'],
      ['ACCORD_MAX_UNION_BRANCHES', 'branches of one Avro union (default 500)'],
      ['ACCORD_MAX_ENUM_SYMBOLS', 'symbols or values of one enum (default 10000)'],
      ['ACCORD_MAX_REFERENCES', 'references of one schema (default 1000)'],
      ['ACCORD_MAX_NAME_LENGTH', 'characters in one name (default 1000)'],
      ['ACCORD_MAX_TYPES', 'named types (records, messages, enums, fixed) in one schema (default 2000)'],
      ['ACCORD_MODE_MUTABILITY', 'false refuses every mode change, PUT and DELETE /mode (default true)'],
      ['ACCORD_SCHEMA_WORKERS', 'worker threads that parse and check schemas (default: cores - 1, 1 to 8; 0 runs them on the event loop)'],
      ['ACCORD_SCHEMA_TASK_TIMEOUT_MS', 'longest one parse or compatibility check may run (default 10000)'],
      ['ACCORD_SCHEMA_TASK_MEMORY_MB', 'heap a schema worker may use (default 512)'],
      ['ACCORD_LOG_LEVEL', 'debug, info (default: one JSON line per request), warn, error or silent'],
      ['ACCORD_COMMIT', 'the commit id the server reports'],
      ['ACCORD_AUTH_CONFIG', 'an auth file (users, tokens, OIDC, role bindings): turns authentication on (README: Securing Accord)'],
      ['ACCORD_TLS_CERT, ACCORD_TLS_KEY', 'serve HTTPS with these PEM files (re-read when they change)'],
      ['ACCORD_TLS_CLIENT_CA', 'accept client certificates signed by this CA (mTLS): principal cert:<CN>'],
      ['ACCORD_TLS_CLIENT_CERT', 'optional (default) or required: turn away TLS clients without a valid certificate'],
      ['ACCORD_TRUSTED_PROXIES', 'addresses or CIDR ranges of TLS-terminating proxies whose forwarded headers are believed'],
      ['ACCORD_CLIENT_CERT_HEADER', 'the header in which a trusted proxy passes the verified client certificate subject'],
    ],
    examples: ['accord serve --port 8081', 'accord serve --database-url postgres://accord@db/accord'],
    async run({ values }) {
      const { serve } = await import('./serve.js');
      return serve({
        port: values.port as string | undefined,
        host: values.host as string | undefined,
        ...databaseOf(values),
      });
    },
  },
  check: {
    summary: "Check a contracts directory: compatibility at each subject's level and the governance rules.",
    synopsis: '[DIR] (--registry URL | --against GIT_REF) [--format text|json|github|junit|sarif] [--fail-on error|warn]',
    args: [['DIR', 'the contracts directory, holding accord.yaml (default: .)']],
    flags: {
      registry: registryFlag("check against this registry's versions and settings"),
      against: { type: 'string', value: 'GIT_REF', description: 'check offline, against the contracts as they were at a git branch, tag or commit' },
      format: { type: 'string', value: 'FORMAT', description: 'text (default), json, github (workflow annotations), junit (JUnit XML: GitLab, Jenkins) or sarif (SARIF 2.1.0: code scanning)' },
      'fail-on': { type: 'string', value: 'LEVEL', description: 'exit 1 on error findings (default), or on warn findings too' },
    },
    env: REGISTRY_ENV,
    examples: [
      'accord check contracts --registry http://localhost:8081',
      'accord check contracts --against origin/main --format github',
      'accord check contracts --against origin/main --format junit > accord-check.xml',
      'accord check contracts --against origin/main --format sarif > accord-check.sarif',
    ],
    async run({ values, positionals, env }) {
      const { printFindings, OUTPUT_FORMATS } = await import('./printers.js');
      const format = oneOf(values.format, OUTPUT_FORMATS, 'text', 'format');
      const failOn = oneOf(values['fail-on'], ['error', 'warn'] as const, 'error', 'fail-on');
      const against = values.against as string | undefined;
      if (values.registry !== undefined && against !== undefined) throw new UsageError('give one of --registry or --against, not both');
      // ACCORD_REGISTRY is only a default: --against alone checks offline.
      const registry = await registryOf(values, env, against === undefined);
      if (!registry && against === undefined) throw new UsageError('give --registry URL (or set ACCORD_REGISTRY), or --against GIT_REF to check offline');
      const { check, failing } = await import('./check.js');
      const result = await check({ dir: positionals[0] ?? '.', registry, against });
      for (const note of result.notes) await print('stderr', `accord check: ${note}`);
      const out = printFindings(result, { format, failOn, version: await version() });
      if (out) await print('stdout', out);
      return failing(result.findings, failOn) ? 1 : 0;
    },
  },
  push: {
    summary: 'Register every contract of a directory (in reference order) and write its catalog entries.',
    synopsis: '[DIR] [--registry URL] [--dry-run]',
    args: [['DIR', 'the contracts directory, holding accord.yaml (default: .)']],
    flags: {
      registry: registryFlag('the registry to register into'),
      'dry-run': { type: 'boolean', description: 'say what each contract would do (new version, already registered, incompatible); register and write nothing' },
    },
    env: REGISTRY_ENV,
    examples: ['accord push contracts --dry-run', 'accord push contracts --registry https://registry.example.com'],
    async run({ values, positionals, env }) {
      const registry = requireRegistry(await registryOf(values, env));
      const { push, printPush } = await import('./push.js');
      const report = await push({ dir: positionals[0] ?? '.', registry, dryRun: values['dry-run'] === true });
      for (const note of report.notes) await print('stderr', `accord push: ${note}`);
      if (report.results.length) await print('stdout', printPush(report.results));
      return report.results.every((r) => r.ok) ? 0 : 1;
    },
  },
  migrate: {
    summary: "Copy a Confluent-compatible registry (or a `_schemas` topic dump) into Accord, keeping every id; resumable, verified.",
    synopsis: '(--from URL | --from-topic-dump FILE) [--to URL] [--dry-run] [--force]',
    flags: {
      from: { type: 'string', value: 'URL', description: 'the registry to copy from (Confluent, Karapace, Redpanda, Apicurio ccompat, Accord): read through its public API only' },
      'from-topic-dump': { type: 'string', value: 'FILE', description: "copy the state replayed from a dump of the `_schemas` topic (kafka-console-consumer --property print.key=true, or kcat -K with any separator)" },
      to: registryFlag('the Accord to copy into'),
      'dry-run': { type: 'boolean', description: 'print the plan (versions per subject, what is already there, conflicts) and write nothing' },
      force: { type: 'boolean', description: 'copy despite conflicts: conflicting subjects (and what references them) are left as the target holds them, never overwritten, and listed (exit 1)' },
    },
    env: [
      ...REGISTRY_ENV.map(([name, text]): [string, string] => [name, name === 'ACCORD_REGISTRY' ? 'the default for --to' : `${text} (the target)`]),
      ['ACCORD_SOURCE_TOKEN', "a bearer token for --from's registry"],
      ['ACCORD_SOURCE_USER', "with ACCORD_SOURCE_PASSWORD: HTTP Basic credentials for --from's registry (or user:password in its URL)"],
      ['ACCORD_SOURCE_PASSWORD', 'the password (or API secret) for ACCORD_SOURCE_USER'],
    ],
    examples: [
      'accord migrate --from http://old-registry:8081 --to http://localhost:8081 --dry-run',
      'accord migrate --from https://psrc-x.confluent.cloud --to http://localhost:8081',
      'accord migrate --from-topic-dump schemas.dump --to http://localhost:8081',
    ],
    async run({ values, env }) {
      const fromUrl = values.from as string | undefined;
      const dump = values['from-topic-dump'] as string | undefined;
      if (fromUrl !== undefined && dump !== undefined) throw new UsageError('give one of --from URL or --from-topic-dump FILE, not both');
      if (fromUrl === undefined && dump === undefined) throw new UsageError('give --from URL (the registry to copy) or --from-topic-dump FILE');
      const toTarget = await registryOf(values, env, true, 'to');
      if (!toTarget) throw new UsageError('give --to URL (or set ACCORD_REGISTRY): the Accord to copy into');
      const { RegistryClient } = await import('./registry-client.js');
      const { migrate } = await import('./migrate.js');
      const say = (line: string) => process.stderr.write(`accord migrate: ${line}\n`);
      let state;
      let from;
      if (dump !== undefined) {
        const { readTopicDump } = await import('./topic-dump.js');
        const replay = await readTopicDump(dump);
        state = replay.state;
        const subjects = new Set(state.versions.map((v) => v.subject)).size;
        say(`${dump}: ${replay.records} record(s) replayed: ${state.versions.length} version(s) of ${subjects} subject(s), ${state.schemas.size} id(s)`);
        for (const [type, n] of replay.skipped) say(`${dump}: skipped ${n} record(s) of key type ${type}, which this version does not know`);
      } else {
        from = new RegistryClient(await sourceOf(fromUrl!, env));
      }
      const to = new RegistryClient(toTarget);
      if (from && from.url === to.url) throw new UsageError('--from and --to are the same registry; give the Accord to copy into as --to');
      const result = await migrate({ from, state, to, dryRun: values['dry-run'] === true, force: values.force === true, say });
      await print('stdout', result.report);
      return result.conflicts.length || result.mismatches.length ? 1 : 0;
    },
  },
  export: {
    summary: 'Write the whole registry to one file (JSON lines, gzip for .gz): schemas, versions, settings, catalog, audit log.',
    synopsis: 'FILE [--database-url URL] [--data-dir DIR]',
    args: [['FILE', 'the backup to write (written beside it, then renamed into place); .gz compresses it']],
    flags: {
      'database-url': { type: 'string', value: 'URL', description: "the registry's PostgreSQL (default: $DATABASE_URL, else embedded PGlite); replicas keep serving meanwhile" },
      'data-dir': { type: 'string', value: 'DIR', description: "PGlite's data directory (default: $ACCORD_DATA_DIR, else ./data); the server on it must be stopped" },
    },
    env: DATABASE_ENV,
    examples: ['accord export backup.jsonl.gz --database-url postgres://accord@db/accord'],
    async run({ values, positionals, env }) {
      if (!positionals[0]) throw new UsageError('give the FILE to write');
      const { exportToFile } = await import('./backup.js');
      const result = await exportToFile(positionals[0], databaseOf(values), env);
      const c = result.counts;
      await print(
        'stdout',
        `exported ${c.schema} schema(s), ${c.version} version(s), ${c.config} config(s), ${c.mode} mode(s), ${c.ruleSettings} governance setting(s), ${c.catalog} catalog entr${c.catalog === 1 ? 'y' : 'ies'} and ${c.audit} audit entr${c.audit === 1 ? 'y' : 'ies'} to ${positionals[0]} (${result.bytes} bytes) in ${result.seconds.toFixed(1)} s`,
      );
      return 0;
    },
  },
  import: {
    summary: 'Restore a file accord export wrote into an empty registry, so that every API answer is as it was.',
    synopsis: 'FILE [--database-url URL] [--data-dir DIR] [--force]',
    args: [['FILE', 'a backup written by accord export (gzip or not)']],
    flags: {
      'database-url': { type: 'string', value: 'URL', description: 'the PostgreSQL to restore into (default: $DATABASE_URL, else embedded PGlite)' },
      'data-dir': { type: 'string', value: 'DIR', description: "PGlite's data directory (default: $ACCORD_DATA_DIR, else ./data); no server may run on it" },
      force: { type: 'boolean', description: "into a registry that is not empty: add only what it lacks, keep its own rows where they conflict (listed, exit 1); never overwrites" },
    },
    env: DATABASE_ENV,
    examples: ['accord import backup.jsonl.gz --data-dir ./data'],
    async run({ values, positionals, env }) {
      if (!positionals[0]) throw new UsageError('give the FILE to import (written by accord export)');
      const { importFromFile, printImport } = await import('./backup.js');
      const force = values.force === true;
      const result = await importFromFile(positionals[0], { ...databaseOf(values), force }, env);
      for (const note of result.notes) await print('stderr', `accord import: ${note}`);
      await print('stdout', printImport(positionals[0], result, force));
      return (result.merged && !force) || result.conflicts.length ? 1 : 0;
    },
  },
  codegen: {
    summary: 'Generate a typed TypeScript module per subject: a type per version, encode/decode, upcasters.',
    synopsis: '([--registry URL] | --contracts DIR [--ref REF]) (--subject S [--subject S2 ...] | --prefix P) --out DIR [--runtime-import MODULE]',
    flags: {
      registry: registryFlag("the registry to read the subjects' versions from"),
      contracts: { type: 'string', value: 'DIR', description: "generate offline from a contracts directory (accord.yaml): versions are each schema file's distinct texts in git history, schema ids 0" },
      ref: { type: 'string', value: 'REF', description: 'with --contracts: the git ref to read history up to (default HEAD)' },
      subject: { type: 'string', multiple: true, value: 'S', description: 'a subject to generate a module for' },
      prefix: { type: 'string', value: 'P', description: 'every subject whose name starts with P' },
      out: { type: 'string', value: 'DIR', description: "the directory to write into (created if needed; upcaster files there are never overwritten)" },
      'runtime-import': { type: 'string', value: 'MODULE', description: 'where generated code imports the runtime from (default: @accord/sdk/codegen)' },
    },
    env: REGISTRY_ENV,
    examples: ['accord codegen --subject orders.order-created-value --out src/events', 'accord codegen --contracts contracts --ref main --out src/events'],
    async run({ values, env }) {
      if (!values.out) throw new UsageError('give --out DIR');
      const offline = values.contracts !== undefined;
      if (offline && values.registry !== undefined) throw new UsageError('give --registry or --contracts, not both');
      if (!offline && values.ref !== undefined) throw new UsageError('--ref goes with --contracts DIR');
      const registry = offline ? undefined : requireRegistry(await registryOf(values, env));
      const { codegen } = await import('./codegen.js');
      const { ACCORD_VERSION } = await import('../version.js');
      const result = await codegen({
        ...(registry ? { registry } : { contracts: values.contracts as string, ref: values.ref as string | undefined }),
        subjects: (values.subject as string[] | undefined) ?? [],
        prefix: values.prefix as string | undefined,
        out: values.out as string,
        runtimeImport: (values['runtime-import'] as string | undefined) ?? '@accord/sdk/codegen',
        accordVersion: ACCORD_VERSION,
      });
      for (const note of result.notes ?? []) await print('stderr', `accord codegen: ${note}`);
      const lines = [...result.written.map((path) => `wrote ${path}`), ...result.kept.map((path) => `kept ${path} (yours: never overwritten)`)];
      if (lines.length) await print('stdout', lines.join('\n'));
      return 0;
    },
  },
  'hash-password': {
    summary: 'Hash a password (read from stdin) for the users file; with --token, digest a machine token for the auth file.',
    synopsis: '[--token] < secret',
    flags: {
      token: { type: 'boolean', description: "print the auth file's sha256 digest of a token instead of a scrypt password hash" },
    },
    examples: ["printf %s 'correct horse battery staple' | accord hash-password", 'printf %s "$TOKEN" | accord hash-password --token'],
    async run({ values }) {
      const { hashSecret, readSecret } = await import('./hash-password.js');
      const secret = await readSecret(process.stdin);
      secrets.push(secret);
      await print('stdout', await hashSecret(secret, values.token === true));
      return 0;
    },
  },
  'new-token': {
    summary: 'Make a machine token (CI, services): the token on stderr, once; added to an auth file with its binding, or its entry on stdout.',
    synopsis: 'NAME [--auth-file FILE [--role reader|writer|admin (--subjects GLOB | --resources R)] [--group G]]',
    args: [['NAME', 'the name the audit log shows for this token (token:NAME)']],
    flags: {
      'auth-file': { type: 'string', value: 'FILE', description: 'add the token to this auth file in place (created if missing; comments kept; a NAME it has already is refused)' },
      role: { type: 'string', value: 'ROLE', description: 'with --auth-file: also bind the token to reader, writer or admin' },
      subjects: { type: 'string', multiple: true, value: 'GLOB', description: "the subjects the role covers ('orders.*'; commas separate several)" },
      resources: { type: 'string', multiple: true, value: 'R', description: 'registry-wide resources the role covers: config, mode, governance, catalog, audit (commas separate several)' },
      group: { type: 'string', multiple: true, value: 'G', description: 'a group the token belongs to (bindings to group:G apply to it)' },
    },
    examples: ["accord new-token ci-orders --auth-file auth.yaml --role writer --subjects 'orders.*'", 'accord new-token ci-orders > new-auth.yaml   # a new file only: appending to one that has tokens breaks it'],
    async run({ values, positionals }) {
      const name = positionals[0];
      if (!name) throw new UsageError('give the token a NAME');
      const file = values['auth-file'] as string | undefined;
      const list = (flag: string) => ((values[flag] as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
      const [subjects, resources, groups] = [list('subjects'), list('resources'), list('group')];
      const { ROLES, GLOBAL_RESOURCES } = await import('../auth/policy.js');
      const role = values.role === undefined ? undefined : oneOf(values.role, ROLES, 'reader', 'role');
      if (file === undefined) {
        const given = ['role', 'subjects', 'resources', 'group'].find((flag) => values[flag] !== undefined);
        if (given) throw new UsageError(`--${given} goes with --auth-file FILE (the file to add the token to)`);
      } else {
        if (role === undefined && (subjects.length || resources.length)) throw new UsageError('--subjects and --resources go with --role ROLE');
        if (role !== undefined && role !== 'admin' && !subjects.length && !resources.length) throw new UsageError(`a ${role} binding needs --subjects GLOB or --resources R`);
        const unknown = resources.find((r) => !(GLOBAL_RESOURCES as readonly string[]).includes(r));
        if (unknown) throw new UsageError(`--resources '${unknown}' is not one of ${GLOBAL_RESOURCES.join(', ')}`);
      }
      const { newNamedToken, tokenEntry } = await import('./hash-password.js');
      const { token, digest } = newNamedToken(name);
      if (file !== undefined) {
        const { addToken } = await import('./auth-file.js');
        // Written first: a token is shown only once it is in the file.
        const { created } = addToken({ file, name, digest, groups, ...(role ? { binding: { role, subjects, resources: resources as never } } : {}) });
        const covers = [...subjects, ...resources].join(', ');
        await print(
          'stdout',
          `${created ? 'created' : 'added to'} ${file}: token ${name}${role ? `, bound to ${role}${covers ? ` on ${covers}` : ''}` : ' (no binding: give --role to grant it anything)'}; restart the server to admit it (it reads the auth file at start)`,
        );
      }
      // Printed as is: this is the one place the token is meant to be seen.
      await new Promise<void>((done) => process.stderr.write(`token for ${name} (store it as a secret now; Accord keeps only its digest):\n${token}\n`, () => done()));
      if (file === undefined) await print('stdout', tokenEntry(name, digest));
      return 0;
    },
  },
};

/** Writes one block of text and a newline, with any secret scrubbed, and waits until it is flushed. */
function print(stream: 'stdout' | 'stderr', text: string): Promise<void> {
  let safe = text;
  for (const secret of secrets) if (secret.length >= 4) safe = safe.split(secret).join('***');
  return new Promise((done) => process[stream].write(`${safe}\n`, () => done()));
}

async function version(): Promise<string> {
  const { ACCORD_VERSION } = await import('../version.js');
  return ACCORD_VERSION;
}

/** Wants help: `--help` or `-h` anywhere before a `--`. */
const asksForHelp = (args: string[]) => {
  const end = args.indexOf('--');
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === '--help' || a === '-h');
};

async function unknownCommand(name: string): Promise<number> {
  const guess = nearest(name, Object.keys(commands));
  await print('stderr', `accord: unknown command '${name}'${guess ? `. Did you mean '${guess}'?` : ''}\nusage: accord <command> [flags] (accord --help lists the commands)`);
  return 2;
}

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number | 'running'> {
  const [name, ...args] = argv;
  if (name === undefined) {
    // Like a usage error: the overview, on stderr, exit 2.
    await print('stderr', overview(await version(), commands));
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? args[0] : undefined;
    if (topic === undefined) await print('stdout', overview(await version(), commands));
    else if (commands[topic]) await print('stdout', commandHelp(topic, commands[topic]));
    else return unknownCommand(topic);
    return 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    await print('stdout', `accord ${await version()}`);
    return 0;
  }
  if (name.startsWith('-')) {
    const guess = name.startsWith('--') ? nearest(name.slice(2), ['help', 'version']) : undefined;
    await print('stderr', `accord: unknown flag ${name}${guess ? `. Did you mean --${guess}?` : ''}\nusage: accord <command> [flags] (accord --help lists the commands)`);
    return 2;
  }
  const command = commands[name];
  if (!command) return unknownCommand(name);
  if (asksForHelp(args)) {
    await print('stdout', commandHelp(name, command));
    return 0;
  }
  try {
    const { values, positionals } = parseCommandArgs(command, args);
    return await command.run({ values, positionals, env });
  } catch (err) {
    if (err instanceof UsageError) {
      await print('stderr', `accord ${name}: ${err.message}\n${usageLine(name, command)}`);
    } else if (err instanceof DataError || err instanceof ConnectionError || err instanceof StartupError) {
      // Expected failures a person fixes: the message names the file or setting; no stack, and no usage line, since
      // the command itself was given right.
      await print('stderr', `accord ${name}: ${err.message}`);
    } else {
      // A bug, or a setting the server rejects: one line; the stack only when asked for.
      const error = err instanceof Error ? err : new Error(String(err));
      await print('stderr', `accord ${name}: ${env.ACCORD_DEBUG ? error.stack : `${error.message.split('\n')[0]} (ACCORD_DEBUG=1 prints the stack)`}`);
    }
    return 2;
  }
}

const code = await main(process.argv.slice(2), process.env);
if (code !== 'running') process.exit(code);
