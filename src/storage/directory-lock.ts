// One process per PGlite data directory. PGlite has no postmaster.pid of its own: two processes on one directory both
// start, both hand out the same ids, and one's writes are lost. The lock is a file in the directory naming its holder;
// a holder that died (kill -9, a crash) leaves it behind, and the next start sees that and takes the directory over.
import { closeSync, openSync, readFileSync, unlinkSync, utimesSync, writeSync, statSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { StartupError } from '../config.js';

export const LOCK_FILE = 'accord.lock';
/** The holder touches the file this often, so a lock from another host (a shared volume) can be judged by its age. */
const HEARTBEAT_MS = 10_000;
/** A lock from another host not touched for this long is taken to be left by a holder that is gone. */
const STALE_AFTER_MS = 60_000;

interface Holder {
  pid: number;
  host: string;
  since: string;
}

/** The directory is held by a live process: the message names both, and what to do. */
export class DataDirectoryInUse extends StartupError {
  constructor(
    readonly dir: string,
    readonly holder: Holder,
  ) {
    const where = holder.host === hostname() ? `process ${holder.pid}` : `process ${holder.pid} on host ${holder.host}`;
    super(
      `the data directory ${dir} is in use by ${where} (since ${holder.since}); stop that process, or set ACCORD_DATA_DIR (--data-dir) to another directory`,
    );
  }
}

/** Directories this process holds: a second open here is refused too (PGlite would corrupt it just the same). */
const heldHere = new Set<string>();

export interface DirectoryLock {
  release(): void;
}

/** Takes the directory for this process, or throws DataDirectoryInUse. */
export function lockDataDirectory(dataDir: string): DirectoryLock {
  const dir = resolve(dataDir);
  const path = join(dir, LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  if (heldHere.has(dir)) throw new DataDirectoryInUse(dir, me);
  for (let attempt = 0; ; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600);
      writeSync(fd, `${JSON.stringify(me)}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw err;
    }
    const { holder, text, ageMs } = readLock(path);
    if (holder && isAlive(holder, ageMs)) throw new DataDirectoryInUse(dir, holder);
    // Left by a holder that is gone. Removed only if it is still the file just read, so that of two processes
    // taking over at once, the second does not remove the first one's new lock.
    if (readLock(path).text === text) unlinkSync(path);
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
      try {
        if (readLock(path).holder?.pid === me.pid && readLock(path).holder?.host === me.host) unlinkSync(path);
      } catch {
        // Already gone.
      }
    },
  };
}

function readLock(path: string): { holder: Holder | undefined; text: string; ageMs: number } {
  let text = '';
  let ageMs = 0;
  try {
    text = readFileSync(path, 'utf8');
    ageMs = Date.now() - statSync(path).mtimeMs;
  } catch {
    return { holder: undefined, text, ageMs };
  }
  try {
    const holder = JSON.parse(text) as Holder;
    return { holder: typeof holder.pid === 'number' && typeof holder.host === 'string' ? holder : undefined, text, ageMs };
  } catch {
    // Half written by a process killed between creating and writing it.
    return { holder: undefined, text, ageMs };
  }
}

/**
 * On this host, the process is alive if the pid is (this process's own pid in the file means a previous life of a
 * container restarted under the same pid, since locks held here are in `heldHere`). On another host it cannot be
 * asked: the heartbeat's age decides.
 */
function isAlive(holder: Holder, ageMs: number): boolean {
  if (holder.host !== hostname()) return ageMs < STALE_AFTER_MS;
  if (holder.pid === process.pid) return false;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
