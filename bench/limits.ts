// `npx tsx bench/limits.ts`: for each schema size limit, how long the worst schema the default accepts takes to parse
// (format parse with the limits applied, as a registration runs it), and how long one just over it takes to be refused.
// Each figure is the median of five parses after one warm-up, in one process.
import { avroFormat } from '../src/formats/avro/index.js';
import type { SchemaFormat } from '../src/formats/format.js';
import { DEFAULT_LIMITS, LIMIT_SETTINGS, type SchemaLimits } from '../src/formats/limits.js';
import { protobufFormat } from '../src/formats/protobuf/index.js';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const json = (schema: unknown) => JSON.stringify(schema);
const proto3 = (body: string) => `syntax = "proto3";\n${body}\n`;
const L = DEFAULT_LIMITS;

/** Each kind of schema, built at size n: the format, the limit it tests and the text. */
const CASES: { kind: string; limit: keyof SchemaLimits; format: SchemaFormat; build: (n: number) => string }[] = [
  { kind: 'Avro record fields', limit: 'maxFields', format: avroFormat, build: (n) => json({ type: 'record', name: 'R', fields: range(n).map((i) => ({ name: `f${i}`, type: 'int' })) }) },
  { kind: 'Avro union of records', limit: 'maxUnionBranches', format: avroFormat, build: (n) => json(range(n).map((i) => ({ type: 'record', name: `R${i}`, fields: [] }))) },
  { kind: 'Avro enum symbols', limit: 'maxEnumSymbols', format: avroFormat, build: (n) => json({ type: 'enum', name: 'E', symbols: range(n).map((i) => `S${i}`) }) },
  {
    kind: 'Avro named types',
    limit: 'maxTypes',
    format: avroFormat,
    build: (n) => json({ type: 'record', name: 'R', fields: range(n - 1).map((i) => ({ name: `f${i}`, type: { type: 'record', name: `T${i}`, fields: [{ name: 'a', type: 'int' }] } })) }),
  },
  { kind: 'Avro name length', limit: 'maxNameLength', format: avroFormat, build: (n) => json({ type: 'record', name: 'R'.padEnd(n, 'x'), fields: [{ name: 'f'.padEnd(n, 'y'), type: 'int' }] }) },
  { kind: 'Protobuf message fields', limit: 'maxFields', format: protobufFormat, build: (n) => proto3(`message Wide {\n${range(n).map((i) => `int32 f${i} = ${i + 1};`).join('\n')}\n}`) },
  { kind: 'Protobuf oneof members', limit: 'maxFields', format: protobufFormat, build: (n) => proto3(`message Wide {\noneof o {\n${range(n).map((i) => `int32 f${i} = ${i + 1};`).join('\n')}\n}\n}`) },
  { kind: 'Protobuf enum values', limit: 'maxEnumSymbols', format: protobufFormat, build: (n) => proto3(`enum E {\n${range(n).map((i) => `E${i} = ${i};`).join('\n')}\n}`) },
  { kind: 'Protobuf messages', limit: 'maxTypes', format: protobufFormat, build: (n) => proto3(range(n).map((i) => `message M${i} { int32 a = 1; }`).join('\n')) },
  { kind: 'Protobuf nested messages', limit: 'maxTypes', format: protobufFormat, build: (n) => proto3(`message Outer {\n${range(n - 1).map((i) => `message M${i} { int32 a = 1; }`).join('\n')}\n}`) },
  { kind: 'Protobuf name length', limit: 'maxNameLength', format: protobufFormat, build: (n) => proto3(`message ${'M'.padEnd(n, 'x')} { int32 ${'f'.padEnd(n, 'y')} = 1; }`) },
];

function median(format: SchemaFormat, text: string): { seconds: number; outcome: string } {
  const times: number[] = [];
  let outcome = 'accepted';
  for (let run = 0; run < 6; run++) {
    const started = performance.now();
    try {
      format.parse(text, [], { validate: true, normalize: false, maxDepth: 64, limits: L });
    } catch (err) {
      outcome = `refused: ${(err as Error).message}`;
    }
    if (run > 0) times.push((performance.now() - started) / 1000);
  }
  times.sort((a, b) => a - b);
  return { seconds: times[2]!, outcome };
}

for (const { kind, limit, format, build } of CASES) {
  const n = L[limit];
  const worst = build(n);
  const accepted = median(format, worst);
  const over = median(format, build(n + 1));
  console.log(
    `${kind.padEnd(26)} ${LIMIT_SETTINGS[limit].padEnd(26)} ${String(n).padStart(6)}: ${accepted.seconds.toFixed(3)} s (${(worst.length / 1024).toFixed(0)} KiB, ${accepted.outcome}); ` +
      `${n + 1}: ${over.seconds.toFixed(4)} s ${over.outcome.startsWith('refused') ? 'refused' : over.outcome}`,
  );
}
