// In the test processes too, postgres.js loads with the guard bin/accord.js gives it (bin/postgres-guard.mjs).
// @ts-expect-error: a plain ES module of bin/, without declarations
import { guardPostgres } from '../../bin/postgres-guard.mjs';

guardPostgres();
