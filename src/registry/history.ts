// The registry as it stood at a moment, replayed from the append-only audit log.
import type { AuditEntry, Store, VersionRow } from '../storage/store.js';
import { contextOf } from './contexts.js';
import { errors } from './errors.js';
import type { CompatibilityLevel, Subject, VersionSpec } from './identifiers.js';
import { configView } from './settings.js';
import { versionView, type SchemaVersionView } from './views.js';

type Entry = AuditEntry & { at: Date };

/** A subject's version rows (deleted ones included) after replaying its audit entries up to `at`. */
function replayVersions(subject: string, entries: Entry[], at: Date): VersionRow[] {
  const rows = new Map<number, VersionRow>();
  const versionsIn = (e: Entry): number[] => (Array.isArray(e.detail?.versions) ? (e.detail.versions as number[]) : e.version ? [e.version] : []);
  for (const e of entries) {
    if (e.at > at) break;
    switch (e.action) {
      case 'register':
        for (const v of (e.detail?.superseded as number[] | undefined) ?? []) rows.delete(v);
        rows.set(e.version!, { subject, version: e.version!, schemaId: e.schemaId!, deleted: false });
        break;
      case 'version.delete':
      case 'subject.delete':
        for (const v of versionsIn(e)) {
          const row = rows.get(v);
          if (row) rows.set(v, { ...row, deleted: true });
        }
        break;
      case 'version.delete.permanent':
      case 'subject.delete.permanent':
        for (const v of versionsIn(e)) rows.delete(v);
        break;
    }
  }
  return [...rows.values()].sort((a, b) => a.version - b.version);
}

/** The config of a scope as of `at`: every put merged in order, a delete starting over. Undefined when none was set. */
function replayConfig(entries: Entry[], at: Date): Record<string, unknown> | undefined {
  let config: Record<string, unknown> | undefined;
  for (const e of entries) {
    if (e.at > at) break;
    if (e.action === 'config.put') config = { ...config, ...(e.detail ?? {}) };
    else if (e.action === 'config.delete') config = undefined;
  }
  return config;
}

/** Parses `asOf`: an ISO timestamp or epoch milliseconds. */
export function parseAsOf(raw: string): Date | undefined {
  const date = /^\d+$/.test(raw) ? new Date(Number(raw)) : new Date(raw);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/** `?asOf=` reads: a subject's versions and config as they stood at a moment. */
export class HistoryReads {
  constructor(
    private readonly store: Store,
    private readonly defaultCompatibility: CompatibilityLevel,
  ) {}

  /** The subject's versions as they stood at `at` (live ones, or all with `deleted`), from the audit log. */
  async versionsAsOf(subject: Subject, at: Date, deleted: boolean): Promise<number[]> {
    const rows = replayVersions(subject, await this.store.auditTrail(subject), at).filter((r) => deleted || !r.deleted);
    if (rows.length === 0) throw errors.subjectNotFound(subject);
    return rows.map((r) => r.version);
  }

  async versionAsOf(subject: Subject, spec: VersionSpec, at: Date, deleted: boolean): Promise<SchemaVersionView> {
    const rows = replayVersions(subject, await this.store.auditTrail(subject), at);
    const visible = rows.filter((r) => deleted || !r.deleted);
    if (visible.length === 0) throw errors.subjectNotFound(subject);
    const row = spec === 'latest' ? rows.filter((r) => !r.deleted).at(-1) : visible.find((r) => r.version === spec);
    if (!row) throw errors.versionNotFound(spec === 'latest' ? -1 : spec);
    return versionView(row, (await this.store.schemaById(contextOf(row.subject), row.schemaId))!);
  }

  /** Subject-level config (or, with `subject` null, the global one) as it stood at `at`. */
  async configAsOf(subject: Subject | null, at: Date): Promise<Record<string, unknown>> {
    const entries = (await this.store.auditTrail(subject ?? undefined, { action: 'config' })).filter((e) => (e.subject ?? null) === subject);
    const config = replayConfig(entries, at);
    if (subject === null) return configView({ compatibility: this.defaultCompatibility, ...config });
    if (!config) throw errors.subjectConfigNotFound(subject);
    return configView(config);
  }
}
