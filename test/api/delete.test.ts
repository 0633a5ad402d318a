// Conformance, reference §6 and the DELETE parts of §3.3: soft before hard, repeat rules, references, latest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustOk, mustRegister, record, uniq, type Client } from './helpers.js';

const A = record('r', [['a', 'string']]);
const B = record('r', [['a', 'string'], { name: 'b', type: 'int', default: 0 }]);
const C = record('r', [['a', 'string'], { name: 'b', type: 'int', default: 0 }, { name: 'c', type: 'long', default: 1 }]);
const address = { type: 'record', name: 'Address', namespace: 'com.acme', fields: [{ name: 'street', type: 'string' }] };
const order = { type: 'record', name: 'Order', namespace: 'com.acme', fields: [{ name: 'ship', type: 'com.acme.Address' }] };

describe.each(backends)('deletes ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());

  const three = async () => {
    const s = uniq('del');
    const ids = [];
    for (const schema of [A, B, C]) ids.push((await mustRegister(api, s, schema)).id);
    return { s, path: `/subjects/${enc(s)}`, ids };
  };

  describe('DELETE /subjects/{s}', () => {
    it('a soft delete answers the deleted versions and hides the subject', async () => {
      const { s, path } = await three();
      const res = await api.delete(path);
      expect(res.status).toBe(200);
      expect(res.json).toEqual([1, 2, 3]);
      expect((await api.get('/subjects')).json).not.toContain(s);
      expect((await api.get('/subjects?deleted=true')).json).toContain(s);
      expect((await api.get('/subjects?deletedOnly=true')).json).toContain(s);
      expect((await api.get(`${path}/versions`)).json.error_code).toBe(40401);
    });

    it('a soft delete lists only the live versions; a permanent one every remaining version', async () => {
      const { path } = await three();
      await mustOk(api.delete(`${path}/versions/2`));
      expect((await api.delete(path)).json).toEqual([1, 3]);
      const hard = await api.delete(`${path}?permanent=true`);
      expect(hard.status).toBe(200);
      expect(hard.json).toEqual([1, 2, 3]);
    });

    it('repeating a soft delete → 404/40404', async () => {
      const { s, path } = await three();
      await mustOk(api.delete(path));
      const res = await api.delete(path);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error_code: 40404, message: `Subject '${s}' was soft deleted.Set permanent=true to delete permanently` });
    });

    it('a permanent delete before a soft one → 404/40405', async () => {
      const { s, path } = await three();
      const res = await api.delete(`${path}?permanent=true`);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error_code: 40405, message: `Subject '${s}' was not deleted first before being permanently deleted` });
      await mustOk(api.delete(`${path}/versions/1`));
      expect((await api.delete(`${path}?permanent=true`)).json.error_code).toBe(40405);
    });

    it('after a permanent delete the subject is gone: 40401 everywhere', async () => {
      const { s, path } = await three();
      await mustOk(api.delete(path));
      await mustOk(api.delete(`${path}?permanent=true`));
      expect((await api.get('/subjects?deleted=true')).json).not.toContain(s);
      expect((await api.get(`${path}/versions?deleted=true`)).json.error_code).toBe(40401);
      expect((await api.delete(`${path}?permanent=true`)).json.error_code).toBe(40401);
      expect((await api.delete(path)).json.error_code).toBe(40401);
    });

    it('an unknown subject → 40401 for both kinds', async () => {
      const path = `/subjects/${enc(uniq('ghost'))}`;
      const soft = await api.delete(path);
      expect(soft.status).toBe(404);
      expect(soft.json.error_code).toBe(40401);
      expect((await api.delete(`${path}?permanent=true`)).json.error_code).toBe(40401);
    });

    it('registering again after a soft delete continues the numbering', async () => {
      const { path, s } = await three();
      await mustOk(api.delete(path));
      const again = await mustRegister(api, s, record('other', [['z', 'int']]));
      expect(again.version ?? 4).toBe(4);
      expect((await api.get(`${path}/versions`)).json).toEqual([4]);
    });
  });

  describe('DELETE /subjects/{s}/versions/{v}', () => {
    it('a soft delete answers the version as a bare int', async () => {
      const { path } = await three();
      const res = await api.delete(`${path}/versions/2`);
      expect(res.status).toBe(200);
      expect(res.json).toBe(2);
      expect(res.text.trim()).toBe('2');
      expect((await api.get(`${path}/versions`)).json).toEqual([1, 3]);
    });

    it('latest and -1 delete the highest live version; GET latest then falls back', async () => {
      const { path, ids } = await three();
      expect((await api.delete(`${path}/versions/latest`)).json).toBe(3);
      expect((await api.get(`${path}/versions/latest`)).json).toMatchObject({ version: 2, id: ids[1] });
      expect((await api.delete(`${path}/versions/-1`)).json).toBe(2);
      expect((await api.get(`${path}/versions/latest`)).json).toMatchObject({ version: 1, id: ids[0] });
    });

    it('after deleting latest, the next registration still gets a new number', async () => {
      const { path, s } = await three();
      await mustOk(api.delete(`${path}/versions/latest`));
      await mustRegister(api, s, record('r', [['a', 'string'], { name: 'd', type: 'int', default: 3 }]));
      expect((await api.get(`${path}/versions`)).json).toEqual([1, 2, 4]);
    });

    it('repeating a soft delete → 404/40406', async () => {
      const { s, path } = await three();
      await mustOk(api.delete(`${path}/versions/2`));
      const res = await api.delete(`${path}/versions/2`);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error_code: 40406, message: `Subject '${s}' Version 2 was soft deleted.Set permanent=true to delete permanently` });
    });

    it('a permanent delete before a soft one → 404/40407', async () => {
      const { s, path } = await three();
      const res = await api.delete(`${path}/versions/2?permanent=true`);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error_code: 40407, message: `Subject '${s}' Version 2 was not deleted first before being permanently deleted` });
    });

    it('soft then permanent works; repeating the permanent delete → 40402', async () => {
      const { path } = await three();
      await mustOk(api.delete(`${path}/versions/2`));
      const hard = await api.delete(`${path}/versions/2?permanent=true`);
      expect(hard.status).toBe(200);
      expect(hard.json).toBe(2);
      expect((await api.get(`${path}/versions?deleted=true`)).json).toEqual([1, 3]);
      const again = await api.delete(`${path}/versions/2?permanent=true`);
      expect(again.status).toBe(404);
      expect(again.json.error_code).toBe(40402);
      expect((await api.delete(`${path}/versions/2`)).json.error_code).toBe(40402);
    });

    it('bad version → 42202; unknown subject → 40401; unknown version → 40402', async () => {
      const { path } = await three();
      for (const v of ['0', '-2', 'abc']) {
        const res = await api.delete(`${path}/versions/${v}`);
        expect(res.status).toBe(422);
        expect(res.json.error_code).toBe(42202);
      }
      expect((await api.delete(`/subjects/${enc(uniq('ghost'))}/versions/1`)).json.error_code).toBe(40401);
      const missing = await api.delete(`${path}/versions/9`);
      expect(missing.status).toBe(404);
      expect(missing.json.error_code).toBe(40402);
    });

    it('a soft-deleted version stays readable with deleted=true, by lookup and by id', async () => {
      const { path, ids } = await three();
      await mustOk(api.delete(`${path}/versions/1`));
      expect((await api.get(`${path}/versions/1?deleted=true`)).json).toMatchObject({ version: 1, id: ids[0] });
      expect((await api.post(`${path}?deleted=true`, { schema: JSON.stringify(A) })).json).toMatchObject({ version: 1 });
      expect((await api.get(`/schemas/ids/${ids[0]}`)).status).toBe(200);
    });

    it('hard-deleting the last record forgets the subject config', async () => {
      const s = uniq('cfg');
      const path = `/subjects/${enc(s)}`;
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'FULL' }));
      await mustRegister(api, s, A);
      await mustOk(api.delete(`${path}/versions/1`));
      await mustOk(api.delete(`${path}/versions/1?permanent=true`));
      expect((await api.get(`/config/${enc(s)}`)).json.error_code).toBe(40408);
    });
  });

  // Confluent 7.x–8.0 (KafkaSchemaRegistry.deleteSubject / deleteSchemaVersion): a soft delete that leaves the subject
  // no live version removes its config and mode; a hard delete leaves settings alone.
  describe('deletes and subject settings', () => {
    const NEEDS_DEFAULT = record('r', [['a', 'string'], ['z', 'int']]);

    it('soft-deleting the last live version removes the subject config and mode', async () => {
      const s = uniq('foo-key');
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'NONE' }));
      await mustOk(api.put(`/mode/${enc(s)}`, { mode: 'READWRITE' }));
      await mustRegister(api, s, A);
      await mustOk(api.delete(`/subjects/${enc(s)}/versions/1`));
      const config = await api.get(`/config/${enc(s)}`);
      expect(config.status).toBe(404);
      expect(config.json).toEqual({ error_code: 40408, message: `Subject '${s}' does not have subject-level compatibility configured` });
      const mode = await api.get(`/mode/${enc(s)}`);
      expect(mode.status).toBe(404);
      expect(mode.json.error_code).toBe(40409);
    });

    it('soft-deleting a version while others stay live keeps the settings', async () => {
      const s = uniq('keep');
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'NONE' }));
      await mustRegister(api, s, A);
      await mustRegister(api, s, NEEDS_DEFAULT);
      await mustOk(api.delete(`/subjects/${enc(s)}/versions/1`));
      expect((await api.get(`/config/${enc(s)}`)).json).toEqual({ compatibilityLevel: 'NONE' });
    });

    it('soft-deleting the subject removes its settings; re-created, it is checked at the global level (409)', async () => {
      const s = uniq('recreated');
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'NONE' }));
      await mustRegister(api, s, A);
      await mustOk(api.delete(`/subjects/${enc(s)}`));
      expect((await api.get(`/config/${enc(s)}`)).json.error_code).toBe(40408);
      await mustRegister(api, s, A);
      const incompatible = await api.register(s, NEEDS_DEFAULT);
      expect(incompatible.status).toBe(409);
      expect(incompatible.json.error_code).toBe(409);
    });

    it('the removal is audited: asOf reads still show the config before the delete', async () => {
      const s = uniq('asof');
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'FORWARD' }));
      await mustRegister(api, s, A);
      await new Promise((r) => setTimeout(r, 20));
      const before = new Date().toISOString();
      await new Promise((r) => setTimeout(r, 20));
      await mustOk(api.delete(`/subjects/${enc(s)}`));
      expect((await api.get(`/config/${enc(s)}?asOf=${encodeURIComponent(before)}`)).json).toEqual({ compatibilityLevel: 'FORWARD' });
      expect((await api.get(`/config/${enc(s)}?asOf=${encodeURIComponent(new Date().toISOString())}`)).json.error_code).toBe(40408);
    });

    it('a hard delete leaves settings set after the soft delete', async () => {
      const s = uniq('hard');
      await mustRegister(api, s, A);
      await mustOk(api.delete(`/subjects/${enc(s)}`));
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'FULL' }));
      await mustOk(api.delete(`/subjects/${enc(s)}?permanent=true`));
      expect((await api.get(`/config/${enc(s)}`)).json).toEqual({ compatibilityLevel: 'FULL' });
    });
  });

  describe('references block deletes (42206)', () => {
    const referenced = async () => {
      const addr = uniq('addr');
      await mustRegister(api, addr, address);
      const referrer = uniq('order');
      const o = await mustRegister(api, referrer, order, { references: [{ name: 'com.acme.Address', subject: addr, version: 1 }] });
      return { addr: `/subjects/${enc(addr)}`, addrName: addr, referrer: `/subjects/${enc(referrer)}`, orderId: o.id };
    };

    it('a referenced version cannot be deleted', async () => {
      const { addr, addrName } = await referenced();
      const res = await api.delete(`${addr}/versions/1`);
      expect(res.status).toBe(422);
      expect(res.json).toEqual({
        error_code: 42206,
        message: `One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${addrName},version=1}.`,
      });
      expect((await api.get(`${addr}/versions`)).json).toEqual([1]);
    });

    it('a subject referenced from another subject cannot be deleted', async () => {
      const { addr } = await referenced();
      const res = await api.delete(addr);
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42206);
    });

    it('soft deletes count live referrers; permanent deletes count soft-deleted ones too', async () => {
      const { addr, referrer } = await referenced();
      await mustOk(api.delete(referrer));
      expect((await api.delete(addr)).status).toBe(200);
      const hard = await api.delete(`${addr}?permanent=true`);
      expect(hard.status).toBe(422);
      expect(hard.json.error_code).toBe(42206);
      expect((await api.delete(`${addr}/versions/1?permanent=true`)).json.error_code).toBe(42206);
      await mustOk(api.delete(`${referrer}?permanent=true`));
      expect((await api.delete(`${addr}?permanent=true`)).json).toEqual([1]);
    });

    it('references within the same subject do not block a subject delete', async () => {
      const s = uniq('self');
      const path = `/subjects/${enc(s)}`;
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'NONE' }));
      await mustRegister(api, s, address);
      await mustRegister(api, s, order, { references: [{ name: 'com.acme.Address', subject: s, version: 1 }] });
      const soft = await api.delete(path);
      expect(soft.status).toBe(200);
      expect(soft.json).toEqual([1, 2]);
      expect((await api.delete(`${path}?permanent=true`)).json).toEqual([1, 2]);
    });
  });
});
