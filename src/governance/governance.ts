// The governance service: catalog entries, rule settings and profiles, every change written to the audit log.
import { errors, RegistryError } from '../errors.js';
import type { Store } from '../storage/store.js';
import { parseCatalogEntry, type CatalogEntry } from './catalog.js';
import { parseRuleSettings, policyFor, type RuleSettings } from './policy.js';
import { PROFILE_NAMES, severityIn, type ProfileName } from './profiles.js';
import type { Severity } from './rule.js';
import { RULES } from './rules.js';

export interface CatalogSearch {
  owner?: string | undefined;
  domain?: string | undefined;
  tag?: string | undefined;
  lifecycle?: string | undefined;
  text?: string | undefined;
}

export interface RuleView {
  id: string;
  category: string;
  doc: string;
  /** The severity out of the box: the `default` profile's. */
  defaultSeverity: Severity;
  /** The severity in force (for the subject asked about, or registry-wide). */
  severity: Severity;
  /** The rule's severity in each profile; `off` when the profile does not run it. */
  profiles: Record<ProfileName, Severity>;
  formats?: string[];
}

/** A group of subjects by one catalog dimension (team or domain), with the other dimension's values. */
export interface CatalogGroup {
  name: string;
  subjects: string[];
  related: string[];
}

export class Governance {
  // ---- catalog

  async entry(store: Store, subject: string): Promise<Record<string, unknown>> {
    const entry = await store.catalogEntry(subject);
    if (!entry) throw errors.subjectNotFound(subject);
    return { subject, ...entry };
  }

  async putEntry(store: Store, subject: string, body: unknown, actor: string): Promise<Record<string, unknown>> {
    const entry: CatalogEntry = parseCatalogEntry(body);
    await store.putCatalogEntry(subject, entry as CatalogEntry & Record<string, unknown>);
    await store.audit({ actor, action: 'catalog.put', subject, detail: entry as unknown as Record<string, unknown> });
    return { subject, ...entry };
  }

  async deleteEntry(store: Store, subject: string, actor: string): Promise<Record<string, unknown>> {
    const old = await this.entry(store, subject);
    await store.deleteCatalogEntry(subject);
    await store.audit({ actor, action: 'catalog.delete', subject, detail: old });
    return old;
  }

  async search(store: Store, filter: CatalogSearch): Promise<Record<string, unknown>[]> {
    const rows = await store.searchCatalog(filter);
    return rows.map((r) => ({ subject: r.subject, ...r.entry }));
  }

  /** Teams (by owner) with their subjects and domains, or domains with their subjects and teams. */
  async groups(store: Store, by: 'owner' | 'domain'): Promise<CatalogGroup[]> {
    const other = by === 'owner' ? 'domain' : 'owner';
    const groups = new Map<string, { subjects: string[]; related: Set<string> }>();
    for (const { subject, entry } of await store.searchCatalog({})) {
      const key = entry[by];
      if (typeof key !== 'string') continue;
      const group = groups.get(key) ?? { subjects: [], related: new Set<string>() };
      group.subjects.push(subject);
      if (typeof entry[other] === 'string') group.related.add(entry[other] as string);
      groups.set(key, group);
    }
    return [...groups.entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, g]) => ({ name, subjects: g.subjects, related: [...g.related].sort() }));
  }

  // ---- rules

  async rules(store: Store, subject: string | undefined): Promise<RuleView[]> {
    const policy = await policyFor(store, subject);
    return RULES.map((r) => ({
      id: r.id,
      category: r.category,
      doc: r.doc,
      defaultSeverity: severityIn('default', r.id),
      severity: policy.severities[r.id] ?? 'off',
      profiles: Object.fromEntries(PROFILE_NAMES.map((name) => [name, severityIn(name, r.id)])) as Record<ProfileName, Severity>,
      ...(r.formats ? { formats: r.formats } : {}),
    }));
  }

  async settings(store: Store): Promise<{ global: RuleSettings; prefixes: Record<string, RuleSettings> }> {
    const rows = await store.ruleSettings();
    return {
      global: (rows.find((r) => r.scope === '')?.settings ?? {}) as RuleSettings,
      prefixes: Object.fromEntries(rows.filter((r) => r.scope !== '').map((r) => [r.scope, r.settings as RuleSettings])),
    };
  }

  /** Merges a profile, severities and parameters into a scope ('' = registry-wide, else a subject prefix); `profile: null` removes the profile. */
  async putSettings(store: Store, scope: string, body: unknown, actor: string): Promise<RuleSettings> {
    const update = parseRuleSettings(body);
    const current = ((await store.ruleSettings(true)).find((r) => r.scope === scope)?.settings ?? {}) as RuleSettings;
    const profile = update.profile === undefined ? current.profile : update.profile ?? undefined;
    const merged: RuleSettings = {
      ...(profile ? { profile } : {}),
      severities: { ...current.severities, ...update.severities },
      params: { ...current.params, ...update.params },
    };
    await store.putRuleSettings(scope, merged as Record<string, unknown>);
    await store.audit({ actor, action: 'governance.settings.put', subject: scope || null, detail: { scope, ...update } });
    return merged;
  }

  async deleteSettings(store: Store, scope: string, actor: string): Promise<void> {
    if (!(await store.deleteRuleSettings(scope))) {
      throw new RegistryError('subject_not_found', scope ? `No rule settings for prefix '${scope}'` : 'No registry-wide rule settings are set');
    }
    await store.audit({ actor, action: 'governance.settings.delete', subject: scope || null, detail: { scope } });
  }

  /** Puts a prefix (or the whole registry) on the `strict` profile: every rule runs, nearly all as errors. */
  async applyStrict(store: Store, scope: string, actor: string): Promise<RuleSettings> {
    return this.putSettings(store, scope, { profile: 'strict' }, actor);
  }
}
