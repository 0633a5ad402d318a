// Creates a new PGlite data directory (argv[2]) and exits. Run in a process of its own by database.ts: initdb grows
// PGlite's WebAssembly heap to several hundred MB, which a process never hands back to the system.
import { PGlite } from '@electric-sql/pglite';

const db = await PGlite.create(process.argv[2]);
await db.close();
