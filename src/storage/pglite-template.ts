// The PGlite template: a new, migrated database as a tar file, made once per install (by `npm run build`, which runs
// on install, or on first use) and copied into every new data directory and every `memory://` database. Creating a
// PGlite database from nothing runs initdb, 5 s on an idle 2-core machine and 25–35 s on a loaded one.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { projectFile } from '../paths.js';

const PREFIX = 'pglite-template-';

/** Fingerprints by migrations folder: neither the migrations nor PGlite change while a process runs. */
const fingerprints = new Map<string, string>();

/**
 * What the template depends on: PGlite's version (its on-disk format) and every migration. A change to either names
 * a new template, so a stale one is never used. Computed once per process (a start asks up to four times).
 */
export function templateFingerprint(migrationsFolder: string): string {
  let fingerprint = fingerprints.get(migrationsFolder);
  if (fingerprint === undefined) fingerprints.set(migrationsFolder, (fingerprint = computeFingerprint(migrationsFolder)));
  return fingerprint;
}

function computeFingerprint(migrationsFolder: string): string {
  const hash = createHash('sha256');
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pglite = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  hash.update(`pglite ${pglite.version}\n`);
  for (const name of readdirSync(migrationsFolder, { recursive: true, encoding: 'utf8' }).sort()) {
    const path = join(migrationsFolder, name);
    if (name.endsWith('.sql') || name.endsWith('.json')) hash.update(`${name}\n`).update(readFileSync(path));
  }
  return hash.digest('hex').slice(0, 16);
}

/** Where templates live: dist/ of the install, or the system's temporary directory when the install is read-only. */
function templateDirs(): string[] {
  return [projectFile('dist'), join(tmpdir(), 'accord')];
}

/** The template's path if it has been made. */
export function findTemplate(migrationsFolder: string): string | undefined {
  const name = `${PREFIX}${templateFingerprint(migrationsFolder)}.tar`;
  return templateDirs()
    .map((dir) => join(dir, name))
    .find((path) => existsSync(path));
}

/**
 * The template's path, made first (in a child process, a few seconds) when no template exists for this fingerprint.
 * Older templates in the same folder are removed.
 */
export async function ensureTemplate(migrationsFolder: string): Promise<string> {
  const found = findTemplate(migrationsFolder);
  if (found) return found;
  const name = `${PREFIX}${templateFingerprint(migrationsFolder)}.tar`;
  let lastError: unknown;
  for (const dir of templateDirs()) {
    try {
      mkdirSync(dir, { recursive: true });
      const path = join(dir, name);
      await promisify(execFile)(process.execPath, [projectFile('src', 'storage', 'pglite-template.mjs'), migrationsFolder, path], { timeout: 300_000 });
      // Older templates go, but only in this install's own folder: the temporary one may serve other installs.
      if (dir === templateDirs()[0]) {
        for (const old of readdirSync(dir)) {
          if (old.startsWith(PREFIX) && old !== name && old.endsWith('.tar')) rmSync(join(dir, old), { force: true });
        }
      }
      return path;
    } catch (err) {
      lastError = err;
    }
  }
  // The child's own last words say why (no space left, say); the error's message only names the command.
  const stderr = String((lastError as { stderr?: unknown }).stderr ?? '').trim().split('\n').at(-1);
  throw new Error(`could not make the PGlite template in ${templateDirs().join(' or ')}: ${stderr || (lastError as Error).message.split('\n')[0]}`);
}

/**
 * The template's bytes in the form PGlite's `loadDataDir` reads (it only calls `arrayBuffer()`): handing it the file's
 * own buffer saves the copies a Blob makes, about a third of a second.
 */
export function templateForPglite(path: string): Blob {
  const bytes = readFileSync(path);
  const whole = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
  const buffer = whole ? bytes.buffer : bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  return { arrayBuffer: async () => buffer } as unknown as Blob;
}

/**
 * Writes the template's files into `dataDir` (new and empty): a plain copy on the file system, several times faster
 * than PGlite's own loader. The tar is the ustar PGlite writes: 512-byte headers, regular files and directories.
 */
export function extractTemplate(path: string, dataDir: string): void {
  const tar = readFileSync(path);
  const root = resolve(dataDir);
  let version: { target: string; bytes: Buffer } | undefined;
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, length: number) => header.toString('latin1', from, from + length).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = (prefix ? `${prefix}/` : '') + field(0, 100);
    const size = parseInt(field(124, 12).trim() || '0', 8);
    if (!Number.isSafeInteger(size) || size < 0 || at + 512 + size > tar.length) throw new Error(`the template ${path} is cut short or damaged`);
    const type = field(156, 1) || '0';
    const target = resolve(root, `.${sep}${name.replace(/^\/+/, '')}`);
    if (target !== root && !target.startsWith(root + sep)) throw new Error(`template entry '${name}' lies outside the data directory`);
    if (type === '5') mkdirSync(target, { recursive: true });
    else if (type === '0') {
      const bytes = tar.subarray(at + 512, at + 512 + size);
      mkdirSync(dirname(target), { recursive: true });
      // PG_VERSION marks a directory as a database: written last, so a copy cut short is not taken for one.
      if (target === join(root, 'PG_VERSION')) version = { target, bytes };
      else writeFileSync(target, bytes, { mode: 0o600 });
    } else throw new Error(`template entry '${name}' has tar type '${type}', which Accord does not write`);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  if (!version) throw new Error(`the template ${path} holds no PG_VERSION`);
  writeFileSync(version.target, version.bytes, { mode: 0o600 });
}
