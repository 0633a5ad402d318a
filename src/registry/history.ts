// The registry as it stood at a moment, replayed from the append-only audit log.
import type { AuditEntry } from '../storage/store.js';
import type { VersionRow } from '../storage/store.js';

type Entry = AuditEntry & { at: Date };

/** A subject's version rows (deleted ones included) after replaying its audit entries up to `at`. */
export function versionsAsOf(subject: string, entries: Entry[], at: Date): VersionRow[] {
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
export function configAsOf(entries: Entry[], at: Date): Record<string, unknown> | undefined {
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
