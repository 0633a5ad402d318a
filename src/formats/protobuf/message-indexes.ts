// Message indexes: the path to a message in its file, as the Confluent wire format carries it.
import type { ProtoFile, ProtoMessage } from './model.js';

/** Every message of a file with its index path: top-level ones by declaration order, nested ones below them. */
export function messageIndexes(file: ProtoFile): Map<string, number[]> {
  const out = new Map<string, number[]>();
  const visit = (messages: ProtoMessage[], prefix: number[]) =>
    messages.forEach((m, i) => {
      out.set(m.fullName, [...prefix, i]);
      visit(m.messages, [...prefix, i]);
    });
  visit(file.messages, []);
  return out;
}

/** The message an index path points at, or undefined. */
export function messageAt(file: ProtoFile, indexes: readonly number[]): ProtoMessage | undefined {
  let scope = file.messages;
  let found: ProtoMessage | undefined;
  for (const i of indexes) {
    found = scope[i];
    if (!found) return undefined;
    scope = found.messages;
  }
  return found;
}
