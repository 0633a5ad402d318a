// The ownership catalog: who owns each event, in which domain, who produces and consumes it, what is sensitive.
import { errors } from '../errors.js';
import type { CatalogFacts } from './rule.js';

export const LIFECYCLES = ['draft', 'active', 'deprecated'] as const;
export type Lifecycle = (typeof LIFECYCLES)[number];

export interface CatalogEntry {
  owner?: string;
  domain?: string;
  description?: string;
  producers: string[];
  consumers: string[];
  tags: string[];
  /** Field names (`email`) or type-qualified names (`Customer.email`) holding personal data. */
  sensitive: string[];
  lifecycle: Lifecycle;
  /** ISO date after which a deprecated event is no longer produced. */
  sunset?: string;
  contact?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The longest owner or domain, in characters: both are indexed, and 500 characters (2,000 bytes at most) keep an index
 * row below PostgreSQL's btree limit (2,704 bytes), as for subject names.
 */
export const MAX_INDEXED_LENGTH = 500;

function text(body: Record<string, unknown>, key: string): string | undefined {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw errors.unprocessableBody(`"${key}" must be a string`);
  return v;
}

function indexedText(body: Record<string, unknown>, key: string): string | undefined {
  const v = text(body, key);
  if (v !== undefined && v.length > MAX_INDEXED_LENGTH && [...v].length > MAX_INDEXED_LENGTH) {
    throw errors.unprocessableBody(`"${key}" is at most ${MAX_INDEXED_LENGTH} characters long`);
  }
  return v;
}

function list(body: Record<string, unknown>, key: string): string[] {
  const v = body[key];
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) throw errors.unprocessableBody(`"${key}" must be an array of strings`);
  return v as string[];
}

/** Validates a catalog entry body. A deprecated event needs a sunset date. */
export function parseCatalogEntry(body: unknown): CatalogEntry {
  if (!isObject(body)) throw errors.malformedBody('The request body must be a JSON object');
  const lifecycle = (text(body, 'lifecycle') ?? 'active') as Lifecycle;
  if (!LIFECYCLES.includes(lifecycle)) throw errors.unprocessableBody('"lifecycle" must be draft, active or deprecated');
  const sunset = text(body, 'sunset');
  if (sunset !== undefined && (!/^\d{4}-\d{2}-\d{2}/.test(sunset) || Number.isNaN(Date.parse(sunset)))) throw errors.unprocessableBody('"sunset" must be a date (YYYY-MM-DD)');
  if (lifecycle === 'deprecated' && sunset === undefined) throw errors.unprocessableBody('A deprecated event needs a "sunset" date');
  const entry: CatalogEntry = {
    producers: list(body, 'producers'),
    consumers: list(body, 'consumers'),
    tags: list(body, 'tags'),
    sensitive: list(body, 'sensitive'),
    lifecycle,
  };
  for (const key of ['owner', 'domain', 'description', 'contact'] as const) {
    const value = key === 'owner' || key === 'domain' ? indexedText(body, key) : text(body, key);
    if (value !== undefined) entry[key] = value;
  }
  if (sunset !== undefined) entry.sunset = sunset;
  return entry;
}

export function catalogFacts(entry: Record<string, unknown> | undefined): CatalogFacts | undefined {
  if (!entry) return undefined;
  const e = entry as Partial<CatalogEntry>;
  return { ...(e.owner ? { owner: e.owner } : {}), ...(e.domain ? { domain: e.domain } : {}), sensitive: e.sensitive ?? [] };
}
