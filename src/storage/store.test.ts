import { describe, expect, it } from 'vitest';
import { parseChange } from './store.js';

describe('parseChange (notices between replicas)', () => {
  it('reads the changes replicas announce', () => {
    expect(parseChange('{"kind":"settings"}')).toEqual({ kind: 'settings' });
    expect(parseChange('{"kind":"deletion","subject":"orders-value","permanent":true}')).toEqual({ kind: 'deletion', subject: 'orders-value', permanent: true });
  });

  it('answers undefined for what it does not know, so the listener forgets everything instead of failing', () => {
    for (const payload of ['hard-delete', 'settings', '', 'null', '{"kind":"deletion"}', '{"kind":"rename"}', '[1]']) {
      expect(parseChange(payload)).toBeUndefined();
    }
  });
});
