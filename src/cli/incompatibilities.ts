// Why a registry finds a schema incompatible, from whichever answer it gave: Accord's structured list, or Confluent's
// verbose strings (`{errorType:'…', description:'…'}` since CP 7; `Incompatibility{type:…, location:…}` before).

export interface Incompatible {
  rule: string;
  path: string;
  message: string;
  hint?: string;
  /** The registered version the schema was found incompatible with, when the registry says. */
  oldVersion?: number;
}

interface Answer {
  incompatibilities?: { rule: string; path: string; message: string; hint?: string; oldVersion?: number }[];
  messages?: string[];
  message?: string;
}

const CURRENT = /\{errorType:["']([A-Z0-9_]+)["'], description:["'](.*?)["'](?=, additionalInfo:|\})/g;
const LEGACY = /Incompatibility\{type:([A-Z0-9_]+), location:([^,}]*), message:(.*?)(?=, reader:|\})/g;
const PATH = /(?:at path|Path:) '([^']+)'/;
const OLD_VERSION = /\{oldSchemaVersion: (\d+)\}/;

export function incompatibilitiesOf(answer: Answer): Incompatible[] {
  if (answer.incompatibilities?.length) {
    return answer.incompatibilities.map((f) => ({ rule: f.rule, path: f.path, message: f.message, ...(f.hint ? { hint: f.hint } : {}), ...(f.oldVersion ? { oldVersion: f.oldVersion } : {}) }));
  }
  const text = [...(answer.messages ?? []), ...(answer.message ? [answer.message] : [])].join(', ');
  const oldVersion = OLD_VERSION.exec(text)?.[1];
  const at = oldVersion ? { oldVersion: Number(oldVersion) } : {};
  const found: Incompatible[] = [];
  for (const [, rule, description] of text.matchAll(CURRENT)) {
    // Accord's own strings carry "Path: '…'. Fix: …" inside the description; the structured list is preferred above.
    const message = description!.replace(/ Path: '[^']*'\..*$/, '');
    found.push({ rule: rule!, path: PATH.exec(description!)?.[1] ?? '/', message, ...at });
  }
  for (const [, rule, location, message] of text.matchAll(LEGACY)) found.push({ rule: rule!, path: location!.trim() || '/', message: message!.trim(), ...at });
  if (found.length > 0) return found;
  // Nothing structured: the first message that is not the old schema or the level, as Confluent words it.
  const first = (answer.messages ?? []).find((m) => !/^\{(oldSchema|oldSchemaVersion|validateFields|compatibility)\b/.test(m)) ?? answer.message ?? 'incompatible';
  return [{ rule: 'INCOMPATIBLE', path: '/', message: first.replace(/, details: \[[\s\S]*$/, '').replace(/\s*\n\s*/g, ' '), ...at }];
}

/** One line: `RULE at PATH: message; …`. */
export function describeIncompatibilities(found: Incompatible[]): string {
  return found.map((f) => `${f.rule} at ${f.path}: ${f.message}${f.oldVersion ? ` (against version ${f.oldVersion})` : ''}`).join('; ');
}
