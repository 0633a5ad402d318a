// Confluent schema contexts (issue 20 item 7): subjects qualified as `:.ctx:name`, ids per context, /contexts,
// subjectPrefix over contexts, ids read in a subject's context, references within a context, config and mode per context.
// Each suite starts a registry of its own: contexts and their ids are registry-wide.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustOk, mustRegister, record, type Client } from './helpers.js';

const A = record('A', [['a', 'string']]);
const B = record('B', [['b', 'string']]);
const C = record('C', [['c', 'string']]);
const shared = record('Shared', [['s', 'string']]);

describe.each(backends)('contexts ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());

  describe('a two-context registry', () => {
    // Default context: A (1), B (2), shared (3). Context .team-a: shared (1), C (2).
    let ids: Record<string, number>;
    beforeAll(async () => {
      ids = {
        a: (await mustRegister(api, 'two-a', A)).id,
        b: (await mustRegister(api, 'two-b', B)).id,
        shared: (await mustRegister(api, 'two-shared', shared)).id,
        ctxShared: (await mustRegister(api, ':.team-a:two-shared', shared)).id,
        ctxC: (await mustRegister(api, ':.team-a:two-c', C)).id,
      };
    });

    it('gives the same schema a different id in each context, and each context ids of its own from 1', () => {
      expect([ids.a, ids.b, ids.shared]).toEqual([1, 2, 3]);
      expect([ids.ctxShared, ids.ctxC]).toEqual([1, 2]);
    });

    it('re-registering answers the id of the schema in that context', async () => {
      expect((await mustRegister(api, ':.team-a:two-shared', shared)).id).toBe(1);
      expect((await mustRegister(api, 'two-shared', shared)).id).toBe(3);
      // A subject of another context holding the same schema shares its context's id.
      expect((await mustRegister(api, ':.team-a:two-shared-copy', shared)).id).toBe(1);
    });

    it('reads an id in the context of ?subject=, and in the default context without one', async () => {
      expect((await mustOk(api.get('/schemas/ids/1'))).schema).toContain('"A"');
      expect((await mustOk(api.get(`/schemas/ids/1?subject=${enc(':.team-a:two-shared')}`))).schema).toContain('"Shared"');
      expect((await mustOk(api.get(`/schemas/ids/2?subject=${enc(':.team-a:two-c')}`))).schema).toContain('"C"');
      expect((await api.get(`/schemas/ids/2/schema?subject=${enc(':.team-a:x')}`)).text).toContain('"C"');
      // An id the context does not have: 40403, whatever the default context holds.
      const missing = await api.get(`/schemas/ids/3?subject=${enc(':.team-a:two-c')}`);
      expect([missing.status, missing.json.error_code]).toEqual([404, 40403]);
      // `:.:` names the default context.
      expect((await mustOk(api.get(`/schemas/ids/3?subject=${enc(':.:two-shared')}`))).schema).toContain('"Shared"');
    });

    it('an unqualified ?subject= that holds the id only in another context finds it there, as CP does', async () => {
      expect((await mustOk(api.get('/schemas/ids/2?subject=two-c'))).schema).toContain('"C"');
    });

    it('lists the subjects and versions of an id within its context', async () => {
      // `?subject=` filters to one subject; a bare context (`:.team-a:`) only names where the id is read.
      expect(await mustOk(api.get(`/schemas/ids/1/subjects?subject=${enc(':.team-a:two-shared')}`))).toEqual([':.team-a:two-shared']);
      expect((await mustOk(api.get(`/schemas/ids/1/subjects?subject=${enc(':.team-a:')}`))).sort()).toEqual([
        ':.team-a:two-shared',
        ':.team-a:two-shared-copy',
      ]);
      expect(await mustOk(api.get('/schemas/ids/1/versions'))).toEqual([{ subject: 'two-a', version: 1 }]);
    });

    it('fetchMaxId answers the highest id of the context', async () => {
      expect((await mustOk(api.get(`/schemas/ids/1?fetchMaxId=true&subject=${enc(':.team-a:two-c')}`))).maxId).toBe(2);
      expect((await mustOk(api.get('/schemas/ids/1?fetchMaxId=true'))).maxId).toBeGreaterThanOrEqual(3);
    });

    it('reads subject versions under their qualified names', async () => {
      const version = await mustOk(api.get(`/subjects/${enc(':.team-a:two-c')}/versions/latest`));
      expect(version).toMatchObject({ subject: ':.team-a:two-c', version: 1, id: 2 });
      expect(await mustOk(api.get(`/subjects/${enc(':.team-a:two-c')}/versions`))).toEqual([1]);
      const lookup = await mustOk(api.post(`/subjects/${enc(':.team-a:two-shared')}`, { schema: JSON.stringify(shared) }));
      expect(lookup).toMatchObject({ subject: ':.team-a:two-shared', id: 1 });
    });

    it('GET /contexts lists the default context and every context created by a registration, sorted', async () => {
      expect(await mustOk(api.get('/contexts'))).toEqual(['.', '.team-a']);
      expect(await mustOk(api.get('/contexts?contextPrefix=.t'))).toEqual(['.team-a']);
    });

    it('subjectPrefix: none or :*: is every context, :.ctx: one context, anything else the default context', async () => {
      const all = await mustOk(api.get('/subjects'));
      expect(all).toEqual(expect.arrayContaining(['two-a', ':.team-a:two-c']));
      expect(await mustOk(api.get(`/subjects?subjectPrefix=${enc(':*:')}`))).toEqual(all);
      expect(await mustOk(api.get(`/subjects?subjectPrefix=${enc(':.team-a:')}`))).toEqual([
        ':.team-a:two-c',
        ':.team-a:two-shared',
        ':.team-a:two-shared-copy',
      ]);
      expect(await mustOk(api.get(`/subjects?subjectPrefix=${enc(':.team-a:two-shared')}`))).toEqual([':.team-a:two-shared', ':.team-a:two-shared-copy']);
      expect(await mustOk(api.get('/subjects?subjectPrefix=two-'))).toEqual(['two-a', 'two-b', 'two-shared']);
      expect(await mustOk(api.get(`/subjects?subjectPrefix=${enc(':.:two-')}`))).toEqual(['two-a', 'two-b', 'two-shared']);
      expect(await mustOk(api.get(`/subjects?subjectPrefix=${enc(':*:two-shared')}`))).toEqual([
        ':.team-a:two-shared',
        ':.team-a:two-shared-copy',
        'two-shared',
      ]);
    });

    it('GET /schemas takes the same prefixes, each version with the id of its own context', async () => {
      const ctx = await mustOk(api.get(`/schemas?subjectPrefix=${enc(':.team-a:')}`));
      expect(ctx.map((s: { subject: string; id: number }) => [s.subject, s.id])).toEqual([
        [':.team-a:two-c', 2],
        [':.team-a:two-shared', 1],
        [':.team-a:two-shared-copy', 1],
      ]);
      const everywhere = await mustOk(api.get(`/schemas?subjectPrefix=${enc(':*:two-shared')}`));
      expect(everywhere.map((s: { subject: string; id: number }) => [s.subject, s.id])).toEqual([
        [':.team-a:two-shared', 1],
        [':.team-a:two-shared-copy', 1],
        ['two-shared', 3],
      ]);
    });
    it('a GUID is the same in every context: /schemas/guids/{guid}/ids lists each context’s id, and a GUID held only in a named context reads there', async () => {
      const guidOf = async (subject: string) => ((await mustOk(api.get(`/subjects/${enc(subject)}/versions/1`))) as { guid: string }).guid;
      const sharedGuid = await guidOf('two-shared');
      expect(await guidOf(':.team-a:two-shared')).toBe(sharedGuid);
      expect(await mustOk(api.get(`/schemas/guids/${sharedGuid}/ids`))).toEqual([
        { context: '.', id: ids.shared },
        { context: '.team-a', id: ids.ctxShared },
      ]);
      expect((await mustOk(api.get(`/schemas/guids/${sharedGuid}`))).schema).toContain('"Shared"');
      // C is id 2 of .team-a only; id 2 of the default context is B.
      const cGuid = await guidOf(':.team-a:two-c');
      expect(await mustOk(api.get(`/schemas/guids/${cGuid}/ids`))).toEqual([{ context: '.team-a', id: ids.ctxC }]);
      expect((await mustOk(api.get(`/schemas/guids/${cGuid}`))).schema).toContain('"C"');
    });
  });

  describe('references', () => {
    const address = { type: 'record', name: 'Address', namespace: 'com.acme', fields: [{ name: 'street', type: 'string' }] };
    const order = { type: 'record', name: 'Order', namespace: 'com.acme', fields: [{ name: 'ship', type: 'com.acme.Address' }] };
    const ref = [{ name: 'com.acme.Address', subject: 'ref-address', version: 1 }];

    it('resolve within the referring subject’s context', async () => {
      // Only the context .refs has ref-address: from the default context the reference does not resolve.
      await mustRegister(api, ':.refs:ref-address', address);
      const outside = await api.register('ref-order', order, { references: ref });
      expect([outside.status, outside.json.error_code]).toEqual([422, 42201]);
      const inside = await mustRegister(api, ':.refs:ref-order', order, { references: ref });
      const read = await mustOk(api.get(`/subjects/${enc(':.refs:ref-order')}/versions/1`));
      // The reference is kept as written.
      expect(read.references).toEqual(ref);
      expect(await mustOk(api.get(`/subjects/${enc(':.refs:ref-address')}/versions/1/referencedby`))).toEqual([inside.id]);
      // The referenced version cannot go while referenced.
      const blocked = await api.delete(`/subjects/${enc(':.refs:ref-address')}/versions/1`);
      expect([blocked.status, blocked.json.error_code]).toEqual([422, 42206]);
    });
  });

  describe('DELETE /contexts/{context}', () => {
    it('refuses a context with subjects (422/42211), and removes an empty one (204); its ids start again', async () => {
      const first = await mustRegister(api, ':.gone:s', A);
      expect(first.id).toBe(1);
      const refused = await api.delete('/contexts/.gone');
      expect(refused.status).toBe(422);
      expect(refused.json).toEqual({ error_code: 42211, message: "The specified context '.gone' is not empty." });
      // Soft-deleted versions still count.
      await mustOk(api.delete(`/subjects/${enc(':.gone:s')}`));
      expect((await api.delete('/contexts/.gone')).json.error_code).toBe(42211);
      await mustOk(api.delete(`/subjects/${enc(':.gone:s')}?permanent=true`));
      // Hard-deleted, the context stays listed until it is deleted, as in CP.
      expect(await mustOk(api.get('/contexts'))).toContain('.gone');
      const removed = await api.delete('/contexts/.gone');
      expect(removed.status).toBe(204);
      expect(removed.text).toBe('');
      expect(await mustOk(api.get('/contexts'))).not.toContain('.gone');
      expect((await mustRegister(api, ':.gone:t', B)).id).toBe(1);
      expect((await mustOk(api.get(`/schemas/ids/1?subject=${enc(':.gone:t')}`))).schema).toContain('"B"');
    });

    it('the default context is never removed', async () => {
      // (`/contexts/.` is a dot segment a URL drops; `:.:` names the default context too.)
      const res = await api.delete(`/contexts/${enc(':.:')}`);
      expect(res.json.error_code).toBe(42211);
      expect(await mustOk(api.get('/contexts'))).toContain('.');
    });
  });

  describe('config and mode per context', () => {
    it('/config/:.ctx: sets the context’s level; a subject falls back to subject, then context, then global', async () => {
      await mustRegister(api, ':.strict:orders', A);
      await mustRegister(api, ':.loose:orders', A);
      expect(await mustOk(api.put(`/config/${enc(':.loose:')}`, { compatibility: 'NONE' }))).toEqual({ compatibility: 'NONE' });
      expect(await mustOk(api.get(`/config/${enc(':.loose:')}`))).toEqual({ compatibilityLevel: 'NONE' });
      expect(await mustOk(api.get(`/config/${enc(':.loose:orders')}?defaultToGlobal=true`))).toMatchObject({ compatibilityLevel: 'NONE' });
      expect(await mustOk(api.get(`/config/${enc(':.strict:orders')}?defaultToGlobal=true`))).toMatchObject({ compatibilityLevel: 'BACKWARD' });
      // B drops A's field and adds a required one: incompatible under BACKWARD, accepted under the context's NONE.
      expect((await api.register(':.strict:orders', record('A', [['b', 'string']]))).status).toBe(409);
      expect((await api.register(':.loose:orders', record('A', [['b', 'string']]))).status).toBe(200);
      // The subject's own level wins over its context's.
      await mustOk(api.put(`/config/${enc(':.loose:orders')}`, { compatibility: 'FULL' }));
      expect((await api.register(':.loose:orders', record('A', [['c', 'string']]))).status).toBe(409);
      expect(await mustOk(api.delete(`/config/${enc(':.loose:')}`))).toEqual({ compatibilityLevel: 'NONE' });
    });

    it('/mode/:.ctx: governs the context’s subjects unless a subject has its own mode', async () => {
      await mustRegister(api, ':.frozen:orders', A);
      await mustOk(api.put(`/mode/${enc(':.frozen:')}`, { mode: 'READONLY' }));
      expect(await mustOk(api.get(`/mode/${enc(':.frozen:orders')}?defaultToGlobal=true`))).toEqual({ mode: 'READONLY' });
      const refused = await api.register(':.frozen:orders', B);
      expect([refused.status, refused.json.error_code]).toEqual([422, 42205]);
      expect(refused.json.message).toContain('in context .frozen');
      // Other contexts and the default one are not affected.
      expect((await api.register(':.thawed:orders', B)).status).toBe(200);
      await mustOk(api.put(`/mode/${enc(':.frozen:orders')}`, { mode: 'READWRITE' }));
      expect((await api.register(':.frozen:orders', record('A', [['a', 'string'], { name: 'b', type: 'int', default: 0 }]))).status).toBe(200);
      await mustOk(api.delete(`/mode/${enc(':.frozen:')}`));
    });

    it('/config/:.:  is the registry-wide config (the default context)', async () => {
      expect(await mustOk(api.get(`/config/${enc(':.:')}`))).toEqual(await mustOk(api.get('/config')));
    });
  });

  describe('catalog and governance', () => {
    it('treat the context as part of the subject name', async () => {
      await mustOk(api.put(`/catalog/subjects/${enc(':.gov:orders')}`, { owner: 'team-gov', domain: 'orders' }));
      expect(await mustOk(api.get(`/catalog/subjects/${enc(':.gov:orders')}`))).toMatchObject({ owner: 'team-gov' });
      expect((await api.get('/catalog/subjects/orders')).status).toBe(404);
      // Rules set for the prefix `:.gov:` apply in that context only.
      await mustOk(api.put(`/governance/settings/prefixes/${enc(':.gov:')}`, { severities: { FIELD_DOCUMENTED: 'error' } }));
      const refused = await api.register(':.gov:orders', record('Undocumented', [['x', 'string']]));
      expect([refused.status, refused.json.error_code]).toEqual([422, 42201]);
      expect((await api.register('gov-orders', record('Undocumented', [['x', 'string']]))).status).toBe(200);
    });
  });

  describe('names', () => {
    it('`:.:name` is the default context’s `name`', async () => {
      const { id } = await mustRegister(api, ':.:plain', C);
      expect(await mustOk(api.get('/subjects/plain/versions'))).toEqual([1]);
      expect((await mustOk(api.get(`/schemas/ids/${id}`))).schema).toContain('"C"');
    });

    it('a reserved name is invalid in a context too', async () => {
      const res = await api.register(':.x:__GLOBAL', A);
      expect([res.status, res.json.error_code]).toEqual([422, 42208]);
    });
  });
});
