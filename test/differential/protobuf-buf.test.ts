// Differential test: Accord's Protobuf BACKWARD verdict (Confluent's rules, reference §B) against `buf breaking` with the
// WIRE category (§C), on random proto3 evolutions (protobuf-evolutions.ts).
//
// buf does not separate directions, and its WIRE rules differ from Confluent's on purpose in a few places (§B.4, §B.5,
// §C). Those are listed as data in protobuf-buf.ts (BY_DESIGN), each with its reason, the exact condition under which it
// is intended, and a minimal pair pinned below. Any other difference in verdict fails the test.
//
// Speed: buf is one process per run, so all pairs of a batch go into one `buf breaking` call, each pair as its own file
// (old/<id>.proto vs new/<id>.proto) in its own package.
//
//   PROTO_DIFF_SEED=<n>   replay a run (default: random, printed)      PROTO_DIFF_RUNS=<n>   evolutions (default 500)
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Incompatibility } from '../../src/formats/format.js';
import { protobufFormat, type ProtobufParsed } from '../../src/formats/protobuf/index.js';
import { BUF, BY_DESIGN, bufBreaking, judge, misresolved, type BufFinding, type SchemaPair } from './protobuf-buf.js';
import { packageOf, printModel, protoEvolutionArb } from './protobuf-evolutions.js';

const SEED = process.env.PROTO_DIFF_SEED ? Number(process.env.PROTO_DIFF_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.PROTO_DIFF_RUNS ?? 500);
const BATCH = 150;

const parse = (text: string) => protobufFormat.parse(text, [], { validate: true, normalize: false, maxDepth: 64 }) as ProtobufParsed;
/** BACKWARD: the new schema reads data written with the old one (Confluent: diff(old, new)). */
const backward = (oldSchema: ProtobufParsed, newSchema: ProtobufParsed) => protobufFormat.checkReader(newSchema, oldSchema, { reader: 'new', writer: 'old' });

const p3 = (body: string) => `syntax = "proto3";\npackage PKG;\n${body}\n`;

/** Pairs on which buf and Confluent agree although one might expect otherwise (several are named in §C's mapping). */
const AGREEMENTS: { name: string; old: string; new: string; breaking: boolean }[] = [
  { name: 'package renamed: PACKAGE_CHANGED / FILE_SAME_PACKAGE', old: p3('message M { int32 a = 1; }'), new: p3('message M { int32 a = 1; }').replace('package PKG;', 'package PKG.v2;'), breaking: true },
  { name: 'package dropped', old: p3('message NoPackageMessage { int32 a = 1; }'), new: 'syntax = "proto3";\nmessage NoPackageMessage { int32 a = 1; }\n', breaking: true },
  { name: 'field removed with its number reserved', old: p3('message M { int32 a = 1; string b = 2; }'), new: p3('message M { reserved 2; int32 a = 1; }'), breaking: false },
  { name: 'field renumbered, old number reserved', old: p3('message M { int32 a = 1; }'), new: p3('message M { reserved 1; int32 a = 2; }'), breaking: false },
  { name: 'enum value removed with its number reserved', old: p3('enum E { E_ZERO = 0; E_ONE = 1; }'), new: p3('enum E { reserved 1; E_ZERO = 0; }'), breaking: false },
  { name: 'enum value renamed (WIRE ignores names)', old: p3('enum E { E_ZERO = 0; E_ONE = 1; }'), new: p3('enum E { E_ZERO = 0; E_UNO = 1; }'), breaking: false },
  { name: 'enum deleted', old: p3('message M { int32 a = 1; }\nenum E { E_ZERO = 0; }'), new: p3('message M { int32 a = 1; }'), breaking: false },
  { name: 'string → bytes', old: p3('message M { string s = 1; }'), new: p3('message M { bytes s = 1; }'), breaking: false },
  { name: 'int32 → uint64 → bool stays in one group', old: p3('message M { int32 a = 1; uint64 b = 2; }'), new: p3('message M { uint64 a = 1; bool b = 2; }'), breaking: false },
  { name: 'message added', old: p3('message M { int32 a = 1; }'), new: p3('message M { int32 a = 1; }\nmessage N { M m = 1; }'), breaking: false },
  { name: 'messages reordered', old: p3('message A {}\nmessage B {}'), new: p3('message B {}\nmessage A {}'), breaking: false },
  { name: 'field renamed', old: p3('message M { int32 a = 1; }'), new: p3('message M { int32 alpha = 1; }'), breaking: false },
  { name: 'type reference qualified', old: p3('message M { N n = 1; message N {} }'), new: p3('message M { .PKG.M.N n = 1; message N {} }'), breaking: false },
  { name: 'implicit ↔ optional', old: p3('message M { int32 a = 1; optional string b = 2; }'), new: p3('message M { optional int32 a = 1; string b = 2; }'), breaking: false },
  { name: 'oneof deleted whole, numbers reserved', old: p3('message M { int32 a = 1; oneof o { int32 b = 2; int32 c = 3; } }'), new: p3('message M { reserved 2, 3; int32 a = 1; }'), breaking: false },
  { name: 'int32 → string', old: p3('message M { int32 a = 1; }'), new: p3('message M { string a = 1; }'), breaking: true },
  { name: 'int32 → sint32', old: p3('message M { int32 a = 1; }'), new: p3('message M { sint32 a = 1; }'), breaking: true },
  { name: 'float → double', old: p3('message M { float a = 1; }'), new: p3('message M { double a = 1; }'), breaking: true },
  { name: 'optional int32 → repeated int32', old: p3('message M { optional int32 a = 1; }'), new: p3('message M { repeated int32 a = 1; }'), breaking: true },
  { name: 'message field retargeted', old: p3('message M { A f = 1; }\nmessage A {}\nmessage B {}'), new: p3('message M { B f = 1; }\nmessage A {}\nmessage B {}'), breaking: true },
  { name: 'scalar → message', old: p3('message M { int32 a = 1; }\nmessage N {}'), new: p3('message M { N a = 1; }\nmessage N {}'), breaking: true },
  { name: 'map value int32 → string', old: p3('message M { map<string, int32> m = 1; }'), new: p3('message M { map<string, string> m = 1; }'), breaking: true },
  { name: 'two plain fields moved into a oneof', old: p3('message M { int32 a = 1; int32 b = 2; }'), new: p3('message M { oneof o { int32 a = 1; int32 b = 2; } }'), breaking: true },
  { name: 'plain field moved into an existing oneof', old: p3('message M { int32 a = 1; oneof o { int32 b = 2; } }'), new: p3('message M { oneof o { int32 b = 2; int32 a = 1; } }'), breaking: true },
  { name: 'oneof member removed, number not reserved', old: p3('message M { oneof o { int32 a = 1; int32 b = 2; } }'), new: p3('message M { oneof o { int32 a = 1; } }'), breaking: true },
  // Fixed: Accord now resolves names as protoc does, from the innermost scope outward.
  {
    name: 'a nested type named like the enclosing-scope type a field refers to does not change what the field refers to (protoc scoping; protobufjs searches nested scopes first)',
    old: p3('message M {\n  E e = 1;\n  message Inner {}\n}\nenum E { E_ZERO = 0; }'),
    new: p3('message M {\n  E e = 1;\n  message Inner { message E {} }\n}\nenum E { E_ZERO = 0; }'),
    breaking: false,
  },
];

/** Disagreements that are Accord's fault (reported; `.fails` until fixed, then they join AGREEMENTS). None known. */
const KNOWN_BUGS: { name: string; old: string; new: string; breaking: boolean }[] = [];

const pinnedPair = (id: string, texts: { old: string; new: string }): SchemaPair => ({ id, old: texts.old.replaceAll('PKG', id), new: texts.new.replaceAll('PKG', id) });

function accordOn(pair: SchemaPair) {
  const [oldSchema, newSchema] = [parse(pair.old), parse(pair.new)];
  return { findings: backward(oldSchema, newSchema), ctx: { old: oldSchema.native, new: newSchema.native, newText: pair.new } };
}

const describeFindings = (accord: readonly Incompatibility[], buf: readonly BufFinding[]) =>
  `Accord: ${accord.length ? accord.map((f) => `${f.rule} ${f.path} (${f.detail})`).join('; ') : 'compatible'}\n  buf: ${buf.length ? buf.map((f) => `${f.type}: ${f.message}`).join('; ') : 'compatible'}`;

// buf's npm package pulls platform binaries the registry mirror here does not all serve, so it is not a devDependency:
// .ci/run installs it (`npm install --no-save @bufbuild/buf@1.75.0`). Without it the comparison is skipped, except
// where ACCORD_REQUIRE_ORACLES=1 (.ci/run sets it), where it fails: CI must not pass by skipping. `CI=true` alone (as
// GitHub Actions sets it) does not require it, so `npm install && npm test` passes on a fresh clone.
describe.runIf(process.env.ACCORD_REQUIRE_ORACLES === '1')('buf where the oracles are required', () => {
  it('is installed, so the differential test below runs', () => {
    expect(existsSync(BUF), 'run: npm install --no-save @bufbuild/buf@1.75.0').toBe(true);
  });
});

describe.skipIf(!existsSync(BUF))('Protobuf: Accord (Confluent rules) against buf breaking --use WIRE', () => {
  describe('pinned pairs', () => {
    const byDesign = BY_DESIGN.map((d, i) => ({ entry: d, pair: pinnedPair(`design_${i}`, d.example) }));
    const agreements = AGREEMENTS.map((a, i) => ({ agreement: a, pair: pinnedPair(`agree_${i}`, a) }));
    const knownBugs = KNOWN_BUGS.map((a, i) => ({ agreement: a, pair: pinnedPair(`bug_${i}`, a) }));
    let buf: Map<string, BufFinding[]>;

    beforeAll(async () => {
      buf = await bufBreaking([...byDesign.map((d) => d.pair), ...agreements.map((a) => a.pair), ...knownBugs.map((a) => a.pair)]);
    });

    for (const { entry, pair } of byDesign) {
      it(`by design — ${entry.id}: ${entry.stricter === 'buf' ? `buf ${entry.rule} breaks, Confluent passes` : `Confluent ${entry.rule} fails, buf passes`}`, () => {
        const { findings, ctx } = accordOn(pair);
        const bufFindings = buf.get(pair.id)!;
        const message = describeFindings(findings, bufFindings);
        if (entry.stricter === 'buf') {
          expect(findings, message).toEqual([]);
          expect(bufFindings.map((f) => f.type), message).toContain(entry.rule);
        } else {
          expect(bufFindings, message).toEqual([]);
          expect(findings.map((f) => f.rule), message).toContain(entry.rule);
        }
        expect(judge(findings, bufFindings, ctx), message).toEqual({ agree: false, byDesign: [entry.id], unexplained: [] });
      });
    }

    for (const { agreement, pair } of agreements) {
      it(`agreement — ${agreement.name}: both ${agreement.breaking ? 'break' : 'pass'}`, () => {
        const { findings, ctx } = accordOn(pair);
        const bufFindings = buf.get(pair.id)!;
        const message = describeFindings(findings, bufFindings);
        expect(judge(findings, bufFindings, ctx), message).toEqual({ agree: true, verdict: agreement.breaking ? 'breaking' : 'compatible' });
      });
    }

    for (const { agreement, pair } of knownBugs) {
      it.fails(`KNOWN BUG — ${agreement.name}: both should ${agreement.breaking ? 'break' : 'pass'}`, () => {
        expect(buf.get(pair.id)!.length > 0, 'buf').toBe(agreement.breaking);
        const { findings, ctx } = accordOn(pair);
        expect(judge(findings, buf.get(pair.id)!, ctx), describeFindings(findings, buf.get(pair.id)!)).toEqual({ agree: true, verdict: agreement.breaking ? 'breaking' : 'compatible' });
      });
    }

    it('every by-design entry states its reason and is pinned by an example', () => {
      expect(new Set(BY_DESIGN.map((d) => d.id)).size).toBe(BY_DESIGN.length);
      for (const d of BY_DESIGN) expect(d.reason.length, d.id).toBeGreaterThan(40);
    });
  });

  it(`agrees with buf on ${RUNS} random evolutions and their reversals, except for the by-design disagreements`, async () => {
    const started = Date.now();
    console.log(`[protobuf-buf] PROTO_DIFF_SEED=${SEED} (replay with PROTO_DIFF_SEED=${SEED}), ${RUNS} evolutions`);
    const evolutions = fc.sample(protoEvolutionArb, { seed: SEED, numRuns: RUNS });
    // Each evolution is checked as generated (Accord BACKWARD: diff(old, new)) and reversed (buf on new → old against
    // Accord's FORWARD, diff(new, old)), which turns additions into removals, reservations into dropped reservations, …
    const comparisons = evolutions.flatMap((ev, i) => {
      const id = `c${i}`;
      const [oldText, newText] = [printModel(ev.old, id), printModel(ev.next, id)];
      // Generator sanity: both sides are valid for Accord's strict parser, and their canonical text is a fixed point.
      const [oldSchema, newSchema] = [oldText, newText].map((text) => {
        let schema: ProtobufParsed;
        try {
          schema = parse(text);
        } catch (err) {
          throw new Error(`generated schema does not parse: ${(err as Error).message}\n${text}`);
        }
        expect(parse(schema.canonical).canonical, text).toBe(schema.canonical);
        return schema;
      }) as [ProtobufParsed, ProtobufParsed];
      const wrongTypes = [...misresolved(ev.old, oldSchema.native, packageOf(ev.old, id)), ...misresolved(ev.next, newSchema.native, packageOf(ev.next, id))];
      return [
        { direction: 'evolution (Accord BACKWARD)', ev, wrongTypes, pair: { id, old: oldText, new: newText }, findings: backward(oldSchema, newSchema), ctx: { old: oldSchema.native, new: newSchema.native, newText } },
        { direction: 'reversed (Accord FORWARD)', ev, wrongTypes, pair: { id, old: newText, new: oldText }, findings: backward(newSchema, oldSchema), ctx: { old: newSchema.native, new: oldSchema.native, newText: oldText } },
      ];
    });
    const accordDone = Date.now();

    // One buf run per batch; a batch never holds both directions of one evolution (same package, same file name).
    const batches: (typeof comparisons)[] = [];
    for (const direction of [0, 1]) {
      const mine = comparisons.filter((_, i) => i % 2 === direction);
      for (let i = 0; i < mine.length; i += BATCH) batches.push(mine.slice(i, i + BATCH));
    }
    const bufFindings = new Map<(typeof comparisons)[number], BufFinding[]>();
    await Promise.all(
      batches.map(async (batch) => {
        const result = await bufBreaking(batch.map((c) => c.pair));
        for (const c of batch) bufFindings.set(c, result.get(c.pair.id)!);
      }),
    );
    const bufDone = Date.now();

    const stats = { compatible: 0, breaking: 0, knownBug: 0, knownBugDisagreements: 0, byDesign: new Map<string, number>(), kinds: new Map<string, number>(), accordRules: new Map<string, number>(), bufRules: new Map<string, number>() };
    const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
    for (const ev of evolutions) for (const k of ev.kinds) bump(stats.kinds, k);
    const problems: string[] = [];
    for (const c of comparisons) {
      const buf = bufFindings.get(c)!;
      for (const r of new Set(c.findings.map((f) => f.rule))) bump(stats.accordRules, r);
      for (const r of new Set(buf.map((f) => f.type))) bump(stats.bufRules, r);
      const verdict = judge(c.findings, buf, c.ctx);
      if (c.wrongTypes.length) {
        stats.knownBug++;
        if (!verdict.agree && verdict.unexplained.length) stats.knownBugDisagreements++;
        continue;
      }
      if (verdict.agree) {
        stats[verdict.verdict]++;
        continue;
      }
      for (const id of verdict.byDesign) bump(stats.byDesign, id);
      if (verdict.unexplained.length) {
        problems.push(
          [
            `${c.pair.id}, ${c.direction}: ${verdict.unexplained.join('; ')}`,
            `  edits: ${c.ev.edits.join(' | ')}`,
            `  ${describeFindings(c.findings, buf)}`,
            `  --- old\n${c.pair.old}  --- new\n${c.pair.new}`,
          ].join('\n'),
        );
      }
    }

    const fmt = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(
      `[protobuf-buf] seed ${SEED}: ${RUNS} evolutions, ${comparisons.length} comparisons in ${((Date.now() - started) / 1000).toFixed(1)}s ` +
        `(Accord ${((accordDone - started) / 1000).toFixed(1)}s, buf ${((bufDone - accordDone) / 1000).toFixed(1)}s in ${batches.length} runs)\n` +
        `[protobuf-buf] agree: ${stats.compatible} compatible, ${stats.breaking} breaking; by-design disagreements: ${fmt(stats.byDesign) || 'none'}\n` +
        `[protobuf-buf] type references Accord resolved unlike protoc: ${stats.knownBug} comparisons (must be 0)\n` +
        `[protobuf-buf] Accord rules: ${fmt(stats.accordRules)}\n[protobuf-buf] buf rules: ${fmt(stats.bufRules)}\n[protobuf-buf] edits: ${fmt(stats.kinds)}`,
    );
    if (problems.length) console.error(`[protobuf-buf] ${problems.length} UNEXPLAINED DISAGREEMENT(S), seed ${SEED}:\n\n${problems.slice(0, 10).join('\n\n')}`);
    expect(problems.slice(0, 5).join('\n\n'), `${problems.length} unexplained disagreement(s), seed ${SEED}`).toBe('');
    expect(stats.knownBug, 'type references resolved unlike protoc').toBe(0);
    expect(stats.compatible).toBeGreaterThan(0);
    expect(stats.breaking).toBeGreaterThan(0);
  }, 90_000);
});
