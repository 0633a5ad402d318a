// From a finding's path to a line in the schema file, so CI annotations point at the offending line.

/** The 1-based line of the JSON value a JSON pointer names, found by walking the text; 1 when not found. */
export function lineOfPointer(text: string, pointer: string): number {
  const tokens = pointer.split('/').slice(1).filter((t) => t !== '').map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let i = 0;
  const skipWs = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const skipString = () => {
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
  };
  const skipValue = (): void => {
    skipWs();
    const ch = text[i];
    if (ch === '"') return skipString();
    if (ch === '{' || ch === '[') {
      const close = ch === '{' ? '}' : ']';
      i++;
      for (;;) {
        skipWs();
        if (text[i] === close || i >= text.length) {
          i++;
          return;
        }
        if (ch === '{') {
          skipString();
          skipWs();
          i++; // ':'
        }
        skipValue();
        skipWs();
        if (text[i] === ',') i++;
      }
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  const readKey = () => {
    const start = i + 1;
    skipString();
    return JSON.parse(text.slice(start - 1, i)) as string;
  };
  for (const token of tokens) {
    skipWs();
    if (text[i] === '{') {
      i++;
      let found = false;
      while (!found) {
        skipWs();
        if (text[i] !== '"') return lineAt(text, i);
        const key = readKey();
        skipWs();
        i++; // ':'
        if (key === token) found = true;
        else {
          skipValue();
          skipWs();
          if (text[i] === ',') i++;
        }
      }
    } else if (text[i] === '[') {
      i++;
      const index = Number(token);
      for (let k = 0; k < index; k++) {
        skipValue();
        skipWs();
        if (text[i] === ',') i++;
      }
    } else {
      break;
    }
  }
  skipWs();
  return lineAt(text, i);
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let k = 0; k < Math.min(offset, text.length); k++) if (text[k] === '\n') line++;
  return line;
}

/** The line of a `#/Message/Nested/3` path in .proto text: the field with that number inside that message. */
export function lineOfProtoPath(text: string, path: string): number {
  const parts = path.replace(/^#\/?/, '').split('/').filter(Boolean);
  const lines = text.split('\n');
  let from = 0;
  let line = 1;
  for (const part of parts) {
    const pattern = /^\d+$/.test(part)
      ? new RegExp(`=\\s*${part}\\b`)
      : new RegExp(`\\b(message|enum|oneof)\\s+${part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\b`);
    const found = lines.findIndex((l, k) => k >= from && pattern.test(l.replace(/\/\/.*$/, '')));
    if (found < 0) break;
    from = found;
    line = found + 1;
  }
  return line;
}

export function lineOf(text: string, path: string): number {
  return path.startsWith('#') ? lineOfProtoPath(text, path) : lineOfPointer(text, path);
}
