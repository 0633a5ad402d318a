// One TypeScript module per Avro subject: a type per version, the embedded schemas, encode/decode and the upcaster chain.
import { avroFormat, type AvroParsed } from '../formats/avro/index.js';
import { checkAvroReader } from '../formats/avro/compatibility.js';
import { deref } from '../formats/avro/ast.js';
import { avroDeclarations } from './avro-typescript.js';
import { emitEventModule, type GenerateOptions, type GeneratedFile, type Step } from './module.js';
import { proveResolvedSteps, resolutionAliases } from './avro-resolution.js';
import { literal, typeName, versionTypeName } from './names.js';
import type { ResolutionAliases } from '../../sdk/avro.js';

export interface RegisteredVersion {
  version: number;
  id: number;
  /** Self-contained schema text (`format=resolved`). */
  schema: string;
}

export interface SubjectHistory {
  subject: string;
  versions: RegisteredVersion[];
}

export type { GeneratedFile, GenerateOptions } from './module.js';

const parse = (schema: string) => avroFormat.parse(schema, [], { validate: false, normalize: false, maxDepth: 256 }) as AvroParsed;

/** The event's name: the latest version's root record. */
export function avroEventName(history: SubjectHistory): string {
  const latest = history.versions.at(-1);
  if (!latest) throw new Error(`Subject '${history.subject}' has no versions`);
  const { root, names } = parse(latest.schema).native;
  const top = deref(root, names);
  return typeName('name' in top ? top.name : history.subject.replace(/-(value|key)$/, ''));
}

export function generateAvroModule(history: SubjectHistory, options: GenerateOptions): { event: string; files: GeneratedFile[] } {
  const event = avroEventName(history);
  const parsed = history.versions.map((v) => parse(v.schema));
  const checked = history.versions.slice(1).map((to, i) => {
    const findings = checkAvroReader(parsed[i + 1]!.native, parsed[i]!.native, { reader: `v${to.version}`, writer: `v${history.versions[i]!.version}` });
    const aliases = findings.length === 0 ? resolutionAliases(parsed[i + 1]!.native, parsed[i]!.native) : undefined;
    return { from: history.versions[i]!.version, to: to.version, reasons: findings.map((f) => f.message), aliases };
  });
  // Every step the checker accepts is run on sample data now; one avsc cannot do is written by hand instead.
  const failures = proveResolvedSteps(
    history.versions.map((v) => v.schema),
    checked.map((s) => (s.reasons.length ? null : { aliases: s.aliases })),
  );
  const steps: Step[] = checked.map((s, i) => {
    const failure = failures[i];
    if (!failure) return { from: s.from, to: s.to, reasons: s.reasons };
    return {
      from: s.from,
      to: s.to,
      unproven: true,
      reasons: [`Accord's checker accepts this step, but the Avro runtime (avsc) failed to read version ${s.from} data as version ${s.to} at generation time: ${failure}`],
    };
  });
  const aliasesOf = (i: number) => (failures[i] ? undefined : checked[i]!.aliases);
  const files = emitEventModule(
    {
      event,
      subject: history.subject,
      versions: history.versions,
      steps,
      define: 'defineAvroEvent',
      resolvedUpcaster: 'resolvedUpcaster',
      resolvedArguments: (i) => `versions[${i}].schema, versions[${i + 1}].schema${aliasesOf(i) ? `, ${aliasesLiteral(aliasesOf(i)!)}` : ''}`,
      versionBanner: (i) => `// ---- version ${history.versions[i]!.version} (schema id ${history.versions[i]!.id})`,
      declarations: (i) => avroDeclarations(parsed[i]!.native.root, parsed[i]!.native.names, versionTypeName(event, history.versions[i]!.version), event, history.versions[i]!.version),
      versionsConstant: [
        '/** Every registered version, oldest first, with its schema id and self-contained schema. */',
        `const versions = [\n${history.versions.map((v) => `  { version: ${v.version}, id: ${v.id}, schema: ${literal(v.schema)} },`).join('\n')}\n] as const;`,
      ].join('\n'),
      encodeDoc: `Encodes ${event} with the latest schema (id ${history.versions.at(-1)!.id}), framed in the Confluent wire format.`,
      decodeDoc: `Decodes ${event} bytes written with any version known at generation time, upcast to the latest.`,
    },
    options,
  );
  return { event, files };
}

/** `{ 'shop.orders.OrderCreated': ['shop.OrderCreated'] }`: the names each reader type also answers to when resolving. */
function aliasesLiteral(aliases: ResolutionAliases): string {
  return `{ ${Object.entries(aliases).map(([reader, writers]) => `${literal(reader)}: [${writers.map(literal).join(', ')}]`).join(', ')} }`;
}
