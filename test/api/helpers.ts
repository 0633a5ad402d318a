// Shared fixtures for the Confluent conformance suites in test/api: unique names, Avro builders, raw HTTP.
import { request } from 'node:http';
import { client } from '../support/server.js';

export type Client = ReturnType<typeof client>;

let counter = 0;
/** A subject name no other test in this process uses. */
export const uniq = (label: string) => `${label}-${process.pid}-${++counter}`;

/** `encodeURIComponent`, for putting a subject into a path. */
export const enc = encodeURIComponent;

/** An Avro record; fields given as `[name, type]` or full field objects. */
export function record(name: string, fields: (readonly [string, unknown] | Record<string, unknown>)[], extra: Record<string, unknown> = {}) {
  return {
    type: 'record',
    name,
    ...extra,
    fields: fields.map((f) => (Array.isArray(f) ? { name: f[0], type: f[1] } : f)),
  };
}

/** Registers and insists on 200; returns the body (at least `id`). */
export async function mustRegister(api: Client, subject: string, schema: unknown, extra: Record<string, unknown> = {}, query = '') {
  const res = await api.register(subject, schema, extra, query);
  if (res.status !== 200) throw new Error(`register ${subject} failed: ${res.status} ${res.text}`);
  return res.json as { id: number; version?: number; schema?: string };
}

export async function mustOk(res: Promise<{ status: number; text: string; json: any }>) {
  const r = await res;
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status} ${r.text}`);
  return r.json;
}

/** The media type of a response, without parameters. */
export const mediaType = (headers: Headers | Record<string, unknown>) => {
  const raw = headers instanceof Headers ? headers.get('content-type') : (headers['content-type'] as string | undefined);
  return (raw ?? '').split(';')[0]!.trim().toLowerCase();
};

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

/** A request with exactly the given headers (fetch always adds Accept and may add Content-Type). */
export function raw(baseUrl: string, method: string, path: string, headers: Record<string, string>, body?: string): Promise<RawResponse> {
  const url = new URL(path, baseUrl);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, method, path: url.pathname + url.search, headers: { ...headers, ...(body !== undefined ? { 'content-length': Buffer.byteLength(body) } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: any;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json });
        });
      },
    );
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

export const V1_JSON = 'application/vnd.schemaregistry.v1+json';
export const SR_JSON = 'application/vnd.schemaregistry+json';
export const PLAIN_JSON = 'application/json';
