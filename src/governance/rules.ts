// Accord's rules. Each rule is one declaration; handlers only look and report. Which run by default: profiles.ts.
import type { OutlineType } from '../formats/format.js';
import type { Rule, RuleProblem } from './rule.js';
import { isCommandVerb, isPascalCase, isPastTense, looksPersonal, participleOf, titleWords, upperSnake, VAGUE_VERBS } from './words.js';

const problem = (path: string, message: string, hint: string): RuleProblem => ({ path, message, hint });
const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);

export const RULES: readonly Rule[] = [
  {
    id: 'SUBJECT_NAMING_STRATEGY',
    category: 'NAMING',
    doc: 'Checks that the subject follows the configured naming strategy (topic `-value`/`-key`, record name, or topic-record).',
    eventsOnly: true,
    check({ subject, outline, params }) {
      const event = outline.event;
      switch (params.subjectNamingStrategy) {
        case 'any':
          return [];
        case 'topic':
          return /.-(value|key)$/.test(subject)
            ? []
            : [problem('/', `Subject '${subject}' does not follow the topic naming strategy (<topic>-value or <topic>-key).`, `register under '${subject}-value' (or '-key' for message keys)`)];
        case 'record':
          return !event || subject === event.fullName
            ? []
            : [problem('/', `Subject '${subject}' does not follow the record naming strategy.`, `register under '${event.fullName}'`)];
        case 'topic-record':
          return !event || subject.endsWith(`-${event.fullName}`)
            ? []
            : [problem('/', `Subject '${subject}' does not follow the topic-record naming strategy.`, `register under '<topic>-${event.fullName}'`)];
      }
    },
  },
  {
    id: 'EVENT_NAME_PASCAL_CASE',
    category: 'NAMING',
    doc: 'Checks that the event type name is PascalCase.',
    eventsOnly: true,
    check({ outline: { event } }) {
      if (!event || isPascalCase(event.name)) return [];
      const suggestion = titleWords(event.name).join('');
      return [problem(event.path, `Event name '${event.name}' is not PascalCase.`, `rename it '${suggestion || 'SomethingHappened'}'`)];
    },
  },
  {
    id: 'EVENT_NAME_PAST_TENSE',
    category: 'NAMING',
    doc: 'Checks that the event name ends in a past-tense verb: an event states a fact that happened.',
    eventsOnly: true,
    check({ outline: { event } }) {
      if (!event) return [];
      const parts = titleWords(event.name);
      const last = parts.at(-1) ?? '';
      if (isPastTense(last)) return [];
      const first = parts[0] ?? '';
      const subject = parts.join('');
      const hint = isCommandVerb(first) && parts.length > 1
        ? `name the fact instead, e.g. '${factOf(first, parts.slice(1))}'`
        : `end the name with what happened in the past tense, e.g. '${subject}Created' or '${subject}Shipped'`;
      return [problem(event.path, `Event name '${event.name}' does not end in a past-tense verb.`, hint)];
    },
  },
  {
    id: 'EVENT_NAME_SPECIFIC',
    category: 'NAMING',
    doc: 'Checks that the event says what changed: no bare Updated/Changed/Modified after a single noun.',
    eventsOnly: true,
    check({ outline: { event } }) {
      if (!event) return [];
      const parts = titleWords(event.name);
      const last = parts.at(-1) ?? '';
      if (parts.length > 2 || !VAGUE_VERBS.has(last)) return [];
      const noun = parts.length === 2 ? parts[0]! : 'Customer';
      return [
        problem(
          event.path,
          `Event name '${event.name}' does not say what about the ${lowerFirst(noun)} changed.`,
          `name the specific fact, e.g. '${noun}AddressChanged' or '${noun}EmailVerified', with one event per kind of change`,
        ),
      ];
    },
  },
  {
    id: 'EVENT_NAME_NOT_COMMAND',
    category: 'NAMING',
    doc: 'Checks that the event name is not a command (CreateOrder, SendEmail): events record facts, commands ask for them.',
    eventsOnly: true,
    check({ outline: { event } }) {
      if (!event) return [];
      const parts = titleWords(event.name);
      const [first = '', ...rest] = parts;
      if (!isCommandVerb(first) || rest.length === 0 || isPastTense(rest.at(-1) ?? '')) return [];
      const fact = factOf(first, rest);
      return [problem(event.path, `Event name '${event.name}' reads as a command.`, `name the fact that happened, e.g. '${fact}'`)];
    },
  },
  {
    id: 'FIELD_NAME_CASE',
    category: 'NAMING',
    doc: 'Checks that Avro field names and JSON Schema property names use the configured case (camelCase by default).',
    formats: ['AVRO', 'JSON'],
    check({ outline, params }) {
      const alias = outline.schemaType === 'AVRO' ? ' (add the old name as an alias)' : '';
      const pattern = params.fieldCase === 'camelCase' ? /^[a-z][a-zA-Z0-9]*$/ : /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
      const convert = (n: string) =>
        params.fieldCase === 'camelCase'
          ? n.replace(/[_-]+([a-zA-Z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/^[A-Z]/, (c) => c.toLowerCase())
          : n.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();
      return records(outline.types).flatMap((t) =>
        t.fields
          .filter((f) => !pattern.test(f.name))
          .map((f) => problem(f.path, `Field '${f.name}' of ${t.name} is not ${params.fieldCase}.`, `rename it '${convert(f.name)}'${alias}`)),
      );
    },
  },
  {
    id: 'TYPE_DOCUMENTED',
    category: 'DOCUMENTATION',
    doc: 'Checks that every record, message and enum has a doc (Avro `doc`, Protobuf comment).',
    check({ outline }) {
      return outline.types
        .filter((t) => t.kind !== 'fixed' && !t.doc?.trim())
        .map((t) => problem(t.path, `${t.kind === 'enum' ? 'Enum' : 'Type'} '${t.name}' has no documentation.`, `add a doc saying what ${t.name} means`));
    },
  },
  {
    id: 'FIELD_DOCUMENTED',
    category: 'DOCUMENTATION',
    doc: 'Checks that every field has a doc (Avro `doc`, Protobuf comment).',
    check({ outline }) {
      return records(outline.types).flatMap((t) =>
        t.fields.filter((f) => !f.doc?.trim()).map((f) => problem(f.path, `Field '${f.name}' of ${t.name} has no documentation.`, `add a doc to '${f.name}' saying what it holds and in which unit`)),
      );
    },
  },
  {
    id: 'ENVELOPE_FIELDS',
    category: 'ENVELOPE',
    doc: 'Checks that the event carries the envelope fields (event id, occurred-at time, correlation id; names configurable).',
    eventsOnly: true,
    check({ outline, params }) {
      const { event } = outline;
      if (!event || event.kind !== 'record' && event.kind !== 'message') return [];
      const present = new Set(event.fields.map((f) => f.name));
      // Suggest the name in the case the format's own rules ask for: lower_snake_case for Protobuf.
      const snake = outline.schemaType === 'PROTOBUF' || params.fieldCase === 'snake_case';
      const fitting = (names: string[]) => names.find((n) => (snake ? /^[a-z][a-z0-9]*(_[a-z0-9]+)+$/ : /^[a-z]+[A-Z][a-zA-Z0-9]*$/).test(n)) ?? names[0];
      const missing = Object.entries(params.envelopeFields).filter(([, names]) => !names.some((n) => present.has(n)));
      if (missing.length === 0) return [];
      // One finding for the whole envelope: a reviewer acts on it once, by adding the fields together.
      const roles = missing.map(([role]) => role);
      const list = roles.length === 1 ? roles[0] : `${roles.slice(0, -1).join(', ')} or ${roles.at(-1)}`;
      return [
        problem(
          event.path,
          `Event '${event.name}' has no ${list} field.`,
          `add ${missing.map(([role, names]) => `'${fitting(names)}' (the ${role})`).join(', ')}`,
        ),
      ];
    },
  },
  {
    id: 'PERSONAL_DATA_MARKED',
    category: 'PRIVACY',
    doc: 'Checks that fields which look like personal data (email, phone, address, birth date, …) are marked sensitive.',
    check({ outline, catalog }) {
      const declared = new Set(catalog?.sensitive ?? []);
      return records(outline.types).flatMap((t) =>
        t.fields
          .filter((f) => looksPersonal(f.name) && !f.sensitive && !declared.has(f.name) && !declared.has(`${t.name}.${f.name}`) && !declared.has(f.path))
          .map((f) =>
            problem(
              f.path,
              `Field '${f.name}' of ${t.name} looks like personal data but is not marked sensitive.`,
              outline.schemaType !== 'PROTOBUF'
                ? `tag it ("confluent:tags": ["PII"]) or list '${t.name}.${f.name}' in the catalog entry's sensitive fields`
                : `tag it [(confluent.field_meta).tags = "PII"] or list '${t.name}.${f.name}' in the catalog entry's sensitive fields`,
            ),
          ),
      );
    },
  },
  {
    id: 'OWNER_DECLARED',
    category: 'OWNERSHIP',
    doc: 'Checks that the subject has a catalog entry naming its owner team and domain.',
    check({ subject, catalog }) {
      if (catalog?.owner && catalog.domain) return [];
      return [problem('/', `Subject '${subject}' has no owner team and domain in the catalog.`, `PUT /catalog/subjects/${encodeURIComponent(subject)} with "owner" and "domain"`)];
    },
  },
  {
    id: 'PROTOBUF_PACKAGE_VERSIONED',
    category: 'PROTOBUF',
    doc: 'Checks that the Protobuf package ends in a version (`shop.orders.v1`).',
    formats: ['PROTOBUF'],
    check({ outline }) {
      if (/(^|\.)v\d+((alpha|beta)\d*)?$/.test(outline.namespace)) return [];
      return [problem('#/', `Package '${outline.namespace || '(none)'}' has no version suffix.`, `use a package like '${outline.namespace ? `${outline.namespace}.v1` : 'company.domain.v1'}'`)];
    },
  },
  {
    id: 'PROTOBUF_ENUM_ZERO_UNSPECIFIED',
    category: 'PROTOBUF',
    doc: 'Checks that every Protobuf enum starts with a zero value named `<ENUM>_UNSPECIFIED`.',
    formats: ['PROTOBUF'],
    check({ outline }) {
      return outline.types
        .filter((t) => t.kind === 'enum' && t.symbols?.[0] !== `${upperSnake(t.name)}_UNSPECIFIED`)
        .map((t) => problem(t.path, `Enum '${t.name}' does not start with ${upperSnake(t.name)}_UNSPECIFIED = 0.`, `add ${upperSnake(t.name)}_UNSPECIFIED = 0 as its first value, so an unset field is not mistaken for a real one`));
    },
  },
  {
    id: 'PROTOBUF_FIELD_LOWER_SNAKE_CASE',
    category: 'PROTOBUF',
    doc: 'Checks that Protobuf field names are lower_snake_case.',
    formats: ['PROTOBUF'],
    check({ outline }) {
      return records(outline.types).flatMap((t) =>
        t.fields
          .filter((f) => !/^[a-z][a-z0-9]*(_[a-z0-9]+)*$/.test(f.name))
          .map((f) => problem(f.path, `Field '${f.name}' of ${t.name} is not lower_snake_case.`, `rename it '${f.name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase()}'`)),
      );
    },
  },
];

/**
 * The fact a command asks for: `SendEmail` → `EmailSent`. A vague verb would trade one finding for another
 * (`UpdateUser` → `UserUpdated`), so those suggest naming what changed.
 */
function factOf(verb: string, rest: string[]): string {
  const participle = participleOf(verb);
  const noun = rest.join('');
  return VAGUE_VERBS.has(participle) && rest.length === 1 ? `${noun}EmailChanged` : `${noun}${participle}`;
}

function records(types: OutlineType[]): OutlineType[] {
  return types.filter((t) => t.kind === 'record' || t.kind === 'message');
}

export const RULES_BY_ID = new Map(RULES.map((r) => [r.id, r]));
