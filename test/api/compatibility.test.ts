// Conformance, reference §3.4 and §7: the /compatibility endpoints, levels, verbose output, and their effect on register.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustOk, mustRegister, record, uniq, type Client } from './helpers.js';

const V1 = record('r', [['f1', 'string']]);
const WITH_DEFAULT = record('r', [['f1', 'string'], { name: 'f2', type: 'int', default: 0 }]);
const NO_DEFAULT = record('r', [['f1', 'string'], ['f2', 'int']]);
const enumOf = (...symbols: string[]) => ({ type: 'enum', name: 'E', symbols });

describe.each(backends)('compatibility ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());

  /** A subject at `level` holding `schemas` as versions 1..n (registered under NONE, then the level set). */
  const subjectWith = async (level: string, ...schemas: unknown[]) => {
    const s = uniq(level.toLowerCase());
    await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'NONE' }));
    for (const schema of schemas) await mustRegister(api, s, schema);
    await mustOk(api.put(`/config/${enc(s)}`, { compatibility: level }));
    return s;
  };
  const check = (s: string, schema: unknown, version = 'latest', query = '') =>
    api.post(`/compatibility/subjects/${enc(s)}/versions${version === '' ? '' : `/${version}`}${query}`, {
      schema: typeof schema === 'string' ? schema : JSON.stringify(schema),
    });
  const verdict = async (s: string, schema: unknown, version = 'latest') => {
    const res = await check(s, schema, version);
    expect(res.status).toBe(200);
    return res.json.is_compatible as boolean;
  };

  describe('levels against the latest version (§7)', () => {
    it.each([
      ['BACKWARD', 'adding a field without a default', V1, NO_DEFAULT, false],
      ['BACKWARD', 'adding a field with a default', V1, WITH_DEFAULT, true],
      ['BACKWARD', 'removing a field', WITH_DEFAULT, V1, true],
      ['BACKWARD', 'int → long (promotion)', record('r', [['n', 'int']]), record('r', [['n', 'long']]), true],
      ['BACKWARD', 'long → int', record('r', [['n', 'long']]), record('r', [['n', 'int']]), false],
      ['BACKWARD', 'string → int', record('r', [['n', 'string']]), record('r', [['n', 'int']]), false],
      ['BACKWARD', 'adding an enum symbol', enumOf('A'), enumOf('A', 'B'), true],
      ['BACKWARD', 'renaming the record without an alias', V1, record('renamed', [['f1', 'string']]), false],
      ['FORWARD', 'adding an enum symbol', enumOf('A'), enumOf('A', 'B'), false],
      ['FORWARD', 'removing a field with no default', NO_DEFAULT, V1, false],
      ['FORWARD', 'adding a field without a default', V1, NO_DEFAULT, true],
      ['FORWARD', 'removing a field that had a default', WITH_DEFAULT, V1, true],
      ['FULL', 'adding a field without a default', V1, NO_DEFAULT, false],
      ['FULL', 'adding a field with a default', V1, WITH_DEFAULT, true],
      ['FULL', 'int → long', record('r', [['n', 'int']]), record('r', [['n', 'long']]), false],
      ['NONE', 'changing everything', V1, '"int"', true],
    ])('%s: %s → %s', async (level, _label, old, candidate, expected) => {
      const s = await subjectWith(level, old);
      expect(await verdict(s, candidate)).toBe(expected);
      expect(await verdict(s, candidate, '')).toBe(expected);
    });

    it('a schema is compatible with itself at every level', async () => {
      for (const level of ['BACKWARD', 'FORWARD_TRANSITIVE', 'FULL_TRANSITIVE']) {
        const s = await subjectWith(level, V1);
        expect(await verdict(s, V1)).toBe(true);
      }
    });
  });

  describe('transitive levels (§7)', () => {
    it('v1 {f1}, v2 {f1, f2 default}, v3 {f1, f2 no default}: BACKWARD passes, BACKWARD_TRANSITIVE fails', async () => {
      const plain = await subjectWith('BACKWARD', V1, WITH_DEFAULT);
      expect(await verdict(plain, NO_DEFAULT, '')).toBe(true);
      expect((await api.register(plain, NO_DEFAULT)).status).toBe(200);

      const transitive = await subjectWith('BACKWARD_TRANSITIVE', V1, WITH_DEFAULT);
      const res = await check(transitive, NO_DEFAULT, '', '?verbose=true');
      expect(res.json.is_compatible).toBe(false);
      expect(res.json.messages).toContain('{oldSchemaVersion: 1}');
      expect(res.json.incompatibilities[0]).toMatchObject({ rule: 'READER_FIELD_MISSING_DEFAULT_VALUE', path: '/fields/1', oldVersion: 1 });
      const reg = await api.register(transitive, NO_DEFAULT);
      expect(reg.status).toBe(409);
      expect(reg.json.error_code).toBe(409);
    });

    it('a transitive check stops at the newest failing version', async () => {
      const fields = ['f2', 'f3', 'f4'].map((f): [string, string] => [f, 'int']);
      const s = await subjectWith(
        'FORWARD_TRANSITIVE',
        record('r', [['f1', 'string'], ...fields.slice(0, 1)]),
        record('r', [['f1', 'string'], ...fields.slice(0, 2)]),
        record('r', [['f1', 'string'], ...fields]),
      );
      const res = await check(s, V1, '', '?verbose=true');
      expect(res.json.is_compatible).toBe(false);
      expect(res.json.messages).toContain('{oldSchemaVersion: 3}');
      expect(res.json.incompatibilities.length).toBeGreaterThan(0);
      expect(res.json.incompatibilities.every((i: { oldVersion: number }) => i.oldVersion === 3)).toBe(true);
    });

    it('against one named version, transitivity is moot: only that version counts', async () => {
      const s = await subjectWith('BACKWARD_TRANSITIVE', V1, WITH_DEFAULT);
      expect(await verdict(s, NO_DEFAULT, '2')).toBe(true);
      expect(await verdict(s, NO_DEFAULT, '1')).toBe(false);
    });

    it('soft-deleted versions are ignored', async () => {
      const s = await subjectWith('BACKWARD_TRANSITIVE', V1, WITH_DEFAULT);
      await mustOk(api.delete(`/subjects/${enc(s)}/versions/1`));
      expect(await verdict(s, NO_DEFAULT, '')).toBe(true);
    });
  });

  describe('the endpoints (§3.4)', () => {
    it('without verbose the body is exactly {is_compatible}', async () => {
      const s = await subjectWith('BACKWARD', V1);
      expect((await check(s, NO_DEFAULT)).json).toEqual({ is_compatible: false });
      expect((await check(s, WITH_DEFAULT, '')).json).toEqual({ is_compatible: true });
    });

    it('verbose and compatible → messages: []', async () => {
      const s = await subjectWith('BACKWARD', V1);
      const res = await check(s, WITH_DEFAULT, 'latest', '?verbose=true');
      expect(res.status).toBe(200);
      expect(res.json.is_compatible).toBe(true);
      expect(res.json.messages).toEqual([]);
    });

    it('verbose and incompatible → messages, plus structured incompatibilities', async () => {
      const s = await subjectWith('BACKWARD', V1);
      const res = await check(s, NO_DEFAULT, '1', '?verbose=true&normalize=false');
      expect(res.status).toBe(200);
      expect(res.json.is_compatible).toBe(false);
      expect(res.json.messages.length).toBeGreaterThan(0);
      for (const m of res.json.messages) expect(typeof m).toBe('string');
      expect(res.json.messages).toContain('{oldSchemaVersion: 1}');
      expect(res.json.incompatibilities).toHaveLength(1);
      const [finding] = res.json.incompatibilities;
      expect(finding).toMatchObject({ rule: 'READER_FIELD_MISSING_DEFAULT_VALUE', path: '/fields/1', oldVersion: 1 });
      expect(typeof finding.message).toBe('string');
      expect(typeof finding.hint).toBe('string');
    });

    it('a type change is reported as TYPE_MISMATCH at the field type', async () => {
      const s = await subjectWith('BACKWARD', record('r', [['a', 'string'], ['n', 'string']]));
      const res = await check(s, record('r', [['a', 'string'], ['n', 'int']]), 'latest', '?verbose=true');
      expect(res.json.incompatibilities).toEqual([expect.objectContaining({ rule: 'TYPE_MISMATCH', path: '/fields/1/type', oldVersion: 1 })]);
    });

    it('a rename is reported as NAME_MISMATCH; a removed enum symbol as MISSING_ENUM_SYMBOLS', async () => {
      const s = await subjectWith('BACKWARD', V1);
      const renamed = await check(s, record('other', [['f1', 'string']]), 'latest', '?verbose=true');
      expect(renamed.json.incompatibilities.map((i: { rule: string }) => i.rule)).toContain('NAME_MISMATCH');
      const e = await subjectWith('BACKWARD', enumOf('A', 'B'));
      const shrunk = await check(e, enumOf('A'), 'latest', '?verbose=true');
      expect(shrunk.json.incompatibilities.map((i: { rule: string }) => i.rule)).toContain('MISSING_ENUM_SYMBOLS');
    });

    it('latest with no subject, or no live versions → compatible', async () => {
      expect(await verdict(uniq('ghost'), NO_DEFAULT)).toBe(true);
      expect(await verdict(uniq('ghost'), NO_DEFAULT, '')).toBe(true);
      const s = await subjectWith('BACKWARD', V1);
      await mustOk(api.delete(`/subjects/${enc(s)}`));
      expect(await verdict(s, '"int"')).toBe(true);
      expect(await verdict(s, '"int"', '')).toBe(true);
    });

    it('a specific version that is missing or soft-deleted → 404/40402, also for an unknown subject', async () => {
      const s = await subjectWith('BACKWARD', V1, WITH_DEFAULT);
      const missing = await check(s, V1, '5');
      expect(missing.status).toBe(404);
      expect(missing.json.error_code).toBe(40402);
      await mustOk(api.delete(`/subjects/${enc(s)}/versions/1`));
      expect((await check(s, V1, '1')).json.error_code).toBe(40402);
      const ghost = await check(uniq('ghost'), V1, '1');
      expect(ghost.status).toBe(404);
      expect(ghost.json.error_code).toBe(40402);
    });

    it('a bad version → 422/42202', async () => {
      const s = await subjectWith('BACKWARD', V1);
      for (const v of ['0', 'abc', '-3']) {
        const res = await check(s, V1, v);
        expect(res.status).toBe(422);
        expect(res.json.error_code).toBe(42202);
      }
    });

    it('an invalid schema → 42201, but with verbose 200 is_compatible false and a message', async () => {
      const s = await subjectWith('BACKWARD', V1);
      const plain = await check(s, '{"type": "recor');
      expect(plain.status).toBe(422);
      expect(plain.json.error_code).toBe(42201);
      const verbose = await check(s, '{"type": "recor', 'latest', '?verbose=true');
      expect(verbose.status).toBe(200);
      expect(verbose.json.is_compatible).toBe(false);
      expect(verbose.json.messages).toHaveLength(1);
      expect(typeof verbose.json.messages[0]).toBe('string');
    });

    it('a missing body → 422/422; malformed JSON → 400', async () => {
      const s = await subjectWith('BACKWARD', V1);
      const missing = await api.post(`/compatibility/subjects/${enc(s)}/versions/latest`);
      expect(missing.status).toBe(422);
      expect(missing.json.error_code).toBe(422);
      const malformed = await api.post(`/compatibility/subjects/${enc(s)}/versions/latest`, '{');
      expect(malformed.status).toBe(400);
      expect(malformed.json.error_code).toBe(400);
    });

    it('NONE is always compatible, even across a change of schema type', async () => {
      const s = await subjectWith('NONE', V1);
      expect(await verdict(s, '"bytes"')).toBe(true);
    });
  });

  describe('effect on registration', () => {
    it('an incompatible registration → 409/409 with a message and no new version', async () => {
      const s = await subjectWith('BACKWARD', V1);
      const res = await api.register(s, NO_DEFAULT);
      expect(res.status).toBe(409);
      expect(res.json.error_code).toBe(409);
      expect(typeof res.json.message).toBe('string');
      expect((await api.get(`/subjects/${enc(s)}/versions`)).json).toEqual([1]);
    });

    it('the global level applies when the subject has none', async () => {
      const s = uniq('global');
      await mustRegister(api, s, enumOf('A'));
      await mustOk(api.put('/config', { compatibility: 'FORWARD' }));
      try {
        expect(await verdict(s, enumOf('A', 'B'))).toBe(false);
        expect((await api.register(s, enumOf('A', 'B'))).status).toBe(409);
      } finally {
        await mustOk(api.delete('/config'));
      }
      expect(await verdict(s, enumOf('A', 'B'))).toBe(true);
    });

    it('deleting an incompatible latest version lets a rejected schema register', async () => {
      const s = await subjectWith('BACKWARD', V1, record('r', [['f1', 'int']]));
      const candidate = record('r', [['f1', 'string'], { name: 'h', type: 'int', default: 1 }]);
      const rejected = await api.register(s, candidate);
      expect(rejected.status).toBe(409);
      expect(rejected.json.error_code).toBe(409);
      await mustOk(api.delete(`/subjects/${enc(s)}/versions/2`));
      expect(await verdict(s, candidate, '')).toBe(true);
      const accepted = await api.register(s, candidate);
      expect(accepted.status).toBe(200);
      expect((await api.get(`/subjects/${enc(s)}/versions`)).json).toEqual([1, 3]);
    });

    it('a different schema type is incompatible under a non-NONE level', async (ctx) => {
      const s = await subjectWith('BACKWARD', V1);
      const types = (await api.get('/schemas/types')).json as string[];
      const other = types.find((t) => t !== 'AVRO');
      if (!other) ctx.skip(); // only Avro is served: nothing to compare across
      const schema = other === 'JSON' ? '{"type":"object"}' : 'syntax = "proto3";\nmessage M { string a = 1; }\n';
      const res = await api.post(`/compatibility/subjects/${enc(s)}/versions/latest`, { schema, schemaType: other });
      expect(res.status).toBe(200);
      expect(res.json.is_compatible).toBe(false);
    });
  });
});
