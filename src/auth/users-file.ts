// The users file (YAML) for HTTP Basic: name → scrypt hash, groups. It is re-read when it changes on disk (checked
// on each Basic attempt: one stat), so adding a user or rotating a password needs no restart.
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { stat, readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { DECOY_HASH, isPasswordHash, verifyPassword } from './secrets.js';

export interface UserEntry {
  password: string;
  groups: string[];
  actsForOthers: boolean;
}

/** A users file that does not hold what it must: the message names the file and the entry. */
export class UsersFileError extends Error {}

export function parseUsers(text: string, where: string): Map<string, UserEntry> {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new UsersFileError(`${where} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  const users = (doc as { users?: unknown } | null)?.users;
  if (users === undefined || users === null) return new Map();
  if (typeof users !== 'object' || Array.isArray(users)) throw new UsersFileError(`${where}: "users" must map each user name to its entry`);
  const out = new Map<string, UserEntry>();
  for (const [name, raw] of Object.entries(users as Record<string, unknown>)) {
    const entry = (raw ?? {}) as { password?: unknown; groups?: unknown; actsForOthers?: unknown };
    // The value is never repeated: it may be a plaintext password someone put there by mistake.
    if (typeof entry.password !== 'string' || !isPasswordHash(entry.password)) {
      throw new UsersFileError(`${where}: user '${name}' needs "password" set to a scrypt hash (make one with: accord hash-password); plaintext is refused`);
    }
    const groups = entry.groups ?? [];
    if (!Array.isArray(groups) || !groups.every((g) => typeof g === 'string')) throw new UsersFileError(`${where}: user '${name}': "groups" must be a list of names`);
    out.set(name, { password: entry.password, groups, actsForOthers: entry.actsForOthers === true });
  }
  return out;
}

/** Successful checks remembered per file version, so a client sending Basic on every request pays scrypt once. */
const CACHE_LIMIT = 10_000;

export class UsersFile {
  private users: Map<string, UserEntry>;
  private version: string;
  private verified = new Map<string, string>();
  private checking: Promise<void> | undefined;
  /** The last problem reported, so a file that stays broken or missing is reported once, not on every request. */
  private problem: string | undefined;

  /** Reads the file now: a start-up with a broken users file fails (UsersFileError). */
  constructor(
    readonly path: string,
    private readonly onReloadFailure: (message: string) => void = () => {},
  ) {
    this.version = versionOf(statSync(path));
    this.users = parseUsers(readFileSync(path, 'utf8'), path);
  }

  /** The user whose password this is; undefined for an unknown user or a wrong password alike. */
  async authenticate(name: string, password: string): Promise<(UserEntry & { name: string }) | undefined> {
    await this.refresh();
    const entry = this.users.get(name);
    const key = createHash('sha256').update(`${name}\0${password}`).digest('base64');
    if (entry && this.verified.get(key) === entry.password) return { name, ...entry };
    const ok = await verifyPassword(password, entry?.password ?? DECOY_HASH);
    if (!entry || !ok) return undefined;
    if (this.verified.size >= CACHE_LIMIT) this.verified.clear();
    this.verified.set(key, entry.password);
    return { name, ...entry };
  }

  /** Re-reads the file if it changed; a file that no longer parses keeps the last good users (and is reported). */
  private refresh(): Promise<void> {
    this.checking ??= (async () => {
      try {
        const now = versionOf(await stat(this.path));
        if (now === this.version) return;
        const text = await readFile(this.path, 'utf8');
        try {
          this.users = parseUsers(text, this.path);
          this.verified = new Map();
          this.problem = undefined;
        } catch (err) {
          this.report(`${(err as Error).message}; keeping the users read before`);
        }
        this.version = now;
      } catch (err) {
        this.report(`cannot read the users file ${this.path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); keeping the users read before`);
      } finally {
        this.checking = undefined;
      }
    })();
    return this.checking;
  }

  private report(problem: string): void {
    if (problem !== this.problem) this.onReloadFailure(problem);
    this.problem = problem;
  }
}

const versionOf = (s: { mtimeMs: number; size: number; ino: number; ctimeMs: number }) => `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
