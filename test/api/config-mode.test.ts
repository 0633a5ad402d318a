// Conformance, reference §3.5 and §3.6: compatibility config and modes, global and per subject.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustOk, mustRegister, record, uniq, type Client } from './helpers.js';

const A = record('r', [['a', 'string']]);
const B = record('r', [['a', 'string'], { name: 'b', type: 'int', default: 0 }]);
const NEEDS_DEFAULT = record('r', [['a', 'string'], ['z', 'int']]);

describe.each(backends)('config and mode ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
  });
  afterAll(() => server.close());
  // Tests here change registry-wide config and mode: put both back after each one. (server.reset() is not used:
  // it empties the tables under a running registry, which keeps what it has cached by schema id.)
  afterEach(async () => {
    await mustOk(api.put('/mode', { mode: 'READWRITE' }));
    await mustOk(api.delete('/config'));
  });
  let nextImportId = 1_000_000;
  const importId = () => ++nextImportId;

  describe('/config (§3.5)', () => {
    it('GET /config defaults to BACKWARD', async () => {
      const res = await api.get('/config');
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ compatibilityLevel: 'BACKWARD' });
    });

    it('PUT /config takes `compatibility`, echoes it, and GET answers `compatibilityLevel`', async () => {
      const put = await api.put('/config', { compatibility: 'FULL' });
      expect(put.status).toBe(200);
      expect(put.json).toEqual({ compatibility: 'FULL' });
      expect((await api.get('/config')).json).toEqual({ compatibilityLevel: 'FULL' });
    });

    it.each(['full_transitive', 'None', 'forward'])('the level %s is case-insensitive and stored uppercase', async (level) => {
      expect((await api.put('/config', { compatibility: level })).status).toBe(200);
      expect((await api.get('/config')).json).toEqual({ compatibilityLevel: level.toUpperCase() });
    });

    it('an unknown level → 422/42203', async () => {
      const res = await api.put('/config', { compatibility: 'SIDEWAYS' });
      expect(res.status).toBe(422);
      expect(res.json).toEqual({
        error_code: 42203,
        message: 'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive',
      });
      expect((await api.get('/config')).json).toEqual({ compatibilityLevel: 'BACKWARD' });
    });

    it('a body using compatibilityLevel is ignored', async () => {
      const res = await api.put('/config', { compatibilityLevel: 'NONE' });
      expect(res.status).toBe(200);
      expect((await api.get('/config')).json).toEqual({ compatibilityLevel: 'BACKWARD' });
    });

    it('DELETE /config answers the old config and reverts to the default', async () => {
      await mustOk(api.put('/config', { compatibility: 'FORWARD' }));
      const res = await api.delete('/config');
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ compatibilityLevel: 'FORWARD' });
      expect((await api.get('/config')).json).toEqual({ compatibilityLevel: 'BACKWARD' });
    });

    it('GET /config/{s} without subject config → 40408, even when the subject has schemas', async () => {
      const s = uniq('nocfg');
      await mustRegister(api, s, A);
      const res = await api.get(`/config/${enc(s)}`);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error_code: 40408, message: `Subject '${s}' does not have subject-level compatibility configured` });
    });

    it('defaultToGlobal=true answers the global level when the subject has none', async () => {
      await mustOk(api.put('/config', { compatibility: 'FULL' }));
      const res = await api.get(`/config/${enc(uniq('dtg'))}?defaultToGlobal=true`);
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ compatibilityLevel: 'FULL' });
    });

    it('PUT /config/{s} works for a subject that does not exist, and GET reads it back', async () => {
      const s = uniq('cfg');
      const put = await api.put(`/config/${enc(s)}`, { compatibility: 'forward_transitive' });
      expect(put.status).toBe(200);
      expect(put.json).toEqual({ compatibility: 'FORWARD_TRANSITIVE' });
      expect((await api.get(`/config/${enc(s)}`)).json).toEqual({ compatibilityLevel: 'FORWARD_TRANSITIVE' });
      expect((await api.get(`/config/${enc(s)}?defaultToGlobal=true`)).json).toMatchObject({ compatibilityLevel: 'FORWARD_TRANSITIVE' });
      expect((await api.get('/config')).json).toEqual({ compatibilityLevel: 'BACKWARD' });
    });

    it('PUT answers the new full config: fields set earlier are kept and echoed', async () => {
      const s = uniq('merge');
      await mustOk(api.put(`/config/${enc(s)}`, { normalize: true }));
      const res = await api.put(`/config/${enc(s)}`, { compatibility: 'FULL' });
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ compatibility: 'FULL', normalize: true });
      expect((await api.get(`/config/${enc(s)}`)).json).toEqual({ compatibilityLevel: 'FULL', normalize: true });
    });

    it('optional fields such as normalize appear only when set', async () => {
      const s = uniq('norm');
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'NONE', normalize: true }));
      expect((await api.get(`/config/${enc(s)}`)).json).toEqual({ compatibilityLevel: 'NONE', normalize: true });
    });

    it('PUT /config/{s} with an unknown level → 42203; with an invalid name → 42208', async () => {
      expect((await api.put(`/config/${enc(uniq('bad'))}`, { compatibility: 'nope' })).json.error_code).toBe(42203);
      const res = await api.put(`/config/${enc('bad\nname')}`, { compatibility: 'NONE' });
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42208);
    });

    it('DELETE /config/{s} answers the old config; without one → 40401', async () => {
      const s = uniq('delcfg');
      await mustOk(api.put(`/config/${enc(s)}`, { compatibility: 'FULL' }));
      const res = await api.delete(`/config/${enc(s)}`);
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ compatibilityLevel: 'FULL' });
      expect((await api.get(`/config/${enc(s)}`)).json.error_code).toBe(40408);
      const again = await api.delete(`/config/${enc(s)}`);
      expect(again.status).toBe(404);
      expect(again.json).toEqual({ error_code: 40401, message: `Subject '${s}' not found.` });
    });

    it('/config/:.: is the global config', async () => {
      await mustOk(api.put(`/config/${enc(':.:')}`, { compatibility: 'NONE' }));
      expect((await api.get('/config')).json).toEqual({ compatibilityLevel: 'NONE' });
      expect((await api.get(`/config/${enc(':.:')}`)).json).toEqual({ compatibilityLevel: 'NONE' });
    });

    it('the subject level overrides the global one for registration', async () => {
      const loose = uniq('loose');
      const strict = uniq('strict');
      await mustOk(api.put('/config', { compatibility: 'FULL' }));
      await mustOk(api.put(`/config/${enc(loose)}`, { compatibility: 'NONE' }));
      for (const s of [loose, strict]) await mustRegister(api, s, A);
      expect((await api.register(loose, NEEDS_DEFAULT)).status).toBe(200);
      expect((await api.register(strict, NEEDS_DEFAULT)).status).toBe(409);
      await mustOk(api.put('/config', { compatibility: 'NONE' }));
      expect((await api.register(strict, NEEDS_DEFAULT)).status).toBe(200);
    });
  });

  describe('/mode (§3.6)', () => {
    it('GET /mode defaults to READWRITE; PUT echoes; GET reads back', async () => {
      expect((await api.get('/mode')).json).toEqual({ mode: 'READWRITE' });
      const put = await api.put('/mode', { mode: 'READONLY' });
      expect(put.status).toBe(200);
      expect(put.json).toEqual({ mode: 'READONLY' });
      expect((await api.get('/mode')).json).toEqual({ mode: 'READONLY' });
    });

    it('the mode is case-insensitive on input', async () => {
      expect((await api.put('/mode', { mode: 'readonly' })).status).toBe(200);
      expect((await api.get('/mode')).json).toEqual({ mode: 'READONLY' });
    });

    it('an unknown mode → 42204; FORWARD on a subject → 42204', async () => {
      const res = await api.put('/mode', { mode: 'SIDEWAYS' });
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42204);
      const fwd = await api.put(`/mode/${enc(uniq('m'))}`, { mode: 'FORWARD' });
      expect(fwd.status).toBe(422);
      expect(fwd.json.error_code).toBe(42204);
      expect((await api.get('/mode')).json).toEqual({ mode: 'READWRITE' });
    });

    it('GET /mode/{s} without a subject mode → 40409; defaultToGlobal gives the global mode', async () => {
      const s = uniq('m');
      const res = await api.get(`/mode/${enc(s)}`);
      expect(res.status).toBe(404);
      expect(res.json).toEqual({ error_code: 40409, message: `Subject '${s}' does not have subject-level mode configured` });
      expect((await api.get(`/mode/${enc(s)}?defaultToGlobal=true`)).json).toEqual({ mode: 'READWRITE' });
    });

    it('a subject mode can be set without the subject; DELETE answers the old mode, then 40401', async () => {
      const s = uniq('m');
      expect((await api.put(`/mode/${enc(s)}`, { mode: 'READONLY' })).json).toEqual({ mode: 'READONLY' });
      expect((await api.get(`/mode/${enc(s)}`)).json).toEqual({ mode: 'READONLY' });
      const del = await api.delete(`/mode/${enc(s)}`);
      expect(del.status).toBe(200);
      expect(del.json).toEqual({ mode: 'READONLY' });
      const again = await api.delete(`/mode/${enc(s)}`);
      expect(again.status).toBe(404);
      expect(again.json.error_code).toBe(40401);
    });

    it('global READONLY blocks register, deletes and config writes with 42205; reads still work', async () => {
      const s = uniq('ro');
      await mustRegister(api, s, A);
      await mustOk(api.put('/mode', { mode: 'READONLY' }));
      const checks = [
        await api.register(s, B),
        await api.register(uniq('ro-new'), A),
        await api.delete(`/subjects/${enc(s)}/versions/1`),
        await api.delete(`/subjects/${enc(s)}`),
        await api.put('/config', { compatibility: 'NONE' }),
        await api.put(`/config/${enc(s)}`, { compatibility: 'NONE' }),
        await api.delete('/config'),
      ];
      for (const res of checks) {
        expect(res.status).toBe(422);
        expect(res.json.error_code).toBe(42205);
      }
      expect((await api.get(`/subjects/${enc(s)}/versions`)).json).toEqual([1]);
      expect((await api.get('/config')).json).toEqual({ compatibilityLevel: 'BACKWARD' });
    });

    it('READONLY_OVERRIDE is accepted and blocks writes like READONLY', async () => {
      const s = uniq('roo');
      await mustOk(api.put(`/mode/${enc(s)}`, { mode: 'READWRITE' }));
      expect((await api.put('/mode', { mode: 'READONLY_OVERRIDE' })).status).toBe(200);
      const res = await api.register(s, A);
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42205);
    });

    it('READONLY still answers an already-registered schema (idempotent fast path)', async () => {
      const s = uniq('ro');
      const a = await mustRegister(api, s, A);
      await mustOk(api.put(`/mode/${enc(s)}`, { mode: 'READONLY' }));
      const res = await api.register(s, A);
      expect(res.status).toBe(200);
      expect(res.json.id).toBe(a.id);
    });

    it('a subject READONLY mode affects only that subject', async () => {
      const ro = uniq('ro');
      const rw = uniq('rw');
      await mustOk(api.put(`/mode/${enc(ro)}`, { mode: 'READONLY' }));
      const blocked = await api.register(ro, A);
      expect(blocked.status).toBe(422);
      expect(blocked.json.error_code).toBe(42205);
      expect((await api.register(rw, A)).status).toBe(200);
    });

    it('register with an id outside IMPORT → 42205', async () => {
      const res = await api.register(uniq('noimp'), A, { id: 55 });
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42205);
    });

    it('entering IMPORT with live subjects → 42205 unless force=true', async () => {
      await mustRegister(api, uniq('live'), A);
      const res = await api.put('/mode', { mode: 'IMPORT' });
      expect(res.status).toBe(422);
      expect(res.json).toEqual({ error_code: 42205, message: 'Cannot import since found existing subjects' });
      expect((await api.get('/mode')).json).toEqual({ mode: 'READWRITE' });
      const forced = await api.put('/mode?force=true', { mode: 'IMPORT' });
      expect(forced.status).toBe(200);
      expect((await api.get('/mode')).json).toEqual({ mode: 'IMPORT' });
    });

    it('a subject-level IMPORT is refused only when that subject has live versions', async () => {
      const live = uniq('live');
      await mustRegister(api, live, A);
      expect((await api.put(`/mode/${enc(live)}`, { mode: 'IMPORT' })).json.error_code).toBe(42205);
      expect((await api.put(`/mode/${enc(uniq('empty'))}`, { mode: 'IMPORT' })).status).toBe(200);
    });

    it('entering IMPORT hard-deletes soft-deleted leftovers', async () => {
      const s = uniq('left');
      await mustRegister(api, s, A);
      await mustOk(api.delete(`/subjects/${enc(s)}`));
      expect((await api.put(`/mode/${enc(s)}`, { mode: 'IMPORT' })).status).toBe(200);
      expect((await api.get('/subjects?deleted=true')).json).not.toContain(s);
      expect((await api.get(`/subjects/${enc(s)}/versions?deleted=true`)).json.error_code).toBe(40401);
    });

    it('global IMPORT: register without an id → 42205', async () => {
      await mustOk(api.put('/mode?force=true', { mode: 'IMPORT' }));
      const res = await api.register(uniq('imp'), A);
      expect(res.status).toBe(422);
      expect(res.json.error_code).toBe(42205);
      const id = importId();
      expect((await api.register(uniq('imp'), record(`Imp${id}`, [['x', 'int']]), { id, version: 1 })).json.id).toBe(id);
    });

    it('IMPORT keeps the given id and version, skips compatibility, and raises the max id', async () => {
      const s = uniq('imp');
      await mustOk(api.put(`/mode/${enc(s)}`, { mode: 'IMPORT' }));
      const noId = await api.register(s, A);
      expect(noId.status).toBe(422);
      expect(noId.json.error_code).toBe(42205);
      const [id1, id2] = [importId(), importId()];
      const first = await api.register(s, record(`Imported${id1}`, [['a', 'string']]), { id: id1, version: 5 });
      expect(first.status).toBe(200);
      expect(first.json.id).toBe(id1);
      // Incompatible with version 5 (a changed type, a new field without default): IMPORT does not check.
      const incompatible = record(`Imported${id1}`, [['a', 'int'], ['z', 'int']]);
      const second = await api.register(s, incompatible, { id: id2, version: 9 });
      expect(second.status).toBe(200);
      expect((await api.get(`/subjects/${enc(s)}/versions`)).json).toEqual([5, 9]);
      expect((await api.get(`/subjects/${enc(s)}/versions/5`)).json).toMatchObject({ subject: s, version: 5, id: id1 });
      expect(JSON.parse((await api.get(`/schemas/ids/${id2}`)).json.schema)).toEqual(incompatible);
      const after = await mustRegister(api, uniq('after'), record(`After${id2}`, [['y', 'int']]));
      expect(after.id).toBe(id2 + 1);
      nextImportId = after.id;
    });

    it('IMPORT skips new-schema validation (a default of the wrong type is kept)', async () => {
      const s = uniq('imp');
      await mustOk(api.put(`/mode/${enc(s)}`, { mode: 'IMPORT' }));
      const id = importId();
      const lenient = record(`Lenient${id}`, [{ name: 'a', type: 'int', default: 'not an int' }]);
      const res = await api.register(s, lenient, { id, version: 1 });
      expect(res.status).toBe(200);
      expect(res.json.id).toBe(id);
    });

    it('IMPORT: the same schema at the same id is idempotent; an id holding another schema → 42205', async () => {
      const [s, t] = [uniq('imp'), uniq('imp')];
      for (const x of [s, t]) await mustOk(api.put(`/mode/${enc(x)}`, { mode: 'IMPORT' }));
      const id = importId();
      const schema = record(`Same${id}`, [['x', 'int']]);
      expect((await api.register(s, schema, { id, version: 1 })).status).toBe(200);
      const again = await api.register(s, schema, { id, version: 1 });
      expect(again.status).toBe(200);
      expect(again.json.id).toBe(id);
      const clash = await api.register(t, record(`Other${id}`, [['x', 'int']]), { id, version: 1 });
      expect(clash.status).toBe(422);
      expect(clash.json.error_code).toBe(42205);
    });

    it('mode survives on GET /mode/{s} and gates that subject only', async () => {
      const s = uniq('imp');
      const id = importId();
      await mustOk(api.put(`/mode/${enc(s)}`, { mode: 'IMPORT' }));
      expect((await api.get(`/mode/${enc(s)}`)).json).toEqual({ mode: 'IMPORT' });
      expect((await api.register(s, record(`Gate${id}`, [['x', 'int']]), { id, version: 3 })).json.id).toBe(id);
      expect((await api.register(uniq('other'), A, { id: importId() })).json.error_code).toBe(42205);
      expect((await api.register(uniq('other'), B)).status).toBe(200);
    });
  });
});

// Confluent's DELETE /mode (8.2) resets the registry-wide mode; mode.mutability=false (KafkaSchemaRegistry.setMode and
// deleteSubjectMode) refuses every mode change with 42205 "Mode changes are not allowed".
describe.each(backends)('mode changes ($name)', (backend) => {
  let server: TestServer;
  let fixed: TestServer;
  let api: Client;
  let locked: Client;
  beforeAll(async () => {
    [server, fixed] = await Promise.all([startTestServer(backend), startTestServer(backend, { modeMutability: false })]);
    api = client(server.url);
    locked = client(fixed.url);
  });
  afterAll(() => Promise.all([server.close(), fixed.close()]));

  it('DELETE /mode answers the mode it removed and reverts to READWRITE', async () => {
    await mustOk(api.put('/mode', { mode: 'READONLY' }));
    const res = await api.delete('/mode');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ mode: 'READONLY' });
    expect((await api.get('/mode')).json).toEqual({ mode: 'READWRITE' });
    expect((await api.delete('/mode')).json).toEqual({ mode: 'READWRITE' });
  });

  it('with ACCORD_MODE_MUTABILITY=false, PUT and DELETE /mode and /mode/{s} → 422/42205', async () => {
    const refused = { error_code: 42205, message: 'Mode changes are not allowed' };
    const s = uniq('fixed');
    for (const res of [
      await locked.put('/mode', { mode: 'READONLY' }),
      await locked.put(`/mode/${enc(s)}`, { mode: 'IMPORT' }),
      await locked.delete('/mode'),
    ]) {
      expect(res.status).toBe(422);
      expect(res.json).toEqual(refused);
    }
    expect((await locked.get('/mode')).json).toEqual({ mode: 'READWRITE' });
    // Reads and the other errors are unchanged: an unknown mode is still 42204, no subject mode still 40401.
    expect((await locked.put('/mode', { mode: 'SIDEWAYS' })).json.error_code).toBe(42204);
    expect((await locked.delete(`/mode/${enc(s)}`)).json.error_code).toBe(40401);
    expect((await locked.get(`/mode/${enc(s)}?defaultToGlobal=true`)).json).toEqual({ mode: 'READWRITE' });
    // Registration is not affected.
    expect((await locked.register(s, A)).status).toBe(200);
  });
});
