// Many replicas, no leader: three Accord processes (real child processes) over one new PostgreSQL database, 32
// concurrent clients registering distinct schemas across 20 subjects through randomly chosen replicas.
//
// Proves (issue 7, item 3): no acknowledged registration is lost; versions per subject stay 1..n with no gap or
// duplicate; one id per distinct schema in every subject and on every replica, and distinct schemas never share one;
// every acknowledged registration is readable at once from the replica that answered and from every replica within
// one second; a config change made through one replica is seen by every replica within one second.
//
// CI runs 1,000 schemas (well under 90 s on 2 cores); ACCORD_CLUSTER_SCHEMAS=5000 is the long variant.
// Runs only when TEST_DATABASE_URL is set.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  call,
  createDatabase,
  deaths,
  describeFailure,
  enc,
  isRegistration,
  listAll,
  percentile,
  pick,
  pool,
  register,
  round,
  schemaNumber,
  schemaText,
  shuffle,
  sleep,
  startReplica,
  stopReplicas,
  type Replica,
  type TestDatabase,
} from './support.js';

const adminUrl = process.env.TEST_DATABASE_URL;
const SCHEMAS = Number(process.env.ACCORD_CLUSTER_SCHEMAS ?? 1000);
const SUBJECTS = 20;
const CLIENTS = 32;
const REPLICAS = 3;
/** Visibility bound: an acknowledged write (or config change) must be readable everywhere this long after its answer. */
const WITHIN_MS = 1000;
/** Hard bound on the load phase, so a wedged cluster fails the test instead of hanging it. */
const LOAD_DEADLINE_MS = Math.max(60_000, SCHEMAS * 40);

const TAG = 'ClusterRec';
const subjectName = (k: number) => `cluster-${String(k).padStart(2, '0')}-value`;
const PREFIX = 'cluster-';

interface Op {
  subject: string;
  n: number;
  /** Why this registration is in the list: the schema's home subject, a second subject sharing it, an idempotent repeat. */
  kind: 'home' | 'shared' | 'repeat';
}

interface Ack {
  op: Op;
  replica: number;
  id: number;
  version: number;
  /** performance.now() when the answer was complete. */
  at: number;
}

/** How a read check went: the bound on when the value became visible, or why it failed the one-second rule. */
interface Visibility {
  ok: boolean;
  /** Upper bound on the propagation delay: end of the first successful read minus the moment of the acknowledgement. */
  delayMs: number;
  /** Reads that found nothing (yet) before the first success. */
  staleReads: number;
  detail?: string;
}

/**
 * Polls `read` until it is satisfied. It fails the rule only if a read that *started* at least `WITHIN_MS` after
 * `since` is still not satisfied (reads issued earlier may legitimately miss); at most ~60 reads.
 */
async function visibleWithin(since: number, read: () => Promise<string | true>): Promise<Visibility> {
  let staleReads = 0;
  let last = '';
  for (let attempt = 0; attempt < 60; attempt++) {
    const started = performance.now();
    let outcome: string | true;
    try {
      outcome = await read();
    } catch (err) {
      outcome = describeFailure(err);
    }
    if (outcome === true) return { ok: true, delayMs: performance.now() - since, staleReads };
    last = outcome;
    staleReads++;
    if (started - since >= WITHIN_MS) break;
    await sleep(20);
  }
  return { ok: false, delayMs: performance.now() - since, staleReads, detail: last };
}

describe.skipIf(!adminUrl)('cluster: three Accord replicas over one PostgreSQL', () => {
  let database: TestDatabase | undefined;
  const replicas: Replica[] = [];
  const urls = () => replicas.map((r) => r.url);

  beforeAll(async () => {
    database = await createDatabase(adminUrl!);
    const started = await Promise.allSettled(Array.from({ length: REPLICAS }, (_, i) => startReplica(database!.url, i)));
    for (const s of started) if (s.status === 'fulfilled') replicas.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    replicas.sort((a, b) => a.index - b.index);
    // Any schema registers: set through one replica, then wait (bounded) until every replica answers NONE.
    const put = await call(replicas[0]!.url, 'PUT', '/config', { compatibility: 'NONE' });
    expect(put.status, put.text).toBe(200);
    for (const r of replicas) {
      const seen = await visibleWithin(performance.now(), async () => {
        const a = await call(r.url, 'GET', '/config');
        return a.json?.compatibilityLevel === 'NONE' || `${a.status} ${a.text}`;
      });
      expect(seen.ok, `replica ${r.index} global config: ${seen.detail}`).toBe(true);
    }
  }, 90_000);

  afterAll(async () => {
    await stopReplicas(replicas);
    await database?.drop();
  }, 30_000);

  // Filled by the load test, checked by the ones after it.
  const acks: Ack[] = [];
  const expectedVersions = new Map<string, Set<number>>(); // subject → schema numbers it must hold, once each
  let loadDone = false;

  it(`${SCHEMAS} distinct schemas over ${SUBJECTS} subjects, ${CLIENTS} clients, random replicas: every answer readable at once where given and everywhere within 1 s; config changes seen everywhere within 1 s`, async () => {
    // The work: every schema once in its home subject; every 25th also in a second subject (same schema, so the
    // same id, allocated concurrently by whichever replicas get there); every 50th (offset 1) twice in its home
    // subject at the same moment (idempotent: one version, both answers equal). Groups stay adjacent so that
    // their members race each other on different replicas.
    const groups: Op[][] = [];
    for (let n = 0; n < SCHEMAS; n++) {
      const home = subjectName(n % SUBJECTS);
      const group: Op[] = [{ subject: home, n, kind: 'home' }];
      if (n % 25 === 0) group.push({ subject: subjectName((n + 7) % SUBJECTS), n, kind: 'shared' });
      if (n % 50 === 1) group.push({ subject: home, n, kind: 'repeat' });
      groups.push(group);
      for (const op of group) {
        if (!expectedVersions.has(op.subject)) expectedVersions.set(op.subject, new Set());
        expectedVersions.get(op.subject)!.add(n);
      }
    }
    const ops = shuffle(groups).flat();

    const problems: string[] = [];
    const note = (p: string) => {
      if (problems.length < 50) problems.push(p);
    };
    const registerMs: number[] = [];
    const propagation: number[] = [];
    let staleReads = 0;
    let requests = 0;
    const deadline = performance.now() + LOAD_DEADLINE_MS;

    // Config changes made during the load, each through a random replica, each checked on every replica.
    const configProbe = (async () => {
      const levels = ['FULL', 'BACKWARD_TRANSITIVE', 'FORWARD', 'NONE', 'FULL_TRANSITIVE', 'BACKWARD'];
      const delays: number[] = [];
      for (let round = 0; round < 200 && !loadDone && performance.now() < deadline; round++) {
        const subject = `cluster-config-${round % 3}`;
        const level = levels[round % levels.length]!;
        const via = pick(replicas);
        const put = await call(via.url, 'PUT', `/config/${enc(subject)}`, { compatibility: level });
        if (put.status !== 200 || put.json?.compatibility !== level) {
          note(`PUT /config/${subject} ${level} via replica ${via.index}: ${put.status} ${put.text}`);
          continue;
        }
        const at = performance.now();
        const seen = await Promise.all(
          replicas.map((r) =>
            visibleWithin(at, async () => {
              const a = await call(r.url, 'GET', `/config/${enc(subject)}`);
              return a.json?.compatibilityLevel === level || `${a.status} ${a.text}`;
            }).then((v) => ({ r, v })),
          ),
        );
        for (const { r, v } of seen) {
          if (!v.ok) note(`config ${subject}=${level} set via replica ${via.index} not seen by replica ${r.index} within ${WITHIN_MS} ms: ${v.detail}`);
          delays.push(v.delayMs);
        }
        await sleep(150);
      }
      return delays;
    })();

    const started = performance.now();
    await pool(ops, CLIENTS, async (op) => {
      if (performance.now() > deadline || problems.length >= 50) return;
      try {
        await registerAndCheck(op);
      } catch (err) {
        note(`${op.subject} #${op.n}: ${describeFailure(err)}`);
      }
    });
    async function registerAndCheck(op: Op) {
      const via = pick(replicas);
      const text = schemaText(TAG, op.n);
      let answer;
      try {
        answer = await register(via.url, op.subject, text);
      } catch (err) {
        note(`register ${op.subject} #${op.n} via replica ${via.index}: ${describeFailure(err)}`);
        return;
      }
      requests++;
      registerMs.push(answer.ms);
      if (!isRegistration(answer) || answer.json.subject !== undefined && answer.json.subject !== op.subject) {
        note(`register ${op.subject} #${op.n} via replica ${via.index}: ${answer.status} ${answer.text.slice(0, 300)}`);
        return;
      }
      const ack: Ack = { op, replica: via.index, id: answer.json.id, version: answer.json.version, at: performance.now() };
      acks.push(ack);
      const path = `/subjects/${enc(op.subject)}/versions/${ack.version}`;
      const matches = (a: { status: number; json: any; text: string }) =>
        (a.status === 200 && a.json?.id === ack.id && a.json?.version === ack.version && schemaNumber(TAG, a.json?.schema ?? '') === op.n) ||
        `${a.status} ${a.text.slice(0, 200)}`;

      // At once from the replica that answered: one read each, no retry.
      const [own, byId] = await Promise.all([call(via.url, 'GET', path), call(via.url, 'GET', `/schemas/ids/${ack.id}`)]);
      requests += 2;
      if (matches(own) !== true) note(`${path} (id ${ack.id}) not readable at once from answering replica ${via.index}: ${own.status} ${own.text.slice(0, 200)}`);
      if (byId.status !== 200 || schemaNumber(TAG, byId.json?.schema ?? '') !== op.n) {
        note(`/schemas/ids/${ack.id} (${op.subject} #${op.n}) not readable at once from answering replica ${via.index}: ${byId.status} ${byId.text.slice(0, 200)}`);
      }
      // From every other replica within one second of the acknowledgement.
      const others = replicas.filter((r) => r.index !== via.index);
      const seen = await Promise.all(
        others.map((r) =>
          visibleWithin(ack.at, async () => {
            requests++;
            return matches(await call(r.url, 'GET', path));
          }).then((v) => ({ r, v })),
        ),
      );
      for (const { r, v } of seen) {
        propagation.push(v.delayMs);
        staleReads += v.staleReads;
        if (!v.ok) note(`${path} (id ${ack.id}, acknowledged by replica ${via.index}) not readable from replica ${r.index} within ${WITHIN_MS} ms: ${v.detail}`);
      }
    }
    const elapsed = (performance.now() - started) / 1000;
    loadDone = true;
    const configDelays = await configProbe;

    console.log(
      [
        `cluster: ${acks.length} registrations acknowledged of ${ops.length} attempted (${SCHEMAS} distinct schemas, ${SUBJECTS} subjects, ${CLIENTS} clients, ${REPLICAS} replicas) in ${round(elapsed, 2)} s`,
        `  ${round(acks.length / elapsed)} registrations/s with their read checks (${round(requests / elapsed)} requests/s in all)`,
        `  register latency p50 ${round(percentile(registerMs, 50))} ms, p99 ${round(percentile(registerMs, 99))} ms, max ${round(Math.max(0, ...registerMs))} ms`,
        `  propagation to other replicas (bound: end of first successful read − acknowledgement): p50 ${round(percentile(propagation, 50))} ms, p99 ${round(percentile(propagation, 99))} ms, max ${round(Math.max(0, ...propagation))} ms; ${staleReads} stale reads`,
        `  config changes: ${configDelays.length / REPLICAS} rounds, seen everywhere after max ${round(Math.max(0, ...configDelays))} ms (p50 ${round(percentile(configDelays, 50))} ms)`,
      ].join('\n'),
    );
    expect(deaths(replicas), 'every replica still running').toEqual([]);
    expect(problems, problems.join('\n')).toEqual([]);
    expect(acks.length).toBe(ops.length);
    expect(configDelays.length).toBeGreaterThan(0);
  }, LOAD_DEADLINE_MS + 30_000);

  it(`throughput: ${Math.ceil(SCHEMAS / 2)} more schemas registered by ${CLIENTS} clients through random replicas with no reads in between`, async () => {
    const burst = Math.ceil(SCHEMAS / 2);
    const ops: Op[] = [];
    for (let n = SCHEMAS; n < SCHEMAS + burst; n++) {
      const op: Op = { subject: subjectName(n % SUBJECTS), n, kind: 'home' };
      ops.push(op);
      if (!expectedVersions.has(op.subject)) expectedVersions.set(op.subject, new Set());
      expectedVersions.get(op.subject)!.add(n);
    }
    shuffle(ops);
    const failures: string[] = [];
    const latencies: number[] = [];
    const deadline = performance.now() + LOAD_DEADLINE_MS;
    const started = performance.now();
    await pool(ops, CLIENTS, async (op) => {
      if (performance.now() > deadline) return;
      const via = pick(replicas);
      try {
        const a = await register(via.url, op.subject, schemaText(TAG, op.n));
        latencies.push(a.ms);
        if (isRegistration(a)) acks.push({ op, replica: via.index, id: a.json.id, version: a.json.version, at: performance.now() });
        else if (failures.length < 20) failures.push(`${op.subject} #${op.n} via replica ${via.index}: ${a.status} ${a.text.slice(0, 200)}`);
      } catch (err) {
        if (failures.length < 20) failures.push(`${op.subject} #${op.n} via replica ${via.index}: ${describeFailure(err)}`);
      }
    });
    const elapsed = (performance.now() - started) / 1000;
    console.log(
      `cluster/throughput: ${latencies.length} registrations in ${round(elapsed, 2)} s = ${round(latencies.length / elapsed)} registrations/s through ${REPLICAS} replicas (${CLIENTS} clients, ${SUBJECTS} subjects); latency p50 ${round(percentile(latencies, 50))} ms, p99 ${round(percentile(latencies, 99))} ms`,
    );
    expect(deaths(replicas), 'every replica still running').toEqual([]);
    expect(failures, failures.join('\n')).toEqual([]);
    expect(latencies.length).toBe(burst);
  }, LOAD_DEADLINE_MS + 30_000);

  it('every acknowledged registration is on every replica; versions contiguous; one id per distinct schema, never shared', async () => {
    expect(acks.length, 'the load test acknowledged registrations').toBeGreaterThan(0);

    // Answers among themselves: the idempotent repeats and the shared schemas.
    const idOf = new Map<number, number>(); // schema number → id
    const schemaOfId = new Map<number, number>(); // id → schema number
    const versionOf = new Map<string, number>(); // subject #n → version
    for (const a of acks) {
      const known = idOf.get(a.op.n);
      expect(known === undefined || known === a.id, `schema #${a.op.n} answered with ids ${known} and ${a.id}`).toBe(true);
      idOf.set(a.op.n, a.id);
      const other = schemaOfId.get(a.id);
      expect(other === undefined || other === a.op.n, `id ${a.id} answered for schemas #${other} and #${a.op.n}`).toBe(true);
      schemaOfId.set(a.id, a.op.n);
      const key = `${a.op.subject} #${a.op.n}`;
      const v = versionOf.get(key);
      expect(v === undefined || v === a.version, `${key} answered with versions ${v} and ${a.version}`).toBe(true);
      versionOf.set(key, a.version);
    }

    const listings = await Promise.all(replicas.map((r) => listAll(r.url, PREFIX)));
    const canonical = (rows: { subject: string; version: number; id: number }[]) =>
      rows.map((r) => `${r.subject}/${r.version}=${r.id}`).sort();
    for (const [i, rows] of listings.entries()) {
      // Every replica holds exactly the same versions.
      expect(canonical(rows), `replica ${i} lists the same versions as replica 0`).toEqual(canonical(listings[0]!));

      const bySubject = new Map<string, { version: number; id: number; n: number | undefined }[]>();
      for (const row of rows) {
        if (!bySubject.has(row.subject)) bySubject.set(row.subject, []);
        bySubject.get(row.subject)!.push({ version: row.version, id: row.id, n: schemaNumber(TAG, row.schema) });
      }
      expect([...bySubject.keys()].sort()).toEqual([...expectedVersions.keys()].sort());
      for (const [subject, versions] of bySubject) {
        // Contiguous: exactly 1..n; each schema once; exactly the schemas given to this subject.
        expect(versions.map((v) => v.version), `${subject} on replica ${i}`).toEqual(versions.map((_, k) => k + 1));
        const numbers = versions.map((v) => v.n);
        expect(new Set(numbers).size, `${subject} on replica ${i} holds a schema twice`).toBe(numbers.length);
        expect([...numbers].sort((a, b) => a! - b!)).toEqual([...expectedVersions.get(subject)!].sort((a, b) => a - b));
        for (const v of versions) {
          // One id per distinct schema everywhere, and one schema per id.
          expect(idOf.get(v.n!), `${subject} v${v.version} (#${v.n}) on replica ${i}`).toBe(v.id);
          expect(schemaOfId.get(v.id), `id ${v.id} on replica ${i}`).toBe(v.n);
        }
      }
      // No lost registration: every acknowledged (subject, version, id) is there.
      const present = new Set(canonical(rows));
      const lost = acks.filter((a) => !present.has(`${a.op.subject}/${a.version}=${a.id}`));
      expect(lost.map((a) => `${a.op.subject} v${a.version} id ${a.id} (acknowledged by replica ${a.replica})`), `lost on replica ${i}`).toEqual([]);
    }

    // The per-subject endpoints agree on every replica.
    for (const r of replicas) {
      const subjects = await call(r.url, 'GET', '/subjects');
      expect(subjects.status).toBe(200);
      expect((subjects.json as string[]).filter((s) => s.startsWith(PREFIX) && !s.startsWith('cluster-config')).sort()).toEqual([...expectedVersions.keys()].sort());
      for (const [subject, numbers] of expectedVersions) {
        const versions = await call(r.url, 'GET', `/subjects/${enc(subject)}/versions`);
        expect(versions.json, `${subject} versions on replica ${r.index}`).toEqual(Array.from({ length: numbers.size }, (_, k) => k + 1));
        const latest = await call(r.url, 'GET', `/subjects/${enc(subject)}/versions/latest`);
        expect(latest.json?.version, `${subject} latest on replica ${r.index}`).toBe(numbers.size);
      }
    }

    // Every id resolves to its one schema on every replica.
    const checks = [...idOf.entries()].flatMap(([n, id]) => replicas.map((r) => ({ r, n, id })));
    const wrong: string[] = [];
    await pool(checks, CLIENTS, async ({ r, n, id }) => {
      const a = await call(r.url, 'GET', `/schemas/ids/${id}`);
      if (a.status !== 200 || schemaNumber(TAG, a.json?.schema ?? '') !== n) wrong.push(`replica ${r.index} /schemas/ids/${id}: ${a.status} ${a.text.slice(0, 120)} (want #${n})`);
    });
    expect(wrong.slice(0, 20), `${wrong.length} ids answered wrongly`).toEqual([]);
  }, Math.max(120_000, SCHEMAS * 60));

  it('a subject config set through one replica governs registrations on every other replica within 1 s', async () => {
    const subject = subjectName(0);
    const before = await call(urls()[0]!, 'GET', `/subjects/${enc(subject)}/versions`);
    expect(before.status).toBe(200);
    for (const [setter, level, compatible] of [
      [0, 'FULL', false],
      [1, 'NONE', true],
      [2, 'BACKWARD', false],
    ] as const) {
      const put = await call(urls()[setter]!, 'PUT', `/config/${enc(subject)}`, { compatibility: level });
      expect(put.status, put.text).toBe(200);
      const at = performance.now();
      for (const r of replicas.filter((x) => x.index !== setter)) {
        // A primitive after records: incompatible at every level but NONE. Checked without registering.
        const seen = await visibleWithin(at, async () => {
          const a = await call(r.url, 'POST', `/compatibility/subjects/${enc(subject)}/versions/latest`, { schema: '"string"' });
          return (a.status === 200 && a.json?.is_compatible === compatible) || `${a.status} ${a.text.slice(0, 200)}`;
        });
        expect(seen.ok, `replica ${r.index} after ${level} via replica ${setter}: ${seen.detail}`).toBe(true);
        const config = await call(r.url, 'GET', `/config/${enc(subject)}`);
        expect(config.json?.compatibilityLevel, `replica ${r.index} GET /config/${subject}`).toBe(level);
        if (!compatible) {
          const refused = await register(r.url, subject, '"string"');
          expect(refused.status, `replica ${r.index} registering an incompatible schema under ${level}: ${refused.text}`).toBe(409);
        }
      }
    }
    // The refusals added nothing.
    const after = await call(urls()[2]!, 'GET', `/subjects/${enc(subject)}/versions`);
    expect(after.json).toEqual(before.json);
  }, 60_000);

  it('the global config set through one replica is seen by every replica within 1 s', async () => {
    for (const [setter, level] of [
      [1, 'FORWARD'],
      [2, 'NONE'],
    ] as const) {
      const put = await call(urls()[setter]!, 'PUT', '/config', { compatibility: level });
      expect(put.status, put.text).toBe(200);
      const at = performance.now();
      const seen = await Promise.all(
        replicas.map((r) =>
          visibleWithin(at, async () => {
            const a = await call(r.url, 'GET', '/config');
            return a.json?.compatibilityLevel === level || `${a.status} ${a.text}`;
          }),
        ),
      );
      for (const [i, v] of seen.entries()) expect(v.ok, `replica ${i} global ${level}: ${v.detail}`).toBe(true);
    }
  }, 30_000);
});
