// A module hook for postgres.js 3.4.x, registered by bin/accord.js (and the test setup) before anything loads it.
// postgres.js crashes the whole process when a connection is closed while a write is scheduled
// (porsager/postgres#1208, #1154; 3.4.10, the latest 3.x, still has it): `nextWrite` then calls `socket.write` on null
// from a setImmediate, outside any promise. The guard is applied to the module's text as it is loaded, in this process
// only: the installed package is never rewritten (installing Accord into a project leaves that project's postgres as
// it was). A version whose `nextWrite` reads otherwise loads unchanged.
import { register } from 'node:module';

export const ORIGINAL = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;
export const GUARDED = `  function nextWrite(fn) {
    if (!socket || socket.destroyed) { // guarded by accord: the connection closed while a write was scheduled
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      return false
    }
    const x = socket.write(chunk, fn)`;

const CONNECTION = /\/node_modules\/postgres\/src\/connection\.js$/;

/** The `load` hook: postgres.js's connection module with the guard, every other module as it is. */
export async function load(url, context, nextLoad) {
  const loaded = await nextLoad(url, context);
  if (!CONNECTION.test(url) || loaded.source == null) return loaded;
  const text = typeof loaded.source === 'string' ? loaded.source : Buffer.from(loaded.source).toString('utf8');
  return text.includes(ORIGINAL) ? { ...loaded, source: text.replace(ORIGINAL, GUARDED) } : loaded;
}

/** Registers this file as a module hook (Node ≥ 20.6), once per process. */
export function guardPostgres() {
  if (globalThis.__accordPostgresGuard) return;
  globalThis.__accordPostgresGuard = true;
  register(import.meta.url);
}
