// Compatibility config and registry mode, registry-wide (scope GLOBAL_SCOPE) and per subject.
import type { Store } from '../storage/store.js';
import { contextOf, contextPrefix, DEFAULT_CONTEXT } from './contexts.js';
import { errors } from './errors.js';
import {
  DEFAULT_MODE,
  GLOBAL_SCOPE,
  isReadOnly,
  parseCompatibilityLevel,
  parseMode,
  type CompatibilityLevel,
  type Mode,
} from './identifiers.js';
import { checkRuleSet } from './request.js';

/** Config in request form, as stored: `compatibility` plus the optional Confluent fields. */
export type ConfigRecord = Record<string, unknown> & { compatibility?: CompatibilityLevel; normalize?: boolean };

const BOOLEAN_FIELDS = ['normalize', 'validateFields'] as const;
const STRING_FIELDS = ['alias', 'compatibilityGroup', 'compatibilityPolicy'] as const;
const OBJECT_FIELDS = ['defaultMetadata', 'overrideMetadata'] as const;
const RULE_SET_FIELDS = ['defaultRuleSet', 'overrideRuleSet'] as const;

/** Reads the known fields of a PUT /config body; `compatibilityLevel` in a request is ignored, as CP does. */
export function parseConfigUpdate(body: unknown): ConfigRecord {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw errors.malformedBody('The request body must be a JSON object');
  const input = body as Record<string, unknown>;
  const update: ConfigRecord = {};
  if (input.compatibility !== undefined && input.compatibility !== null) update.compatibility = parseCompatibilityLevel(input.compatibility);
  for (const key of BOOLEAN_FIELDS) {
    if (input[key] === undefined || input[key] === null) continue;
    if (typeof input[key] !== 'boolean') throw errors.malformedBody(`"${key}" must be a boolean`);
    update[key] = input[key];
  }
  for (const key of STRING_FIELDS) {
    if (input[key] === undefined || input[key] === null) continue;
    if (typeof input[key] !== 'string') throw errors.malformedBody(`"${key}" must be a string`);
    update[key] = input[key];
  }
  for (const key of OBJECT_FIELDS) {
    if (input[key] === undefined || input[key] === null) continue;
    if (typeof input[key] !== 'object' || Array.isArray(input[key])) throw errors.malformedBody(`"${key}" must be an object`);
    update[key] = input[key];
  }
  for (const key of RULE_SET_FIELDS) {
    if (input[key] === undefined || input[key] === null) continue;
    checkRuleSet(input[key]);
    update[key] = input[key];
  }
  return update;
}

/** Response form: `compatibility` is answered as `compatibilityLevel`. */
export function configView(config: ConfigRecord): Record<string, unknown> {
  const { compatibility, ...rest } = config;
  return { ...(compatibility ? { compatibilityLevel: compatibility } : {}), ...rest };
}

/**
 * Where a subject's context keeps its config and mode: the scope `:.team-a:` (the context's own name, as CP addresses
 * it in /config/:.team-a:); undefined for the default context, whose settings are the global ones.
 */
export function contextScopeOf(subject: string): string | undefined {
  const context = contextOf(subject);
  return context === DEFAULT_CONTEXT ? undefined : contextPrefix(context);
}

export class Settings {
  constructor(
    private readonly defaultCompatibility: CompatibilityLevel,
    /** False: modes are fixed by whoever runs the server (Confluent's mode.mutability=false). */
    private readonly modeMutability = true,
  ) {}

  /** Confluent refuses mode writes (not reads, and not the removal a subject delete makes) when modes are fixed. */
  private assertModeMutable(): void {
    if (!this.modeMutability) throw errors.notPermitted('Mode changes are not allowed');
  }

  /** The registry-wide config, with the server default level filled in. */
  async globalConfig(store: Store): Promise<ConfigRecord> {
    const stored = (await store.config(GLOBAL_SCOPE)) as ConfigRecord | undefined;
    return { compatibility: this.defaultCompatibility, ...stored };
  }

  /** Subject config merged over its context's, merged over the global one: what governs the subject. */
  async effectiveConfig(store: Store, subject: string): Promise<ConfigRecord> {
    const scope = contextScopeOf(subject);
    const contextConfig = scope === undefined || scope === subject ? undefined : ((await store.config(scope)) as ConfigRecord | undefined);
    const subjectConfig = (await store.config(subject)) as ConfigRecord | undefined;
    return { ...(await this.globalConfig(store)), ...contextConfig, ...subjectConfig };
  }

  async getConfig(store: Store, subject: string | null, defaultToGlobal: boolean): Promise<Record<string, unknown>> {
    if (subject === null) return configView(await this.globalConfig(store));
    if (defaultToGlobal) return configView(await this.effectiveConfig(store, subject));
    const stored = (await store.config(subject)) as ConfigRecord | undefined;
    if (stored) return configView(stored);
    throw errors.subjectConfigNotFound(subject);
  }

  /** Merges `update` over the stored config and answers the new full config, in request form. */
  async putConfig(store: Store, subject: string | null, update: ConfigRecord, actor: string): Promise<ConfigRecord> {
    await this.assertWritable(store, subject);
    const scope = subject ?? GLOBAL_SCOPE;
    const merged = { ...((await store.config(scope, true)) ?? {}), ...update };
    await store.putConfig(scope, merged);
    await store.audit({ actor, action: 'config.put', subject, detail: update });
    return merged;
  }

  async deleteConfig(store: Store, subject: string | null, actor: string): Promise<Record<string, unknown>> {
    await this.assertWritable(store, subject);
    if (subject === null) {
      const old = await this.globalConfig(store);
      await store.deleteConfig(GLOBAL_SCOPE);
      await store.audit({ actor, action: 'config.delete', detail: old });
      return configView(old);
    }
    const old = (await store.config(subject)) as ConfigRecord | undefined;
    if (!old) throw errors.subjectNotFound(subject);
    await store.deleteConfig(subject);
    await store.audit({ actor, action: 'config.delete', subject, detail: old });
    return configView(old);
  }

  async globalMode(store: Store): Promise<Mode> {
    return ((await store.mode(GLOBAL_SCOPE)) as Mode | undefined) ?? DEFAULT_MODE;
  }

  /**
   * The mode governing writes to a subject: its own, else its context's, else the global one; a global
   * READONLY_OVERRIDE beats any other.
   */
  async effectiveMode(store: Store, subject: string | null): Promise<Mode> {
    const global = await this.globalMode(store);
    if (subject === null || global === 'READONLY_OVERRIDE') return global;
    const own = (await store.mode(subject)) as Mode | undefined;
    if (own) return own;
    const scope = contextScopeOf(subject);
    return (scope === undefined || scope === subject ? undefined : ((await store.mode(scope)) as Mode | undefined)) ?? global;
  }

  async assertWritable(store: Store, subject: string | null): Promise<void> {
    if (isReadOnly(await this.effectiveMode(store, subject))) throw errors.readOnly(subject, subject === null ? DEFAULT_CONTEXT : contextOf(subject));
  }

  async getMode(store: Store, subject: string | null, defaultToGlobal: boolean): Promise<{ mode: Mode }> {
    const global = await this.globalMode(store);
    if (subject === null || global === 'READONLY_OVERRIDE') return { mode: global };
    const stored = (await store.mode(subject)) as Mode | undefined;
    if (stored) return { mode: stored };
    if (defaultToGlobal) return { mode: await this.effectiveMode(store, subject) };
    throw errors.subjectModeNotFound(subject);
  }

  async putMode(store: Store, subject: string | null, rawMode: unknown, force: boolean, actor: string): Promise<{ mode: Mode }> {
    const mode = parseMode(rawMode);
    this.assertModeMutable();
    if (mode === 'IMPORT') {
      const subjects = await store.subjects();
      // A context's scope (`:.team-a:`) covers every subject of the context.
      const inScope = subjects.filter(
        (s) => subject === null || s.subject === subject || (contextScopeOf(subject) === subject && contextOf(s.subject) === contextOf(subject)),
      );
      if (!force && inScope.some((s) => s.live)) throw errors.notPermitted('Cannot import since found existing subjects');
      // Leftover soft-deleted versions would collide with imported ones: entering IMPORT clears them, as CP does.
      const leftovers = inScope.filter((x) => !x.live);
      for (const s of leftovers) {
        const versions = await store.versionsOf(s.subject);
        await store.removeVersions(s.subject, versions.filter((v) => v.deleted).map((v) => v.version));
        await store.announceDeletion(s.subject, true);
      }
    }
    await store.putMode(subject ?? GLOBAL_SCOPE, mode);
    await store.audit({ actor, action: 'mode.put', subject, detail: { mode, force } });
    return { mode };
  }

  async deleteMode(store: Store, subject: string | null, actor: string): Promise<{ mode: Mode }> {
    const scope = subject ?? GLOBAL_SCOPE;
    const old = (await store.mode(scope)) as Mode | undefined;
    if (!old && subject !== null) throw errors.subjectNotFound(subject);
    this.assertModeMutable();
    await store.deleteMode(scope);
    await store.audit({ actor, action: 'mode.delete', subject, detail: { mode: old ?? DEFAULT_MODE } });
    return { mode: old ?? DEFAULT_MODE };
  }
}
