// One process per PGlite data directory. PGlite has no postmaster.pid of its own: two processes on one directory both
// start, both hand out the same ids, and one's writes are lost. The lock is a file in the directory naming its holder;
// a holder that died (kill -9, a crash) leaves it behind, and the next start sees that and takes the directory over.
import { closeSync, linkSync, openSync, readFileSync, readlinkSync, realpathSync, statSync, unlinkSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { StartupError } from '../errors.js';

export const LOCK_FILE = 'accord.lock';
/** The holder touches the file this often, so a lock whose holder cannot be asked can be judged by its age. */
const HEARTBEAT_MS = 10_000;
/** A lock whose holder cannot be asked (another host, container or boot), not touched for this long, is left over. */
const STALE_AFTER_MS = 60_000;
/** A lock file that cannot be read yet is being written, unless it is older than this. */
const UNREADABLE_GRACE_MS = 5_000;

interface Holder {
  pid: number;
  host: string;
  since: string;
  /** The kernel's boot id and this process's pid namespace (Linux): a pid means something only within both. */
  boot?: string;
  pidNamespace?: string;
}

/** The directory is held by another process: the message names it, and what to do. */
export class DataDirectoryInUse extends StartupError {
  constructor(
    readonly dir: string,
    readonly holder: Holder | undefined,
  ) {
    const who = !holder
      ? 'another process (its lock file is being written)'
      : holder.host === hostname()
        ? `process ${holder.pid} (since ${holder.since})`
        : `process ${holder.pid} on host ${holder.host} (since ${holder.since})`;
    super(`the data directory ${dir} is in use by ${who}; stop that process, or set ACCORD_DATA_DIR (--data-dir) to another directory`);
  }
}

/** Directories this process holds, by real path: a second open here is refused too (it would corrupt them as well). */
const heldHere = new Set<string>();

export interface DirectoryLock {
  release(): void;
}

/** Takes the directory (which must exist) for this process, or throws DataDirectoryInUse. */
export function lockDataDirectory(dataDir: string): DirectoryLock {
  const dir = realpathSync(dataDir);
  if (heldHere.has(dir)) throw new StartupError(`the data directory ${dir} is already open in this process`);
  const path = join(dir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), ...machineIdentity() };
  // The lock is written whole beside its place and linked into it: it appears complete, or not at all (link fails
  // when the name exists, as an exclusive create does).
  const draft = `${path}.${process.pid}.draft`;
  writeFileSync(draft, `${JSON.stringify(me)}\n`, { mode: 0o600 });
  try {
    if (!place(draft, path)) takeOver(dir, path, draft);
  } finally {
    unlinkSync(draft);
  }
  heldHere.add(dir);
  const heartbeat = setInterval(() => {
    try {
      const now = new Date();
      utimesSync(path, now, now);
    } catch {
      // The directory went away; the process will find out from the database.
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();
  return {
    release() {
      clearInterval(heartbeat);
      heldHere.delete(dir);
      const { holder } = readLock(path);
      if (holder?.pid === me.pid && holder.host === me.host && holder.since === me.since) unlinkSync(path);
    },
  };
}

/** Links the finished lock file into place; false if a lock is there already. */
function place(draft: string, path: string): boolean {
  try {
    linkSync(draft, path);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
}

/**
 * A lock is there: refused if its holder lives; otherwise replaced, under a short-lived guard file so that of two
 * processes taking over at once one wins and the other is told the directory is in use.
 */
function takeOver(dir: string, path: string, draft: string): void {
  const found = readLock(path);
  if (isHeld(found)) throw new DataDirectoryInUse(dir, found.holder);
  const guard = `${path}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o600);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process is taking over right now, or died doing so (a guard older than the grace is left over).
    if (ageMs(guard) < UNREADABLE_GRACE_MS) throw new DataDirectoryInUse(dir, readLock(path).holder);
    unlinkSync(guard);
    fd = openSync(guard, 'wx', 0o600);
  }
  try {
    writeSync(fd, String(process.pid));
    const again = readLock(path);
    if (again.text === found.text && again.text !== undefined) unlinkSync(path);
    if (!place(draft, path)) throw new DataDirectoryInUse(dir, readLock(path).holder);
  } finally {
    closeSync(fd);
    unlinkSync(guard);
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return Infinity;
  }
}

function readLock(path: string): { holder: Holder | undefined; text: string | undefined; ageMs: number } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { holder: undefined, text: undefined, ageMs: Infinity };
  }
  const age = ageMs(path);
  try {
    const holder = JSON.parse(text) as Holder;
    return { holder: typeof holder.pid === 'number' && typeof holder.host === 'string' ? holder : undefined, text, ageMs: age };
  } catch {
    return { holder: undefined, text, ageMs: age };
  }
}

/** This machine's boot and this process's pid namespace, where Linux tells them. */
function machineIdentity(): Pick<Holder, 'boot' | 'pidNamespace'> {
  const identity: Pick<Holder, 'boot' | 'pidNamespace'> = {};
  try {
    identity.boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    identity.pidNamespace = readlinkSync('/proc/self/ns/pid');
  } catch {
    // Not Linux: the host name and the pid decide.
  }
  return identity;
}

/**
 * Whether the lock's holder may still be running. Its pid can be asked only on this host, in this boot and this pid
 * namespace (containers sharing a volume and a host name have pids of their own); otherwise the heartbeat's age
 * decides. This process's own pid in the file means a previous life of a container restarted under the same pid:
 * locks held by this process are in `heldHere`. An unreadable lock is being written, unless it is old.
 */
function isHeld({ holder, ageMs: age }: { holder: Holder | undefined; ageMs: number }): boolean {
  if (!holder) return age < UNREADABLE_GRACE_MS;
  const here = machineIdentity();
  // A lock without boot and namespace comes from a system that does not tell them (or an older Accord): host and pid.
  const askable = holder.host === hostname() && (holder.boot === undefined || (holder.boot === here.boot && holder.pidNamespace === here.pidNamespace));
  if (!askable) return age < STALE_AFTER_MS;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
