// Runs after `npm install`/`npm ci`. postgres.js 3.4.9 crashes the whole process when a connection is closed while a
// write is scheduled (porsager/postgres#1208, #1154; fix not released): `nextWrite` then calls `socket.write` on null
// from a setImmediate, outside any promise. Until a release carries the fix, guard that one function.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';

const ORIGINAL = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;
const PATCHED = `  function nextWrite(fn) {
    if (!socket || socket.destroyed) { // patched by accord: the connection closed while a write was scheduled
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      return false
    }
    const x = socket.write(chunk, fn)`;

for (const file of ['node_modules/postgres/src/connection.js', 'node_modules/postgres/cjs/src/connection.js']) {
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  if (text.includes('patched by accord')) continue;
  if (!text.includes(ORIGINAL)) {
    console.warn(`accord: ${file} changed upstream; the nextWrite guard was not applied`);
    continue;
  }
  writeFileSync(file, text.replace(ORIGINAL, PATCHED));
}
