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

/**
 * Removes a subject's config and mode, as Confluent (7.x–8.0) does when a soft delete leaves the subject no live
 * version: a subject deleted and re-created is then governed by the registry-wide level again, not by a stale one.
 * Each removal is audited, so `asOf` reads still show what was set. Hard deletes leave settings alone, as in Confluent.
 */
async function forgetSettings(store: Store, subject: string, actor: string): Promise<void> {
  const config = await store.config(subject, true);
  if (config) {
    await store.deleteConfig(subject);
    await store.audit({ actor, action: 'config.delete', subject, detail: config });
  }
  const mode = await store.mode(subject);
  if (mode) {
    await store.deleteMode(subject);
    await store.audit({ actor, action: 'mode.delete', subject, detail: { mode } });
  }
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
  } else {
    await store.markDeleted(subject, targets);
  }
  await store.audit({ actor, action: permanent ? 'subject.delete.permanent' : 'subject.delete', subject, detail: { versions: targets } });
  if (!permanent) await forgetSettings(store, subject, actor);
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
  // Soft-deleting the last live version clears the subject's settings, as deleting the subject does.
  if (!permanent && !rows.some((r) => !r.deleted && r.version !== row.version)) await forgetSettings(store, subject, actor);
  return row.version;
}
