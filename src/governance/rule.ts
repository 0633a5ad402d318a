// What a governance rule is: data (id, category, doc) plus one check function. Profiles (profiles.ts) say which run, how severely.
import type { SchemaOutline, SchemaType } from '../formats/format.js';

export type Severity = 'error' | 'warn' | 'off';
export const SEVERITIES: readonly Severity[] = ['error', 'warn', 'off'];

/** EVOLUTION: a change between versions (a break the Confluent-compatible verdict lets through), not a rule of RULES. */
export type RuleCategory = 'NAMING' | 'DOCUMENTATION' | 'ENVELOPE' | 'PRIVACY' | 'OWNERSHIP' | 'PROTOBUF' | 'EVOLUTION';

/** Catalog facts rules may read. */
export interface CatalogFacts {
  owner?: string;
  domain?: string;
  /** Field names or paths declared as personal data. */
  sensitive?: string[];
}

/** Rule parameters, configurable globally and per subject prefix. */
export interface RuleParams {
  /** `topic` (`<topic>-value`/`-key`), `record` (the event's full name), `topic-record`, or `any`. */
  subjectNamingStrategy: 'topic' | 'record' | 'topic-record' | 'any';
  /** The case Avro field names use. */
  fieldCase: 'camelCase' | 'snake_case';
  /** Envelope roles and the field names that fill each. */
  envelopeFields: Record<string, string[]>;
}

export const DEFAULT_PARAMS: RuleParams = {
  subjectNamingStrategy: 'topic',
  fieldCase: 'camelCase',
  envelopeFields: {
    'event id': ['eventId', 'event_id', 'id'],
    'occurred-at time': ['occurredAt', 'occurred_at', 'eventTime', 'event_time', 'timestamp'],
    'correlation id': ['correlationId', 'correlation_id'],
  },
};

export interface RuleContext {
  subject: string;
  /** False for subjects that hold shared types for others to import (`shipping/address.proto`): event rules skip them. */
  isEvent: boolean;
  outline: SchemaOutline;
  catalog: CatalogFacts | undefined;
  params: RuleParams;
}

/** A problem a rule found: where, what, and the change that fixes it. */
export interface RuleProblem {
  path: string;
  message: string;
  hint: string;
}

export interface Rule {
  /** SCREAMING_SNAKE id, stable: configs name rules by it. */
  id: string;
  category: RuleCategory;
  /** One sentence: "Checks that …". */
  doc: string;
  /** Formats the rule applies to; all when absent. */
  formats?: SchemaType[];
  /** Applies to event subjects only, not to subjects holding shared types. */
  eventsOnly?: boolean;
  check(context: RuleContext): RuleProblem[];
}

/** A finding as reported: the problem plus its rule and effective severity. */
export interface GovernanceFinding extends RuleProblem {
  rule: string;
  category: RuleCategory;
  severity: Exclude<Severity, 'off'>;
}
