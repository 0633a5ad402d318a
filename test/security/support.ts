// Fixtures for the security suites: an OIDC issuer of our own (keys made with jose, a JWKS served over real HTTP
// from this process), a users file with scrypt hashes, machine tokens, and an auth file tying them to roles.
import { createServer, type Server } from 'node:http';
import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { stringify } from 'yaml';
import { hashPassword, newToken, tokenDigest } from '../../src/auth/secrets.js';

type SigningKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];

export interface KeyPair {
  kid: string;
  privateKey: SigningKey;
  jwk: JWK;
}

export async function keyPair(kid: string): Promise<KeyPair> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  return { kid, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' } };
}

/** An issuer: serves its JWKS (the keys can be swapped, as a rotation does) and counts the fetches. */
export class Issuer {
  keys: KeyPair[] = [];
  fetches = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      if (req.url === '/jwks') {
        this.fetches++;
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: this.keys.map((k) => k.jwk) }));
      } else if (req.url === '/.well-known/openid-configuration') {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ issuer: this.url, jwks_uri: `${this.url}/jwks` }));
      } else res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const address = this.server.address() as { port: number };
    this.url = `http://127.0.0.1:${address.port}`;
    return this;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A signed token; `claims` override the defaults (iss this issuer, aud accord, an hour to live). */
  sign(key: KeyPair, claims: Record<string, unknown> = {}, options: { expiresAt?: number; audience?: string } = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: key.kid })
      .setIssuer(this.url)
      .setAudience(options.audience ?? 'accord')
      .setIssuedAt(now - 60)
      .setExpirationTime(options.expiresAt ?? now + 3600)
      .sign(key.privateKey);
  }
}

export const tempDir = () => mkdtempSync(join(tmpdir(), 'accord-auth-'));

/** Writes a file by renaming a finished one over it, as editors and mounted config maps do. */
export function replaceFile(path: string, text: string): void {
  const next = `${path}.${process.pid}.next`;
  writeFileSync(next, text);
  renameSync(next, path);
}

export interface UserSpec {
  password: string;
  groups?: string[];
  actsForOthers?: boolean;
}

/** A users file's text; hashed at a low cost here (the server reads the cost from each hash). */
export async function usersYaml(users: Record<string, UserSpec>): Promise<string> {
  const entries: Record<string, unknown> = {};
  for (const [name, u] of Object.entries(users)) {
    entries[name] = { password: await hashPassword(u.password, 10), ...(u.groups ? { groups: u.groups } : {}), ...(u.actsForOthers ? { actsForOthers: true } : {}) };
  }
  return stringify({ users: entries });
}

export interface TokenSpec {
  name: string;
  token: string;
  groups?: string[];
  actsForOthers?: boolean;
}

export const machineToken = (name: string, extra: Omit<TokenSpec, 'name' | 'token'> = {}): TokenSpec => ({ name, token: newToken(), ...extra });

export const tokenEntries = (tokens: TokenSpec[]) =>
  tokens.map((t) => ({ name: t.name, digest: tokenDigest(t.token), ...(t.groups ? { groups: t.groups } : {}), ...(t.actsForOthers ? { actsForOthers: true } : {}) }));

export const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
export const bearer = (token: string) => `Bearer ${token}`;
