// Who is calling: an Authorization header (Basic against the users file or a machine token, Bearer with a machine
// token or an OIDC JWT) becomes a Principal. Every refusal looks the same to the client; only the log says why.
import type { OidcVerifier } from './oidc.js';
import { TokenRejected } from './oidc.js';
import type { Principal } from './policy.js';
import { sameDigest, tokenDigest } from './secrets.js';
import type { UsersFile } from './users-file.js';

export interface MachineToken {
  /** Shown in the audit log as `token:NAME`; also the user name when a Basic-only client sends the token. */
  name: string;
  /** `sha256:…` (accord hash-password --token). */
  digest: string;
  groups: string[];
  actsForOthers: boolean;
}

export type Authentication =
  | { kind: 'principal'; principal: Principal }
  | { kind: 'none' }
  /** `scheme` and `reason` are for metrics and the log; neither holds a secret. */
  | { kind: 'refused'; scheme: 'basic' | 'bearer' | 'other'; reason: string };

export interface AuthenticatorParts {
  users?: UsersFile | undefined;
  tokens: MachineToken[];
  oidc?: OidcVerifier | undefined;
}

/** Longest Authorization value looked at: larger ones are refused before any decoding. */
const MAX_CREDENTIALS = 16 * 1024;

export class Authenticator {
  private readonly byDigest: Map<string, MachineToken>;
  private readonly byName: Map<string, MachineToken>;

  constructor(private readonly parts: AuthenticatorParts) {
    this.byDigest = new Map(parts.tokens.map((t) => [t.digest, t]));
    this.byName = new Map(parts.tokens.map((t) => [t.name, t]));
  }

  /** The schemes this server accepts, for WWW-Authenticate. */
  get schemes(): ('Basic' | 'Bearer')[] {
    const out: ('Basic' | 'Bearer')[] = [];
    if (this.parts.users || this.parts.tokens.length) out.push('Basic');
    if (this.parts.tokens.length || this.parts.oidc) out.push('Bearer');
    return out.length ? out : ['Basic'];
  }

  async authenticate(authorization: string | undefined): Promise<Authentication> {
    if (authorization === undefined || authorization.trim() === '') return { kind: 'none' };
    if (authorization.length > MAX_CREDENTIALS) return { kind: 'refused', scheme: 'other', reason: 'credentials too long' };
    const space = authorization.indexOf(' ');
    const scheme = (space === -1 ? authorization : authorization.slice(0, space)).toLowerCase();
    const value = space === -1 ? '' : authorization.slice(space + 1).trim();
    if (scheme === 'basic') return this.basic(value);
    if (scheme === 'bearer') return this.bearer(value);
    return { kind: 'refused', scheme: 'other', reason: 'unsupported authorization scheme' };
  }

  private async basic(value: string): Promise<Authentication> {
    const refused = (reason: string): Authentication => ({ kind: 'refused', scheme: 'basic', reason });
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon <= 0) return refused('malformed basic credentials');
    const name = decoded.slice(0, colon);
    const password = decoded.slice(colon + 1);
    // Clients that speak only Basic (kafkajs's schema registry client) send a machine token as name:token.
    const token = this.byName.get(name);
    if (token) {
      return sameDigest(tokenDigest(password), token.digest) ? { kind: 'principal', principal: tokenPrincipal(token) } : refused('bad credentials');
    }
    const user = await this.parts.users?.authenticate(name, password);
    if (!user) return refused('bad credentials');
    return { kind: 'principal', principal: { kind: 'user', name, groups: user.groups, actsForOthers: user.actsForOthers } };
  }

  private async bearer(value: string): Promise<Authentication> {
    const refused = (reason: string): Authentication => ({ kind: 'refused', scheme: 'bearer', reason });
    if (value === '') return refused('empty bearer token');
    const token = this.byDigest.get(tokenDigest(value));
    if (token) return { kind: 'principal', principal: tokenPrincipal(token) };
    if (!this.parts.oidc || value.split('.').length !== 3) return refused('unknown token');
    try {
      return { kind: 'principal', principal: await this.parts.oidc.verify(value) };
    } catch (err) {
      if (err instanceof TokenRejected) return refused(err.message);
      throw err;
    }
  }
}

const tokenPrincipal = (t: MachineToken): Principal => ({ kind: 'token', name: t.name, groups: t.groups, actsForOthers: t.actsForOthers });
