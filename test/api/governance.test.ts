// Governance over real HTTP, on every backend: the ownership catalog and its search, rules with effective severities,
// severity overrides by subject prefix, the default and strict profiles, registration findings (422/42201 errors,
// warnings beside a 200), the dry run, the audit log's filters, and reads "as of" a moment (versions, one version, config).
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustOk, mustRegister, record, uniq, type Client } from './helpers.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A unique, dot-free token for prefixes, owners, tags and search text. */
let n = 0;
const token = (label: string) => `${label}${process.pid}x${++n}`;

/** A UserUpdated event that passes every rule but EVENT_NAME_SPECIFIC (and OWNER_DECLARED, a warning under strict). */
const userUpdated = {
  type: 'record',
  name: 'UserUpdated',
  namespace: 'acme.users',
  doc: 'A user changed.',
  fields: [
    { name: 'eventId', type: 'string', doc: 'Event id.' },
    { name: 'occurredAt', type: 'long', doc: 'When, epoch ms.' },
    { name: 'correlationId', type: 'string', doc: 'Correlation id.' },
    { name: 'userId', type: 'string', doc: 'The user.' },
  ],
};

/** A governance-clean event (given an owner). */
const orderPlaced = (extra: Record<string, unknown>[] = []) => ({
  type: 'record',
  name: 'OrderPlaced',
  namespace: 'acme.orders',
  doc: 'An order was placed.',
  fields: [
    { name: 'eventId', type: 'string', doc: 'Event id.' },
    { name: 'occurredAt', type: 'long', doc: 'When, epoch ms.' },
    { name: 'correlationId', type: 'string', doc: 'Correlation id.' },
    { name: 'orderId', type: 'string', doc: 'The order.' },
    ...extra,
  ],
});

describe.each(backends)('governance ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());

  const putEntry = (subject: string, entry: Record<string, unknown>) => api.put(`/catalog/subjects/${enc(subject)}`, entry);
  const severityOf = async (subject: string | undefined, rule: string) => {
    const res = await api.get(`/governance/rules${subject === undefined ? '' : `?subject=${enc(subject)}`}`);
    expect(res.status).toBe(200);
    return (res.json as { id: string; severity: string }[]).find((r) => r.id === rule)!.severity;
  };

  describe('catalog entries', () => {
    it('PUT writes an entry with defaults, GET reads it back, PUT replaces it, DELETE removes it', async () => {
      const s = uniq('cat-crud');
      const put = await putEntry(s, { owner: 'checkout', domain: 'orders', description: 'Orders placed.', producers: ['checkout-service'], consumers: ['billing'], tags: ['orders'], sensitive: ['OrderPlaced.email'], contact: '#checkout' });
      expect(put.status).toBe(200);
      const expected = { subject: s, owner: 'checkout', domain: 'orders', description: 'Orders placed.', producers: ['checkout-service'], consumers: ['billing'], tags: ['orders'], sensitive: ['OrderPlaced.email'], lifecycle: 'active', contact: '#checkout' };
      expect(put.json).toEqual(expected);
      expect((await api.get(`/catalog/subjects/${enc(s)}`)).json).toEqual(expected);

      const replaced = await putEntry(s, { owner: 'payments', domain: 'orders', lifecycle: 'draft' });
      expect(replaced.json).toEqual({ subject: s, owner: 'payments', domain: 'orders', producers: [], consumers: [], tags: [], sensitive: [], lifecycle: 'draft' });
      expect((await api.get(`/catalog/subjects/${enc(s)}`)).json.owner).toBe('payments');

      const del = await api.delete(`/catalog/subjects/${enc(s)}`);
      expect(del.status).toBe(200);
      expect(del.json.owner).toBe('payments');
      const gone = await api.get(`/catalog/subjects/${enc(s)}`);
      expect(gone.status).toBe(404);
      expect(gone.json.error_code).toBe(40401);
      expect((await api.delete(`/catalog/subjects/${enc(s)}`)).status).toBe(404);
    });

    it('an entry may exist for a subject with no schema yet, and subjects with slashes work', async () => {
      const s = `${token('team')}/address.proto`;
      expect((await putEntry(s, { owner: 'logistics', domain: 'shipping' })).status).toBe(200);
      expect((await api.get(`/catalog/subjects/${enc(s)}`)).json).toMatchObject({ subject: s, owner: 'logistics' });
    });

    it('a deprecated event needs a sunset date', async () => {
      const s = uniq('cat-dep');
      const res = await putEntry(s, { owner: 'o', domain: 'd', lifecycle: 'deprecated' });
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(422);
      expect(res.json.message).toContain('sunset');
      const ok = await putEntry(s, { owner: 'o', domain: 'd', lifecycle: 'deprecated', sunset: '2030-01-31' });
      expect(ok.status).toBe(200);
      expect(ok.json).toMatchObject({ lifecycle: 'deprecated', sunset: '2030-01-31' });
    });

    it.each([
      ['an unknown lifecycle', { lifecycle: 'retired' }, 422, /draft, active or deprecated/],
      ['a sunset that is not a date', { lifecycle: 'deprecated', sunset: 'soon' }, 422, /sunset/],
      ['a non-string owner', { owner: 42 }, 422, /"owner" must be a string/],
      ['tags that are not strings', { tags: ['a', 1] }, 422, /"tags" must be an array of strings/],
      ['producers that are not a list', { producers: 'svc' }, 422, /"producers"/],
      ['an array body', [], 400, /JSON object/],
    ])('rejects %s', async (_label, body, status, message) => {
      const res = await putEntry(uniq('cat-bad'), body as Record<string, unknown>);
      expect(res.status).toBe(status);
      expect(res.json.message).toMatch(message);
    });

    it('rejects a body that is not JSON (400) and a missing body (422)', async () => {
      expect((await api.put(`/catalog/subjects/${enc(uniq('cat-bad'))}`, '{nope')).status).toBe(400);
      expect((await api.put(`/catalog/subjects/${enc(uniq('cat-bad'))}`, '')).status).toBe(422);
    });

    it('every write is in the audit log', async () => {
      const s = uniq('cat-audit');
      await mustOk(putEntry(s, { owner: 'o', domain: 'd' }));
      await mustOk(api.delete(`/catalog/subjects/${enc(s)}`));
      const trail = (await api.get(`/audit?subject=${enc(s)}`)).json as { action: string; detail: Record<string, unknown> }[];
      expect(trail.map((e) => e.action)).toEqual(['catalog.put', 'catalog.delete']);
      expect(trail[0]!.detail).toMatchObject({ owner: 'o', domain: 'd' });
    });
  });

  describe('catalog search, teams and domains', () => {
    // Unique owners, domains, tags and words, so other tests' entries do not show up.
    const teamA = token('teama');
    const teamB = token('teamb');
    const domain = token('dom');
    const otherDomain = token('dom');
    const tag = token('tag');
    const word = token('word');
    const subjects = [`${teamA}.s1-value`, `${teamA}.s2-value`, `${teamA}.s3-value`, `${teamB}.s4-value`, `${teamB}.s5-value`];

    beforeAll(async () => {
      await mustOk(putEntry(subjects[0]!, { owner: teamA, domain, tags: [tag, 'x'], description: `Mentions ${word} in passing.` }));
      await mustOk(putEntry(subjects[1]!, { owner: teamA, domain, tags: [tag], lifecycle: 'draft' }));
      await mustOk(putEntry(subjects[2]!, { owner: teamA, domain: otherDomain, lifecycle: 'deprecated', sunset: '2031-01-01' }));
      await mustOk(putEntry(subjects[3]!, { owner: teamB, domain, tags: [tag], lifecycle: 'draft', consumers: [word.toUpperCase()] }));
      await mustOk(putEntry(subjects[4]!, { owner: teamB, domain: otherDomain }));
    });

    const search = async (query: string) => {
      const res = await api.get(`/catalog/search?${query}`);
      expect(res.status).toBe(200);
      return res.json as { total: number; entries: { subject: string }[] };
    };
    const names = (r: { entries: { subject: string }[] }) => r.entries.map((e) => e.subject);

    it('by owner, sorted by subject, with the whole entry', async () => {
      const r = await search(`owner=${teamA}`);
      expect(r.total).toBe(3);
      expect(names(r)).toEqual(subjects.slice(0, 3));
      expect(r.entries[0]).toMatchObject({ subject: subjects[0], owner: teamA, domain, tags: [tag, 'x'] });
    });

    it('by domain, tag and lifecycle, alone and combined', async () => {
      expect(names(await search(`domain=${domain}`))).toEqual([subjects[0], subjects[1], subjects[3]]);
      expect(names(await search(`tag=${tag}`))).toEqual([subjects[0], subjects[1], subjects[3]]);
      expect(names(await search(`owner=${teamB}&lifecycle=draft`))).toEqual([subjects[3]]);
      expect(names(await search(`domain=${domain}&lifecycle=draft`))).toEqual([subjects[1], subjects[3]]);
      expect(names(await search(`owner=${teamA}&lifecycle=deprecated`))).toEqual([subjects[2]]);
      expect(names(await search(`tag=${tag}&owner=${teamB}`))).toEqual([subjects[3]]);
      expect((await search(`owner=${teamA}&domain=${otherDomain}&tag=${tag}`)).total).toBe(0);
    });

    it('free text matches subject names and any entry text, without case', async () => {
      expect(names(await search(`q=${word}`))).toEqual([subjects[0], subjects[3]]);
      expect(names(await search(`q=${teamB.toUpperCase()}.S5`))).toEqual([subjects[4]]);
      // LIKE wildcards in the text are literal
      expect((await search(`q=${enc(`${teamA}%`)}`)).total).toBe(0);
      expect((await search(`q=${enc(`${teamA}_s1`)}`)).total).toBe(0);
    });

    it('paginates with offset and limit; total counts every match', async () => {
      const page1 = await search(`owner=${teamA}&limit=2`);
      expect(page1.total).toBe(3);
      expect(names(page1)).toEqual(subjects.slice(0, 2));
      const page2 = await search(`owner=${teamA}&limit=2&offset=2`);
      expect(page2.total).toBe(3);
      expect(names(page2)).toEqual([subjects[2]]);
      expect(names(await search(`owner=${teamA}&offset=5`))).toEqual([]);
    });

    it('teams list their domains and subjects; domains their teams and subjects', async () => {
      const teams = (await api.get('/catalog/teams')).json as { team: string; domains: string[]; subjects: string[] }[];
      expect(teams.find((t) => t.team === teamA)).toEqual({ team: teamA, domains: [domain, otherDomain].sort(), subjects: subjects.slice(0, 3) });
      expect(teams.find((t) => t.team === teamB)).toEqual({ team: teamB, domains: [domain, otherDomain].sort(), subjects: subjects.slice(3) });
      const sortedTeams = teams.map((t) => t.team);
      expect(sortedTeams).toEqual([...sortedTeams].sort());

      const domains = (await api.get('/catalog/domains')).json as { domain: string; teams: string[]; subjects: string[] }[];
      expect(domains.find((d) => d.domain === domain)).toEqual({ domain, teams: [teamA, teamB].sort(), subjects: [subjects[0], subjects[1], subjects[3]] });
      expect(domains.find((d) => d.domain === otherDomain)).toEqual({ domain: otherDomain, teams: [teamA, teamB].sort(), subjects: [subjects[2], subjects[4]] });
    });
  });

  describe('rules and severities', () => {
    it('GET /governance/rules lists every rule with its doc, category, profiles, default and effective severity', async () => {
      const res = await api.get('/governance/rules');
      expect(res.status).toBe(200);
      const rules = res.json as { id: string; category: string; doc: string; defaultSeverity: string; severity: string; profiles: Record<string, string>; formats?: string[] }[];
      expect(rules.map((r) => r.id)).toEqual(expect.arrayContaining(['SUBJECT_NAMING_STRATEGY', 'EVENT_NAME_SPECIFIC', 'ENVELOPE_FIELDS', 'PERSONAL_DATA_MARKED', 'OWNER_DECLARED', 'PROTOBUF_PACKAGE_VERSIONED']));
      expect(rules).toHaveLength(14);
      for (const r of rules) {
        expect(r.doc).toMatch(/^Checks that/);
        expect(r.defaultSeverity).toBe(r.profiles.default);
        expect(r.severity).toBe(r.defaultSeverity);
        expect(r.profiles.strict).toBe(r.id === 'OWNER_DECLARED' ? 'warn' : 'error');
      }
      // Out of the box only the naming and envelope conventions run, as warnings.
      expect(rules.filter((r) => r.defaultSeverity !== 'off').map((r) => `${r.id}:${r.defaultSeverity}`)).toEqual(['EVENT_NAME_PAST_TENSE:warn', 'EVENT_NAME_SPECIFIC:warn', 'ENVELOPE_FIELDS:warn']);
      expect(rules.find((r) => r.id === 'PROTOBUF_FIELD_LOWER_SNAKE_CASE')!.formats).toEqual(['PROTOBUF']);
      expect(rules.find((r) => r.id === 'FIELD_NAME_CASE')!.formats).toEqual(['AVRO', 'JSON']);
    });

    it('severities by prefix: the longest matching prefix wins; DELETE of a prefix falls back to the shorter one', async () => {
      const root = token('acme');
      const billing = `${root}.billing.`;
      expect((await api.put(`/governance/settings/prefixes/${enc(`${root}.`)}`, { severities: { EVENT_NAME_SPECIFIC: 'error', TYPE_DOCUMENTED: 'off' } })).status).toBe(200);
      const put = await api.put(`/governance/settings/prefixes/${enc(billing)}`, { severities: { EVENT_NAME_SPECIFIC: 'off' } });
      expect(put.status).toBe(200);
      expect(put.json.severities).toEqual({ EVENT_NAME_SPECIFIC: 'off' });

      expect(await severityOf(`${root}.users-value`, 'EVENT_NAME_SPECIFIC')).toBe('error');
      expect(await severityOf(`${billing}invoices-value`, 'EVENT_NAME_SPECIFIC')).toBe('off');
      expect(await severityOf(`${billing}invoices-value`, 'TYPE_DOCUMENTED')).toBe('off');
      expect(await severityOf(`other.${root}.users-value`, 'EVENT_NAME_SPECIFIC')).toBe('warn');
      expect(await severityOf(undefined, 'EVENT_NAME_SPECIFIC')).toBe('warn');

      const settings = (await api.get('/governance/settings')).json;
      expect(settings.prefixes[`${root}.`].severities).toEqual({ EVENT_NAME_SPECIFIC: 'error', TYPE_DOCUMENTED: 'off' });
      expect(settings.prefixes[billing].severities).toEqual({ EVENT_NAME_SPECIFIC: 'off' });

      // A second PUT merges into the prefix's settings.
      const merged = await api.put(`/governance/settings/prefixes/${enc(billing)}`, { severities: { FIELD_DOCUMENTED: 'error' }, params: { fieldCase: 'snake_case' } });
      expect(merged.json).toEqual({ severities: { EVENT_NAME_SPECIFIC: 'off', FIELD_DOCUMENTED: 'error' }, params: { fieldCase: 'snake_case' } });

      const del = await api.delete(`/governance/settings/prefixes/${enc(billing)}`);
      expect(del.status).toBe(200);
      expect(await severityOf(`${billing}invoices-value`, 'EVENT_NAME_SPECIFIC')).toBe('error');
      expect(await severityOf(`${billing}invoices-value`, 'FIELD_DOCUMENTED')).toBe('off');
      expect((await api.get('/governance/settings')).json.prefixes[billing]).toBeUndefined();
      expect((await api.delete(`/governance/settings/prefixes/${enc(billing)}`)).status).toBe(404);

      const trail = (await api.get(`/audit?kind=governance`)).json as { action: string; subject: string }[];
      expect(trail.filter((e) => e.subject === billing).map((e) => e.action)).toEqual(['governance.settings.put', 'governance.settings.put', 'governance.settings.delete']);
    });

    it('a prefix override changes what registration does', async () => {
      const root = token('docs');
      await mustOk(api.put(`/governance/settings/prefixes/${enc(root)}`, { severities: { FIELD_DOCUMENTED: 'error' } }));
      const schema = orderPlaced([{ name: 'total', type: 'double' }]);
      const rejected = await api.register(`${root}.orders-value`, schema);
      expect(rejected.status).toBe(422);
      expect(rejected.json.error_code).toBe(42201);
      expect(rejected.json.message).toContain('FIELD_DOCUMENTED at /fields/4');
      expect((await api.register(`x${root}.orders-value`, schema)).status).toBe(200);
    });

    it.each([
      ['an unknown rule', { severities: { NO_SUCH_RULE: 'error' } }, 422, /Unknown rule 'NO_SUCH_RULE'/],
      ['an unknown severity', { severities: { OWNER_DECLARED: 'fatal' } }, 422, /error, warn or off/],
      ['an unknown parameter', { params: { shout: true } }, 422, /Unknown rule parameter 'shout'/],
      ['a bad naming strategy', { params: { subjectNamingStrategy: 'topics' } }, 422, /subjectNamingStrategy/],
      ['severities that are not an object', { severities: ['x'] }, 400, /severities/],
      ['an unknown profile', { profile: 'lenient' }, 422, /"profile" must be default or strict/],
    ])('settings reject %s', async (_label, body, status, message) => {
      const res = await api.put(`/governance/settings/prefixes/${token('bad')}`, body);
      expect(res.status).toBe(status);
      expect(res.json.message).toMatch(message);
    });

    it('registry-wide settings apply to every subject, below any prefix', async () => {
      const root = token('glob');
      try {
        await mustOk(api.put('/governance/settings', { severities: { OWNER_DECLARED: 'warn' } }));
        expect((await api.get('/governance/settings')).json.global.severities).toEqual({ OWNER_DECLARED: 'warn' });
        expect(await severityOf(`${root}-value`, 'OWNER_DECLARED')).toBe('warn');
        await mustOk(api.put(`/governance/settings/prefixes/${root}`, { severities: { OWNER_DECLARED: 'error' } }));
        expect(await severityOf(`${root}-value`, 'OWNER_DECLARED')).toBe('error');
        expect(await severityOf(`z${root}-value`, 'OWNER_DECLARED')).toBe('warn');
      } finally {
        await mustOk(api.delete('/governance/settings'));
      }
      expect(await severityOf(`z${root}-value`, 'OWNER_DECLARED')).toBe('off');
    });
  });

  describe('the strict profile and registration findings', () => {
    const strict = token('strict');
    beforeAll(async () => {
      const res = await api.post(`/governance/profiles/strict?prefix=${strict}.`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ profile: 'strict', severities: {}, params: {} });
      expect((await api.get('/governance/settings')).json.prefixes[`${strict}.`]).toEqual({ profile: 'strict', severities: {}, params: {} });
    });

    it('runs every rule for the prefix only, as errors but OWNER_DECLARED', async () => {
      expect(await severityOf(`${strict}.users-value`, 'EVENT_NAME_SPECIFIC')).toBe('error');
      expect(await severityOf(`${strict}.users-value`, 'PROTOBUF_ENUM_ZERO_UNSPECIFIED')).toBe('error');
      expect(await severityOf(`${strict}.users-value`, 'OWNER_DECLARED')).toBe('warn');
      expect(await severityOf(`elsewhere.users-value`, 'EVENT_NAME_SPECIFIC')).toBe('warn');
      expect(await severityOf(`elsewhere.users-value`, 'PROTOBUF_ENUM_ZERO_UNSPECIFIED')).toBe('off');
      expect(await severityOf(`elsewhere.users-value`, 'OWNER_DECLARED')).toBe('off');
    });

    it('registering UserUpdated under the prefix fails with 42201, naming EVENT_NAME_SPECIFIC and what to do instead', async () => {
      const subject = `${strict}.users-value`;
      const res = await api.register(subject, userUpdated);
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42201);
      expect(res.json.message).toContain(`Schema for subject "${subject}" breaks governance rules`);
      expect(res.json.message).toContain('EVENT_NAME_SPECIFIC at /');
      expect(res.json.message).toContain("does not say what about the user changed");
      expect(res.json.message).toContain("Fix: name the specific fact, e.g. 'UserAddressChanged'");
      // Warnings are not rejected, and the full list of findings travels with the error.
      expect(res.json.message).not.toContain('OWNER_DECLARED');
      const findings = res.json.findings as { rule: string; severity: string; path: string; hint: string }[];
      expect(findings).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ rule: 'EVENT_NAME_SPECIFIC', severity: 'error', path: '/', hint: expect.stringContaining('UserAddressChanged') }),
          expect.objectContaining({ rule: 'OWNER_DECLARED', severity: 'warn' }),
        ]),
      );
      expect((await api.get(`/subjects/${enc(subject)}/versions`)).status).toBe(404);
      // Nothing was registered, so nothing is in the audit log under it.
      expect((await api.get(`/audit?subject=${enc(subject)}&kind=register`)).json).toEqual([]);
    });

    it('every error-level rule is named with its path and fix', async () => {
      const schema = { type: 'record', name: 'createUser', fields: [{ name: 'user_email', type: 'string' }] };
      const res = await api.register(`${strict}.users`, schema);
      expect(res.status).toBe(422);
      for (const part of [
        'SUBJECT_NAMING_STRATEGY at /',
        'EVENT_NAME_PASCAL_CASE at /',
        'FIELD_NAME_CASE at /fields/0',
        "rename it 'userEmail'",
        'TYPE_DOCUMENTED at /',
        'FIELD_DOCUMENTED at /fields/0',
        'ENVELOPE_FIELDS at /',
        'PERSONAL_DATA_MARKED at /fields/0',
      ]) {
        expect(res.json.message).toContain(part);
      }
    });

    it('a specific event registers under the prefix; a catalog entry with owner and domain silences the last warning', async () => {
      const subject = `${strict}.orders-value`;
      await mustOk(putEntry(subject, { owner: 'checkout', domain: 'orders' }));
      const res = await api.register(subject, orderPlaced());
      expect(res.status).toBe(200);
      expect(res.json.warnings).toBeUndefined();
    });

    it('the catalog entry’s sensitive fields satisfy PERSONAL_DATA_MARKED at registration', async () => {
      const subject = `${strict}.customers-value`;
      const schema = orderPlaced([{ name: 'customerEmail', type: 'string', doc: 'Receipt address.' }]);
      expect((await api.register(subject, schema)).json.message).toContain('PERSONAL_DATA_MARKED at /fields/4');
      await mustOk(putEntry(subject, { owner: 'checkout', domain: 'orders', sensitive: ['OrderPlaced.customerEmail'] }));
      expect((await api.register(subject, schema)).status).toBe(200);
    });

    it('the same UserUpdated under another subject registers with 200 and a warnings array, recorded in the audit log', async () => {
      const subject = `${token('relaxed')}.users-value`;
      const res = await api.register(subject, userUpdated);
      expect(res.status).toBe(200);
      expect(res.json.id).toEqual(expect.any(Number));
      const warnings = res.json.warnings as { rule: string; severity: string; message: string; hint: string; path: string; category: string }[];
      expect(warnings).toEqual([{
        rule: 'EVENT_NAME_SPECIFIC',
        category: 'NAMING',
        severity: 'warn',
        path: '/',
        message: "Event name 'UserUpdated' does not say what about the user changed.",
        hint: "name the specific fact, e.g. 'UserAddressChanged' or 'UserEmailVerified', with one event per kind of change",
      }]);

      const audit = (await api.get(`/audit?subject=${enc(subject)}&kind=register`)).json as { action: string; version: number; schemaId: number; detail: { warnings: unknown[] } }[];
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ action: 'register', version: 1, schemaId: res.json.id });
      expect(audit[0]!.detail.warnings).toEqual(warnings);

      // Registering the same schema again is idempotent: no new version, no new audit entry.
      const again = await api.register(subject, userUpdated);
      expect(again.status).toBe(200);
      expect(again.json.id).toBe(res.json.id);
      expect((await api.get(`/audit?subject=${enc(subject)}&kind=register`)).json).toHaveLength(1);
    });

    it('a registration with no findings has no warnings field', async () => {
      const subject = `${token('clean')}.orders-value`;
      await mustOk(putEntry(subject, { owner: 'checkout', domain: 'orders' }));
      const res = await api.register(subject, orderPlaced());
      expect(res.status).toBe(200);
      expect(Object.keys(res.json)).not.toContain('warnings');
    });

    it('shared-type subjects under a strict prefix are not held to event rules', async () => {
      const subject = `${strict}.common/address.avsc`;
      const schema = { type: 'record', name: 'Address', namespace: 'acme', doc: 'A postal address.', fields: [{ name: 'city', type: 'string', doc: 'City.' }] };
      const res = await api.register(subject, schema);
      expect(res.status).toBe(200);
      expect((res.json.warnings as { rule: string }[]).map((w) => w.rule)).toEqual(['OWNER_DECLARED']);
    });

    it('Protobuf registrations are governed too', async () => {
      const subject = `${strict}.shipments-value`;
      const text = 'syntax = "proto3";\npackage shipping;\n// A shipment left.\nmessage ShipmentDispatched {\n  // Id.\n  string event_id = 1;\n  // When.\n  int64 occurred_at = 2;\n  // Correlation.\n  string correlation_id = 3;\n  // Carrier.\n  Carrier carrier = 4;\n}\n// Carriers.\nenum Carrier {\n  // Post.\n  POST = 0;\n}\n';
      const res = await api.register(subject, text, { schemaType: 'PROTOBUF' });
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42201);
      expect(res.json.message).toContain('PROTOBUF_PACKAGE_VERSIONED at #/');
      expect(res.json.message).toContain("use a package like 'shipping.v1'");
      expect(res.json.message).toContain('PROTOBUF_ENUM_ZERO_UNSPECIFIED at #/Carrier');
      const fixed = text.replace('package shipping;', 'package shipping.v1;').replace('POST = 0;', 'CARRIER_UNSPECIFIED = 0;');
      expect((await api.register(subject, fixed, { schemaType: 'PROTOBUF' })).status).toBe(200);
    });
  });

  describe('profiles: the default set out of the box, strict by a setting', () => {
    const example = (path: string) => readFileSync(new URL(`../../contracts/examples/${path}`, import.meta.url), 'utf8');
    /** A typical hand-written event: the envelope, no docs. */
    const plainOrderPlaced = (name = 'OrderPlaced') => ({
      type: 'record',
      name,
      namespace: 'com.acme.orders',
      fields: [
        { name: 'eventId', type: 'string' },
        { name: 'occurredAt', type: 'long' },
        { name: 'correlationId', type: 'string' },
        { name: 'orderId', type: 'string' },
        { name: 'amount', type: 'double' },
      ],
    });
    const plainPaymentCaptured =
      'syntax = "proto3";\npackage acme.payments;\nmessage PaymentCaptured {\n  string event_id = 1;\n  int64 occurred_at = 2;\n  string correlation_id = 3;\n  int64 amount_cents = 4;\n}\n';
    const check = (subject: string, schema: unknown) => api.post(`/governance/subjects/${enc(subject)}/check`, { schema: JSON.stringify(schema) });
    const rulesOf = (findings: { rule: string }[] | undefined) => (findings ?? []).map((f) => f.rule);
    const FULL_SET = ['TYPE_DOCUMENTED', ...Array(5).fill('FIELD_DOCUMENTED'), 'OWNER_DECLARED'];

    it('well-formed Avro and Protobuf events register with no warnings, with no catalog entry', async () => {
      const root = token('plain');
      const registered = [
        await api.register(`${root}/address.proto`, example('shipping/address.proto'), { schemaType: 'PROTOBUF' }),
        await api.register(`${root}.shipment-dispatched-value`, example('shipping/shipment-dispatched.proto'), {
          schemaType: 'PROTOBUF',
          references: [{ name: 'shipping/address.proto', subject: `${root}/address.proto`, version: 1 }],
        }),
        await api.register(`${root}.order-created-value`, JSON.parse(example('order-created.avsc'))),
        await api.register(`${root}.order-placed-value`, plainOrderPlaced()),
        await api.register(`${root}.payment-captured-value`, plainPaymentCaptured, { schemaType: 'PROTOBUF' }),
      ];
      for (const res of registered) {
        expect(res.status, res.text).toBe(200);
        expect(Object.keys(res.json)).not.toContain('warnings');
      }
    });

    it.each([
      ['UserUpdated', 'EVENT_NAME_SPECIFIC', "does not say what about the user changed"],
      ['OrderCreate', 'EVENT_NAME_PAST_TENSE', "does not end in a past-tense verb"],
      ['CreateOrder', 'EVENT_NAME_PAST_TENSE', "does not end in a past-tense verb"],
    ])('a badly named event, %s, registers with its warning, %s', async (name, rule, message) => {
      const res = await api.register(`${token('badname')}-value`, plainOrderPlaced(name));
      expect(res.status).toBe(200);
      expect(res.json.warnings).toEqual([expect.objectContaining({ rule, severity: 'warn', path: '/', message: expect.stringContaining(message) })]);
    });

    it('a prefix set to the strict profile gets the full set, as errors, until the profile is removed', async () => {
      const prefix = `${token('strictset')}.`;
      const subject = `${prefix}orders.order-placed-value`;
      const put = await api.put(`/governance/settings/prefixes/${enc(prefix)}`, { profile: 'strict' });
      expect(put.status).toBe(200);
      expect(put.json).toEqual({ profile: 'strict', severities: {}, params: {} });
      expect(await severityOf(subject, 'FIELD_DOCUMENTED')).toBe('error');

      const strict = await check(subject, plainOrderPlaced());
      expect(rulesOf(strict.json.findings)).toEqual(FULL_SET);
      expect(strict.json.would_register).toBe(false);
      const rejected = await api.register(subject, plainOrderPlaced());
      expect(rejected.status).toBe(422);
      expect(rejected.json.error_code).toBe(42201);
      expect(rulesOf(rejected.json.findings)).toEqual(FULL_SET);

      // The prefix's own severities apply on top of its profile; `profile: null` goes back to the inherited one.
      const relaxed = await api.put(`/governance/settings/prefixes/${enc(prefix)}`, { severities: { FIELD_DOCUMENTED: 'off' } });
      expect(relaxed.json).toEqual({ profile: 'strict', severities: { FIELD_DOCUMENTED: 'off' }, params: {} });
      expect(rulesOf((await check(subject, plainOrderPlaced())).json.findings)).toEqual(['TYPE_DOCUMENTED', 'OWNER_DECLARED']);
      const inherited = await api.put(`/governance/settings/prefixes/${enc(prefix)}`, { profile: null });
      expect(inherited.json).toEqual({ severities: { FIELD_DOCUMENTED: 'off' }, params: {} });
      expect(rulesOf((await check(subject, plainOrderPlaced())).json.findings)).toEqual([]);
      expect((await api.register(subject, plainOrderPlaced())).status).toBe(200);
    });

    it('the whole registry on strict: PUT /governance/settings; a prefix can still go back to default', async () => {
      const root = token('regstrict');
      try {
        expect((await api.put('/governance/settings', { profile: 'strict' })).json).toEqual({ profile: 'strict', severities: {}, params: {} });
        expect((await api.get('/governance/settings')).json.global).toEqual({ profile: 'strict', severities: {}, params: {} });
        // A subject outside the topic naming strategy: the 8th finding.
        expect(rulesOf((await check(`${root}.OrderPlaced`, plainOrderPlaced())).json.findings)).toEqual(['SUBJECT_NAMING_STRATEGY', ...FULL_SET]);
        await mustOk(api.put(`/governance/settings/prefixes/${enc(`${root}.lenient.`)}`, { profile: 'default' }));
        expect(rulesOf((await check(`${root}.lenient.OrderPlaced`, plainOrderPlaced())).json.findings)).toEqual([]);
        expect(await severityOf(`${root}.lenient.orders-value`, 'FIELD_DOCUMENTED')).toBe('off');
        expect(await severityOf(`${root}.orders-value`, 'FIELD_DOCUMENTED')).toBe('error');
      } finally {
        await mustOk(api.delete('/governance/settings'));
      }
      expect(rulesOf((await check(`${root}.OrderPlaced`, plainOrderPlaced())).json.findings)).toEqual([]);
    });
  });

  describe('dry run: POST /governance/subjects/{s}/check', () => {
    const check = (subject: string, body: Record<string, unknown>) => api.post(`/governance/subjects/${enc(subject)}/check`, body);

    it('returns compatibility and findings for a new subject without registering it', async () => {
      const subject = `${uniq('dry-new')}-value`;
      const res = await check(subject, { schema: JSON.stringify(userUpdated) });
      expect(res.status).toBe(200);
      expect(res.json.is_compatible).toBe(true);
      expect(res.json.incompatibilities).toEqual([]);
      expect((res.json.findings as { rule: string }[]).map((f) => f.rule)).toEqual(['EVENT_NAME_SPECIFIC']);
      expect(res.json.would_register).toBe(true);
      expect((await api.get(`/subjects/${enc(subject)}/versions`)).status).toBe(404);
      expect((await api.get(`/audit?subject=${enc(subject)}`)).json).toEqual([]);
    });

    it('reports an incompatible candidate with its rule and path, and leaves the versions unchanged', async () => {
      const subject = uniq('dry-old');
      await mustRegister(api, subject, orderPlaced());
      const breaking = orderPlaced([{ name: 'total', type: 'double', doc: 'Total.' }]);
      const res = await check(subject, { schema: JSON.stringify(breaking) });
      expect(res.status).toBe(200);
      expect(res.json.is_compatible).toBe(false);
      expect(res.json.would_register).toBe(false);
      expect(res.json.messages.length).toBeGreaterThan(0);
      expect(res.json.incompatibilities).toEqual([expect.objectContaining({ rule: 'READER_FIELD_MISSING_DEFAULT_VALUE', path: '/fields/4' })]);
      expect((await api.get(`/subjects/${enc(subject)}/versions`)).json).toEqual([1]);
      // A compatible candidate: would register, still not registered.
      const ok = await check(subject, { schema: JSON.stringify(orderPlaced([{ name: 'total', type: 'double', doc: 'Total.', default: 0 }])) });
      expect(ok.json.is_compatible).toBe(true);
      expect((await api.get(`/subjects/${enc(subject)}/versions`)).json).toEqual([1]);
    });

    it('error findings under a strict prefix make would_register false; a catalog in the body stands in for the stored entry', async () => {
      const strict = token('drystrict');
      await mustOk(api.post(`/governance/profiles/strict?prefix=${strict}`));
      const subject = `${strict}.users-value`;
      const res = await check(subject, { schema: JSON.stringify(userUpdated) });
      expect(res.json.is_compatible).toBe(true);
      expect(res.json.would_register).toBe(false);
      expect(res.json.findings).toEqual(expect.arrayContaining([expect.objectContaining({ rule: 'EVENT_NAME_SPECIFIC', severity: 'error' })]));

      const withCatalog = await check(subject, { schema: JSON.stringify(userUpdated), catalog: { owner: 'identity', domain: 'users' } });
      expect((withCatalog.json.findings as { rule: string }[]).map((f) => f.rule)).toEqual(['EVENT_NAME_SPECIFIC']);
      // The catalog in the body is not written.
      expect((await api.get(`/catalog/subjects/${enc(subject)}`)).status).toBe(404);
    });

    it('rejects an invalid schema (42201) and an invalid catalog (422)', async () => {
      const bad = await check(uniq('dry-bad'), { schema: '{"type":"record"}' });
      expect(bad.status).toBe(422);
      expect(bad.json.error_code).toBe(42201);
      const badCatalog = await check(uniq('dry-bad'), { schema: JSON.stringify(orderPlaced()), catalog: { lifecycle: 'deprecated' } });
      expect(badCatalog.status).toBe(422);
      expect(badCatalog.json.message).toContain('sunset');
    });
  });

  describe('GET /audit', () => {
    it('filters by subject, kind (an action or its prefix) and time range', async () => {
      const subject = uniq('audit');
      await mustRegister(api, subject, record('A', [['a', 'string']]));
      await sleep(30);
      const middle = new Date();
      await sleep(30);
      await mustOk(api.put(`/config/${enc(subject)}`, { compatibility: 'NONE' }));
      await mustOk(putEntry(subject, { owner: 'o', domain: 'd' }));
      await mustOk(api.delete(`/subjects/${enc(subject)}/versions/1`));

      const all = (await api.get(`/audit?subject=${enc(subject)}`)).json as { id: number; at: string; actor: string; action: string; subject: string }[];
      // Soft-deleting the last version removes the subject config, audited as config.delete (as Confluent removes it).
      expect(all.map((e) => e.action)).toEqual(['register', 'config.put', 'catalog.put', 'version.delete', 'config.delete']);
      expect(all.every((e) => e.subject === subject && e.actor === 'anonymous' && !Number.isNaN(Date.parse(e.at)))).toBe(true);
      expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => a - b));

      const kind = async (k: string) => ((await api.get(`/audit?subject=${enc(subject)}&kind=${k}`)).json as { action: string }[]).map((e) => e.action);
      expect(await kind('register')).toEqual(['register']);
      expect(await kind('config')).toEqual(['config.put', 'config.delete']);
      expect(await kind('catalog')).toEqual(['catalog.put']);
      expect(await kind('version')).toEqual(['version.delete']);
      expect(await kind('version.delete')).toEqual(['version.delete']);
      expect(await kind('cat')).toEqual([]);

      const range = async (q: string) => ((await api.get(`/audit?subject=${enc(subject)}&${q}`)).json as { action: string }[]).map((e) => e.action);
      expect(await range(`to=${enc(middle.toISOString())}`)).toEqual(['register']);
      expect(await range(`from=${enc(middle.toISOString())}`)).toEqual(['config.put', 'catalog.put', 'version.delete', 'config.delete']);
      expect(await range(`from=${middle.getTime()}&kind=config`)).toEqual(['config.put', 'config.delete']);
      expect(await range(`from=${enc(middle.toISOString())}&to=${middle.getTime()}`)).toEqual([]);
    });

    // PostgreSQL keeps microseconds while answers carry milliseconds: `to` must cover its whole millisecond.
    it('entries whose own `at` is used as from/to bounds are included (the bounds are inclusive)', async () => {
      const subject = uniq('audit-edge');
      await mustRegister(api, subject, record('A', [['a', 'string']]));
      const [entry] = (await api.get(`/audit?subject=${enc(subject)}`)).json as { at: string }[];
      const at = enc(entry!.at);
      expect((await api.get(`/audit?subject=${enc(subject)}&from=${at}`)).json).toHaveLength(1);
      expect((await api.get(`/audit?subject=${enc(subject)}&to=${at}`)).json).toHaveLength(1);
    });

    it('records who made the change', async () => {
      const subject = uniq('audit-actor');
      await api.put(`/catalog/subjects/${enc(subject)}`, { owner: 'o' });
      await api.call('PUT', `/catalog/subjects/${enc(subject)}`, { owner: 'p' }, { 'x-accord-actor': 'alice' });
      expect(((await api.get(`/audit?subject=${enc(subject)}`)).json as { actor: string }[]).map((e) => e.actor)).toEqual(['anonymous', 'alice']);
    });

    it('an invalid from or to is 400', async () => {
      for (const q of ['from=yesterday', 'to=2024-13-45T00:00:00Z']) {
        const res = await api.get(`/audit?${q}`);
        expect(res.status, q).toBe(400);
        expect(res.json.error_code).toBe(400);
      }
    });
  });

  describe('reads as of a moment', () => {
    const v1 = record('Hist', [['a', 'string']]);
    const v2 = record('Hist', [['a', 'string'], { name: 'b', type: 'int', default: 0 }]);

    it('versions, one version and latest, before and after a register and a soft delete', async () => {
      const subject = uniq('asof');
      const path = `/subjects/${enc(subject)}`;
      const before = new Date();
      await sleep(30);
      const first = await mustRegister(api, subject, v1);
      await sleep(30);
      const afterV1 = new Date();
      await sleep(30);
      const second = await mustRegister(api, subject, v2);
      await sleep(30);
      const afterV2 = new Date();
      await sleep(30);
      await mustOk(api.delete(`${path}/versions/1`));
      await sleep(30);
      const afterDelete = new Date();
      const iso = (d: Date) => enc(d.toISOString());

      expect((await api.get(`${path}/versions`)).json).toEqual([2]);
      expect((await api.get(`${path}/versions?asOf=${iso(afterV1)}`)).json).toEqual([1]);
      expect((await api.get(`${path}/versions?asOf=${iso(afterV2)}`)).json).toEqual([1, 2]);
      expect((await api.get(`${path}/versions?asOf=${iso(afterDelete)}`)).json).toEqual([2]);
      expect((await api.get(`${path}/versions?asOf=${afterDelete.getTime()}&deleted=true`)).json).toEqual([1, 2]);
      const none = await api.get(`${path}/versions?asOf=${iso(before)}`);
      expect(none.status).toBe(404);
      expect(none.json.error_code).toBe(40401);

      const old = await api.get(`${path}/versions/1?asOf=${iso(afterV1)}`);
      expect(old.status).toBe(200);
      expect(old.json).toMatchObject({ subject, version: 1, id: first.id });
      expect(JSON.parse(old.json.schema)).toEqual(v1);
      expect((await api.get(`${path}/versions/latest?asOf=${iso(afterV1)}`)).json).toMatchObject({ version: 1, id: first.id });
      expect((await api.get(`${path}/versions/latest?asOf=${iso(afterV2)}`)).json).toMatchObject({ version: 2, id: second.id });
      expect((await api.get(`${path}/versions/2?asOf=${iso(afterV1)}`)).json.error_code).toBe(40402);
      // After the soft delete, version 1 is gone unless deleted=true.
      expect((await api.get(`${path}/versions/1?asOf=${iso(afterDelete)}`)).status).toBe(404);
      expect((await api.get(`${path}/versions/1?asOf=${iso(afterDelete)}&deleted=true`)).json).toMatchObject({ version: 1, id: first.id });
      // Today, without asOf, as before.
      expect((await api.get(`${path}/versions/1`)).status).toBe(404);
    });

    it('a permanently deleted subject is gone from later reads but there in earlier ones', async () => {
      const subject = uniq('asof-perm');
      const path = `/subjects/${enc(subject)}`;
      await mustRegister(api, subject, v1);
      await sleep(30);
      const live = new Date();
      await sleep(30);
      await mustOk(api.delete(path));
      await mustOk(api.delete(`${path}?permanent=true`));
      await sleep(30);
      const later = new Date();
      expect((await api.get(`${path}/versions?asOf=${live.getTime()}`)).json).toEqual([1]);
      expect((await api.get(`${path}/versions?asOf=${later.getTime()}&deleted=true`)).status).toBe(404);
    });

    it('config as of a moment across PUT and DELETE, per subject and registry-wide', async () => {
      const subject = uniq('asof-config');
      const path = `/config/${enc(subject)}`;
      const before = new Date();
      await sleep(30);
      await mustOk(api.put(path, { compatibility: 'FULL' }));
      await sleep(30);
      const t1 = new Date();
      await sleep(30);
      await mustOk(api.put(path, { compatibility: 'NONE', normalize: true }));
      await sleep(30);
      const t2 = new Date();
      await sleep(30);
      await mustOk(api.delete(path));
      await sleep(30);
      const t3 = new Date();

      const noConfig = await api.get(`${path}?asOf=${before.getTime()}`);
      expect(noConfig.status).toBe(404);
      expect(noConfig.json.error_code).toBe(40408);
      expect((await api.get(`${path}?asOf=${enc(t1.toISOString())}`)).json).toMatchObject({ compatibilityLevel: 'FULL' });
      expect((await api.get(`${path}?asOf=${enc(t2.toISOString())}`)).json).toMatchObject({ compatibilityLevel: 'NONE', normalize: true });
      expect((await api.get(`${path}?asOf=${enc(t3.toISOString())}`)).status).toBe(404);
      expect((await api.get(path)).status).toBe(404);

      // Registry-wide: the default level before any PUT.
      const global = await api.get(`/config?asOf=${t3.getTime()}`);
      expect(global.status).toBe(200);
      expect(global.json.compatibilityLevel).toEqual(expect.any(String));
    });

    it('an invalid asOf is 400, on every read that takes it', async () => {
      const subject = uniq('asof-bad');
      await mustRegister(api, subject, v1);
      for (const path of [`/subjects/${enc(subject)}/versions`, `/subjects/${enc(subject)}/versions/1`, `/config/${enc(subject)}`, '/config']) {
        for (const bad of ['not-a-date', '2024-02-30T25:00:00Z']) {
          const res = await api.get(`${path}?asOf=${enc(bad)}`);
          expect(res.status, `${path} ${bad}`).toBe(400);
          expect(res.json.error_code).toBe(400);
          expect(res.json.message).toContain('asOf');
        }
      }
    });
  });
});
