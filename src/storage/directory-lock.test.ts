// The data directory lock's judgement of a lock file it finds: held (refused, naming the holder) or left behind
// (taken over). The end-to-end cases (a second process, kill -9) are in test/cli/serve.test.ts.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirectoryInUse, LOCK_FILE, lockDataDirectory } from './directory-lock.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function dataDir(lock?: object | string, ageMs = 0): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'accord-lock-')));
  dirs.push(dir);
  if (lock !== undefined) {
    const path = join(dir, LOCK_FILE);
    writeFileSync(path, typeof lock === 'string' ? lock : JSON.stringify(lock));
    const then = new Date(Date.now() - ageMs);
    utimesSync(path, then, then);
  }
  return dir;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('lockDataDirectory', () => {
  it('takes a free directory, refuses it to a second holder in the same process, and frees it on release', () => {
    const dir = dataDir();
    const lock = lockDataDirectory(dir);
    expect(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'))).toMatchObject({ pid: process.pid, host: hostname() });
    expect(() => lockDataDirectory(dir)).toThrow(`the data directory ${dir} is already open in this process`);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDirectory(dir).release();
  });

  it('refuses a directory held by a live process on this host, naming it and the setting to change', () => {
    const dir = dataDir({ pid: process.ppid, host: hostname(), since: '2026-01-01T00:00:00.000Z' });
    expect(() => lockDataDirectory(dir)).toThrow(
      `the data directory ${dir} is in use by process ${process.ppid} (since 2026-01-01T00:00:00.000Z); stop that process, or set ACCORD_DATA_DIR (--data-dir) to another directory`,
    );
  });

  it('takes over a lock whose holder has exited (kill -9, a crash)', async () => {
    const dir = dataDir({ pid: await deadPid(), host: hostname(), since: '2026-01-01T00:00:00.000Z' });
    lockDataDirectory(dir).release();
  });

  it('takes over a lock naming this very pid: a restarted container whose process got the same pid', () => {
    const dir = dataDir({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z' });
    lockDataDirectory(dir).release();
  });

  it('an unreadable lock is being written while it is young, and left over once it is old', () => {
    expect(() => lockDataDirectory(dataDir(''))).toThrow(/in use by another process \(its lock file is being written\)/);
    lockDataDirectory(dataDir('', 30_000)).release();
    lockDataDirectory(dataDir('{"pid":', 30_000)).release();
  });

  it('a lock from this host but another boot or pid namespace (a container sharing the volume) is judged by its heartbeat', () => {
    const holder = { pid: process.ppid, host: hostname(), since: '2026-01-01T00:00:00.000Z', boot: 'another-boot', pidNamespace: 'pid:[1]' };
    expect(() => lockDataDirectory(dataDir(holder, 5_000))).toThrow(DataDirectoryInUse);
    lockDataDirectory(dataDir(holder, 10 * 60_000)).release();
  });

  it('one process opening the same directory through a symbolic link is refused', () => {
    const dir = dataDir();
    const link = `${dir}-link`;
    symlinkSync(dir, link);
    dirs.push(link);
    const lock = lockDataDirectory(dir);
    try {
      expect(() => lockDataDirectory(link)).toThrow(/already open in this process/);
    } finally {
      lock.release();
    }
  });

  it('a lock from another host: held while its heartbeat is recent, taken over once it is stale', () => {
    const holder = { pid: 1, host: 'another-host', since: '2026-01-01T00:00:00.000Z' };
    expect(() => lockDataDirectory(dataDir(holder, 5_000))).toThrow(/in use by process 1 on host another-host/);
    lockDataDirectory(dataDir(holder, 10 * 60_000)).release();
  });
});
