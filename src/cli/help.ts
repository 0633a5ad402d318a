// The help texts, rendered from the command declarations in index.ts: the overview, each command's help, usage lines.
import { HELP_FLAG, type CommandSpec, type FlagSpec } from './args.js';

export const EXIT_CODES = 'Exit codes: 0 clean, 1 findings (or a failed registration), 2 usage or connection errors.';

/** Two columns, the second aligned; a long first column pushes its text to the next line. */
function table(rows: [string, string][], indent = '  '): string[] {
  const width = Math.min(28, Math.max(...rows.map(([left]) => left.length)));
  return rows.map(([left, right]) => (left.length > width ? `${indent}${left}\n${indent}${' '.repeat(width + 2)}${right}` : `${indent}${left.padEnd(width)}  ${right}`));
}

export function usageLine(name: string, spec: CommandSpec): string {
  return `usage: accord ${name} ${spec.synopsis}`.trimEnd();
}

export function overview(version: string, commands: Record<string, CommandSpec>): string {
  return [
    `Accord ${version}: event contracts in a Confluent-compatible schema registry, checked, governed and typed.`,
    '',
    'usage: accord <command> [flags]',
    '',
    'Commands:',
    ...table(Object.entries(commands).map(([name, c]) => [name, c.summary])),
    '',
    'Flags:',
    ...table([
      ['-h, --help', "show this help; 'accord <command> --help' shows a command's flags and environment"],
      ['-v, --version', "print Accord's version"],
    ]),
    '',
    'Environment:',
    ...table([['ACCORD_DEBUG', 'set to 1 to print the stack trace of an unexpected error']]),
    '',
    EXIT_CODES,
  ].join('\n');
}

const flagLabel = (name: string, f: FlagSpec) => `${f.short ? `-${f.short}, ` : ''}--${name}${f.type === 'string' ? ` ${f.value ?? 'VALUE'}` : ''}`;

export function commandHelp(name: string, spec: CommandSpec): string {
  const flags = { ...spec.flags, help: HELP_FLAG };
  return [
    `accord ${name}: ${spec.summary}`,
    '',
    usageLine(name, spec),
    ...(spec.args?.length ? ['', 'Arguments:', ...table(spec.args)] : []),
    '',
    'Flags:',
    ...table(Object.entries(flags).map(([flag, f]) => [flagLabel(flag, f), `${f.description}${f.multiple ? ' (repeatable)' : ''}`])),
    ...(spec.env?.length ? ['', 'Environment:', ...table(spec.env)] : []),
    ...(spec.examples?.length ? ['', 'Examples:', ...spec.examples.map((e) => `  ${e}`)] : []),
    '',
    EXIT_CODES,
  ].join('\n');
}
