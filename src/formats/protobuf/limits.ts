// .proto text against the size limits, in one linear pass over its tokens before protobufjs parses it.
import { InvalidSchemaError } from '../format.js';
import { nameTooLongMessage, overLimitMessage, type SchemaLimits } from '../limits.js';

/** A block that counts what it holds: fields (message, extend, group; a oneof adds to its message) or values (enum). */
interface Block {
  kind: 'message' | 'enum' | 'extend' | 'oneof' | 'other';
  name: string;
  count: number;
  /** Where a oneof's fields are counted: its message. */
  owner?: Block;
  /** The enclosing statement, read on after the block closes (a field whose option has a `{ … }` value). */
  resume: string[];
}

// Comments, strings, identifiers (dotted names split at the dots), numbers, and single punctuation characters.
const TOKEN = /\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$)|"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|[A-Za-z_][A-Za-z0-9_]*|[0-9][A-Za-z0-9_.+-]*|\S/g;
const NOT_FIELDS = new Set(['option', 'reserved', 'extensions', 'extend', 'message', 'enum', 'oneof', 'service', 'rpc']);

/** Throws InvalidSchemaError naming the first limit the text is over. */
export function checkProtoLimits(text: string, limits: SchemaLimits): void {
  const fail = (message: string): never => {
    throw new InvalidSchemaError(message);
  };
  const stack: Block[] = [{ kind: 'other', name: 'the file', count: 0, resume: [] }];
  let types = 0;
  // The statement being read in the innermost block: its tokens up to the first `{`, `;` or `}`.
  let statement: string[] = [];
  const countStatement = () => {
    const block = stack[stack.length - 1]!;
    const first = statement[0];
    if (first !== undefined && statement.includes('=') && !NOT_FIELDS.has(first)) {
      if (block.kind === 'enum') {
        if (++block.count > limits.maxEnumSymbols) fail(overLimitMessage(`enum ${block.name}`, block.count, 'values', 'maxEnumSymbols', limits));
      } else if (block.kind !== 'other') {
        const target = block.owner ?? block;
        if (++target.count > limits.maxFields) fail(overLimitMessage(`${target.kind} ${target.name}`, target.count, 'fields', 'maxFields', limits));
      }
    }
    statement = [];
  };
  const openBlock = () => {
    const parent = stack[stack.length - 1]!;
    const [first, second] = statement;
    const named = (kind: Block['kind'], name: string): Block => ({ kind, name, count: 0, resume: [] });
    let block: Block;
    if (parent.kind === 'other' && parent.name !== 'the file') block = named('other', ''); // inside a service or a value
    else if (first === 'message' && second) block = named('message', second);
    else if (first === 'enum' && second) block = named('enum', second);
    else if (first === 'extend' && second) block = named('extend', statement.slice(1).join(''));
    else if (first === 'oneof' && second && (parent.kind === 'message' || parent.kind === 'extend')) {
      block = { ...named('oneof', second), owner: parent };
    } else if (statement[0] === 'group' || statement[1] === 'group') {
      // proto2 `optional group Name = 1 { … }`: a field of the enclosing message and a message type of its own.
      const name = statement[statement.indexOf('group') + 1] ?? 'group';
      countStatement();
      block = named('message', name);
    } else if (first === 'service') block = named('other', 'service');
    else block = { ...named('other', ''), resume: statement }; // an option's `{ … }` value, mid-statement
    if (block.kind === 'message' || block.kind === 'enum') {
      if (++types > limits.maxTypes) fail(overLimitMessage('The schema', types, 'messages and enums', 'maxTypes', limits));
    }
    statement = [];
    stack.push(block);
  };
  for (const [token] of text.matchAll(TOKEN)) {
    const c = token.charCodeAt(0);
    if (token.startsWith('//') || token.startsWith('/*')) continue;
    if (token.length > limits.maxNameLength && ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) {
      fail(nameTooLongMessage('Name', token, limits));
    }
    if (token === ';') countStatement();
    else if (token === '{') openBlock();
    else if (token === '}') {
      countStatement();
      if (stack.length > 1) statement = stack.pop()!.resume;
    } else statement.push(token);
  }
}
