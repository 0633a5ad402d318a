// Stored secrets: passwords as scrypt hashes (node:crypto), machine tokens as SHA-256 digests. Nothing here keeps a
// plaintext, and every comparison is constant-time.
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const scrypt = (password: string, salt: Buffer, length: number, options: ScryptOptions) =>
  new Promise<Buffer>((resolve, reject) => scryptCallback(password, salt, length, options, (err, key) => (err ? reject(err) : resolve(key))));

/** Cost 2^15 (32 MiB, tens of milliseconds): OWASP's floor for scrypt. Verified answers are cached (users-file.ts). */
const DEFAULT_COST = 15;
const KEY_LENGTH = 32;
/** Hash format: `scrypt$<log2 N>$<r>$<p>$<salt, base64>$<key, base64>`. */
const FORMAT = /^scrypt\$(\d{1,2})\$(\d{1,2})\$(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/;

const maxmem = (cost: number, r: number) => 256 * r * 2 ** cost;

export async function hashPassword(password: string, cost = DEFAULT_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEY_LENGTH, { N: 2 ** cost, r: 8, p: 1, maxmem: maxmem(cost, 8) });
  return `scrypt$${cost}$8$1$${salt.toString('base64')}$${key.toString('base64')}`;
}

/** Whether a stored value is a hash this module can verify (a plaintext in a users file is refused at load). */
export const isPasswordHash = (value: string): boolean => {
  const m = FORMAT.exec(value);
  return m !== null && Number(m[1]) >= 10 && Number(m[1]) <= 22 && Number(m[2]) >= 1 && Number(m[3]) >= 1;
};

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  const m = FORMAT.exec(hash);
  if (!m) return false;
  const [cost, r, p] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const expected = Buffer.from(m[5]!, 'base64');
  const key = await scrypt(password, Buffer.from(m[4]!, 'base64'), expected.length, { N: 2 ** cost, r, p, maxmem: maxmem(cost, r) });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/**
 * Checked when the user is unknown, so an unknown name costs what a wrong password costs. Its cost matches the
 * default; a users file hashed at another cost shows the difference only to a stopwatch finer than scrypt's spread.
 */
export const DECOY_HASH = `scrypt$${DEFAULT_COST}$8$1$${Buffer.alloc(16).toString('base64')}$${Buffer.alloc(KEY_LENGTH).toString('base64')}`;

/**
 * A machine token's stored form. Tokens are 256 random bits, so one SHA-256 round is enough (there is no dictionary
 * to guess from) and checking one costs nothing per request.
 */
export const tokenDigest = (token: string): string => `sha256:${createHash('sha256').update(token, 'utf8').digest('hex')}`;

export const isTokenDigest = (value: string): boolean => /^sha256:[0-9a-f]{64}$/.test(value);

/** A fresh token: a recognisable prefix (secret scanners look for one) and 256 random bits. */
export const newToken = (): string => `accord_${randomBytes(32).toString('base64url')}`;

export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
