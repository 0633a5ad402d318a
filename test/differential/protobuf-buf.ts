// Running `buf breaking` (category WIRE) on many schema pairs at once, and the by-design disagreements between buf's
// verdict and Confluent's BACKWARD rules (reference §B, §C) as data: each names the buf rule or Confluent difference it
// covers, the precise condition under which the disagreement is intended, and why.
import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Incompatibility } from '../../src/formats/format.js';
import type { ProtoField, ProtoFile, ProtoMessage } from '../../src/formats/protobuf/model.js';
import { allMessages } from '../../src/formats/protobuf/model.js';
import { allMessages as modelMessages, type FieldType, type ProtoModel } from './protobuf-evolutions.js';

export const BUF = fileURLToPath(new URL('../../node_modules/.bin/buf', import.meta.url));

export interface BufFinding {
  path: string;
  start_line: number;
  start_column: number;
  type: string;
  message: string;
}

export interface SchemaPair {
  /** File name stem; unique in a batch. Each pair needs its own package so that files of one batch do not clash. */
  id: string;
  old: string;
  new: string;
}

const BUF_YAML = 'version: v2\nbreaking:\n  use:\n    - WIRE\n';

function run(cwd: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(BUF, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * `buf breaking new --against old` over every pair at once: pair `id` is `old/<id>.proto` vs `new/<id>.proto` in one
 * module each. Returns the findings per pair (an empty list: not breaking). Throws when buf fails to build either side.
 */
export async function bufBreaking(pairs: readonly SchemaPair[]): Promise<Map<string, BufFinding[]>> {
  const dir = await mkdtemp(join(tmpdir(), 'accord-buf-'));
  try {
    for (const side of ['old', 'new'] as const) {
      await mkdir(join(dir, side));
      await writeFile(join(dir, side, 'buf.yaml'), BUF_YAML);
      await Promise.all(pairs.map((p) => writeFile(join(dir, side, `${p.id}.proto`), p[side])));
    }
    const { code, stdout, stderr } = await run(dir, ['breaking', 'new', '--against', 'old', '--error-format', 'json']);
    if (code !== 0 && code !== 100) throw new Error(`buf breaking failed (exit ${code}):\n${stderr}${stdout}`);
    const out = new Map<string, BufFinding[]>(pairs.map((p) => [p.id, []]));
    for (const line of stdout.split('\n').filter((l) => l.trim())) {
      const finding = JSON.parse(line) as BufFinding;
      const id = finding.path.replace(/^new\//, '').replace(/\.proto$/, '');
      const list = out.get(id);
      if (!list) throw new Error(`buf reported a file that is not in the batch: ${line}`);
      list.push(finding);
    }
    return out;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------------
// Looking elements up in Accord's parsed files (its parser only: the difference rules are what is under test)

export interface PairContext {
  old: ProtoFile;
  new: ProtoFile;
  /** The new file's text, where buf's findings point. */
  newText: string;
}

/**
 * The messages enclosing a position of a .proto text, outermost first; a position on a `message` keyword counts as inside
 * that message (buf places "field deleted" findings on the message). Names as written: `M1`, `M4` for `M1.M4`.
 */
export function enclosingMessages(text: string, line: number, column: number): string[] {
  const lines = text.split('\n');
  const at = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0) + column - 1;
  const spans: { name: string; start: number; end: number; depth: number }[] = [];
  const open: { name: string | undefined; start: number }[] = [];
  const token = /\b(message|enum|oneof|service|rpc|extend)\s+([A-Za-z_][\w.]*)|[{}]/g;
  let pending: { kind: string; name: string; start: number } | undefined;
  for (let m = token.exec(text); m; m = token.exec(text)) {
    if (m[1]) pending = { kind: m[1], name: m[2]!, start: m.index };
    else if (m[0] === '{') {
      open.push(pending?.kind === 'message' ? { name: pending.name, start: pending.start } : { name: undefined, start: m.index });
      pending = undefined;
    } else {
      const closed = open.pop();
      if (closed?.name !== undefined) spans.push({ name: closed.name, start: closed.start, end: m.index, depth: open.filter((o) => o.name !== undefined).length });
    }
  }
  return spans
    .filter((s) => s.start <= at && at <= s.end)
    .sort((a, b) => a.depth - b.depth)
    .map((s) => s.name);
}

export function messageAtPath(file: ProtoFile, path: readonly string[]): ProtoMessage | undefined {
  let scope = file.messages;
  let found: ProtoMessage | undefined;
  for (const name of path) {
    found = scope.find((m) => m.name === name);
    if (!found) return undefined;
    scope = found.messages;
  }
  return found;
}

/**
 * The message and field number a buf finding is about (`Field "3" with name "f7" on message "M2"`), the message located
 * by the finding's position in the new file since simple names may repeat across scopes. Undefined for findings on
 * synthetic map-entry messages.
 */
function fieldRef(f: FindingLike, ctx: PairContext): { path: string[]; tag: number } | undefined {
  const m = /[Ff]ield "(\d+)" with name "\w+" on message "(\w+)"/.exec(f.message);
  if (!m || f.start_line === undefined || f.start_column === undefined) return undefined;
  const path = enclosingMessages(ctx.newText, f.start_line, f.start_column);
  return path[path.length - 1] === m[2] ? { path, tag: Number(m[1]) } : undefined;
}

function fieldOn(file: ProtoFile, ref: { path: string[]; tag: number } | undefined): { message: ProtoMessage; field: ProtoField | undefined } | undefined {
  const message = ref && messageAtPath(file, ref.path);
  return message && { message, field: message.fields.find((f) => f.tag === ref!.tag) };
}

const isMessageTyped = (f: ProtoField) => f.keyType === undefined && f.resolvedKind === 'message';

/** Confluent's scalar groups (§B.4), enums in GENERAL_NUMBER. */
const GROUP: Record<string, string> = {
  int32: 'GENERAL_NUMBER', int64: 'GENERAL_NUMBER', uint32: 'GENERAL_NUMBER', uint64: 'GENERAL_NUMBER', bool: 'GENERAL_NUMBER',
  sint32: 'SIGNED_NUMBER', sint64: 'SIGNED_NUMBER', string: 'STRING_OR_BYTES', bytes: 'STRING_OR_BYTES',
  fixed32: 'FIXED32', sfixed32: 'FIXED32', fixed64: 'FIXED64', sfixed64: 'FIXED64', float: 'FLOAT', double: 'DOUBLE',
};

/** Whether a map's values read the same under Confluent's rules: same scalar group, or the same message. */
function sameMapValues(a: ProtoField, b: ProtoField): boolean {
  if (a.resolvedKind === 'message' || b.resolvedKind === 'message') return a.resolvedKind === b.resolvedKind && a.resolved === b.resolved;
  const group = (f: ProtoField) => (f.resolvedKind === 'enum' ? 'GENERAL_NUMBER' : GROUP[f.type]);
  return group(a) === group(b);
}

/** protoc's name for a map field's entry message: the field name in CamelCase, then `Entry`. */
function mapEntryName(field: string): string {
  return `${field.replace(/(?:^|_)([a-z0-9])/g, (_, c: string) => c.toUpperCase())}Entry`;
}

/** The origin groups (old oneof, or "field N" for a plain field) of the pre-existing members of `oneof` in the update. */
function originsOf(oldMessage: ProtoMessage, newMessage: ProtoMessage, oneof: string): Set<string> {
  const origins = new Set<string>();
  for (const f of newMessage.fields.filter((x) => x.oneof === oneof)) {
    const before = oldMessage.fields.find((x) => x.tag === f.tag);
    if (before) origins.add(before.oneof !== undefined ? `oneof ${before.oneof}` : `field ${before.tag}`);
  }
  return origins;
}

/**
 * Fields whose type Accord resolved to something other than what protoc resolves it to (the generator's target). A
 * KNOWN BUG (reported): protobufjs looks a name up in nested scopes before enclosing ones, so `E` inside `M` resolves to
 * `M.Inner.E` when that exists, where protoc takes the enclosing `pkg.E`. Pairs touched by it are set aside (and counted).
 */
export function misresolved(model: ProtoModel, file: ProtoFile, pkg: string): string[] {
  const target = (t: FieldType): string | undefined => (t.k === 'map' ? target(t.value) : t.k === 'scalar' ? undefined : `${pkg}.${t.ref}`);
  const out: string[] = [];
  for (const m of modelMessages(model)) {
    const parsed = messageAtPath(file, m.path.split('.'));
    for (const f of m.node.fields) {
      const expected = target(f.type);
      const resolved = parsed?.fields.find((x) => x.tag === f.tag)?.resolved;
      if (expected !== undefined && resolved !== expected) out.push(`${m.path}.${f.name}: protoc ${expected}, Accord ${resolved}`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------------
// The by-design disagreements

/** A buf finding, or an Accord one (message = its detail). */
export type FindingLike = { message: string; path: string; start_line?: number; start_column?: number };

export interface ByDesign {
  id: string;
  /** `buf`: buf WIRE breaks, Confluent BACKWARD passes. `accord`: Confluent BACKWARD fails, buf WIRE passes. */
  stricter: 'buf' | 'accord';
  /** The buf rule (stricter: buf) or Confluent difference type (stricter: accord) the disagreement is about. */
  rule: string;
  reason: string;
  /** Whether this finding is the intended disagreement (beyond having `rule`). */
  applies: (finding: FindingLike, ctx: PairContext) => boolean;
  /** A minimal pair showing it; `PKG` is replaced by a package of the test's choosing. */
  example: { old: string; new: string };
}

const p3 = (body: string) => `syntax = "proto3";\npackage PKG;\n${body}\n`;

export const BY_DESIGN: readonly ByDesign[] = [
  {
    id: 'field-deleted-without-reserving',
    stricter: 'buf',
    rule: 'FIELD_NO_DELETE_UNLESS_NUMBER_RESERVED',
    reason:
      'Confluent: FIELD_REMOVED is compatible (renumbering a field is remove + add, P05); buf WIRE insists the number is reserved so it cannot be reused with another type. Applies to plain fields and to members of a oneof that was deleted whole (Confluent reports only ONEOF_REMOVED then).',
    applies: (f, ctx) => {
      const ref = fieldRef(f, ctx);
      const before = fieldOn(ctx.old, ref);
      const after = fieldOn(ctx.new, ref);
      if (!before?.field || !after || after.field) return false;
      const oneof = before.field.oneof;
      if (oneof === undefined) return before.field.label !== 'required';
      const members = before.message.fields.filter((x) => x.oneof === oneof);
      return !after.message.oneofs.some((o) => o.name === oneof) && members.every((m) => !after.message.fields.some((x) => x.tag === m.tag));
    },
    example: { old: p3('message M { int32 a = 1; string b = 2; }'), new: p3('message M { int32 a = 1; }') },
  },
  {
    id: 'enum-value-deleted-without-reserving',
    stricter: 'buf',
    rule: 'ENUM_VALUE_NO_DELETE_UNLESS_NUMBER_RESERVED',
    reason: 'Confluent: ENUM_CONST_REMOVED (and renumbering a constant) is compatible; buf WIRE insists the number is reserved.',
    applies: () => true,
    example: { old: p3('enum E { E_ZERO = 0; E_ONE = 1; }'), new: p3('enum E { E_ZERO = 0; }') },
  },
  {
    id: 'enum-int-same-group',
    stricter: 'buf',
    rule: 'FIELD_WIRE_COMPATIBLE_TYPE',
    reason: 'Confluent puts every enum in the GENERAL_NUMBER group with int32/int64/uint32/uint64/bool (§B.4); buf WIRE keeps enums in a group of their own.',
    applies: (f) => /changed type from "enum" to "(int32|int64|uint32|uint64|bool)"|changed type from "(int32|int64|uint32|uint64|bool)" to "enum"/.test(f.message),
    example: { old: p3('message M { E e = 1; }\nenum E { E_ZERO = 0; }'), new: p3('message M { int64 e = 1; }\nenum E { E_ZERO = 0; }') },
  },
  {
    id: 'enum-retargeted',
    stricter: 'buf',
    rule: 'FIELD_WIRE_COMPATIBLE_TYPE',
    reason: 'Confluent never checks which enum an enum-typed field points to (§B.3 step 6); buf WIRE allows another enum only with the same short name and a superset of the values.',
    applies: (f, ctx) => {
      const m = /changed type from "([\w.]+)" to "([\w.]+)"/.exec(f.message);
      const isEnum = (file: ProtoFile, fullName: string) => [...file.enums, ...allMessages(file.messages).flatMap((x) => x.enums)].some((e) => e.fullName === fullName);
      return m !== null && isEnum(ctx.old, m[1]!) && isEnum(ctx.new, m[2]!);
    },
    example: { old: p3('message M { A e = 1; }\nenum A { A_ZERO = 0; }\nenum B { B_ZERO = 0; }'), new: p3('message M { B e = 1; }\nenum A { A_ZERO = 0; }\nenum B { B_ZERO = 0; }') },
  },
  {
    id: 'bytes-to-string',
    stricter: 'buf',
    rule: 'FIELD_WIRE_COMPATIBLE_TYPE',
    reason: 'Confluent: string and bytes are one group, both directions (STRING_OR_BYTES); buf WIRE allows string→bytes only, because bytes need not be valid UTF-8.',
    applies: (f) => /changed type from "bytes" to "string"/.test(f.message),
    example: { old: p3('message M { bytes b = 1; }'), new: p3('message M { string b = 1; }') },
  },
  {
    id: 'map-field-renamed',
    stricter: 'buf',
    rule: 'FIELD_WIRE_COMPATIBLE_TYPE',
    reason:
      'A map field\'s synthetic entry message is named after the field (f → FEntry), so buf WIRE sees renaming a map field as a change of message type. Confluent compares a map by key and value types only (FIELD_NAME_CHANGED is compatible).',
    applies: (f, ctx) => {
      if (!/changed type from "[\w.]+Entry" to "[\w.]+Entry"/.test(f.message)) return false;
      const ref = fieldRef(f, ctx);
      const [before, after] = [fieldOn(ctx.old, ref)?.field, fieldOn(ctx.new, ref)?.field];
      if (before?.keyType === undefined || after?.keyType === undefined || before.name === after.name) return false;
      return GROUP[before.keyType] === GROUP[after.keyType] && sameMapValues(before, after);
    },
    example: { old: p3('message M { map<string, int32> counts = 1; }'), new: p3('message M { map<string, int32> tallies = 1; }') },
  },
  {
    id: 'map-entry-diffed-by-name',
    stricter: 'buf',
    rule: 'FIELD_WIRE_COMPATIBLE_TYPE',
    reason:
      'buf pairs a map\'s synthetic entry message by its name (field f → FEntry) and diffs its key and value even when the map field was renumbered; Confluent leaves synthetic entry messages out and compares a map only with the field of the same number, so a renumbered map is remove + add (compatible).',
    applies: (f, ctx) => {
      const entry = /on message "(\w+Entry)"/.exec(f.message)?.[1];
      const owner = (file: ProtoFile) =>
        allMessages(file.messages)
          .flatMap((m) => m.fields.map((x) => ({ m, x })))
          .find(({ x }) => x.keyType !== undefined && mapEntryName(x.name) === entry);
      const [before, after] = [owner(ctx.old), owner(ctx.new)];
      return before !== undefined && after !== undefined && before.m.fullName === after.m.fullName && before.x.tag !== after.x.tag;
    },
    example: { old: p3('message M { map<string, int32> counts = 1; }'), new: p3('message M { reserved 1; map<int32, int32> counts = 2; }') },
  },
  {
    id: 'label-of-message-field',
    stricter: 'buf',
    rule: 'FIELD_WIRE_COMPATIBLE_CARDINALITY',
    reason: 'Confluent never compares labels of message-typed fields (P45: optional→repeated is not looked at); buf WIRE puts repeated in another cardinality group.',
    applies: (f, ctx) => {
      const ref = fieldRef(f, ctx);
      const [before, after] = [fieldOn(ctx.old, ref)?.field, fieldOn(ctx.new, ref)?.field];
      return before !== undefined && after !== undefined && (isMessageTyped(before) || isMessageTyped(after));
    },
    example: { old: p3('message M { N n = 1; }\nmessage N {}'), new: p3('message M { repeated N n = 1; }\nmessage N {}') },
  },
  {
    id: 'implicit-label',
    stricter: 'buf',
    rule: 'FIELD_WIRE_COMPATIBLE_CARDINALITY',
    reason: 'Confluent compares labels only when both are written: a proto3 field without a label (or a oneof member) has none, so implicit ↔ repeated is never reported (P42, P46); buf WIRE separates singular from repeated.',
    applies: (f, ctx) => {
      const ref = fieldRef(f, ctx);
      const [before, after] = [fieldOn(ctx.old, ref)?.field, fieldOn(ctx.new, ref)?.field];
      return before !== undefined && after !== undefined && (before.label === undefined || after.label === undefined);
    },
    example: { old: p3('message M { int32 a = 1; }'), new: p3('message M { repeated int32 a = 1; }') },
  },
  {
    id: 'string-or-bytes-label',
    stricter: 'buf',
    rule: 'FIELD_WIRE_COMPATIBLE_CARDINALITY',
    reason: 'Confluent: FIELD_STRING_OR_BYTES_LABEL_CHANGED is compatible (a repeated string reads a single one); buf WIRE separates optional from repeated.',
    applies: (f, ctx) => {
      const ref = fieldRef(f, ctx);
      const [before, after] = [fieldOn(ctx.old, ref)?.field, fieldOn(ctx.new, ref)?.field];
      const stringy = (x: ProtoField | undefined) => x !== undefined && x.keyType === undefined && (x.type === 'string' || x.type === 'bytes') && x.resolvedKind === 'scalar';
      return stringy(before) && stringy(after);
    },
    example: { old: p3('message M { optional string s = 1; }'), new: p3('message M { repeated string s = 1; }') },
  },
  {
    id: 'oneof-member-to-top-level',
    stricter: 'buf',
    rule: 'FIELD_SAME_ONEOF',
    reason: 'Confluent: ONEOF_FIELD_MOVED_TO_TOP_LEVEL is compatible (a plain field reads what the oneof member wrote); buf flags every move in or out of a oneof.',
    applies: (f) => /moved from inside to outside a oneof/.test(f.message),
    example: { old: p3('message M { oneof o { int32 a = 1; int32 b = 2; } }'), new: p3('message M { int32 a = 1; oneof o { int32 b = 2; } }') },
  },
  {
    id: 'oneof-single-origin',
    stricter: 'buf',
    rule: 'FIELD_SAME_ONEOF',
    reason:
      'Confluent only rejects a oneof that unites members from two or more origins (MULTIPLE_FIELDS_MOVED_TO_ONEOF / FIELD_MOVED_TO_EXISTING_ONEOF); wrapping one plain field in a new oneof, or renaming a oneof, keeps one origin and passes. buf flags any change of the holding oneof.',
    applies: (f, ctx) => {
      if (!/moved from (outside to inside a oneof|oneof "\w+" to oneof "\w+")/.test(f.message)) return false;
      const ref = fieldRef(f, ctx);
      const before = fieldOn(ctx.old, ref);
      const after = fieldOn(ctx.new, ref);
      if (!before || !after?.field?.oneof) return false;
      return originsOf(before.message, after.message, after.field.oneof).size < 2;
    },
    example: { old: p3('message M { oneof o { int32 a = 1; int32 b = 2; } }'), new: p3('message M { oneof renamed { int32 a = 1; int32 b = 2; } }') },
  },
  {
    id: 'reserved-field-numbers-dropped',
    stricter: 'buf',
    rule: 'RESERVED_MESSAGE_NO_DELETE',
    reason: 'Confluent does not look at reserved ranges or names at all (§B.2, "not checked"); buf keeps every reservation in all categories, WIRE included.',
    applies: () => true,
    example: { old: p3('message M { reserved 2; int32 a = 1; }'), new: p3('message M { int32 a = 1; }') },
  },
  {
    id: 'reserved-enum-numbers-dropped',
    stricter: 'buf',
    rule: 'RESERVED_ENUM_NO_DELETE',
    reason: 'Confluent does not look at reserved ranges or names of enums either (§B.2); buf keeps every reservation in all categories.',
    applies: () => true,
    example: { old: p3('enum E { reserved 1; E_ZERO = 0; }'), new: p3('enum E { E_ZERO = 0; }') },
  },
  {
    id: 'message-removed',
    stricter: 'accord',
    rule: 'MESSAGE_REMOVED',
    reason:
      'Confluent: MESSAGE_REMOVED is incompatible (a message index written with the old schema may point at it; renaming a message is remove + add); buf has MESSAGE_NO_DELETE only in the FILE category, not in WIRE.',
    applies: () => true,
    example: { old: p3('message M { int32 a = 1; }\nmessage Gone { int32 b = 1; }'), new: p3('message M { int32 a = 1; }') },
  },
  {
    id: 'oneof-member-removed-with-number-reserved',
    stricter: 'accord',
    rule: 'ONEOF_FIELD_REMOVED',
    reason: 'Confluent: removing a member from a oneof that stays is incompatible, reserved or not; buf WIRE accepts any deletion whose number is reserved.',
    applies: () => true,
    example: { old: p3('message M { oneof o { int32 a = 1; int32 b = 2; } }'), new: p3('message M { reserved 2; oneof o { int32 a = 1; } }') },
  },
];

export type Judgement =
  | { agree: true; verdict: 'compatible' | 'breaking' }
  | { agree: false; byDesign: string[]; unexplained: string[] };

/**
 * Compares buf's verdict (any finding = breaking) with Accord's BACKWARD findings. When they differ, every finding on the
 * stricter side must be an intended disagreement; `unexplained` lists those that are not.
 */
export function judge(accord: readonly Incompatibility[], buf: readonly BufFinding[], ctx: PairContext): Judgement {
  const accordBreaks = accord.length > 0;
  const bufBreaks = buf.length > 0;
  if (accordBreaks === bufBreaks) return { agree: true, verdict: accordBreaks ? 'breaking' : 'compatible' };
  const byDesign = new Set<string>();
  const unexplained: string[] = [];
  if (bufBreaks) {
    for (const f of buf) {
      const entry = BY_DESIGN.find((d) => d.stricter === 'buf' && d.rule === f.type && d.applies(f, ctx));
      if (entry) byDesign.add(entry.id);
      else unexplained.push(`buf ${f.type}: ${f.message}`);
    }
  } else {
    for (const f of accord) {
      const entry = BY_DESIGN.find((d) => d.stricter === 'accord' && d.rule === f.rule && d.applies({ message: f.detail ?? f.message, path: f.path }, ctx));
      if (entry) byDesign.add(entry.id);
      else unexplained.push(`Accord ${f.rule} at ${f.path}: ${f.detail ?? f.message}`);
    }
  }
  return { agree: false, byDesign: [...byDesign], unexplained };
}
