// ProtoFile → .proto text: Confluent's canonical form (comments and layout gone), or its normalized form.
import type { OptionList, ProtoEnum, ProtoField, ProtoFile, ProtoMessage, ProtoService, Reserved } from './model.js';
import { SCALARS } from './model.js';

export interface ProtoPrintOptions {
  /** normalize=true: imports and options sorted, fields by tag, enum values by number, type references fully qualified. */
  normalize?: boolean;
  /**
   * Leave out custom (extension) options, which a FileDescriptorProto from `format=serialized` does not carry: a schema
   * read back that way must still match the one registered.
   */
  withoutCustomOptions?: boolean;
}

const byName = <T>(list: [string, T][]) => [...list].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

/** Built-in options whose values are enum constants, written bare; every other string value is quoted. */
const ENUM_VALUED_OPTIONS = new Set(['optimize_for', 'ctype', 'jstype', 'retention', 'targets', 'idempotency_level']);

function value(v: unknown, name = ''): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (typeof v === 'string') return ENUM_VALUED_OPTIONS.has(name) && /^[A-Z][A-Z0-9_]*$/.test(v) ? v : JSON.stringify(v);
  if (typeof v === 'object' && v !== null) {
    return `{ ${Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${value(x)}`).join(', ')} }`;
  }
  return String(v);
}

export function printProto(file: ProtoFile, options: ProtoPrintOptions = {}): string {
  const normalize = options.normalize === true;
  const opts = (list: OptionList) => {
    const kept = options.withoutCustomOptions ? list.filter(([k]) => !k.startsWith('(')) : list;
    return normalize ? byName(kept) : kept;
  };
  const typeRef = (type: string, resolved: string | undefined) => (normalize && resolved && !SCALARS.has(type) ? `.${resolved}` : type);
  const out: string[] = [];
  const line = (depth: number, text: string) => out.push(`${'  '.repeat(depth)}${text}`);

  const printReserved = (depth: number, reserved: Reserved[]) => {
    const numbers = reserved.filter((r): r is [number, number] => typeof r !== 'string');
    const names = reserved.filter((r): r is string => typeof r === 'string');
    const ranges = normalize ? numbers.flatMap(([a, b]) => (b - a < 64 ? Array.from({ length: b - a + 1 }, (_, i) => [a + i, a + i] as [number, number]) : [[a, b] as [number, number]])).sort((x, y) => x[0] - y[0]) : numbers;
    if (ranges.length) line(depth, `reserved ${ranges.map(([a, b]) => (a === b ? `${a}` : b >= 536_870_911 ? `${a} to max` : `${a} to ${b}`)).join(', ')};`);
    if (names.length) line(depth, `reserved ${(normalize ? [...names].sort() : names).map((n) => JSON.stringify(n)).join(', ')};`);
  };

  // An enum field's default is a value name, written bare.
  const fieldOptions = (list: OptionList, enumDefault = false) =>
    opts(list).length ? ` [${opts(list).map(([k, v]) => `${k} = ${enumDefault && k === 'default' && typeof v === 'string' ? v : value(v, k)}`).join(', ')}]` : '';

  const printField = (depth: number, f: ProtoField) => {
    const type = f.keyType !== undefined ? `map<${f.keyType}, ${typeRef(f.type, f.resolved)}>` : typeRef(f.type, f.resolved);
    line(depth, `${f.label ? `${f.label} ` : ''}${type} ${f.name} = ${f.tag}${fieldOptions(f.options, f.resolvedKind === 'enum')};`);
  };

  const printEnum = (depth: number, e: ProtoEnum) => {
    line(depth, `enum ${e.name} {`);
    for (const [k, v] of opts(e.options)) line(depth + 1, `option ${k} = ${value(v, k)};`);
    printReserved(depth + 1, e.reserved);
    const values = normalize ? [...e.values].sort((a, b) => a.number - b.number) : e.values;
    for (const v of values) line(depth + 1, `${v.name} = ${v.number}${fieldOptions(v.options)};`);
    line(depth, '}');
  };

  const printMessage = (depth: number, m: ProtoMessage) => {
    line(depth, `message ${m.name} {`);
    for (const [k, v] of opts(m.options)) line(depth + 1, `option ${k} = ${value(v, k)};`);
    printReserved(depth + 1, m.reserved);
    const plain = m.fields.filter((f) => f.oneof === undefined);
    for (const f of normalize ? [...plain].sort((a, b) => a.tag - b.tag) : plain) printField(depth + 1, f);
    const oneofs = m.oneofs.map((o) => ({ ...o, fields: m.fields.filter((f) => f.oneof === o.name) }));
    if (normalize) {
      for (const o of oneofs) o.fields.sort((a, b) => a.tag - b.tag);
      oneofs.sort((a, b) => (a.fields[0]?.tag ?? 0) - (b.fields[0]?.tag ?? 0));
    }
    for (const o of oneofs) {
      line(depth + 1, `oneof ${o.name} {`);
      for (const [k, v] of opts(o.options)) line(depth + 2, `option ${k} = ${value(v, k)};`);
      for (const f of o.fields) printField(depth + 2, f);
      line(depth + 1, '}');
    }
    if (m.extensions.length) line(depth + 1, `extensions ${m.extensions.map(([a, b]) => (a === b ? `${a}` : `${a} to ${b >= 536_870_911 ? 'max' : b}`)).join(', ')};`);
    for (const nested of m.messages) printMessage(depth + 1, nested);
    for (const e of m.enums) printEnum(depth + 1, e);
    line(depth, '}');
  };

  const printService = (s: ProtoService) => {
    line(0, `service ${s.name} {`);
    for (const [k, v] of opts(s.options)) line(1, `option ${k} = ${value(v, k)};`);
    for (const m of s.methods) {
      const req = `${m.requestStream ? 'stream ' : ''}${m.requestType}`;
      const res = `${m.responseStream ? 'stream ' : ''}${m.responseType}`;
      if (m.options.length) {
        line(1, `rpc ${m.name}(${req}) returns (${res}) {`);
        for (const [k, v] of opts(m.options)) line(2, `option ${k} = ${value(v, k)};`);
        line(1, '}');
      } else {
        line(1, `rpc ${m.name}(${req}) returns (${res});`);
      }
    }
    line(0, '}');
  };

  if (!(normalize && file.syntax === 'proto2') && (file.syntaxDeclared || file.syntax === 'proto3')) line(0, `syntax = "${file.syntax}";`);
  if (file.package) line(0, `package ${file.package};`);
  const imports = normalize ? [...new Set(file.imports)].sort() : file.imports;
  if (imports.length) {
    out.push('');
    for (const i of imports) line(0, `import ${JSON.stringify(i)};`);
  }
  if (file.options.length) {
    out.push('');
    for (const [k, v] of opts(file.options)) line(0, `option ${k} = ${value(v, k)};`);
  }
  for (const m of file.messages) {
    out.push('');
    printMessage(0, m);
  }
  for (const e of file.enums) {
    out.push('');
    printEnum(0, e);
  }
  for (const s of file.services) {
    out.push('');
    printService(s);
  }
  while (out[0] === '') out.shift();
  return `${out.join('\n')}\n`;
}
