// The few registry calls the CLI makes. An unreachable registry is a ConnectionError: exit 2, never a silent pass.
import type { GovernanceFinding } from '../governance/rule.js';
import type { IncompatibilityView } from '../registry/views.js';
import type { Contract } from './contracts.js';

export class ConnectionError extends Error {}

export interface ApiError {
  error_code: number;
  message: string;
}

export interface DryRun {
  is_compatible: boolean;
  incompatibilities: IncompatibilityView[];
  findings: GovernanceFinding[];
}

const JSON_TYPE = 'application/vnd.schemaregistry.v1+json';

export class RegistryClient {
  private readonly base: string;

  constructor(url: string) {
    this.base = url.replace(/\/+$/, '');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T | ApiError> {
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, {
        method,
        headers: { 'content-type': JSON_TYPE, accept: JSON_TYPE, 'x-accord-actor': 'accord-cli' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (err) {
      throw new ConnectionError(`Cannot reach the registry at ${this.base}: ${(err as Error).cause instanceof Error ? ((err as Error).cause as Error).message : (err as Error).message}`);
    }
    const text = await res.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ConnectionError(`The registry at ${this.base} answered ${res.status} with a body that is not JSON`);
    }
    if (res.status >= 500) throw new ConnectionError(`The registry at ${this.base} failed: ${res.status} ${(json as ApiError).message ?? text}`);
    if (res.status === 404 && (json as ApiError).error_code === 404) {
      throw new ConnectionError(`${this.base} does not look like an Accord registry (no ${path})`);
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

  dryRun(contract: Contract): Promise<DryRun | ApiError> {
    const body = { ...RegistryClient.body(contract), ...(contract.catalog ? { catalog: contract.catalog } : {}) };
    return this.call('POST', `/governance/subjects/${encodeURIComponent(contract.subject)}/check`, body);
  }

  register(contract: Contract): Promise<{ id: number; version: number; warnings?: GovernanceFinding[] } | ApiError> {
    return this.call('POST', `/subjects/${encodeURIComponent(contract.subject)}/versions`, RegistryClient.body(contract));
  }

  putCatalog(subject: string, entry: Record<string, unknown>): Promise<Record<string, unknown> | ApiError> {
    return this.call('PUT', `/catalog/subjects/${encodeURIComponent(subject)}`, entry);
  }
}

export const isApiError = (v: unknown): v is ApiError => typeof v === 'object' && v !== null && 'error_code' in v;
