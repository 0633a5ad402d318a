// Which rules apply to a subject and how severely: the default profile, then registry-wide settings, then subject prefixes.
import { errors } from '../errors.js';
import type { SchemaOutline } from '../formats/format.js';
import type { Store } from '../storage/store.js';
import { isProfileName, PROFILE_NAMES, profileSeverities, type ProfileName } from './profiles.js';
import { DEFAULT_PARAMS, SEVERITIES, type CatalogFacts, type GovernanceFinding, type RuleParams, type Severity } from './rule.js';
import { RULES, RULES_BY_ID } from './rules.js';

/** Settings as stored for one scope: a profile, severities by rule id and parameter overrides. */
export interface RuleSettings {
  /** The rule set this scope starts from, instead of the one it inherits. */
  profile?: ProfileName;
  severities?: Record<string, Severity>;
  params?: Partial<RuleParams>;
}

/** A settings update: as stored, except that `profile: null` removes the scope's profile. */
export interface RuleSettingsUpdate extends Omit<RuleSettings, 'profile'> {
  profile?: ProfileName | null;
}

export interface EffectivePolicy {
  profile: ProfileName;
  severities: Record<string, Severity>;
  params: RuleParams;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Validates a settings body: a known profile, known rule ids, known severities, known parameters (422/422 otherwise). */
export function parseRuleSettings(body: unknown): RuleSettingsUpdate {
  if (!isObject(body)) throw errors.malformedBody('The request body must be a JSON object');
  const out: RuleSettingsUpdate = {};
  if (body.profile !== undefined) {
    if (body.profile !== null && !isProfileName(body.profile)) throw errors.unprocessableBody(`"profile" must be ${PROFILE_NAMES.join(' or ')} (or null to inherit)`);
    out.profile = body.profile as ProfileName | null;
  }
  if (body.severities !== undefined) {
    if (!isObject(body.severities)) throw errors.malformedBody('"severities" must map rule ids to error, warn or off');
    out.severities = {};
    for (const [id, severity] of Object.entries(body.severities)) {
      if (!RULES_BY_ID.has(id)) throw errors.unprocessableBody(`Unknown rule '${id}'; GET /governance/rules lists them`);
      if (!SEVERITIES.includes(severity as Severity)) throw errors.unprocessableBody(`Severity of ${id} must be error, warn or off`);
      out.severities[id] = severity as Severity;
    }
  }
  if (body.params !== undefined) {
    if (!isObject(body.params)) throw errors.malformedBody('"params" must be an object');
    const params: Partial<RuleParams> = {};
    const { subjectNamingStrategy, fieldCase, envelopeFields, ...unknown } = body.params;
    const extra = Object.keys(unknown)[0];
    if (extra) throw errors.unprocessableBody(`Unknown rule parameter '${extra}'`);
    if (subjectNamingStrategy !== undefined) {
      if (!['topic', 'record', 'topic-record', 'any'].includes(String(subjectNamingStrategy))) {
        throw errors.unprocessableBody('subjectNamingStrategy must be topic, record, topic-record or any');
      }
      params.subjectNamingStrategy = subjectNamingStrategy as RuleParams['subjectNamingStrategy'];
    }
    if (fieldCase !== undefined) {
      if (fieldCase !== 'camelCase' && fieldCase !== 'snake_case') throw errors.unprocessableBody('fieldCase must be camelCase or snake_case');
      params.fieldCase = fieldCase;
    }
    if (envelopeFields !== undefined) {
      if (!isObject(envelopeFields) || Object.values(envelopeFields).some((v) => !Array.isArray(v) || v.some((n) => typeof n !== 'string'))) {
        throw errors.unprocessableBody('envelopeFields must map each role to a list of field names');
      }
      params.envelopeFields = envelopeFields as Record<string, string[]>;
    }
    out.params = params;
  }
  return out;
}

/** Registry-wide settings, then every prefix the subject starts with, shortest first: the longest prefix wins. */
export async function policyFor(store: Store, subject: string | undefined): Promise<EffectivePolicy> {
  const scopes = (await store.ruleSettings()).filter((s) => s.scope === '' || (subject !== undefined && subject.startsWith(s.scope)));
  scopes.sort((a, b) => a.scope.length - b.scope.length);
  return mergePolicy(scopes.map((s) => s.settings as RuleSettings));
}

/**
 * The default profile overlaid with each settings object in turn. A layer that names a profile starts over from it, so
 * a prefix's profile outranks severities set registry-wide; the layer's own severities then apply on top.
 */
export function mergePolicy(layers: RuleSettingsUpdate[]): EffectivePolicy {
  let profile: ProfileName = 'default';
  let severities = profileSeverities(profile);
  let params: RuleParams = DEFAULT_PARAMS;
  for (const settings of layers) {
    if (settings.profile) {
      profile = settings.profile;
      severities = profileSeverities(profile);
    }
    Object.assign(severities, settings.severities ?? {});
    params = { ...params, ...(settings.params ?? {}) };
  }
  return { profile, severities, params };
}

/** Runs every rule that applies to the format at its effective severity. */
export function evaluate(subject: string, outline: SchemaOutline, catalog: CatalogFacts | undefined, policy: EffectivePolicy): GovernanceFinding[] {
  const isEvent = !isSharedTypesSubject(subject);
  const findings: GovernanceFinding[] = [];
  for (const rule of RULES) {
    const severity = policy.severities[rule.id] ?? 'off';
    if (severity === 'off' || (rule.formats && !rule.formats.includes(outline.schemaType))) continue;
    if (rule.eventsOnly && !isEvent) continue;
    for (const p of rule.check({ subject, outline, catalog, params: policy.params, isEvent })) {
      findings.push({ rule: rule.id, category: rule.category, severity, ...p });
    }
  }
  return findings;
}

/** Subjects named after a file path (the default subject of a Protobuf import) hold shared types, not an event. */
export const isSharedTypesSubject = (subject: string) => /\.(proto|avsc|avdl|json)$/.test(subject);

/** One line per finding, for the 42201 message of a rejected registration. */
export function describeFindings(findings: GovernanceFinding[]): string {
  return findings.map((f) => `${f.rule} at ${f.path}: ${f.message} Fix: ${f.hint}.`).join(' ');
}
