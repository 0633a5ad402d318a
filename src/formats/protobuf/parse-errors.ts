// Where a .proto text stops parsing. protobufjs names the offending token and its line ("illegal token '}' (line 4)")
// but not the column; the column is found by locating that token on that line, and where the token occurs there more
// than once, by parsing the text up to each occurrence until one fails exactly as the whole text does.
import protobuf from 'protobufjs';

export interface ParseErrorPosition {
  line: number;
  column: number;
  /** protobufjs' message without its own "(line N)" suffix. */
  reason: string;
}

const LINE_SUFFIX = /\s*\((?:[^,()]*, )?line (\d+)\)\s*$/;

function failureOf(source: string): string | undefined {
  try {
    protobuf.parse(source, new protobuf.Root(), { keepCase: true, alternateCommentMode: true });
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

/** The same length of text with comments blanked, so a token inside a comment is never taken for the offending one. */
function withoutComments(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (c) => c.replace(/[^\n]/g, ' '));
}

export function locateParseError(source: string, message: string): ParseErrorPosition | undefined {
  const suffix = LINE_SUFFIX.exec(message);
  if (!suffix) return undefined;
  const line = Number(suffix[1]);
  const reason = message.slice(0, suffix.index);
  const lines = source.split('\n');
  if (line < 1 || line > lines.length) return undefined;
  if (/end of input/.test(reason)) return { line, column: lines[line - 1]!.length + 1, reason: 'unexpected end of input (a closing brace or semicolon is missing)' };
  const token = /^illegal [a-z ]+'(.*?)'/.exec(reason)?.[1];
  const lineStart = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
  const text = withoutComments(lines[line - 1]!);
  if (!token) return { line, column: text.search(/\S/) + 1, reason };
  const columns: number[] = [];
  for (let at = text.indexOf(token); at >= 0; at = text.indexOf(token, at + 1)) columns.push(at);
  if (columns.length === 0) return { line, column: text.search(/\S/) + 1, reason };
  const failsAlike = (prefix: string) => {
    const failure = failureOf(prefix);
    const at = failure === undefined ? null : LINE_SUFFIX.exec(failure);
    return at !== null && Number(at[1]) === line && failure!.slice(0, at.index) === reason;
  };
  const column = columns.length === 1 ? columns[0]! : (columns.find((at) => failsAlike(source.slice(0, lineStart + at + token.length))) ?? columns[0]!);
  return { line, column: column + 1, reason };
}
