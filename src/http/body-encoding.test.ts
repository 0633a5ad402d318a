import { describe, expect, it } from 'vitest';
import { RegistryError } from '../registry/errors.js';
import { decodeBody } from './body-encoding.js';

const TEXT = '{"doc":"café ☕ 🎉"}';

const utf8 = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));
const utf16le = (text: string) => new Uint8Array(Buffer.from(text, 'utf16le'));
const utf16be = (text: string) => utf16le(text).map((_, i, a) => a[i ^ 1]!);
function utf32(text: string, bigEndian: boolean): Uint8Array {
  const points = [...text].map((ch) => ch.codePointAt(0)!);
  const view = new DataView(new ArrayBuffer(points.length * 4));
  points.forEach((p, i) => view.setUint32(i * 4, p, !bigEndian));
  return new Uint8Array(view.buffer);
}
const join = (...parts: (Uint8Array | number[])[]) => new Uint8Array(parts.flatMap((p) => [...p]));

const BOM_8 = [0xef, 0xbb, 0xbf];
const BOM_16BE = [0xfe, 0xff];
const BOM_16LE = [0xff, 0xfe];
const BOM_32BE = [0x00, 0x00, 0xfe, 0xff];
const BOM_32LE = [0xff, 0xfe, 0x00, 0x00];

function rejection(bytes: Uint8Array, contentType?: string): RegistryError {
  try {
    decodeBody(bytes, contentType);
  } catch (err) {
    if (err instanceof RegistryError) return err;
    throw err;
  }
  throw new Error('expected the body to be refused');
}

describe('decodeBody', () => {
  it.each([
    ['UTF-8', utf8(TEXT)],
    ['UTF-8 with a BOM', join(BOM_8, utf8(TEXT))],
    ['UTF-16BE with a BOM', join(BOM_16BE, utf16be(TEXT))],
    ['UTF-16BE without a BOM', utf16be(TEXT)],
    ['UTF-16LE with a BOM', join(BOM_16LE, utf16le(TEXT))],
    ['UTF-16LE without a BOM', utf16le(TEXT)],
    ['UTF-32BE with a BOM', join(BOM_32BE, utf32(TEXT, true))],
    ['UTF-32BE without a BOM', utf32(TEXT, true)],
    ['UTF-32LE with a BOM', join(BOM_32LE, utf32(TEXT, false))],
    ['UTF-32LE without a BOM', utf32(TEXT, false)],
  ])('reads %s, the BOM stripped', (_label, bytes) => {
    expect(decodeBody(bytes, 'application/json')).toBe(TEXT);
  });

  it('lets the bytes decide over a charset that disagrees, as Jackson does', () => {
    expect(decodeBody(utf16le(TEXT), 'application/json; charset=utf-8')).toBe(TEXT);
    expect(decodeBody(utf8(TEXT), 'application/json; charset=utf-16')).toBe(TEXT);
    expect(decodeBody(utf8(TEXT), 'application/json; charset=windows-1252')).toBe(TEXT);
    expect(decodeBody(utf8(TEXT), 'application/json; charset=constructor')).toBe(TEXT);
  });

  it.each(['charset=ISO-8859-1', 'charset="latin1"', 'CHARSET = iso8859-1'])('reads a declared Latin-1 body (%s)', (param) => {
    expect(decodeBody(new Uint8Array(Buffer.from('{"doc":"café"}', 'latin1')), `application/json; ${param}`)).toBe('{"doc":"café"}');
  });

  it('refuses invalid UTF-8 naming the byte offset, instead of replacing it with U+FFFD', () => {
    const bytes = join(utf8('{"doc":"caf'), [0xe9], utf8('"}'));
    const err = rejection(bytes);
    expect(err.kind).toBe('malformed_body');
    expect(err.message).toMatch(/^Request body is not valid UTF-8 at byte offset 11: Accord reads UTF-8 unless/);
    expect(rejection(bytes, 'application/json; charset=windows-1252').message).toContain('charset=windows-1252 alone does not change that');
  });

  it.each([
    ['an overlong form', join(utf8('{"doc":"'), [0xc0, 0xaf], utf8('"}'))],
    ['a UTF-8-encoded surrogate', join(utf8('{"doc":"'), [0xed, 0xa0, 0x80], utf8('"}'))],
    ['a code point above U+10FFFF', join(utf8('{"doc":"'), [0xf4, 0x90, 0x80, 0x80], utf8('"}'))],
    ['a sequence cut short by the end of the body', join(utf8('{"doc":"'), [0xe2, 0x98])],
  ])('refuses %s in UTF-8', (_label, bytes) => {
    expect(rejection(bytes).message).toContain('not valid UTF-8 at byte offset 8');
  });

  it('counts the offset in the body as sent, the BOM included', () => {
    expect(rejection(join(BOM_8, utf8('{"a":"'), [0xff], utf8('"}'))).message).toMatch(
      /^Request body is not valid UTF-8 at byte offset 9 \(its byte order mark says UTF-8\)$/,
    );
  });

  it('refuses a lone surrogate in UTF-16 and an odd trailing byte', () => {
    const lone = join(utf16le('{"a":"'), [0x00, 0xd8], utf16le('"}'));
    expect(rejection(lone).message).toBe('Request body is not valid UTF-16LE at byte offset 12 (the zero bytes among its first four say UTF-16LE)');
    expect(rejection(join(BOM_16BE, utf16be('{}'), [0x00])).message).toContain('not valid UTF-16BE at byte offset 6 (its byte order mark says UTF-16BE)');
  });

  it('refuses UTF-32 code points above U+10FFFF, surrogates and a partial last unit', () => {
    expect(rejection(join(utf32('{"a":"', true), [0x00, 0x11, 0x00, 0x00], utf32('"}', true))).message).toContain('not valid UTF-32BE at byte offset 24');
    expect(rejection(join(utf32('{"a":"', false), [0x00, 0xd8, 0x00, 0x00], utf32('"}', false))).message).toContain('not valid UTF-32LE at byte offset 24');
    expect(rejection(join(BOM_32LE, utf32('{}', false), [0x20])).message).toContain('not valid UTF-32LE at byte offset 12');
  });

  it('refuses a non-ASCII byte in a declared US-ASCII body', () => {
    const bytes = new Uint8Array(Buffer.from('{"doc":"café"}', 'latin1'));
    expect(rejection(bytes, 'application/json; charset=us-ascii').message).toBe(
      'Request body is not valid US-ASCII at byte offset 11 (the Content-Type says charset=us-ascii)',
    );
  });

  it('refuses UCS-4 in the unusual byte orders Jackson refuses', () => {
    expect(rejection(new Uint8Array([0x00, 0x7b, 0x00, 0x00])).message).toContain('unusual byte order');
    expect(rejection(new Uint8Array([0x00, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x7b, 0x00])).message).toContain('unusual byte order');
  });

  it('reads an empty body as empty text', () => {
    expect(decodeBody(new Uint8Array(0), undefined)).toBe('');
  });

  it('decodes a UTF-32 body longer than one batch of code points', () => {
    const long = `"${'é🎉'.repeat(10_000)}"`;
    expect(decodeBody(utf32(long, true), undefined)).toBe(long);
  });
});
