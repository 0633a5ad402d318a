// Rule sets: which rules run, and how severely. `default` is what a registry does out of the box; `strict` runs them all.
import type { Severity } from './rule.js';
import { RULES } from './rules.js';

export const PROFILE_NAMES = ['default', 'strict'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface Profile {
  name: ProfileName;
  /** One sentence: what the profile is for. */
  doc: string;
  /** The severity of each rule the profile runs. A rule it does not name is off. */
  severities: Readonly<Record<string, Exclude<Severity, 'off'>>>;
}

export const PROFILES: Readonly<Record<ProfileName, Profile>> = {
  default: {
    name: 'default',
    doc: 'Out of the box: warns only about what a reviewer acts on, an event named as a specific past fact and carrying the envelope fields.',
    severities: {
      EVENT_NAME_PAST_TENSE: 'warn',
      EVENT_NAME_SPECIFIC: 'warn',
      ENVELOPE_FIELDS: 'warn',
    },
  },
  strict: {
    name: 'strict',
    doc: 'Every rule: documentation, field case, privacy, subject naming and the Protobuf conventions too, each an error except OWNER_DECLARED, which stays a warning.',
    severities: {
      SUBJECT_NAMING_STRATEGY: 'error',
      EVENT_NAME_PASCAL_CASE: 'error',
      EVENT_NAME_PAST_TENSE: 'error',
      EVENT_NAME_SPECIFIC: 'error',
      EVENT_NAME_NOT_COMMAND: 'error',
      FIELD_NAME_CASE: 'error',
      TYPE_DOCUMENTED: 'error',
      FIELD_DOCUMENTED: 'error',
      ENVELOPE_FIELDS: 'error',
      PERSONAL_DATA_MARKED: 'error',
      OWNER_DECLARED: 'warn',
      PROTOBUF_PACKAGE_VERSIONED: 'error',
      PROTOBUF_ENUM_ZERO_UNSPECIFIED: 'error',
      PROTOBUF_FIELD_LOWER_SNAKE_CASE: 'error',
    },
  },
};

export const isProfileName = (name: unknown): name is ProfileName => PROFILE_NAMES.includes(name as ProfileName);

/** A rule's severity under a profile: off unless the profile names it. */
export const severityIn = (name: ProfileName, ruleId: string): Severity => PROFILES[name].severities[ruleId] ?? 'off';

/** Every rule's severity under a profile. */
export function profileSeverities(name: ProfileName): Record<string, Severity> {
  return Object.fromEntries(RULES.map((r) => [r.id, severityIn(name, r.id)]));
}
