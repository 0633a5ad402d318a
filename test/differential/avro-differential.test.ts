// Differential test: Accord's Avro reader/writer checker against Apache Avro's Python checker (python3-avro 1.11.1).
//
// Every generated evolution (avro-evolutions.ts) is checked in both directions — reader = new / writer = old (what
// BACKWARD asks) and reader = old / writer = new (FORWARD) — and the verdicts must agree. Python departs from Avro Java,
// which Accord follows (reference §A), on a few inputs; the generator never produces those, and they are pinned below.
//
//   DIFF_SEED=<n>   replay a run (default: random, printed)      DIFF_RUNS=<n>   evolutions per run (default 2000)
//
// Skipped when /usr/bin/python3 cannot import avro.compatibility, except where ACCORD_REQUIRE_ORACLES=1 (.ci/run), where it fails.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { avroFormat, type AvroParsed } from '../../src/formats/avro/index.js';
import { checkAvroReader, type AvroIncompatibility } from '../../src/formats/avro/compatibility.js';
import { avroEvolutionArb, type AvroEvolution } from './avro-evolutions.js';

const PYTHON = '/usr/bin/python3';
const ORACLE = fileURLToPath(new URL('./avro_oracle.py', import.meta.url));
/** .ci/run sets it: there a missing oracle fails the run instead of skipping it. */
const required = process.env.ACCORD_REQUIRE_ORACLES === '1';
const pythonAvro = spawnSync(PYTHON, ['-c', 'import avro.compatibility'], { stdio: 'ignore' }).status === 0;

function intFromEnv(name: string, fallback: () => number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback();
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new Error(`${name} must be an integer, got '${raw}'`);
  return n;
}
const SEED = intFromEnv('DIFF_SEED', () => Math.floor(Math.random() * 2 ** 31));
const RUNS = intFromEnv('DIFF_RUNS', () => 2000);

type PyVerdict = { compatible: boolean } | { error: string };

/** One long-lived avro_oracle.py; requests are JSON lines, answered in order. */
class Oracle {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly waiting: { resolve: (v: PyVerdict) => void; reject: (e: Error) => void }[] = [];
  private stderr = '';
  private closed: Error | null = null;

  constructor() {
    this.child = spawn(PYTHON, [ORACLE], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    createInterface({ input: this.child.stdout }).on('line', (line) => {
      const next = this.waiting.shift();
      if (next) next.resolve(JSON.parse(line) as PyVerdict);
    });
    this.child.on('close', (code) => {
      this.closed = new Error(`avro_oracle.py exited (${code}): ${this.stderr}`);
      for (const w of this.waiting.splice(0)) w.reject(this.closed);
    });
  }

  ask(reader: string, writer: string): Promise<PyVerdict> {
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ reader, writer })}\n`);
    });
  }

  close(): void {
    this.child.stdin.end();
  }
}

const parse = (text: string, validate = false) =>
  (avroFormat.parse(text, [], { validate, normalize: false, maxDepth: 64 }) as AvroParsed).native;

const accord = (reader: unknown, writer: unknown): AvroIncompatibility[] =>
  checkAvroReader(parse(JSON.stringify(reader)), parse(JSON.stringify(writer)), { reader: 'reader', writer: 'writer' });

const record = (fields: unknown[], name = 'R', extra: object = {}) => ({ type: 'record', name, fields, ...extra });

// ---------------------------------------------------------------------------------------------------------------------
// Where Python departs from Avro Java (§A). The generator avoids these inputs; here each is pinned to the Java verdict,
// which Accord must give. These need no Python.

/** Reader/writer pairs on which Python's verdict differs from Java's; `java` is the verdict Accord must give. */
const DEVIATIONS: { name: string; section: string; reader: unknown; writer: unknown; java: string[]; python: boolean }[] = [
  {
    name: 'reader field whose name and alias both hit writer fields',
    section: '§A.6 (Java throws → incompatible; Python prefers the direct name match)',
    reader: record([{ name: 'b', type: 'int', aliases: ['a'] }]),
    writer: record([{ name: 'a', type: 'string' }, { name: 'b', type: 'int' }]),
    java: ['AMBIGUOUS_FIELD_ALIAS /fields/0'],
    python: true,
  },
  {
    name: 'bare alias in a namespaced reader, renamed within the namespace',
    section: '§A.2 name rule (a bare alias is qualified with the reader’s namespace: x.A; Python compares "A" with "x.A")',
    reader: record([], 'B', { namespace: 'x', aliases: ['A'] }),
    writer: record([], 'A', { namespace: 'x' }),
    java: [],
    python: false,
  },
  {
    name: 'bare alias in a namespaced reader, writer in the null namespace',
    section: '§A.2 name rule (Java reads the alias as x.A, which is not the writer’s A; Python matches the raw "A")',
    reader: record([], 'B', { namespace: 'x', aliases: ['A'] }),
    writer: record([], 'A'),
    java: ['NAME_MISMATCH /name'],
    python: true,
  },
  {
    name: 'name written dotted on one side, same full name',
    section: '§A.2 name rule (unqualified names compared; Python compares the name attribute as written, "a.R" ≠ "R")',
    reader: record([], 'a.R'),
    writer: record([], 'R', { namespace: 'a' }),
    java: [],
    python: false,
  },
  {
    name: 'names written dotted, namespace changed',
    section: '§A.2 name rule ("namespaces are ignored entirely"; Python compares "a.R" with "b.R")',
    reader: record([{ name: 'x', type: 'int' }], 'a.R'),
    writer: record([{ name: 'x', type: 'int' }], 'b.R'),
    java: [],
    python: false,
  },
  {
    name: 'nested type declaring "namespace": "" inside a namespaced record, bare alias',
    section: '§A.2 name rule ("" is the null namespace in Java, so M’s alias N means N = the writer’s type; Python 1.11 reads "" as inherit, making them a.M/a.N and the alias "N" ≠ "a.N")',
    reader: record([{ name: 'x', type: record([], 'M', { namespace: '', aliases: ['N'] }) }], 'R', { namespace: 'a' }),
    writer: record([{ name: 'x', type: record([], 'N', { namespace: '' }) }], 'R', { namespace: 'a' }),
    java: [],
    python: false,
  },
  {
    name: '"error" read as "record"',
    section: '§A.2 rule 1 (an error is a RECORD in Java, so record vs record; Python compares the type strings)',
    reader: record([{ name: 'x', type: 'long' }], 'Failure'),
    writer: { type: 'error', name: 'Failure', fields: [{ name: 'x', type: 'int' }] },
    java: [],
    python: false,
  },
];

describe('Avro checker: Java verdicts where Python deviates (pinned)', () => {
  for (const d of DEVIATIONS) {
    it(`${d.name} — ${d.section}`, () => {
      expect(accord(d.reader, d.writer).map((f) => `${f.rule} ${f.path}`)).toEqual(d.java);
    });
  }
});

// ---------------------------------------------------------------------------------------------------------------------

describe.skipIf(!pythonAvro && !required)('Avro checker: differential against Apache Avro Python', () => {
  let oracle: Oracle;

  beforeAll(() => {
    if (!pythonAvro) {
      throw new Error(`ACCORD_REQUIRE_ORACLES is set but '${PYTHON} -c "import avro.compatibility"' fails: CI must install python3-avro (apt-get install python3-avro)`);
    }
    oracle = new Oracle();
  });
  afterAll(() => oracle?.close());

  it('Python still deviates from Java exactly where the generator steers clear (else lift the exclusion)', async () => {
    for (const d of DEVIATIONS) {
      const verdict = await oracle.ask(JSON.stringify(d.reader), JSON.stringify(d.writer));
      expect(verdict, d.name).toEqual({ compatible: d.python });
    }
  });

  it(`agrees with Python on ${RUNS} random evolutions, both directions`, async () => {
    console.log(`[avro-differential] DIFF_SEED=${SEED} (replay with DIFF_SEED=${SEED}), ${RUNS} evolutions`);
    const started = Date.now();
    const stats = { evolutions: 0, comparisons: 0, backwardCompatible: 0, forwardCompatible: 0, edits: new Map<string, number>(), rules: new Map<string, number>() };

    const compare = async (reader: string, writer: string) => {
      const asked = oracle.ask(reader, writer); // Python works while Accord checks
      const findings = checkAvroReader(parse(reader), parse(writer));
      return { python: await asked, findings };
    };

    const property = fc.asyncProperty(avroEvolutionArb, async (ev: AvroEvolution) => {
      const oldText = JSON.stringify(ev.old);
      const newText = JSON.stringify(ev.next);
      // Generator sanity: both schemas are valid for Accord's strict parser (which also loads them in avsc).
      for (const [label, text] of [['old', oldText], ['new', newText]] as const) {
        try {
          parse(text, true);
        } catch (err) {
          throw new Error(`generated ${label} schema is not valid Avro: ${(err as Error).message}\n${text}`);
        }
      }
      const directions = [
        { label: 'BACKWARD (reader=new, writer=old)', reader: newText, writer: oldText },
        { label: 'FORWARD (reader=old, writer=new)', reader: oldText, writer: newText },
      ];
      const results = await Promise.all(directions.map((d) => compare(d.reader, d.writer)));
      stats.evolutions++;
      stats.comparisons += 2;
      const problems: string[] = [];
      results.forEach(({ python, findings }, i) => {
        const d = directions[i]!;
        if ('error' in python) {
          problems.push(`${d.label}: Python could not check the pair: ${python.error}`);
          return;
        }
        const accordCompatible = findings.length === 0;
        for (const rule of new Set(findings.map((f) => f.rule))) stats.rules.set(rule, (stats.rules.get(rule) ?? 0) + 1);
        if (accordCompatible && i === 0) stats.backwardCompatible++;
        if (accordCompatible && i === 1) stats.forwardCompatible++;
        if (accordCompatible !== python.compatible) {
          problems.push(
            `${d.label}: Accord says ${accordCompatible ? 'compatible' : 'INCOMPATIBLE'}` +
              `${findings.length ? ` (${findings.map((f) => `${f.rule} at ${f.path}: ${f.detail}`).join('; ')})` : ''}, ` +
              `Python says ${python.compatible ? 'compatible' : 'INCOMPATIBLE'}`,
          );
        }
      });
      for (const kind of ev.kinds) stats.edits.set(kind, (stats.edits.get(kind) ?? 0) + 1);
      if (problems.length > 0) {
        const message = [
          'Accord and Python avro disagree:',
          ...problems.map((p) => `  ${p}`),
          `  edits: ${ev.edits.join(' | ') || '(none)'}`,
          `  old: ${oldText}`,
          `  new: ${newText}`,
        ].join('\n');
        throw new Error(message);
      }
    });

    const result = await fc.check(property, { seed: SEED, numRuns: RUNS });
    const elapsed = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `[avro-differential] seed ${SEED}: ${RUNS} evolutions, ${RUNS * 2} comparisons in ${elapsed}s ` +
        `(property evaluated ${stats.evolutions}×, shrinking included); compatible: BACKWARD ${stats.backwardCompatible}, FORWARD ${stats.forwardCompatible}\n` +
        `[avro-differential] comparisons with Accord findings, by rule: ${[...stats.rules].sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k} ${n}`).join(', ')}\n` +
        `[avro-differential] edits applied: ${[...stats.edits].sort((x, y) => y[1] - x[1]).map(([k, n]) => `${k} ${n}`).join(', ')}`,
    );
    if (result.failed) {
      console.error(
        `[avro-differential] DISAGREEMENT (seed ${SEED}, path ${result.counterexamplePath}, shrunk ${result.numShrinks}×):\n` +
          `${(result.errorInstance as Error | undefined)?.message ?? String(result.errorInstance)}`,
      );
    }
    expect(result.failed, (result.errorInstance as Error | undefined)?.message).toBe(false);
  }, Math.max(120_000, RUNS * 30));
});
