// Runs after `npm install`/`npm ci`. postgres.js 3.4.9 crashes the whole process when a connection is closed while a
// write is scheduled (porsager/postgres#1208, #1154; fix not released): `nextWrite` then calls `socket.write` on null
// from a setImmediate, outside any promise. Until a release carries the fix, guard that one function.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const ORIGINAL = `  function nextWrite(fn) {
    const x = socket.write(chunk, fn)`;
const PATCHED = `  function nextWrite(fn) {
    if (!socket || socket.destroyed) { // patched by accord: the connection closed while a write was scheduled
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      return false
    }
    const x = socket.write(chunk, fn)`;

// Found as Accord's own code finds it: in this checkout's node_modules, or hoisted into the project that installed
// Accord as a package.
let postgresDir = dirname(createRequire(import.meta.url).resolve('postgres'));
while (!existsSync(join(postgresDir, 'package.json')) || JSON.parse(readFileSync(join(postgresDir, 'package.json'), 'utf8')).name !== 'postgres') {
  postgresDir = dirname(postgresDir);
}
for (const file of [join(postgresDir, 'src/connection.js'), join(postgresDir, 'cjs/src/connection.js')]) {
  if (!existsSync(file)) continue;
  const text = readFileSync(file, 'utf8');
  if (text.includes('patched by accord')) continue;
  if (!text.includes(ORIGINAL)) {
    console.warn(`accord: ${file} changed upstream; the nextWrite guard was not applied`);
    continue;
  }
  writeFileSync(file, text.replace(ORIGINAL, PATCHED));
}
