// Upgrades of stored data that only code can compute (SQL migrations cannot parse a schema): each runs once per
// database, at start, under a lock, and is recorded in the audit log, whose entry is also how a later start knows it ran.
import type { Store } from '../storage/store.js';
import { DEFAULT_CONTEXT } from './contexts.js';
import { fingerprintOf, parseSchema, resolveReferences } from './schemas.js';

/**
 * The Protobuf printer now writes Confluent's form (no blank line between types, one statement per reserved range,
 * …), and a schema's identity hashes that printed text. Schemas stored before keep their text (an id's answer never
 * changes) but get the identity the same text has now: otherwise registering or looking up a schema already stored
 * would miss it, and a producer restarting after the upgrade would register a new version of an unchanged schema.
 */
const PROTOBUF_PRINTER_STEP = 'protobuf-confluent-printer';

/** Advisory-lock name serialising the upgrade between replicas that start together. */
const UPGRADE_LOCK = 'accord:upgrades';

export async function upgradeStoredSchemas(store: Store, maxDepth: number, log: (message: string) => void = () => {}): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.lockSubject(UPGRADE_LOCK);
    const done = await tx.auditTrail(undefined, { action: 'upgrade' });
    if (done.some((e) => e.detail?.step === PROTOBUF_PRINTER_STEP)) return;
    const rows = await tx.schemasOfType('PROTOBUF');
    let changed = 0;
    // Ids of the default context as numbers, those of a named context as `.ctx:id`.
    const kept: (number | string)[] = [];
    const keep = (row: { context: string; id: number }) => kept.push(row.context === DEFAULT_CONTEXT ? row.id : `${row.context}:${row.id}`);
    for (const row of rows) {
      let fingerprint: string;
      try {
        const { resolved } = await resolveReferences(tx, row.context, row.references, true);
        const parsed = parseSchema({ schemaType: row.schemaType, schema: row.schema, references: resolved, validate: false, normalize: false }, maxDepth);
        fingerprint = fingerprintOf(row.schemaType, parsed.canonical, row.references, row.metadata, row.ruleSet);
      } catch {
        keep(row); // a stored schema this parser cannot read keeps the identity it had
        continue;
      }
      if (fingerprint === row.fingerprint) continue;
      if (await tx.setFingerprint(row.context, row.id, fingerprint)) changed++;
      else keep(row); // another stored schema already prints the same: both stay as registered
    }
    await tx.audit({ actor: 'accord', action: 'upgrade', detail: { step: PROTOBUF_PRINTER_STEP, schemas: rows.length, changed, ...(kept.length ? { kept } : {}) } });
    if (changed) log(`re-identified ${changed} of ${rows.length} stored Protobuf schemas for Confluent's printed form`);
  });
}
