// ProtoFile → .proto text exactly as Confluent prints it (canonical and normalized). Each function below mirrors the
// `toString` overload of the same element in Confluent's ProtobufSchemaUtils (protobuf-provider), which serves text
// and binary-descriptor schemas alike: sections of a body each start with a newline, so the first closes the `{` line
// and the others leave a blank line; types of one scope follow each other with no blank line; a nested body is
// indented line by line (blank lines included, which thus carry the indentation); an empty body prints `{}`.
import type { OptionList, ProtoEnum, ProtoField, ProtoFile, ProtoMessage, ProtoOneof, ProtoService, Reserved } from './model.js';
import { SCALARS } from './model.js';
import { MAX_TAG, type RangeItem, type RangeStatement } from './statements.js';

export interface ProtoPrintOptions {
  /** normalize=true: imports and options sorted, fields by tag, enum values by number, type references fully qualified. */
  normalize?: boolean;
  /**
   * Leave out custom (extension) options, which a FileDescriptorProto from `format=serialized` does not carry: a schema
   * read back that way must still match the one registered.
   */
  withoutCustomOptions?: boolean;
}

/** Built-in options whose values are enum constants, written bare; every other string value is quoted. */
const ENUM_VALUED_OPTIONS = new Set(['optimize_for', 'ctype', 'jstype', 'retention', 'targets', 'idempotency_level']);

/** appendIndented: every line of `text` (Java's split drops the trailing empty ones) gets two more spaces. */
function indented(text: string): string {
  const lines = text.split('\n');
  while (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  return lines.map((l) => `  ${l}\n`).join('');
}

/** escapeChars: the escapes Confluent writes inside a quoted option value. */
function escapeChars(s: string): string {
  const map: Record<string, string> = { '\x07': '\\a', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\v': '\\v', '\\': '\\\\', "'": "\\'", '"': '\\"' };
  return s.replace(/[\x07\b\f\n\r\t\v\\'"]/g, (c) => map[c]!);
}

/** The name an option sorts by under normalize: OptionElement.getName, without the parentheses. */
const optionSortName = (key: string) => key.replace(/^\(([^)]*)\)/, '$1');

function stableSortBy<T>(list: T[], key: (t: T) => string): T[] {
  return list.map((x, i) => [x, i] as const).sort(([a, i], [b, j]) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -1 : ka > kb ? 1 : i - j;
  }).map(([x]) => x);
}

/** formatOptionMapOrListValue: a value inside an option (scalars, lists one item a line, maps one entry a line). */
function optionValue(v: unknown, name: string, enumLike = false): string {
  if (typeof v === 'number' && !Number.isFinite(v)) return Number.isNaN(v) ? 'nan' : v > 0 ? 'inf' : '-inf';
  if (typeof v === 'string') return enumLike || (ENUM_VALUED_OPTIONS.has(name) && /^[A-Z][A-Z0-9_]*$/.test(v)) ? v : `"${escapeChars(v)}"`;
  if (Array.isArray(v)) {
    if (v.length === 1) return `[${optionValue(v[0], name)}]`;
    return `[\n${v.map((x, i) => indented(optionValue(x, name) + (i < v.length - 1 ? ',' : ''))).join('')}]`;
  }
  if (typeof v === 'object' && v !== null) {
    const entries = Object.entries(v as Record<string, unknown>);
    return `{\n${entries.map(([k, x], i) => indented(`${k}: ${optionValue(x, k)}${i < entries.length - 1 ? ',' : ''}`)).join('')}}`;
  }
  return String(v);
}

/** toString(OptionElement): `name = value`. */
const optionText = (name: string, v: unknown, enumLike = false) => `${name} = ${optionValue(v, name, enumLike)}`;

/** appendOptions: `[one]`, or several one a line. */
function bracketed(items: string[]): string {
  if (items.length === 1) return `[${items[0]}]`;
  return `[\n${items.map((o, i) => indented(o + (i < items.length - 1 ? ',' : ''))).join('')}]`;
}

const rangeText = ([a, b]: [number, number], collapse: boolean) => (collapse && a === b ? `${a}` : `${a} to ${b >= MAX_TAG ? 'max' : b}`);

function itemText(item: RangeItem, normalize: boolean): string {
  if (typeof item === 'string') return `"${item}"`;
  if (typeof item === 'number') return `${item}`;
  return rangeText(item, normalize);
}

/** The statements as written, or (from a model without them) numbers in one statement and names in another. */
function statementsOf(flat: Reserved[], written: RangeStatement[] | undefined): RangeStatement[] {
  if (written && written.flat().length === flat.length) return written;
  const numbers: RangeStatement = flat.filter((r): r is [number, number] => typeof r !== 'string').map(([a, b]) => (a === b ? a : [a, b]));
  const names: RangeStatement = flat.filter((r): r is string => typeof r === 'string');
  return [numbers, names].filter((s) => s.length > 0);
}

/** Under normalize, every value is a statement of its own, ordered by first number (names last, by name). */
function normalizedStatements(statements: RangeStatement[], names: boolean): RangeStatement[] {
  const start = (x: RangeItem) => (typeof x === 'string' ? Number.MAX_SAFE_INTEGER : typeof x === 'number' ? x : x[0]);
  const asString = (x: RangeItem) => (typeof x === 'string' ? x : typeof x === 'number' ? `${x}` : `${x[0]}..${x[1]}`);
  return statements
    .flat()
    .map((x, i) => ({ x, i }))
    .sort((a, b) => start(a.x) - start(b.x) || (names ? (asString(a.x) < asString(b.x) ? -1 : asString(a.x) > asString(b.x) ? 1 : 0) : 0) || a.i - b.i)
    .map(({ x }) => [x]);
}

export function printProto(file: ProtoFile, options: ProtoPrintOptions = {}): string {
  const normalize = options.normalize === true;
  const opts = (list: OptionList): OptionList => {
    const kept = options.withoutCustomOptions ? list.filter(([k]) => !k.startsWith('(')) : list;
    return normalize ? stableSortBy(kept, ([k]) => optionSortName(k)) : kept;
  };
  const typeRef = (type: string, resolved: string | undefined) => (normalize && resolved && !SCALARS.has(type) ? `.${resolved}` : type);
  const optionLines = (list: OptionList) => opts(list).map(([k, v]) => `option ${optionText(k, v)};\n`).join('');

  const reservedLines = (statements: RangeStatement[], keyword: string, names: boolean) =>
    (normalize ? normalizedStatements(statements, names) : statements).map((s) => `${keyword} ${s.map((x) => itemText(x, normalize)).join(', ')};\n`).join('');

  /** toString(FieldElement): the field's own options, then `default`, then `json_name` (normalize: all by name). */
  const printField = (f: ProtoField): string => {
    // A map a descriptor wrote as its entry message prints so, but normalized as the map (Confluent's isMap).
    const asEntry = f.entryType !== undefined && !normalize;
    const isMap = f.keyType !== undefined && !asEntry;
    const type = asEntry ? f.entryType! : isMap ? `map<${f.keyType}, ${typeRef(f.type, f.resolved)}>` : typeRef(f.type, f.resolved);
    const label = asEntry ? 'repeated ' : f.label && !(normalize && isMap) ? `${f.label} ` : '';
    const own = f.options.filter(([k]) => k !== 'default' && k !== 'json_name');
    const special = ['default', 'json_name'].flatMap((k) => f.options.filter(([name]) => name === k));
    let list: OptionList = [...(options.withoutCustomOptions ? own.filter(([k]) => !k.startsWith('(')) : own), ...special];
    if (normalize) list = stableSortBy(list, ([k]) => optionSortName(k));
    // A default takes the kind of the field's type (toKind): enum constants and numbers bare, strings quoted.
    const enumDefault = f.resolvedKind === 'enum';
    const items = list.map(([k, v]) => optionText(k, v, k === 'default' && enumDefault));
    return `${label}${type} ${f.name} = ${f.tag}${items.length ? ` ${bracketed(items)}` : ''};\n`;
  };

  const printOneof = (o: ProtoOneof, fields: ProtoField[]): string => {
    let sb = `oneof ${o.name} {`;
    const own = optionLines(o.options);
    if (own) sb += `\n${indented(own)}`;
    if (fields.length) sb += `\n${fields.map((f) => indented(printField(f))).join('')}`;
    return `${sb}}\n`;
  };

  const printEnum = (e: ProtoEnum): string => {
    let sb = `enum ${e.name} {`;
    const reserved = reservedLines(statementsOf(e.reserved, e.reservedStatements), 'reserved', true);
    if (reserved) sb += `\n${indented(reserved)}`;
    const enumOptions = optionLines(e.options);
    if (!reserved && (enumOptions || e.values.length)) sb += '\n';
    if (enumOptions) sb += indented(enumOptions);
    const values = normalize ? [...e.values].sort((a, b) => a.number - b.number || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) : e.values;
    for (const v of values) {
      const items = opts(v.options).map(([k, x]) => optionText(k, x));
      sb += indented(`${v.name} = ${v.number}${items.length ? ` ${bracketed(items)}` : ''};\n`);
    }
    return `${sb}}\n`;
  };

  const printMessage = (m: ProtoMessage): string => {
    let sb = `message ${m.name} {`;
    const reserved = reservedLines(statementsOf(m.reserved, m.reservedStatements), 'reserved', true);
    if (reserved) sb += `\n${indented(reserved)}`;
    const messageOptions = optionLines(m.options);
    if (messageOptions) sb += `\n${indented(messageOptions)}`;
    const plain = m.fields.filter((f) => f.oneof === undefined);
    if (plain.length) sb += `\n${(normalize ? [...plain].sort((a, b) => a.tag - b.tag) : plain).map((f) => indented(printField(f))).join('')}`;
    let oneofs = m.oneofs.map((o) => ({ o, fields: m.fields.filter((f) => f.oneof === o.name) }));
    if (normalize) {
      oneofs = oneofs.filter((x) => x.fields.length > 0).map((x) => ({ o: x.o, fields: [...x.fields].sort((a, b) => a.tag - b.tag) }));
      oneofs.sort((a, b) => a.fields[0]!.tag - b.fields[0]!.tag);
    }
    if (oneofs.length) sb += `\n${oneofs.map(({ o, fields }) => indented(printOneof(o, fields))).join('')}`;
    const extensionRanges: Reserved[] = m.extensions.map(([a, b]) => [a, b]);
    const extensions = reservedLines(statementsOf(extensionRanges, m.extensionStatements), 'extensions', false);
    if (extensions) sb += `\n${indented(extensions)}`;
    // filterTypes: normalized, the synthetic map entry messages are left out.
    const nested = [...m.messages];
    if (!normalize) for (const { position, message } of m.mapEntries ?? []) nested.splice(position, 0, message);
    if (nested.length || m.enums.length) {
      sb += `\n${nested.map((n) => indented(printMessage(n))).join('')}${m.enums.map((e) => indented(printEnum(e))).join('')}`;
    }
    return `${sb}}\n`;
  };

  const printService = (s: ProtoService): string => {
    let sb = `service ${s.name} {`;
    const serviceOptions = optionLines(s.options);
    if (serviceOptions) sb += `\n${indented(serviceOptions)}`;
    if (s.methods.length) {
      sb += '\n';
      for (const m of s.methods) {
        // toString(RpcElement): normalized, the types are resolved to full names.
        const request = normalize && m.requestResolved ? `.${m.requestResolved}` : m.requestType;
        const response = normalize && m.responseResolved ? `.${m.responseResolved}` : m.responseType;
        let rpc = `rpc ${m.name} (${m.requestStream ? 'stream ' : ''}${request}) returns (${m.responseStream ? 'stream ' : ''}${response})`;
        const methodOptions = optionLines(m.options);
        if (methodOptions) rpc += ` {\n${indented(methodOptions)}}`;
        sb += indented(`${rpc};\n`);
      }
    }
    return `${sb}}\n`;
  };

  // toString(ProtoFileElement)
  let sb = '';
  if (!(normalize && file.syntax === 'proto2') && (file.syntaxDeclared || file.syntax === 'proto3')) sb += `syntax = "${file.syntax}";\n`;
  if (file.package) sb += `package ${file.package};\n`;
  const publicSet = new Set(file.publicImports ?? []);
  const sortedDistinct = (list: string[]) => (normalize ? [...new Set(list)].sort() : list);
  const imports = sortedDistinct(file.imports.filter((i) => !publicSet.has(i)));
  const publicImports = sortedDistinct(file.imports.filter((i) => publicSet.has(i)));
  if (imports.length || publicImports.length) {
    sb += `\n${imports.map((i) => `import "${i}";\n`).join('')}${publicImports.map((i) => `import public "${i}";\n`).join('')}`;
  }
  const fileOptions = optionLines(file.options);
  if (fileOptions) sb += `\n${fileOptions}`;
  if (file.messages.length || file.enums.length) sb += `\n${file.messages.map(printMessage).join('')}${file.enums.map(printEnum).join('')}`;
  if (file.services.length) sb += `\n${file.services.map(printService).join('')}`;
  return sb;
}
