// The registry's identifiers and enumerations, each created only by a validating constructor.
import { unqualifiedName } from './contexts.js';
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

/**
 * A context name from a path or parameter (`.team-a`, `team-a`, `:.team-a:`), in its stored form `.team-a`; 42208
 * naming the problem for a name that no subject could be qualified with.
 */
export function contextName(raw: string): string {
  let name = raw.startsWith(':') ? raw.slice(1) : raw;
  if (name.endsWith(':')) name = name.slice(0, -1);
  if (!name.startsWith('.')) name = `.${name}`;
  if (name.includes(':')) throw errors.invalidContext(raw, 'A context name cannot contain a colon.');
  const problem = subjectProblem(name);
  if (problem) throw errors.invalidContext(raw, problem);
  return name;
}

/**
 * The longest subject name, in characters (code points). At most 4 bytes each in UTF-8, 500 characters are at most
 * 2,000 bytes: an index row of PostgreSQL's btree (subject plus version or timestamp) stays well below its 2,704-byte
 * limit whatever the characters, while Kafka topic names (249 characters) with a record name still fit.
 */
export const MAX_SUBJECT_LENGTH = 500;

/**
 * A subject name that may be written to (registered, configured, catalogued), else 42208 naming the problem: at most
 * MAX_SUBJECT_LENGTH characters, no control characters (NUL cannot even be stored), no lone surrogate, not reserved.
 * Reads take any name (`subjectName`): one that cannot be written does not exist, and answers as a missing subject.
 */
export function writableSubject(raw: string): Subject {
  const subject = subjectName(raw);
  // A reserved name gets Confluent's sentence as it is, qualified or not.
  if (RESERVED_SUBJECTS.has(subject) || RESERVED_SUBJECTS.has(unqualifiedName(subject))) throw errors.invalidSubject(raw);
  const problem = subjectProblem(subject);
  if (problem) throw errors.invalidSubject(raw, problem);
  return subject;
}

/**
 * A subject prefix that rule settings may be written for: held to the rules of a subject name (a longer prefix would
 * match no subject), else 42208 naming the problem.
 */
export function writableSubjectPrefix(raw: string): string {
  const problem = subjectProblem(raw);
  if (problem) throw errors.invalidSubjectPrefix(raw, problem);
  return raw;
}

function subjectProblem(subject: string): string | undefined {
  if (subject.includes('\u0000')) return 'It contains a NUL character (U+0000), which the store cannot keep.';
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u001f\u007f-\u009f]/.exec(subject);
  if (control) return `It contains the control character U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}.`;
  if (/\p{Cs}/u.test(subject)) return 'It contains a lone surrogate, which is not a character.';
  // Code units are at least as many as characters: only a long name needs counting.
  if (subject.length > MAX_SUBJECT_LENGTH) {
    let length = 0;
    for (const _ of subject) length++;
    if (length > MAX_SUBJECT_LENGTH) return `Subject names are at most ${MAX_SUBJECT_LENGTH} characters long; this one has ${length}.`;
  }
  return undefined;
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
