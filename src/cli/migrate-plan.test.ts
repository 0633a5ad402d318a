import { describe, expect, it } from 'vitest';
import { GLOBAL, compareStates, emptyState, planMigration, type RegistryState, type SchemaRecord, type VersionRecord } from './migrate-plan.js';

const avro = (name: string): SchemaRecord => ({ schemaType: 'AVRO', schema: `{"type":"record","name":"${name}","fields":[]}`, references: [] });

function state(versions: [subject: string, version: number, id: number, deleted?: boolean][], schemas: [number, SchemaRecord][], extra: Partial<RegistryState> = {}): RegistryState {
  return {
    ...emptyState(),
    schemas: new Map(schemas),
    versions: versions.map(([subject, version, id, deleted]): VersionRecord => ({ subject, version, id, deleted: deleted === true })),
    ...extra,
  };
}

// a-orders references z-money version 1 (alphabetically after it); z-money version 1 is soft-deleted in the source,
// which it can be only because its referrer is soft-deleted too.
const money = avro('Money');
const order: SchemaRecord = { schemaType: 'AVRO', schema: '{"type":"record","name":"Order","fields":[{"name":"m","type":"Money"}]}', references: [{ name: 'Money', subject: 'z-money', version: 1 }] };
const source = state(
  [
    ['a-orders', 1, 2, true],
    ['b-plain', 1, 3],
    ['b-plain', 2, 4],
    ['z-money', 1, 1, true],
  ],
  [
    [1, money],
    [2, order],
    [3, avro('B1')],
    [4, avro('B2')],
  ],
  { configs: new Map([[GLOBAL, { compatibility: 'FULL' }], ['b-plain', { compatibility: 'NONE' }]]), modes: new Map([[GLOBAL, 'READWRITE'], ['b-plain', 'READONLY']]) },
);

describe('planMigration', () => {
  it('registers references first, soft-deletes referrers first, and writes the global mode last', () => {
    const plan = planMigration(source, emptyState());
    expect(plan.conflicts).toEqual([]);
    expect(plan.register.map((v) => `${v.subject}/${v.version}`)).toEqual(['z-money/1', 'a-orders/1', 'b-plain/1', 'b-plain/2']);
    expect(plan.softDelete.map((v) => `${v.subject}/${v.version}`)).toEqual(['a-orders/1', 'z-money/1']);
    expect(plan.configs).toEqual([[GLOBAL, { compatibility: 'FULL' }], ['b-plain', { compatibility: 'NONE' }]]);
    expect(plan.modes.map(([scope]) => scope)).toEqual(['b-plain', GLOBAL]);
  });

  it('on a second run plans only what is missing: a version present live but deleted in the source is soft-deleted', () => {
    const partial = state([['z-money', 1, 1], ['b-plain', 1, 3]], [[1, money], [3, avro('B1')]]);
    const plan = planMigration(source, partial);
    expect(plan.conflicts).toEqual([]);
    expect(plan.register.map((v) => `${v.subject}/${v.version}`)).toEqual(['a-orders/1', 'b-plain/2']);
    expect(plan.softDelete.map((v) => `${v.subject}/${v.version}`)).toEqual(['a-orders/1', 'z-money/1']);
    expect(plan.perSubject.get('b-plain')).toEqual({ versions: 2, present: 1, register: 1, softDelete: 0, conflicts: 0 });
  });

  it('names every conflict: another schema under an id, the same schema under another id, other versions', () => {
    const target = state(
      [
        ['z-money', 1, 1],
        ['b-plain', 1, 9],
        ['b-plain', 3, 9],
        ['a-orders', 1, 2, true],
      ],
      [
        [1, avro('NotMoney')],
        [9, avro('B1')],
        [2, order],
      ],
    );
    const plan = planMigration(source, target);
    expect(plan.conflicts).toEqual([
      expect.stringMatching(/^id 1: the target holds a different schema under it \(AVRO \{"type":"record","name":"NotMoney"/),
      'id 3: the target holds the same schema under id 9',
      'b-plain version 1: the target holds id 9 there, the source id 3',
      'z-money version 1: uses id 1, which conflicts (above)',
      'b-plain version 3: in the target (id 9) but not in the source',
    ]);
    // a-orders is there already, identical (soft-deleted on both sides): no conflict, nothing to do.
    expect(plan.perSubject.get('a-orders')).toMatchObject({ present: 1, conflicts: 0 });
  });

  it('with force leaves conflicting subjects and their referrers as the target holds them', () => {
    const target = state([['z-money', 1, 1]], [[1, avro('NotMoney')]]);
    const plan = planMigration(source, target, { force: true });
    expect(plan.conflicts.length).toBeGreaterThan(0);
    expect(plan.skippedSubjects).toEqual(['a-orders', 'z-money']);
    expect(plan.register.map((v) => `${v.subject}/${v.version}`)).toEqual(['b-plain/1', 'b-plain/2']);
    expect(plan.softDelete).toEqual([]);
  });

  it('refuses a deleted target version the source has live', () => {
    const target = state([['b-plain', 1, 3, true]], [[3, avro('B1')]]);
    const plan = planMigration(source, target);
    expect(plan.conflicts).toContain('b-plain version 1: soft-deleted in the target, live in the source');
  });

  it('plans each context as a registry of its own: its ids may repeat the default context’s', () => {
    // In .tenant-a, id 1 is another schema than the default context's id 1, and x references y within its context.
    const y = avro('Y');
    const x: SchemaRecord = { schemaType: 'AVRO', schema: '{"type":"record","name":"X","fields":[{"name":"y","type":"Y"}]}', references: [{ name: 'Y', subject: 'y', version: 1 }] };
    const withContext: RegistryState = {
      ...source,
      contexts: ['.tenant-a'],
      contextSchemas: new Map([['tenant-a', new Map([[1, x], [2, y]])]]),
      versions: [...source.versions, { subject: ':.tenant-a:x', version: 1, id: 1, deleted: false }, { subject: ':.tenant-a:y', version: 1, id: 2, deleted: false }],
      configs: new Map([[':.tenant-a:', { compatibility: 'NONE' }]]),
    };
    const plan = planMigration(withContext, emptyState());
    expect(plan.conflicts).toEqual([]);
    const contextual = plan.register.filter((v) => v.subject.startsWith(':.'));
    expect(contextual.map((v) => `${v.subject}/${v.version}#${v.id}`)).toEqual([':.tenant-a:y/1#2', ':.tenant-a:x/1#1']);
    expect(plan.configs).toEqual([[':.tenant-a:', { compatibility: 'NONE' }]]);
    // The same id in the target's context holding another schema: a conflict named with its context.
    const target: RegistryState = {
      ...emptyState(),
      contextSchemas: new Map([['tenant-a', new Map([[1, avro('Other')]])]]),
      versions: [{ subject: ':.tenant-a:other', version: 1, id: 1, deleted: false }],
    };
    expect(planMigration(withContext, target).conflicts[0]).toMatch(/^context \.tenant-a: id 1: the target holds a different schema under it/);
  });
});

describe('compareStates', () => {
  it('is empty for identical states and names each difference', () => {
    expect(compareStates(source, source)).toEqual([]);
    const other = { ...source, versions: source.versions.map((v) => (v.subject === 'b-plain' && v.version === 2 ? { ...v, deleted: true } : v)), modes: new Map([[GLOBAL, 'IMPORT']]) };
    expect(compareStates(source, other)).toEqual([
      'b-plain version 2: the target has id 4 (soft-deleted), the source id 4',
      'mode of the registry: IMPORT in the target, READWRITE in the source',
      'mode of b-plain: none in the target, READONLY in the source',
    ]);
  });
});
