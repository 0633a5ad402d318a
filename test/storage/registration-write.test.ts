// The registration write applies only to the subject as it was read: a stale read or a held subject lock writes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/storage/database.js';
import { Store, type RegistrationWrite } from '../../src/storage/store.js';
import { backends } from '../support/backends.js';

const write = (subject: string, version: number, fingerprint: string, expectedMaxVersion: number): RegistrationWrite => ({
  subject,
  context: '.',
  version,
  referenceTargets: [],
  schema: { schemaType: 'AVRO', schema: `"string"`, fingerprint, references: [], metadata: null, ruleSet: null },
  existingId: undefined,
  superseded: [],
  expectedMaxVersion,
  audit: { actor: 'test', detail: null },
});

describe.each(backends)('registration write ($name)', (backend) => {
  let database: Database;
  let store: Store;
  beforeAll(async () => {
    database = await backend.open();
    store = new Store(database.db, backend.name === 'pglite');
  });
  afterAll(() => database.close());

  it('writes schema, version and audit entry together, and reads them back as registration state', async () => {
    const id = await store.writeRegistration(write('guarded', 1, 'fp-1', 0));
    expect(id).toBeGreaterThan(0);
    const state = await store.registrationState('guarded', '.', 'fp-1');
    expect(state).toMatchObject({ maxVersion: 1, latestLive: { version: 1, schemaId: id }, liveSame: { version: 1, schemaId: id }, superseded: [] });
    expect(state.existing).toMatchObject({ id, schema: '"string"', fingerprint: 'fp-1' });
    expect((await store.auditTrail('guarded')).map((e) => [e.action, e.version, e.schemaId])).toEqual([['register', 1, id]]);
  });

  it('writes nothing, not even the schema, when the subject changed since it was read', async () => {
    expect(await store.writeRegistration(write('guarded', 2, 'fp-stale', 0))).toBeUndefined();
    const state = await store.registrationState('guarded', '.', 'fp-stale');
    expect(state.existing).toBeUndefined();
    expect(state.maxVersion).toBe(1);
    expect(await store.auditTrail('guarded')).toHaveLength(1);
  });

  it.skipIf(backend.name === 'pglite')('writes nothing while another writer holds the subject lock', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = store.transaction(async (tx) => {
      await tx.lockSubject('guarded');
      locked();
      await held;
    });
    await isLocked;
    expect(await store.writeRegistration(write('guarded', 2, 'fp-2', 1))).toBeUndefined();
    release();
    await holder;
    expect(await store.writeRegistration(write('guarded', 2, 'fp-2', 1))).toBeGreaterThan(0);
  });
});
