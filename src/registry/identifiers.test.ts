import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RegistryError } from './errors.js';
import { MAX_SUBJECT_LENGTH, subjectName, writableSubject, writableSubjectPrefix } from './identifiers.js';

const invalid = (work: () => unknown) => {
  try {
    work();
  } catch (err) {
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as RegistryError).kind).toBe('invalid_subject');
    return (err as RegistryError).message;
  }
  throw new Error('expected an invalid_subject error');
};

describe('writableSubject', () => {
  it(`counts characters, not UTF-16 code units: ${MAX_SUBJECT_LENGTH} four-byte characters are a valid name`, () => {
    const name = '𠀀'.repeat(MAX_SUBJECT_LENGTH);
    expect(name.length).toBe(2 * MAX_SUBJECT_LENGTH);
    expect(writableSubject(name)).toBe(name);
    expect(invalid(() => writableSubject(`${name}a`))).toMatch(`at most ${MAX_SUBJECT_LENGTH} characters long; this one has ${MAX_SUBJECT_LENGTH + 1}.`);
  });

  it('the limit applies to the name without the default context prefix', () => {
    const name = 'a'.repeat(MAX_SUBJECT_LENGTH);
    expect(writableSubject(`:.:${name}`)).toBe(name);
  });

  it('names the problem: NUL, a control character, a lone surrogate', () => {
    expect(invalid(() => writableSubject('a\u0000'))).toBe("The specified subject 'a\u0000' is not a valid. It contains a NUL character (U+0000), which the store cannot keep.");
    expect(invalid(() => writableSubject('a\tb'))).toMatch(/control character U\+0009\.$/);
    expect(invalid(() => writableSubject('a\ud800'))).toMatch(/lone surrogate/);
  });

  it('a reserved name gets Confluent\'s sentence unchanged', () => {
    expect(invalid(() => writableSubject('__GLOBAL'))).toBe("The specified subject '__GLOBAL' is not a valid.");
  });

  it('any string is either a valid name (kept as sent) or an invalid_subject error; never anything else', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: MAX_SUBJECT_LENGTH + 5 }), (raw) => {
        try {
          expect(writableSubject(raw)).toBe(subjectName(raw));
        } catch (err) {
          expect((err as RegistryError).kind).toBe('invalid_subject');
        }
      }),
    );
  });
});

describe('writableSubjectPrefix', () => {
  it('holds a prefix to the rules of a name, reserved names apart', () => {
    expect(writableSubjectPrefix('')).toBe('');
    expect(writableSubjectPrefix('__GLOBAL')).toBe('__GLOBAL');
    expect(invalid(() => writableSubjectPrefix('x'.repeat(MAX_SUBJECT_LENGTH + 1)))).toMatch(/^The specified subject prefix 'x{100}…' is not valid\. /);
  });
});
