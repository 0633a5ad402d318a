// The SDK's registry client, typed from Accord's OpenAPI contract. Schema ids are immutable, so a schema fetched
// once is cached for ever: once warm, encoding and decoding never call the registry.
import createClient from 'openapi-fetch';
import type { paths } from './api.js';

export interface SchemaById {
  schema: string;
  schemaType?: string;
  references?: { name: string; subject: string; version: number }[];
}

export interface SubjectVersion {
  subject: string;
  version: number;
}

export interface RegistryClientOptions {
  /** Base URL of Accord (or any Confluent-compatible registry). */
  baseUrl: string;
  /** Attempts per call before giving up (first try included). */
  attempts?: number;
  /** Base delay of the jittered exponential backoff, in ms. */
  backoffMs?: number;
  fetch?: typeof fetch;
  /**
   * Credentials sent on every call: HTTP Basic or a bearer token. When absent, read from the environment as the
   * `accord` CLI reads them: ACCORD_REGISTRY_TOKEN, else ACCORD_REGISTRY_USER and ACCORD_REGISTRY_PASSWORD.
   */
  auth?: { username: string; password: string } | { token: string };
}

/** The Authorization header for `auth`, else for the environment's credentials; none when neither gives any. */
export function authorizationHeader(auth: RegistryClientOptions['auth'], env: Record<string, string | undefined> = globalThis.process?.env ?? {}): string | undefined {
  if (auth && 'token' in auth) return `Bearer ${auth.token}`;
  const basic = (user: string, password: string) => `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${password}`)))}`;
  if (auth) return basic(auth.username, auth.password);
  if (env.ACCORD_REGISTRY_TOKEN) return `Bearer ${env.ACCORD_REGISTRY_TOKEN}`;
  if (env.ACCORD_REGISTRY_USER && env.ACCORD_REGISTRY_PASSWORD !== undefined) return basic(env.ACCORD_REGISTRY_USER, env.ACCORD_REGISTRY_PASSWORD);
  return undefined;
}

export class RegistryUnavailableError extends Error {
  override name = 'RegistryUnavailableError';
}

/**
 * Reads schemas from Accord (or any Confluent-compatible registry): by id, and the subjects an id is registered
 * under. It never registers anything, which is why it is not named like Confluent's `SchemaRegistryClient`.
 */
export class RegistryReader {
  private readonly api: ReturnType<typeof createClient<paths>>;
  private readonly byId = new Map<string, SchemaById>();
  private readonly subjectsById = new Map<number, Promise<SubjectVersion[]>>();
  private readonly idsByGuid = new Map<string, Promise<number>>();
  private readonly inFlight = new Map<string, Promise<SchemaById>>();
  private readonly attempts: number;
  private readonly backoffMs: number;
  /** Calls made to the registry (tests and metrics read it). */
  calls = 0;

  constructor(options: RegistryClientOptions) {
    const authorization = authorizationHeader(options.auth);
    this.api = createClient<paths>({
      baseUrl: options.baseUrl.replace(/\/+$/, ''),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(authorization ? { headers: { authorization } } : {}),
    });
    this.attempts = options.attempts ?? 4;
    this.backoffMs = options.backoffMs ?? 100;
  }


  /**
   * The schema of an id, in a rendering (`resolved` inlines Avro references): cached for ever, as ids are
   * immutable; concurrent misses share one request.
   */
  async schemaById(id: number, format?: 'resolved' | 'serialized'): Promise<SchemaById> {
    const key = `${id}/${format ?? ''}`;
    const cached = this.byId.get(key);
    if (cached) return cached;
    const pending = this.inFlight.get(key);
    if (pending) return pending;
    const request = this.fetchSchema(id, format, key).finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, request);
    return request;
  }

  /**
   * The schema id a GUID (Confluent 8: in a `__value_schema_id` header or a magic-byte-1 frame) has in the default
   * context, through `GET /schemas/guids/{guid}/ids`. Cached for ever: a GUID names one schema for good.
   */
  async schemaIdOfGuid(guid: string): Promise<number> {
    const key = guid.toLowerCase();
    let pending = this.idsByGuid.get(key);
    if (!pending) {
      pending = this.withRetries(async () => {
        this.calls++;
        const { data, response } = await this.api.GET('/schemas/guids/{guid}/ids', { params: { path: { guid: key } } });
        if (response.status === 404) return { notFound: `Schema ${key} not found` };
        if (response.status === 401 || response.status === 403) return { notFound: `registry refused the credentials (HTTP ${response.status})` };
        if (!data) throw new RegistryUnavailableError(`registry answered ${response.status}`);
        const ids = data as { context: string; id: number }[];
        const id = (ids.find((e) => e.context === '.') ?? ids[0])?.id;
        return id === undefined ? { notFound: `Schema ${key} not found` } : { id };
      }).then((result) => {
        if ('notFound' in result) throw new Error(result.notFound);
        return result.id;
      });
      this.idsByGuid.set(key, pending);
      pending.catch(() => this.idsByGuid.delete(key));
    }
    return pending;
  }

  /**
   * The subjects and versions a schema id is registered under (`GET /schemas/ids/{id}/versions`); none for an id the
   * registry does not know. Cached: a consumer asks once per id, however many messages carry it.
   */
  async subjectVersionsOfId(id: number): Promise<SubjectVersion[]> {
    let pending = this.subjectsById.get(id);
    if (!pending) {
      pending = this.withRetries(async () => {
        this.calls++;
        const { data, response } = await this.api.GET('/schemas/ids/{id}/versions', { params: { path: { id } } });
        if (response.status === 404) return [];
        if (!data) throw new RegistryUnavailableError(`registry answered ${response.status}`);
        return data as SubjectVersion[];
      });
      this.subjectsById.set(id, pending);
      // A failure is not an answer: the next message asks again.
      pending.catch(() => this.subjectsById.delete(id));
    }
    return pending;
  }

  private async fetchSchema(id: number, format: string | undefined, key: string): Promise<SchemaById> {
    const result = await this.withRetries(async () => {
      this.calls++;
      const query = format ? { format } : {};
      const { data, error, response } = await this.api.GET('/schemas/ids/{id}', { params: { path: { id }, query } });
      if (response.status === 404) return { notFound: (error as { message?: string } | undefined)?.message ?? `Schema ${id} not found` };
      // Credentials do not get better by retrying.
      if (response.status === 401 || response.status === 403) return { refused: `registry refused the credentials (HTTP ${response.status})` };
      if (!data) throw new RegistryUnavailableError(`registry answered ${response.status}`);
      return { data: data as SchemaById };
    });
    if ('notFound' in result) throw new Error(result.notFound);
    if ('refused' in result) throw new Error(result.refused);
    this.byId.set(key, result.data);
    return result.data;
  }

  /** Retries network failures and 5xx with full-jitter exponential backoff. */
  private async withRetries<T>(work: () => Promise<T>): Promise<T> {
    let lastError: unknown;
    for (let attempt = 0; attempt < this.attempts; attempt++) {
      try {
        return await work();
      } catch (err) {
        lastError = err;
        if (attempt < this.attempts - 1) {
          const delay = Math.random() * this.backoffMs * 2 ** attempt;
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
    }
    throw new RegistryUnavailableError(`registry unreachable after ${this.attempts} attempts: ${(lastError as Error)?.message ?? lastError}`);
  }
}

/**
 * @deprecated Renamed `RegistryReader`: Confluent's `SchemaRegistryClient` also registers schemas, this one only reads.
 * Kept so code written against earlier releases still compiles.
 */
export const SchemaRegistryClient = RegistryReader;
/** @deprecated Renamed `RegistryReader`. */
export type SchemaRegistryClient = RegistryReader;
