// The registry calls the CLI makes. An unreachable registry, refused credentials or an answer that is not the
// Schema Registry API is a ConnectionError: exit 2, never a silent pass. Errors name the URL without credentials.
import type { GovernanceFinding } from '../governance/rule.js';
import type { IncompatibilityView } from '../registry/views.js';
import type { Contract } from './contracts.js';
import { ConnectionError, ForbiddenError, MissingRouteError } from './errors.js';
import { CREDENTIAL_ENV, registryTarget, type RegistryTarget } from './registry-target.js';

export interface ApiError {
  error_code: number;
  message: string;
  /** Accord adds these to a 409 (incompatible) and a governance 42201. */
  incompatibilities?: IncompatibilityView[];
  findings?: GovernanceFinding[];
}

/** `POST /compatibility/...?verbose=true`: Confluent's strings, and Accord's structured list beside them. */
export interface Verdict {
  is_compatible: boolean;
  messages?: string[];
  incompatibilities?: IncompatibilityView[];
}

/** Accord's `POST /governance/subjects/{s}/check`. */
export interface DryRun {
  is_compatible: boolean;
  incompatibilities: IncompatibilityView[];
  findings: GovernanceFinding[];
}

export interface Registered {
  subject?: string;
  id: number;
  version: number;
  warnings?: GovernanceFinding[];
}

const JSON_TYPE = 'application/vnd.schemaregistry.v1+json';

const causeOf = (err: Error) => (err.cause instanceof Error ? err.cause.message : err.message);

export class RegistryClient {
  readonly target: RegistryTarget;

  /** A bare URL string takes credentials only from its userinfo (for library callers and tests). */
  constructor(target: RegistryTarget | string) {
    this.target = typeof target === 'string' ? registryTarget(target, '--registry') : target;
  }

  /** The registry's URL as printed: never with credentials. */
  get url(): string {
    return this.target.url;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T | ApiError> {
    const { url, source, authorization } = this.target;
    const names = this.target.credentialEnv ?? CREDENTIAL_ENV;
    let res: Response;
    try {
      res = await fetch(`${url}${path}`, {
        method,
        headers: {
          accept: JSON_TYPE,
          'x-accord-actor': 'accord-cli',
          ...(body === undefined ? {} : { 'content-type': JSON_TYPE }),
          ...(authorization ? { authorization } : {}),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new ConnectionError(`cannot reach the registry at ${url} (check ${source}): ${causeOf(err as Error)}`);
    }
    if (res.status === 403) {
      // Signed in, but without the permission: the registry's 40301 says who lacks which permission on what.
      const refusal = await res.json().catch(() => undefined) as Partial<ApiError> | undefined;
      if (refusal && typeof refusal.message === 'string') {
        const code = typeof refusal.error_code === 'number' ? refusal.error_code : 40301;
        throw new ForbiddenError(
          `the registry at ${url} refused ${method} ${path.replace(/\?.*/, '')}: ${oneLine(refusal.message)} (HTTP 403, error ${code}); the credentials were accepted, but lack that permission`,
          code,
          oneLine(refusal.message),
        );
      }
    }
    if (res.status === 401 || res.status === 403) {
      await res.body?.cancel().catch(() => {});
      throw new ConnectionError(
        authorization
          ? `the registry at ${url} refused the credentials (HTTP ${res.status}); check ${names.user}/${names.password}, ${names.token} or the URL's user:password`
          : `the registry at ${url} needs credentials (HTTP ${res.status}); set ${names.token}, or ${names.user} and ${names.password}`,
      );
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ConnectionError(`the registry at ${url} answered ${res.status} with a body that is not JSON; is ${source} the registry's base URL?`);
    }
    if (res.status >= 500) {
      throw new ConnectionError(`the registry at ${url} failed: ${res.status} ${oneLine((json as Partial<ApiError>).message ?? text)}`);
    }
    if (res.status === 404 && (json as Partial<ApiError>).error_code === 404) {
      throw new MissingRouteError(`the registry at ${url} has no ${method} ${path.replace(/\?.*/, '')}; is ${source} the registry's base URL?`, path);
    }
    return json as T | ApiError;
  }

  private static body(contract: Contract) {
    return {
      schema: contract.schema,
      ...(contract.schemaType !== 'AVRO' ? { schemaType: contract.schemaType } : {}),
      ...(contract.references.length
        ? { references: contract.references.map((r) => ({ name: r.name, subject: r.subject, version: r.version === 'latest' ? -1 : r.version })) }
        : {}),
    };
  }

  private static subject(subject: string) {
    return encodeURIComponent(subject);
  }

  get<T>(path: string): Promise<T | ApiError> {
    return this.call('GET', path);
  }

  /** Any other call of the API (`accord migrate` writes settings and deletes through it). */
  send<T>(method: 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T | ApiError> {
    return this.call(method, path, body);
  }

  /** Accord only: compatibility and governance findings, without registering. */
  dryRun(contract: Contract): Promise<DryRun | ApiError> {
    const body = { ...RegistryClient.body(contract), ...(contract.catalog ? { catalog: contract.catalog } : {}) };
    return this.call('POST', `/governance/subjects/${RegistryClient.subject(contract.subject)}/check`, body);
  }

  /** Any Confluent-compatible registry: the schema against the subject's latest version (40401 for a new subject). */
  compatibility(contract: Contract): Promise<Verdict | ApiError> {
    return this.call('POST', `/compatibility/subjects/${RegistryClient.subject(contract.subject)}/versions/latest?verbose=true`, RegistryClient.body(contract));
  }

  /** The version under which the subject already holds this schema (40401 / 40403 when it does not). */
  lookup(contract: Contract): Promise<Registered | ApiError> {
    return this.call('POST', `/subjects/${RegistryClient.subject(contract.subject)}`, RegistryClient.body(contract));
  }

  register(contract: Contract): Promise<Registered | ApiError> {
    return this.call('POST', `/subjects/${RegistryClient.subject(contract.subject)}/versions`, RegistryClient.body(contract));
  }

  catalogEntry(subject: string): Promise<Record<string, unknown> | ApiError> {
    return this.call('GET', `/catalog/subjects/${RegistryClient.subject(subject)}`);
  }

  putCatalog(subject: string, entry: Record<string, unknown>): Promise<Record<string, unknown> | ApiError> {
    return this.call('PUT', `/catalog/subjects/${RegistryClient.subject(subject)}`, entry);
  }

  deleteCatalog(subject: string): Promise<Record<string, unknown> | ApiError> {
    return this.call('DELETE', `/catalog/subjects/${RegistryClient.subject(subject)}`);
  }
}

/** A registry message on one line (some span lines, e.g. a schema quoted in it). */
export const oneLine = (text: string) => text.replace(/\s*\n\s*/g, ' ');

export const isApiError = (v: unknown): v is ApiError => typeof v === 'object' && v !== null && 'error_code' in v;

/** Confluent's codes for "no such subject" and "no such version": the subject is new to the registry. */
export const isNotFound = (v: ApiError) => v.error_code === 40401 || v.error_code === 40402 || v.error_code === 40403;
