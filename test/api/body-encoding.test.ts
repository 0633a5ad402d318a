// Conformance, reference §1.2: request bodies in UTF-16 or UTF-32 are read as Confluent's Jackson reads them, by
// byte order mark or by the zero bytes of the first character; bytes invalid in their encoding are refused, never
// replaced.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { enc, mustRegister, record, uniq, V1_JSON, type Client } from './helpers.js';

/** Non-ASCII in a doc string: one character of two UTF-8 bytes, one of three, and one outside the BMP. */
const DOC = 'café ☕ 🎉';
const SCHEMA = record('Greeting', [{ name: 'text', type: 'string', doc: DOC }], { namespace: 'enc' });
const BODY = JSON.stringify({ schema: JSON.stringify(SCHEMA) });

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

async function post(baseUrl: string, path: string, body: Uint8Array, contentType = V1_JSON) {
  const res = await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  return { status: res.status, json: (await res.json()) as any };
}

describe.each(backends)('request body encodings ($name)', (backend) => {
  let server: TestServer;
  let api: Client;
  let id: number;
  let text: string;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
    id = (await mustRegister(api, uniq('utf8'), SCHEMA)).id;
    text = (await api.get(`/schemas/ids/${id}/schema`)).text;
  });
  afterAll(() => server.close());

  it('the UTF-8 registration keeps the non-ASCII doc', () => {
    expect(JSON.parse(text).fields[0].doc).toBe(DOC);
  });

  it.each([
    ['UTF-8 with a BOM', join([0xef, 0xbb, 0xbf], utf8(BODY)), V1_JSON],
    ['UTF-16LE with a BOM', join([0xff, 0xfe], utf16le(BODY)), V1_JSON],
    ['UTF-16LE without a BOM', utf16le(BODY), 'application/json'],
    ['UTF-16BE with a BOM', join([0xfe, 0xff], utf16be(BODY)), V1_JSON],
    ['UTF-16BE without a BOM', utf16be(BODY), V1_JSON],
    ['UTF-32LE with a BOM', join([0xff, 0xfe, 0x00, 0x00], utf32(BODY, false)), V1_JSON],
    ['UTF-32LE without a BOM', utf32(BODY, false), V1_JSON],
    ['UTF-32BE with a BOM', join([0x00, 0x00, 0xfe, 0xff], utf32(BODY, true)), V1_JSON],
    ['UTF-32BE without a BOM', utf32(BODY, true), 'application/octet-stream'],
    ['UTF-16 named by charset=utf-16', join([0xfe, 0xff], utf16be(BODY)), `${V1_JSON}; charset=utf-16`],
    ['UTF-16LE named by a quoted charset', utf16le(BODY), `${V1_JSON}; charset="UTF-16LE"`],
    ['UTF-32 named by charset=utf-32', utf32(BODY, true), `${V1_JSON}; charset=UTF-32`],
  ])('%s registers the same schema under the same id', async (_label, bytes, contentType) => {
    const subject = uniq('enc');
    const res = await post(server.url, `/subjects/${enc(subject)}/versions`, bytes, contentType);
    expect(res.status).toBe(200);
    expect(res.json.id).toBe(id);
    expect((await api.get(`/subjects/${enc(subject)}/versions/1/schema`)).text).toBe(text);
  });

  it('lookup and compatibility read UTF-16 bodies too', async () => {
    const subject = uniq('enc');
    await mustRegister(api, subject, SCHEMA);
    const found = await post(server.url, `/subjects/${enc(subject)}`, utf16le(BODY));
    expect(found.status).toBe(200);
    expect(found.json.id).toBe(id);
    const verdict = await post(server.url, `/compatibility/subjects/${enc(subject)}/versions/latest`, utf16be(BODY));
    expect(verdict.status).toBe(200);
    expect(verdict.json.is_compatible).toBe(true);
  });

  it('a body declared ISO-8859-1 is read as Latin-1', async () => {
    const latin = record('Greeting', [{ name: 'text', type: 'string', doc: 'café' }], { namespace: 'enc' });
    const body = JSON.stringify({ schema: JSON.stringify(latin) });
    const expected = await mustRegister(api, uniq('utf8'), latin);
    const res = await post(server.url, `/subjects/${enc(uniq('latin1'))}/versions`, new Uint8Array(Buffer.from(body, 'latin1')), `${V1_JSON}; charset=ISO-8859-1`);
    expect(res.status).toBe(200);
    expect(res.json.id).toBe(expected.id);
  });

  it('invalid UTF-8 → 400/400 naming the byte offset, and nothing is registered', async () => {
    const subject = uniq('invalid');
    const bytes = utf8(BODY);
    const offset = bytes.indexOf(0xc3); // the first byte of "é"
    bytes[offset] = 0xe9; // "é" in Latin-1, sent without saying so
    const res = await post(server.url, `/subjects/${enc(subject)}/versions`, bytes);
    expect(res.status).toBe(400);
    expect(res.json.error_code).toBe(400);
    expect(res.json.message).toMatch(new RegExp(`^Request body is not valid UTF-8 at byte offset ${offset}: `));
    expect((await api.get(`/subjects/${enc(subject)}/versions`)).status).toBe(404);
  });

  it('a lone surrogate in UTF-16 → 400/400', async () => {
    const subject = uniq('invalid');
    const bytes = join([0xff, 0xfe], utf16le('{"schema": "\\"string\\"", "x": "'), [0x00, 0xdc], utf16le('"}'));
    const res = await post(server.url, `/subjects/${enc(subject)}/versions`, bytes);
    expect(res.status).toBe(400);
    expect(res.json.error_code).toBe(400);
    expect(res.json.message).toMatch(/^Request body is not valid UTF-16LE at byte offset \d+ \(its byte order mark says UTF-16LE\)$/);
    expect((await api.get(`/subjects/${enc(subject)}/versions`)).status).toBe(404);
  });
});
