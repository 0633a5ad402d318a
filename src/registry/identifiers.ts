// The registry's identifiers and enumerations, each created only by a validating constructor.
import { errors } from './errors.js';

export type Subject = string & { readonly __brand: 'Subject' };
/** A concrete version number (1 … 2^31-1). */
export type Version = number & { readonly __brand: 'Version' };
/** What a `{version}` path segment asks for. */
export type VersionSpec = Version | 'latest';

/** Key under which registry-wide config and mode are stored; also a reserved (invalid) subject name. */
export const GLOBAL_SCOPE = '__GLOBAL';
const RESERVED_SUBJECTS = new Set([GLOBAL_SCOPE, '__EMPTY']);
const DEFAULT_CONTEXT_PREFIX = ':.:';

/** Any subject name read from a path: `:.:orders` (default context, qualified) is the same subject as `orders`. */
export function subjectName(raw: string): Subject {
  return (raw.startsWith(DEFAULT_CONTEXT_PREFIX) ? raw.slice(DEFAULT_CONTEXT_PREFIX.length) : raw) as Subject;
}

/** A subject name that may be written to: no control characters, not a reserved name (42208). */
export function writableSubject(raw: string): Subject {
  const subject = subjectName(raw);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f-\u009f]/.test(subject) || RESERVED_SUBJECTS.has(subject)) throw errors.invalidSubject(raw);
  return subject;
}

const MAX_VERSION = 2 ** 31 - 1;

/** Parses a `{version}` path segment: `latest` (any case, trimmed), `-1`, or 1 … 2^31-1; anything else is 42202. */
export function parseVersionSpec(raw: string): VersionSpec {
  const trimmed = raw.trim();
  if (trimmed.toLowerCase() === 'latest' || trimmed === '-1') return 'latest';
  if (!/^\d+$/.test(trimmed)) throw errors.invalidVersion(raw);
  const n = Number(trimmed);
  if (n < 1 || n > MAX_VERSION) throw errors.invalidVersion(raw);
  return n as Version;
}

export const COMPATIBILITY_LEVELS = [
  'NONE',
  'BACKWARD',
  'BACKWARD_TRANSITIVE',
  'FORWARD',
  'FORWARD_TRANSITIVE',
  'FULL',
  'FULL_TRANSITIVE',
] as const;
export type CompatibilityLevel = (typeof COMPATIBILITY_LEVELS)[number];
export const DEFAULT_COMPATIBILITY: CompatibilityLevel = 'BACKWARD';

export function parseCompatibilityLevel(raw: unknown): CompatibilityLevel {
  const level = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  if (!(COMPATIBILITY_LEVELS as readonly string[]).includes(level)) throw errors.invalidCompatibilityLevel();
  return level as CompatibilityLevel;
}

export const MODES = ['READWRITE', 'READONLY', 'READONLY_OVERRIDE', 'IMPORT'] as const;
export type Mode = (typeof MODES)[number];
export const DEFAULT_MODE: Mode = 'READWRITE';

export function parseMode(raw: unknown): Mode {
  const mode = typeof raw === 'string' ? raw.trim().toUpperCase() : '';
  if (!(MODES as readonly string[]).includes(mode)) throw errors.invalidMode();
  return mode as Mode;
}

export const isReadOnly = (mode: Mode) => mode === 'READONLY' || mode === 'READONLY_OVERRIDE';
