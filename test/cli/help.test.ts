// `accord` help, version and usage errors end to end: the real CLI in a child process, no registry needed.
// Help asked for goes to stdout with exit 0; a usage error is one line on stderr, then the usage line, exit 2.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { accord, literal, ROOT } from './support.js';

const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** Each command's flags and the environment variables its help must list. */
const COMMANDS: Record<string, { flags: string[]; env: string[] }> = {
  serve: { flags: ['--port N', '--host H', '--database-url URL', '--data-dir DIR'], env: ['DATABASE_URL', 'ACCORD_DATA_DIR', 'ACCORD_LOG_LEVEL'] },
  check: { flags: ['--registry URL', '--against GIT_REF', '--format FORMAT', '--fail-on LEVEL'], env: ['ACCORD_REGISTRY', 'ACCORD_REGISTRY_USER', 'ACCORD_REGISTRY_PASSWORD', 'ACCORD_REGISTRY_TOKEN'] },
  push: { flags: ['--registry URL', '--dry-run'], env: ['ACCORD_REGISTRY', 'ACCORD_REGISTRY_TOKEN'] },
  codegen: { flags: ['--registry URL', '--contracts DIR', '--ref REF', '--subject S', '--prefix P', '--out DIR', '--runtime-import MODULE'], env: ['ACCORD_REGISTRY', 'ACCORD_REGISTRY_TOKEN'] },
};

describe('accord help and version', () => {
  it('--help, -h and help print the commands on stdout and exit 0; no command prints them on stderr and exits 2', async () => {
    const [long, short, word, none] = await Promise.all([accord(['--help']), accord(['-h']), accord(['help']), accord([])]);
    for (const run of [long, short, word]) {
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toContain('usage: accord <command> [flags]');
      for (const name of Object.keys(COMMANDS)) expect(run.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      expect(run.stdout).toContain('--version');
      expect(run.stdout).toContain('Exit codes: 0 clean, 1 findings');
    }
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toBe(long.stdout);
  });

  it('<command> --help, -h and help <command> list each flag with a description and the environment variables read', async () => {
    const runs = await Promise.all(
      Object.keys(COMMANDS).flatMap((name) => [accord([name, '--help']), accord([name, '-h']), accord(['help', name])]),
    );
    Object.entries(COMMANDS).forEach(([name, { flags, env }], i) => {
      const [long, short, word] = runs.slice(i * 3, i * 3 + 3);
      expect(short!.stdout).toBe(long!.stdout);
      expect(word!.stdout).toBe(long!.stdout);
      for (const run of [long!, short!, word!]) expect(run).toMatchObject({ code: 0, stderr: '' });
      const help = long!.stdout;
      expect(help).toContain(`usage: accord ${name} `);
      for (const flag of [...flags, '-h, --help']) expect(help).toMatch(new RegExp(`^  ${literal(flag)} +\\w`, 'm'));
      expect(help).toContain('Environment:');
      for (const variable of env) expect(help).toMatch(new RegExp(`^  ${literal(variable)}\\b.* \\w`, 'm'));
    });
  });

  it('--help wins over other flags, even unknown ones', async () => {
    const run = await accord(['check', '--bogus', '--help']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('usage: accord check ');
  });

  it('--version, -v and version print the package version', async () => {
    const runs = await Promise.all([accord(['--version']), accord(['-v']), accord(['version'])]);
    for (const run of runs) expect(run).toEqual({ code: 0, stdout: `accord ${VERSION}\n`, stderr: '' });
  });
});

describe('usage errors: one line naming the problem, the usage line, exit 2, nothing on stdout', () => {
  it.each([
    [['chek'], "accord: unknown command 'chek'. Did you mean 'check'?", 'usage: accord <command> [flags]'],
    [['pusj', '--dry-run'], "accord: unknown command 'pusj'. Did you mean 'push'?", 'usage: accord <command> [flags]'],
    [['frobnicate'], "accord: unknown command 'frobnicate'", 'usage: accord <command> [flags]'],
    [['help', 'chek'], "accord: unknown command 'chek'. Did you mean 'check'?", 'usage: accord <command> [flags]'],
    [['--verison'], 'accord: unknown flag --verison. Did you mean --version?', 'usage: accord <command> [flags]'],
    [['check', '--registy', 'http://localhost:1'], 'accord check: unknown flag --registy. Did you mean --registry?', 'usage: accord check [DIR] '],
    [['check', '--agianst', 'HEAD'], 'accord check: unknown flag --agianst. Did you mean --against?', 'usage: accord check [DIR] '],
    [['push', '--dryrun'], 'accord push: unknown flag --dryrun. Did you mean --dry-run?', 'usage: accord push [DIR] '],
    [['push', '--dry-run=yes'], 'accord push: --dry-run takes no value', 'usage: accord push [DIR] '],
    [['check', '--registry'], 'accord check: --registry needs a value (--registry URL)', 'usage: accord check [DIR] '],
    [['check', '--registry', '--format', 'json'], 'accord check: --registry needs a value (--registry URL)', 'usage: accord check [DIR] '],
    [['check', '--format', 'json', '--format', 'text'], 'accord check: --format given more than once', 'usage: accord check [DIR] '],
    [['check', 'a', 'b'], "accord check: unexpected argument 'b'", 'usage: accord check [DIR] '],
    [['check', '--against', 'HEAD', '--format', 'jsno'], 'accord check: --format must be one of text, json, github, junit, sarif (did you mean json?)', 'usage: accord check [DIR] '],
    [['codegen', '--subject', 's', '--out', 'x'], 'accord codegen: give --registry URL (or set ACCORD_REGISTRY)', 'usage: accord codegen '],
    [['serve', '--prot', '1'], 'accord serve: unknown flag --prot. Did you mean --port?', 'usage: accord serve '],
    [['check', '--registry', 'localhost:8081'], "accord check: --registry 'localhost:8081' is not an http or https URL", 'usage: accord check [DIR] '],
  ])('accord %j', async (args, message, usage) => {
    const run = await accord(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(message);
    expect(lines[1]).toContain(usage);
    expect(lines).toHaveLength(2);
  });
});
