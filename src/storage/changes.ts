// Changes one replica announces to the others, and the per-process cache of settings they invalidate.

/** PostgreSQL channel on which replicas announce changes that invalidate caches; each payload is a Change as JSON. */
export const CHANGES_CHANNEL = 'accord_changes';

/** A change another replica made that may make this one's cached answers untrue. */
export type Change = { kind: 'settings' } | { kind: 'deletion'; subject: string; permanent: boolean } | { kind: 'context'; context: string };

/** A notice's Change, or undefined for a payload this version does not know. */
export function parseChange(payload: string): Change | undefined {
  try {
    const change = JSON.parse(payload) as Partial<Change> | null;
    if (change?.kind === 'settings') return { kind: 'settings' };
    if (change?.kind === 'deletion' && typeof change.subject === 'string') return { kind: 'deletion', subject: change.subject, permanent: change.permanent === true };
    if (change?.kind === 'context' && typeof change.context === 'string') return { kind: 'context', context: change.context };
  } catch {
    // not JSON: fall through
  }
  return undefined;
}

/**
 * Config, mode and rule settings, read on every registration and rarely written: kept per process. Every write clears
 * it here (at once and again after commit) and, through a notice on CHANGES_CHANNEL, in every replica; entries also
 * expire, as a safety net for a notice lost while the listening connection was down.
 */
export class SettingsCache {
  private readonly entries = new Map<string, { value: unknown; at: number }>();
  constructor(private readonly ttlMs = 10_000) {}

  async get<T>(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && Date.now() - hit.at < this.ttlMs) return hit.value as T;
    const value = await load();
    this.entries.set(key, { value, at: Date.now() });
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}
