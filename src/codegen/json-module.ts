// One TypeScript module per JSON Schema subject: a type per version, the embedded schemas (with the schemas they
// reference), encode (validated by Ajv) / decode and the upcaster chain.
import { JsonValidators, type JsonSchemaSource } from '../../sdk/json.js';
import { SchemaGraph } from './json-schema-graph.js';
import { jsonDeclarations } from './json-typescript.js';
import { coverReasons, proveOnSamples } from './json-upcast.js';
import { emitEventModule, type GenerateOptions, type GeneratedFile, type Step } from './module.js';
import { literal, typeName, versionTypeName } from './names.js';

export interface JsonVersion {
  version: number;
  id: number;
  /** The schema text as the registry stores it. */
  schema: string;
  /** Every schema it references, transitively, by reference name (the URI its `$ref`s use). */
  references: JsonSchemaSource[];
}

export interface JsonHistory {
  subject: string;
  versions: JsonVersion[];
}

/** The event's name: the latest version's `title`, else the last segment of its `$id`, else the subject's name. */
export function jsonEventName(history: JsonHistory): string {
  const latest = history.versions.at(-1);
  if (!latest) throw new Error(`Subject '${history.subject}' has no versions`);
  const root = JSON.parse(latest.schema) as unknown;
  if (root !== null && typeof root === 'object') {
    const { title, $id, id } = root as Record<string, unknown>;
    if (typeof title === 'string' && /[A-Za-z]/.test(title)) return typeName(title);
    const uri = typeof $id === 'string' ? $id : typeof id === 'string' ? id : undefined;
    const stem = uri?.replace(/[#?].*$/, '').replace(/\/+$/, '').split('/').at(-1)?.replace(/\.[A-Za-z]+$/, '');
    if (stem && /[A-Za-z]/.test(stem)) return typeName(stem);
  }
  return typeName(history.subject.replace(/-(value|key)$/, ''));
}

const validators = new JsonValidators();

export function generateJsonModule(history: JsonHistory, options: GenerateOptions): { event: string; files: GeneratedFile[] } {
  const event = jsonEventName(history);
  const graphs = history.versions.map((v) => {
    try {
      // Compiled now as the generated module will compile it: a schema Ajv cannot load fails generation, not production.
      validators.validator(v);
      return new SchemaGraph(v.schema, v.references);
    } catch (error) {
      throw new Error(`${history.subject} version ${v.version}: ${(error as Error).message.split('\n')[0]}`);
    }
  });
  const proven = history.versions.slice(1).map((to, i) => ({
    from: history.versions[i]!.version,
    to: to.version,
    reasons: coverReasons(graphs[i]!, graphs[i + 1]!),
  }));
  const failures = proveOnSamples(graphs, history.versions, proven.map((s) => s.reasons.length === 0));
  // A stub never compiles as it is: a tightened constraint or a changed enum can leave the types alike.
  const steps: Step[] = proven.map((s, i) => {
    const failure = failures[i];
    if (failure) return { ...s, unproven: true, reasons: [`A sample value of version ${s.from} with version ${s.to}'s defaults filled in fails version ${s.to}: ${failure}`] };
    return s.reasons.length ? { ...s, unproven: true } : s;
  });
  const latest = history.versions.at(-1)!;
  const files = emitEventModule(
    {
      event,
      subject: history.subject,
      versions: history.versions,
      steps,
      define: 'defineJsonEvent',
      resolvedUpcaster: 'jsonResolvedUpcaster',
      resolvedArguments: (i) => `${literal(history.subject)}, versions[${i + 1}]`,
      versionBanner: (i) => `// ---- version ${history.versions[i]!.version} (schema id ${history.versions[i]!.id}, JSON Schema ${graphs[i]!.draft})`,
      declarations: (i) => jsonDeclarations(graphs[i]!, versionTypeName(event, history.versions[i]!.version), event, history.versions[i]!.version),
      versionsConstant: [
        '/** Every registered version, oldest first: schema id, the schema, and the schemas it references by name. */',
        `const versions = [\n${history.versions
          .map(
            (v) =>
              `  {\n    version: ${v.version},\n    id: ${v.id},\n    schema: ${literal(v.schema)},\n    references: [${v.references.length ? `\n${v.references
                .map((r) => `      { name: ${literal(r.name)}, schema: ${literal(r.schema)} },`)
                .join('\n')}\n    ` : ''}],\n  },`,
          )
          .join('\n')}\n] as const;`,
      ].join('\n'),
      encodeDoc: `Validates ${event} against the latest schema (id ${latest.id}), then frames its JSON in the Confluent wire format.`,
      decodeDoc: `Decodes ${event} bytes written with any version known at generation time, upcast to the latest.`,
    },
    options,
  );
  return { event, files };
}
