import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded-map.js';

const byLength = (_: string, value: string) => value.length;

describe('BoundedMap', () => {
  it('forgets the oldest entries once their weight passes the capacity', () => {
    const map = new BoundedMap<string, string>(10, byLength);
    map.set('a', 'xxxx');
    map.set('b', 'xxxx');
    map.set('c', 'xxxx');
    expect([...map.keys()]).toEqual(['b', 'c']);
    expect(map.weight).toBe(8);
  });

  it('replacing an entry replaces its weight, and an entry heavier than the whole capacity is not kept', () => {
    const map = new BoundedMap<string, string>(10, byLength);
    map.set('a', 'xxxxxxxx');
    map.set('a', 'x');
    expect(map.weight).toBe(1);
    map.set('huge', 'x'.repeat(11));
    expect(map.get('huge')).toBeUndefined();
    expect(map.get('a')).toBe('x');
  });

  it('never holds more than its capacity, and always the newest entries that fit', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.string({ maxLength: 12 }))), (writes) => {
        const map = new BoundedMap<string, string>(20, byLength);
        for (const [k, v] of writes) map.set(k, v);
        expect(map.weight).toBeLessThanOrEqual(20);
        expect(map.weight).toBe([...map.keys()].reduce((sum, k) => sum + map.get(k)!.length, 0));
        const last = writes.at(-1);
        if (last) expect(map.get(last[0])).toBe(last[1]);
      }),
    );
  });
});
