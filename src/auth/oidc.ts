// OIDC bearer tokens (JWTs) verified with `jose` against the issuer's JWKS: signature, issuer, audience, expiry
// within a bounded clock skew. Keys are cached; a token signed with a key id the cache does not hold triggers one
// refetch (at most once per cooldown), which is how a key rotation at the issuer reaches Accord.
import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import type { Principal } from './policy.js';

export interface OidcSettings {
  issuer: string;
  /** One or more accepted `aud` values. */
  audience: string[];
  /** The JWKS URL; when absent, read from the issuer's `/.well-known/openid-configuration`. */
  jwksUri?: string | undefined;
  /** Dotted path to the roles or groups claim: `groups`, `realm_access.roles`, `resource_access.accord.roles`. */
  rolesClaim: string;
  /** The claim naming the principal (the audit log's actor): `preferred_username` by default, else `sub`. */
  usernameClaim: string;
  clockSkewSeconds: number;
  /** Least time between two JWKS fetches caused by unknown key ids (jose's cooldown). */
  jwksCooldownSeconds: number;
  /** Roles or groups whose holders may record another actor with X-Accord-Actor. */
  actsForOthers: string[];
}

/** Why a token was refused, for the log (never the token, never a claim value). */
export class TokenRejected extends Error {}

const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];

export class OidcVerifier {
  private jwks: ReturnType<typeof createRemoteJWKSet> | undefined;
  private discovering: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined;

  constructor(readonly settings: OidcSettings) {}

  async verify(token: string): Promise<Principal> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, await this.keys(), {
        issuer: this.settings.issuer,
        audience: this.settings.audience,
        clockTolerance: this.settings.clockSkewSeconds,
        algorithms: ALGORITHMS,
        requiredClaims: ['exp'],
      }));
    } catch (err) {
      if (err instanceof TokenRejected) throw err;
      const code = err instanceof joseErrors.JOSEError ? err.code : 'ERR_UNEXPECTED';
      throw new TokenRejected(code);
    }
    const name = stringClaim(payload, this.settings.usernameClaim) ?? payload.sub;
    if (!name) throw new TokenRejected(`no ${this.settings.usernameClaim} or sub claim`);
    const groups = listClaim(payload, this.settings.rolesClaim);
    return { kind: 'oidc', name, groups, actsForOthers: groups.some((g) => this.settings.actsForOthers.includes(g)) };
  }

  private keys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (this.jwks) return Promise.resolve(this.jwks);
    const options = { cooldownDuration: this.settings.jwksCooldownSeconds * 1000, timeoutDuration: 10_000 };
    if (this.settings.jwksUri) return Promise.resolve((this.jwks = createRemoteJWKSet(new URL(this.settings.jwksUri), options)));
    // Discovery once; a failed discovery is retried by the next token.
    this.discovering ??= discover(this.settings.issuer)
      .then((uri) => (this.jwks = createRemoteJWKSet(new URL(uri), options)))
      .finally(() => (this.discovering = undefined));
    return this.discovering;
  }
}

async function discover(issuer: string): Promise<string> {
  const url = `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
  let jwksUri: unknown;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    jwksUri = res.ok ? ((await res.json()) as { jwks_uri?: unknown }).jwks_uri : undefined;
  } catch {
    jwksUri = undefined;
  }
  if (typeof jwksUri !== 'string') throw new TokenRejected('OIDC discovery failed (no jwks_uri); set oidc.jwksUri');
  return jwksUri;
}

function claimAt(payload: JWTPayload, path: string): unknown {
  // A claim whose own name holds dots (some issuers use URLs as claim names) is found before the dotted walk.
  if (path in payload) return payload[path];
  let value: unknown = payload;
  for (const key of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
  return value;
}

function stringClaim(payload: JWTPayload, path: string): string | undefined {
  const value = claimAt(payload, path);
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A list claim, or a space-separated string (as `scope` is). */
function listClaim(payload: JWTPayload, path: string): string[] {
  const value = claimAt(payload, path);
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (typeof value === 'string') return value.split(/\s+/).filter(Boolean);
  return [];
}
