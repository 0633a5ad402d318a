// Soft and permanent deletes of subjects and versions, with Confluent's ordering rules and reference guard.
import type { Store, VersionRow } from '../storage/store.js';
import { errors } from './errors.js';
import type { Subject, VersionSpec } from './identifiers.js';
import type { Settings } from './settings.js';

/**
 * Does a schema held by another subject reference one of `versions`? A soft delete counts only live referrers,
 * a permanent one counts soft-deleted referrers too. References within the subject itself do not block.
 */
async function referencedFromElsewhere(store: Store, subject: string, versions: number[], permanent: boolean): Promise<number | undefined> {
  for (const version of versions) {
    const holders = await store.versionsReferencing(subject, version);
    if (holders.some((h) => h.subject !== subject && (permanent || !h.deleted))) return version;
  }
  return undefined;
}

/** Forgets a subject's config and mode once it has no records left. */
async function forgetIfEmpty(store: Store, subject: string): Promise<void> {
  if ((await store.versionsOf(subject)).length > 0) return;
  await store.deleteConfig(subject);
  await store.deleteMode(subject);
}

export async function deleteSubject(store: Store, settings: Settings, subject: Subject, permanent: boolean, actor: string): Promise<number[]> {
  await store.lockSubject(subject);
  const rows = await store.versionsOf(subject);
  if (rows.length === 0) throw errors.subjectNotFound(subject);
  await settings.assertWritable(store, subject);
  const liveVersions = rows.filter((r) => !r.deleted).map((r) => r.version);
  if (permanent) {
    if (liveVersions.length > 0) throw errors.subjectNotSoftDeleted(subject);
  } else if (liveVersions.length === 0) {
    throw errors.subjectSoftDeleted(subject);
  }
  const targets = permanent ? rows.map((r) => r.version) : liveVersions;
  const referenced = await referencedFromElsewhere(store, subject, targets, permanent);
  if (referenced !== undefined) throw errors.referenceExists(subject, referenced);
  if (permanent) {
    await store.removeVersions(subject, targets);
    await forgetIfEmpty(store, subject);
  } else {
    await store.markDeleted(subject, targets);
  }
  await store.audit({ actor, action: permanent ? 'subject.delete.permanent' : 'subject.delete', subject, detail: { versions: targets } });
  return targets;
}

export async function deleteVersion(
  store: Store,
  settings: Settings,
  subject: Subject,
  spec: VersionSpec,
  permanent: boolean,
  actor: string,
): Promise<number> {
  await store.lockSubject(subject);
  const rows = await store.versionsOf(subject);
  if (rows.length === 0) throw errors.subjectNotFound(subject);
  await settings.assertWritable(store, subject);
  const row: VersionRow | undefined =
    spec === 'latest' ? rows.filter((r) => !r.deleted).at(-1) : rows.find((r) => r.version === spec);
  if (!row) throw errors.versionNotFound(spec === 'latest' ? -1 : spec);
  if (permanent && !row.deleted) throw errors.versionNotSoftDeleted(subject, row.version);
  if (!permanent && row.deleted) throw errors.versionSoftDeleted(subject, row.version);
  const holders = await store.versionsReferencing(subject, row.version);
  if (holders.some((h) => permanent || !h.deleted)) throw errors.referenceExists(subject, row.version);
  if (permanent) {
    await store.removeVersions(subject, [row.version]);
    await forgetIfEmpty(store, subject);
  } else {
    await store.markDeleted(subject, [row.version]);
  }
  await store.audit({
    actor,
    action: permanent ? 'version.delete.permanent' : 'version.delete',
    subject,
    version: row.version,
    schemaId: row.schemaId,
  });
  return row.version;
}
