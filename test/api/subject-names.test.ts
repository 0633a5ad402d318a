// Subject names a client may send on every route that takes one: the longest name that may be written, and names
// that cannot be written (too long, NUL and other control characters, escapes that are not UTF-8, reserved names).
// Writes refuse them with 422/42208 naming the problem; reads answer exactly as for a subject that does not exist.
import { randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SUBJECT_LENGTH } from '../../src/registry/identifiers.js';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustOk, mustRegister, record, uniq, type Client } from './helpers.js';

const SCHEMA = { schema: JSON.stringify(record('r', [['a', 'string']])) };
const LETTERS = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
/** Random letters: a name PostgreSQL cannot compress, so its whole length reaches the index. */
const letters = (n: number) => Array.from({ length: n }, () => LETTERS[randomInt(LETTERS.length)]).join('');
/** Random CJK Extension B characters: 4 bytes each in UTF-8 (2 UTF-16 code units), the worst case in bytes. */
const wide = (n: number) => Array.from({ length: n }, () => String.fromCodePoint(0x20000 + randomInt(0xa6df))).join('');

interface Route {
  name: string;
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The path, given the subject's path segment (already percent-encoded). */
  path: (segment: string) => string;
  body?: unknown;
}

/** Every route that creates or changes something under a subject name. */
const WRITES: Route[] = [
  { name: 'register', method: 'POST', path: (s) => `/subjects/${s}/versions`, body: SCHEMA },
  { name: 'PUT config', method: 'PUT', path: (s) => `/config/${s}`, body: { compatibility: 'FULL' } },
  { name: 'PUT mode', method: 'PUT', path: (s) => `/mode/${s}`, body: { mode: 'READWRITE' } },
  { name: 'PUT catalog', method: 'PUT', path: (s) => `/catalog/subjects/${s}`, body: { owner: 'checkout' } },
  { name: 'dry run', method: 'POST', path: (s) => `/governance/subjects/${s}/check`, body: SCHEMA },
];

const AS_OF = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());

/** Every route that reads, looks up or deletes by subject name (a path segment or a query parameter). */
const READS: Route[] = [
  { name: 'versions', method: 'GET', path: (s) => `/subjects/${s}/versions` },
  { name: 'versions asOf', method: 'GET', path: (s) => `/subjects/${s}/versions?asOf=${AS_OF}` },
  { name: 'version', method: 'GET', path: (s) => `/subjects/${s}/versions/1` },
  { name: 'version asOf', method: 'GET', path: (s) => `/subjects/${s}/versions/latest?asOf=${AS_OF}` },
  { name: 'version schema', method: 'GET', path: (s) => `/subjects/${s}/versions/latest/schema` },
  { name: 'referencedby', method: 'GET', path: (s) => `/subjects/${s}/versions/1/referencedby` },
  { name: 'metadata', method: 'GET', path: (s) => `/subjects/${s}/metadata?key=k&value=v` },
  { name: 'lookup', method: 'POST', path: (s) => `/subjects/${s}`, body: SCHEMA },
  { name: 'lookup deleted', method: 'POST', path: (s) => `/subjects/${s}?deleted=true`, body: SCHEMA },
  { name: 'DELETE version', method: 'DELETE', path: (s) => `/subjects/${s}/versions/1` },
  { name: 'DELETE subject', method: 'DELETE', path: (s) => `/subjects/${s}` },
  { name: 'DELETE subject permanent', method: 'DELETE', path: (s) => `/subjects/${s}?permanent=true` },
  { name: 'GET config', method: 'GET', path: (s) => `/config/${s}` },
  { name: 'GET config defaultToGlobal', method: 'GET', path: (s) => `/config/${s}?defaultToGlobal=true` },
  { name: 'GET config asOf', method: 'GET', path: (s) => `/config/${s}?asOf=${AS_OF}` },
  { name: 'DELETE config', method: 'DELETE', path: (s) => `/config/${s}` },
  { name: 'GET mode', method: 'GET', path: (s) => `/mode/${s}` },
  { name: 'GET mode defaultToGlobal', method: 'GET', path: (s) => `/mode/${s}?defaultToGlobal=true` },
  { name: 'DELETE mode', method: 'DELETE', path: (s) => `/mode/${s}` },
  { name: 'GET catalog', method: 'GET', path: (s) => `/catalog/subjects/${s}` },
  { name: 'DELETE catalog', method: 'DELETE', path: (s) => `/catalog/subjects/${s}` },
  { name: 'compatibility', method: 'POST', path: (s) => `/compatibility/subjects/${s}/versions`, body: SCHEMA },
  { name: 'compatibility latest', method: 'POST', path: (s) => `/compatibility/subjects/${s}/versions/latest`, body: SCHEMA },
  { name: 'compatibility version', method: 'POST', path: (s) => `/compatibility/subjects/${s}/versions/1?verbose=true`, body: SCHEMA },
  { name: 'subjectPrefix', method: 'GET', path: (s) => `/subjects?subjectPrefix=${s}` },
  { name: 'ids versions subject', method: 'GET', path: (s) => `/schemas/ids/1/versions?subject=${s}` },
  { name: 'audit subject', method: 'GET', path: (s) => `/audit?subject=${s}` },
  { name: 'governance rules subject', method: 'GET', path: (s) => `/governance/rules?subject=${s}` },
];

interface OddName {
  label: string;
  /** The path segment as sent. */
  segment: string;
  /** The name as a read sees it (what a not-found message names). */
  seen: string;
  /** What the 42208 message of a write says about it. */
  problem: RegExp;
}

const ODD_NAMES: OddName[] = (() => {
  const overWide = wide(MAX_SUBJECT_LENGTH + 1);
  const overLetters = letters(MAX_SUBJECT_LENGTH + 1);
  const long = letters(3000);
  const limit = new RegExp(`at most ${MAX_SUBJECT_LENGTH} characters long; this one has`);
  return [
    { label: 'one character over the limit (4-byte characters)', segment: enc(overWide), seen: overWide, problem: limit },
    { label: 'one character over the limit (letters)', segment: enc(overLetters), seen: overLetters, problem: limit },
    { label: '3,000 random letters', segment: enc(long), seen: long, problem: /this one has 3000\./ },
    { label: 'NUL', segment: '%00', seen: '\u0000', problem: /NUL character/ },
    { label: 'NUL inside', segment: 'a%00b', seen: 'a\u0000b', problem: /NUL character/ },
    { label: 'U+0001', segment: '%01', seen: '\u0001', problem: /control character U\+0001/ },
    { label: 'newline', segment: 'a%0Ab', seen: 'a\nb', problem: /control character U\+000A/ },
    { label: 'DEL', segment: '%7F', seen: '\u007f', problem: /control character U\+007F/ },
    { label: 'C1 control U+0085', segment: '%C2%85', seen: '\u0085', problem: /control character U\+0085/ },
    { label: 'an encoded lone surrogate (invalid UTF-8)', segment: '%ED%A0%80', seen: '%ED%A0%80', problem: /not UTF-8/ },
    { label: 'an invalid UTF-8 byte', segment: 'x%FF', seen: 'x%FF', problem: /not UTF-8/ },
    { label: 'a truncated UTF-8 sequence', segment: '%C3', seen: '%C3', problem: /not UTF-8/ },
  ];
})();

describe.each(backends)('subject names ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
    // Some schema with id 1 exists, so `/schemas/ids/1/versions?subject=` reaches the subject filter.
    await mustRegister(api, uniq('baseline'), record('r', [['a', 'string']]));
  });
  afterAll(() => server.close());

  const send = (route: Route, segment: string) => api.call(route.method, route.path(segment), route.body);
  const shown = (message: unknown, name: string) => (typeof message === 'string' ? message.split(name).join('<subject>') : message);

  describe(`a name of ${MAX_SUBJECT_LENGTH} characters, 4 bytes each (the limit, worst case in bytes)`, () => {
    it.each(WRITES)('$name → 200', async (route) => {
      const res = await send(route, enc(wide(MAX_SUBJECT_LENGTH)));
      expect(res.status, res.text).toBe(200);
    });

    it('is registered, read, configured, catalogued, looked up and deleted like any other', async () => {
      const name = wide(MAX_SUBJECT_LENGTH);
      expect(name.length).toBe(2 * MAX_SUBJECT_LENGTH);
      expect(Buffer.byteLength(name)).toBe(4 * MAX_SUBJECT_LENGTH);
      const s = enc(name);
      const { id } = await mustRegister(api, name, record('r', [['a', 'string']]));
      expect(await mustOk(api.get(`/subjects/${s}/versions`))).toEqual([1]);
      expect((await mustOk(api.get(`/subjects/${s}/versions/1`))).subject).toBe(name);
      expect((await mustOk(api.post(`/subjects/${s}`, SCHEMA))).id).toBe(id);
      expect(await mustOk(api.post(`/compatibility/subjects/${s}/versions/latest`, SCHEMA))).toEqual({ is_compatible: true });
      expect(await mustOk(api.put(`/config/${s}`, { compatibility: 'FULL' }))).toEqual({ compatibility: 'FULL' });
      expect(await mustOk(api.get(`/config/${s}`))).toEqual({ compatibilityLevel: 'FULL' });
      await mustOk(api.delete(`/config/${s}`));
      await mustOk(api.put(`/mode/${s}`, { mode: 'READONLY' }));
      expect(await mustOk(api.get(`/mode/${s}`))).toEqual({ mode: 'READONLY' });
      await mustOk(api.delete(`/mode/${s}`));
      expect((await mustOk(api.put(`/catalog/subjects/${s}`, { owner: 'checkout' }))).subject).toBe(name);
      expect((await mustOk(api.get(`/catalog/subjects/${s}`))).owner).toBe('checkout');
      await mustOk(api.delete(`/catalog/subjects/${s}`));
      expect((await mustOk(api.get(`/audit?subject=${s}`))).length).toBeGreaterThan(0);
      expect(await mustOk(api.delete(`/subjects/${s}`))).toEqual([1]);
      expect(await mustOk(api.delete(`/subjects/${s}?permanent=true`))).toEqual([1]);
      expect((await api.get(`/subjects/${s}/versions`)).json.error_code).toBe(40401);
    });

    it(`${MAX_SUBJECT_LENGTH} random letters are registered too`, async () => {
      await mustRegister(api, letters(MAX_SUBJECT_LENGTH), record('r', [['a', 'string']]));
    });
  });

  describe.each(ODD_NAMES)('$label', (odd) => {
    it.each(WRITES)('$name → 422/42208 naming the problem', async (route) => {
      const res = await send(route, odd.segment);
      expect(res.status, res.text).toBe(422);
      expect(res.json.error_code).toBe(42208);
      expect(res.json.message).toMatch(/^The specified subject '.*' is not a valid\. /s);
      expect(res.json.message).toMatch(odd.problem);
    });

    it.each(READS)('$name answers as for a missing subject', async (route) => {
      const missing = uniq('missing');
      const expected = await send(route, enc(missing));
      const res = await send(route, odd.segment);
      expect(res.status, res.text).toBe(expected.status);
      expect(res.status).toBeLessThan(500);
      expect(res.json?.error_code).toBe(expected.json?.error_code);
      expect(shown(res.json?.message, odd.seen)).toEqual(shown(expected.json?.message, missing));
      if (expected.status === 200) expect(res.json).toEqual(expected.json);
    });
  });

  it('GET /subjects/%00/versions → 404/40401 "Subject … not found."', async () => {
    const res = await api.get('/subjects/%00/versions');
    expect(res.status).toBe(404);
    expect(res.json).toEqual({ error_code: 40401, message: "Subject '\u0000' not found." });
  });

  it.each(WRITES)('$name of a reserved name → 422/42208, in Confluent\'s words', async (route) => {
    const res = await send(route, '__EMPTY');
    expect(res.status).toBe(422);
    expect(res.json).toEqual({ error_code: 42208, message: "The specified subject '__EMPTY' is not a valid." });
  });

  it('a long name is shown by its start in the 42208 message', async () => {
    const name = letters(3000);
    const res = await api.register(name, record('r', [['a', 'string']]));
    expect(res.json.message).toBe(
      `The specified subject '${name.slice(0, 100)}…' is not a valid. Subject names are at most ${MAX_SUBJECT_LENGTH} characters long; this one has 3000.`,
    );
  });

  describe('subject prefixes of rule settings, held to the same rules', () => {
    const prefixPath = (segment: string) => `/governance/settings/prefixes/${segment}`;
    const RULES = { severities: {} };

    it(`a prefix of ${MAX_SUBJECT_LENGTH} 4-byte characters is written and deleted; the strict profile too`, async () => {
      const prefix = enc(wide(MAX_SUBJECT_LENGTH));
      expect((await api.put(prefixPath(prefix), RULES)).status).toBe(200);
      expect((await api.delete(prefixPath(prefix))).status).toBe(200);
      expect((await api.post(`/governance/profiles/strict?prefix=${prefix}`)).status).toBe(200);
      expect((await api.delete(prefixPath(prefix))).status).toBe(200);
    });

    it.each([
      ['one character over the limit', enc(wide(MAX_SUBJECT_LENGTH + 1)), /at most 500 characters long; this one has 501\./],
      ['3,000 random letters', enc(letters(3000)), /this one has 3000\./],
      ['NUL', '%00', /NUL character/],
      ['a control character', '%1B', /control character U\+001B/],
      ['escapes that are not UTF-8', '%ED%A0%80', /not UTF-8/],
    ])('%s → 422/42208 on PUT and on the strict profile; DELETE answers as for a missing prefix', async (_label, segment, problem) => {
      const put = await api.put(prefixPath(segment), RULES);
      expect(put.status, put.text).toBe(422);
      expect(put.json.error_code).toBe(42208);
      expect(put.json.message).toMatch(/^The specified subject prefix '.*' is not valid\. /s);
      expect(put.json.message).toMatch(problem);
      if (!segment.includes('%ED')) {
        const strict = await api.post(`/governance/profiles/strict?prefix=${segment}`);
        expect(strict.status, strict.text).toBe(422);
        expect(strict.json.error_code).toBe(42208);
      }
      const del = await api.delete(prefixPath(segment));
      expect(del.status, del.text).toBe(404);
      expect(del.json.error_code).toBe(40401);
    });
  });

  describe('catalog owner and domain (indexed) are at most 500 characters', () => {
    it.each(['owner', 'domain'])('%s', async (key) => {
      const s = enc(uniq('catalog-names'));
      expect((await api.put(`/catalog/subjects/${s}`, { [key]: wide(MAX_SUBJECT_LENGTH) })).status).toBe(200);
      for (const value of [wide(MAX_SUBJECT_LENGTH + 1), letters(3000)]) {
        const res = await api.put(`/catalog/subjects/${s}`, { [key]: value });
        expect(res.status, res.text).toBe(422);
        expect(res.json).toEqual({ error_code: 422, message: `"${key}" is at most 500 characters long` });
      }
    });
  });

  it('a `%` that starts no escape stands for itself, on write as on read', async () => {
    const res = await api.call('POST', '/subjects/100%/versions', SCHEMA);
    expect(res.status, res.text).toBe(200);
    expect(await mustOk(api.get('/subjects/100%25/versions'))).toEqual([1]);
  });
});
