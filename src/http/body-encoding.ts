// A request body's bytes as text, read the way Confluent reads them. Jersey hands Jackson the raw bytes, and Jackson
// ignores the Content-Type charset: a byte order mark, or else where the zero bytes fall among the first four (JSON
// starts with an ASCII character), tells UTF-32, UTF-16 and UTF-8 apart. Accord does the same, also reads a body that
// declares charset ISO-8859-1 or US-ASCII as Java would, and refuses bytes invalid in the encoding instead of
// replacing them with U+FFFD, which would register a schema the sender never wrote.
import { TextDecoder } from 'node:util';
import { errors } from '../registry/errors.js';

type Encoding = 'UTF-8' | 'UTF-16BE' | 'UTF-16LE' | 'UTF-32BE' | 'UTF-32LE' | 'ISO-8859-1' | 'US-ASCII';

/** What chose the encoding: an error names it, so the sender knows what to change. */
type Evidence = 'byte order mark' | 'zero bytes' | 'charset' | 'default';

interface Detection {
  encoding: Encoding;
  /** Where the text starts: past the byte order mark, which is not part of it. */
  start: number;
  evidence: Evidence;
}

const UNUSUAL_UCS4 = 'Request body is UCS-4 in an unusual byte order (2143 or 3412), which Accord does not read; send UTF-8';

/**
 * Single-byte charsets a body may declare; the Unicode ones need no declaring, their bytes show them. A Map, so that a
 * charset named like an Object property (`constructor`) is simply unknown.
 */
const DECLARED_CHARSETS = new Map<string, Encoding>([
  ['iso-8859-1', 'ISO-8859-1'],
  ['iso_8859-1', 'ISO-8859-1'],
  ['iso_8859_1', 'ISO-8859-1'],
  ['iso8859-1', 'ISO-8859-1'],
  ['iso8859_1', 'ISO-8859-1'],
  ['latin1', 'ISO-8859-1'],
  ['us-ascii', 'US-ASCII'],
  ['ascii', 'US-ASCII'],
]);

/** Decodes a request body; bytes invalid in the detected encoding are the client's error (400/400, as Jackson's). */
export function decodeBody(bytes: Uint8Array, contentType: string | undefined): string {
  const charset = charsetOf(contentType);
  const detection = detect(bytes, charset);
  const text = decode(bytes.subarray(detection.start), detection.encoding);
  if (typeof text === 'string') return text;
  throw errors.malformedBody(invalidBytesMessage(detection, detection.start + text.invalidAt, charset));
}

/** The `charset` parameter of a Content-Type, quoted or not; parameter names are case-insensitive. */
function charsetOf(contentType: string | undefined): string | undefined {
  if (!contentType) return undefined;
  for (const param of contentType.split(';').slice(1)) {
    const eq = param.indexOf('=');
    if (eq > 0 && param.slice(0, eq).trim().toLowerCase() === 'charset') return param.slice(eq + 1).trim().replace(/^"(.*)"$/, '$1');
  }
  return undefined;
}

/** Jackson's detection (ByteSourceJsonBootstrapper): byte order marks first, then the zero bytes, then UTF-8. */
function detect(bytes: Uint8Array, charset: string | undefined): Detection {
  const [b0, b1, b2, b3] = [bytes[0] ?? -1, bytes[1] ?? -1, bytes[2] ?? -1, bytes[3] ?? -1];
  if (b0 === 0x00 && b1 === 0x00 && b2 === 0xfe && b3 === 0xff) return { encoding: 'UTF-32BE', start: 4, evidence: 'byte order mark' };
  if (b0 === 0xff && b1 === 0xfe && b2 === 0x00 && b3 === 0x00) return { encoding: 'UTF-32LE', start: 4, evidence: 'byte order mark' };
  if ((b0 === 0x00 && b1 === 0x00 && b2 === 0xff && b3 === 0xfe) || (b0 === 0xfe && b1 === 0xff && b2 === 0x00 && b3 === 0x00)) {
    throw errors.malformedBody(UNUSUAL_UCS4);
  }
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'UTF-16BE', start: 2, evidence: 'byte order mark' };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'UTF-16LE', start: 2, evidence: 'byte order mark' };
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'UTF-8', start: 3, evidence: 'byte order mark' };
  if (bytes.length >= 4) {
    if (b0 === 0 && b1 === 0 && b2 === 0) return { encoding: 'UTF-32BE', start: 0, evidence: 'zero bytes' };
    if (b1 === 0 && b2 === 0 && b3 === 0) return { encoding: 'UTF-32LE', start: 0, evidence: 'zero bytes' };
    if ((b0 === 0 && b2 === 0 && b3 === 0) || (b0 === 0 && b1 === 0 && b3 === 0)) {
      throw errors.malformedBody(UNUSUAL_UCS4);
    }
  }
  if (bytes.length >= 2) {
    if (b0 === 0) return { encoding: 'UTF-16BE', start: 0, evidence: 'zero bytes' };
    if (b1 === 0) return { encoding: 'UTF-16LE', start: 0, evidence: 'zero bytes' };
  }
  const declared = charset === undefined ? undefined : DECLARED_CHARSETS.get(charset.toLowerCase());
  return declared ? { encoding: declared, start: 0, evidence: 'charset' } : { encoding: 'UTF-8', start: 0, evidence: 'default' };
}

/** The text, or where the first invalid byte is (an incomplete last character counts as invalid where it starts). */
type Decoded = string | { invalidAt: number };

const fatal = (label: string) => new TextDecoder(label, { fatal: true, ignoreBOM: true });
const UTF8 = fatal('utf-8');
const UTF16BE = fatal('utf-16be');
const UTF16LE = fatal('utf-16le');

function decode(bytes: Uint8Array, encoding: Encoding): Decoded {
  switch (encoding) {
    case 'UTF-8':
      return decodeWith(UTF8, bytes, firstInvalidUtf8);
    case 'UTF-16BE':
      return decodeWith(UTF16BE, bytes, (b) => firstInvalidUtf16(b, true));
    case 'UTF-16LE':
      return decodeWith(UTF16LE, bytes, (b) => firstInvalidUtf16(b, false));
    case 'UTF-32BE':
      return decodeUtf32(bytes, true);
    case 'UTF-32LE':
      return decodeUtf32(bytes, false);
    case 'US-ASCII': {
      const invalidAt = bytes.findIndex((b) => b > 0x7f);
      return invalidAt >= 0 ? { invalidAt } : latin1(bytes);
    }
    case 'ISO-8859-1':
      return latin1(bytes);
  }
}

/** The native decoder does the work; only on failure is the offset worth a scan of our own. */
function decodeWith(decoder: TextDecoder, bytes: Uint8Array, firstInvalid: (bytes: Uint8Array) => number): Decoded {
  try {
    return decoder.decode(bytes);
  } catch {
    return { invalidAt: Math.max(0, firstInvalid(bytes)) };
  }
}

/** Every byte is the code point of the same value; WHATWG's "iso-8859-1" label would mean windows-1252 instead. */
function latin1(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}

/** Well-formed UTF-8 (Unicode table 3-7): no overlong forms, no surrogates, nothing above U+10FFFF. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at]!;
    if (lead < 0x80) {
      at += 1;
      continue;
    }
    const sequence = utf8Sequence(lead);
    if (!sequence || at + sequence.length > bytes.length) return at;
    const second = bytes[at + 1]!;
    if (second < sequence.secondMin || second > sequence.secondMax) return at;
    for (let k = 2; k < sequence.length; k++) if ((bytes[at + k]! & 0xc0) !== 0x80) return at;
    at += sequence.length;
  }
  return -1;
}

function utf8Sequence(lead: number): { length: number; secondMin: number; secondMax: number } | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, secondMin: 0x80, secondMax: 0xbf };
  if (lead === 0xe0) return { length: 3, secondMin: 0xa0, secondMax: 0xbf };
  if (lead === 0xed) return { length: 3, secondMin: 0x80, secondMax: 0x9f };
  if (lead >= 0xe1 && lead <= 0xef) return { length: 3, secondMin: 0x80, secondMax: 0xbf };
  if (lead === 0xf0) return { length: 4, secondMin: 0x90, secondMax: 0xbf };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 4, secondMin: 0x80, secondMax: 0xbf };
  if (lead === 0xf4) return { length: 4, secondMin: 0x80, secondMax: 0x8f };
  return undefined;
}

/** Well-formed UTF-16: whole code units, every surrogate in a high-low pair. */
function firstInvalidUtf16(bytes: Uint8Array, bigEndian: boolean): number {
  const unit = (at: number) => (bigEndian ? (bytes[at]! << 8) | bytes[at + 1]! : bytes[at]! | (bytes[at + 1]! << 8));
  for (let at = 0; at < bytes.length; at += 2) {
    if (at + 2 > bytes.length) return at;
    const u = unit(at);
    if (u >= 0xdc00 && u <= 0xdfff) return at;
    if (u >= 0xd800 && u <= 0xdbff) {
      if (at + 4 > bytes.length) return at;
      const low = unit(at + 2);
      if (low < 0xdc00 || low > 0xdfff) return at;
      at += 2;
    }
  }
  return -1;
}

/** UTF-32 has no native decoder: whole 4-byte units, each a Unicode scalar value (no surrogates, ≤ U+10FFFF). */
function decodeUtf32(bytes: Uint8Array, bigEndian: boolean): Decoded {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const parts: string[] = [];
  // String.fromCodePoint takes its code points as arguments, so they go in batches below the engine's argument limit.
  let batch: number[] = [];
  for (let at = 0; at < bytes.length; at += 4) {
    if (at + 4 > bytes.length) return { invalidAt: at };
    const point = view.getUint32(at, !bigEndian);
    if (point > 0x10ffff || (point >= 0xd800 && point <= 0xdfff)) return { invalidAt: at };
    batch.push(point);
    if (batch.length === 8192) {
      parts.push(String.fromCodePoint(...batch));
      batch = [];
    }
  }
  parts.push(String.fromCodePoint(...batch));
  return parts.join('');
}

function invalidBytesMessage(detection: Detection, offset: number, charset: string | undefined): string {
  const problem = `Request body is not valid ${detection.encoding} at byte offset ${offset}`;
  switch (detection.evidence) {
    case 'byte order mark':
      return `${problem} (its byte order mark says ${detection.encoding})`;
    case 'zero bytes':
      return `${problem} (the zero bytes among its first four say ${detection.encoding})`;
    case 'charset':
      return `${problem} (the Content-Type says charset=${charset})`;
    case 'default': {
      const rule =
        'Accord reads UTF-8 unless a byte order mark or the zero bytes among the first four say UTF-16 or UTF-32, ' +
        'or the Content-Type says charset=ISO-8859-1 or charset=US-ASCII';
      const ignored = charset === undefined ? '' : `; charset=${charset} alone does not change that, as in Confluent`;
      return `${problem}: ${rule}${ignored}`;
    }
  }
}
