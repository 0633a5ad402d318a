// Parsing as a table: argv in, values or the one-line usage error out. The commands are stand-ins, not the real ones.
import { describe, expect, it } from 'vitest';
import { editDistance, nearest, oneOf, parseCommandArgs, type CommandSpec } from './args.js';
import { UsageError } from './errors.js';

const spec: CommandSpec = {
  summary: 'A stand-in.',
  synopsis: '[DIR] --registry URL',
  args: [['DIR', 'a directory']],
  flags: {
    registry: { type: 'string', value: 'URL', description: 'a registry' },
    subject: { type: 'string', multiple: true, value: 'S', description: 'a subject' },
    'dry-run': { type: 'boolean', description: 'nothing happens' },
  },
  run: async () => 0,
};

describe('parseCommandArgs', () => {
  it.each([
    [['--registry', 'http://r'], { registry: 'http://r' }, []],
    [['--registry=http://r', 'dir'], { registry: 'http://r' }, ['dir']],
    [['dir', '--subject', 'a', '--subject=b', '--dry-run'], { subject: ['a', 'b'], 'dry-run': true }, ['dir']],
    [['--', '--not-a-flag'], {}, ['--not-a-flag']],
    [['--registry', '-'], { registry: '-' }, []],
  ])('%j', (argv, values, positionals) => {
    const parsed = parseCommandArgs(spec, argv);
    expect({ ...parsed.values }).toEqual(values);
    expect(parsed.positionals).toEqual(positionals);
  });

  it.each([
    [['--registy', 'x'], 'unknown flag --registy. Did you mean --registry?'],
    [['--dryrun'], 'unknown flag --dryrun. Did you mean --dry-run?'],
    [['--bogus'], 'unknown flag --bogus'],
    [['-x'], 'unknown flag -x'],
    [['--registry'], '--registry needs a value (--registry URL)'],
    [['--registry', '--dry-run'], '--registry needs a value (--registry URL)'],
    [['--dry-run=yes'], '--dry-run takes no value'],
    [['--registry', 'a', '--registry', 'b'], '--registry given more than once'],
    [['one', 'two'], "unexpected argument 'two'"],
  ])('%j is a usage error', (argv, message) => {
    expect(() => parseCommandArgs(spec, argv)).toThrow(new UsageError(message));
  });
});

describe('suggestions', () => {
  it('edit distance counts a transposition as one edit', () => {
    expect(editDistance('chekc', 'check')).toBe(1);
    expect(editDistance('chek', 'check')).toBe(1);
    expect(editDistance('', 'push')).toBe(4);
  });

  it.each([
    ['chek', 'check'],
    ['pusj', 'push'],
    ['codgen', 'codegen'],
    ['CHECK', 'check'],
    ['serv', 'serve'],
    ['cod', 'codegen'],
    ['frobnicate', undefined],
    ['x', undefined],
  ])('%s → %s', (typo, expected) => {
    expect(nearest(typo, ['serve', 'check', 'push', 'codegen'])).toBe(expected);
  });

  it('a bad value names the allowed ones and the nearest', () => {
    expect(oneOf(undefined, ['text', 'json'] as const, 'text', 'format')).toBe('text');
    expect(() => oneOf('jsno', ['text', 'json'] as const, 'text', 'format')).toThrow('--format must be one of text, json (did you mean json?)');
  });
});
