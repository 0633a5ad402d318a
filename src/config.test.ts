// The schema size limits as settings: each from its ACCORD_MAX_… variable, else its default; a malformed one fails start-up.
import { describe, expect, it } from 'vitest';
import { configFromEnv } from './config.js';
import { StartupError } from './errors.js';
import { DEFAULT_LIMITS, LIMIT_SETTINGS } from './formats/limits.js';

describe('schema size limits from the environment', () => {
  it('are the defaults when unset', () => {
    expect(configFromEnv({}).limits).toEqual(DEFAULT_LIMITS);
  });

  it('each comes from its own setting', () => {
    const env = Object.fromEntries(Object.values(LIMIT_SETTINGS).map((name, i) => [name, String(100 + i)]));
    expect(configFromEnv(env).limits).toEqual({ maxFields: 100, maxUnionBranches: 101, maxEnumSymbols: 102, maxReferences: 103, maxNameLength: 104, maxTypes: 105 });
  });

  it('a value that is not a non-negative integer fails start-up naming the setting', () => {
    expect(() => configFromEnv({ ACCORD_MAX_FIELDS: 'lots' })).toThrow(StartupError);
    expect(() => configFromEnv({ ACCORD_MAX_FIELDS: 'lots' })).toThrow("ACCORD_MAX_FIELDS must be a non-negative integer, got 'lots'");
  });
});

describe('ACCORD_MODE_MUTABILITY', () => {
  it('is true unless set to false', () => {
    expect(configFromEnv({}).modeMutability).toBe(true);
    expect(configFromEnv({ ACCORD_MODE_MUTABILITY: 'false' }).modeMutability).toBe(false);
    expect(configFromEnv({ ACCORD_MODE_MUTABILITY: 'TRUE' }).modeMutability).toBe(true);
  });

  it('another value fails start-up naming the setting', () => {
    expect(() => configFromEnv({ ACCORD_MODE_MUTABILITY: 'no' })).toThrow(StartupError);
    expect(() => configFromEnv({ ACCORD_MODE_MUTABILITY: 'no' })).toThrow(/ACCORD_MODE_MUTABILITY must be true or false, got 'no'/);
  });
});
