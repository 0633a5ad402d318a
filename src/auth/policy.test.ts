import { describe, expect, it } from 'vitest';
import { ANONYMOUS, globPattern, Policy, principalId, type Principal } from './policy.js';

const user = (name: string, groups: string[] = []): Principal => ({ kind: 'user', name, groups });

describe('globs', () => {
  it('match whole names, * across dots and dashes, ? one character, nothing else special', () => {
    const g = globPattern(['orders.*', 'pay-?-value', 'a+b(c)'])!;
    expect(['orders.created-value', 'orders.', 'pay-x-value', 'a+b(c)'].every((s) => g.test(s))).toBe(true);
    expect(['xorders.a', 'pay-xy-value', 'aab(c)', 'orders'].some((s) => g.test(s))).toBe(false);
  });
});

describe('policy', () => {
  const policy = new Policy([
    { role: 'reader', members: ['anonymous'], subjects: ['public.*'], resources: [] },
    { role: 'reader', members: ['*'], subjects: ['*'], resources: ['catalog'] },
    { role: 'writer', members: ['group:orders'], subjects: ['orders.*'], resources: [] },
    { role: 'writer', members: ['token:ci'], subjects: [], resources: ['governance'] },
    { role: 'admin', members: ['user:root'], subjects: [], resources: [] },
  ]);

  it('grants readers read, writers read and write, admins everything', () => {
    const reader = policy.access(user('r'));
    expect([reader.subject('read', 'x'), reader.subject('write', 'x'), reader.global('read', 'catalog'), reader.global('read', 'audit')]).toEqual([true, false, true, false]);
    const writer = policy.access(user('w', ['orders']));
    expect([writer.subject('write', 'orders.a'), writer.subject('write', 'payments.a')]).toEqual([true, false]);
    const root = policy.access(user('root'));
    expect([root.subject('write', 'any'), root.global('write', 'config'), root.global('write', 'audit')]).toEqual([true, true, true]);
    expect(policy.access({ kind: 'token', name: 'ci', groups: [] }).global('write', 'governance')).toBe(true);
  });

  it('gives anonymous only what names it, never what * (anyone signed in) grants', () => {
    const anon = policy.access(ANONYMOUS);
    expect([anon.subject('read', 'public.x'), anon.subject('read', 'orders.a'), anon.global('read', 'catalog')]).toEqual([true, false, false]);
    expect(policy.allowsAnonymous).toBe(true);
  });

  it('names principals by kind', () => {
    expect([principalId(user('a')), principalId(ANONYMOUS), principalId({ kind: 'token', name: 'ci', groups: [] })]).toEqual(['user:a', 'anonymous', 'token:ci']);
  });
});
