// `accord hash-password` and `accord new-token`: the stored forms the auth file wants, made without a plaintext
// ever reaching a file. The password comes on stdin (not an argument, which shell history and `ps` would show).
import { hashPassword, newToken, tokenDigest } from '../auth/secrets.js';
import { UsageError } from './errors.js';

/** The first line of stdin (a trailing newline from `echo` or a terminal is not part of the secret). */
export async function readSecret(stdin: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  const secret = Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
  if (secret === '') throw new UsageError('give the secret on stdin, e.g. printf %s "$PASSWORD" | accord hash-password');
  return secret;
}

/** A users-file hash (scrypt), or with `token` the auth file's digest of an existing token. */
export async function hashSecret(secret: string, token: boolean): Promise<string> {
  return token ? tokenDigest(secret) : hashPassword(secret);
}

/** A new machine token for `name`, and its digest (what the auth file keeps). */
export function newNamedToken(name: string): { token: string; digest: string } {
  if (!/^[\w.@-]{1,100}$/.test(name)) throw new UsageError(`token name '${name}' must be letters, digits, . _ @ - (it names the token in the audit log)`);
  const token = newToken();
  return { token, digest: tokenDigest(token) };
}

/** The auth-file text that admits the token, for a new auth file (appended to one that has `tokens:`, it breaks it). */
export const tokenEntry = (name: string, digest: string): string => `tokens:\n  - name: ${name}\n    digest: ${digest}`;
