import type { Hono } from 'hono';
import { httpError } from './errors.js';

/** Registered after a path's handlers: any other method on a known path is 405, not 404. */
export function methodNotAllowed(app: Hono, ...paths: string[]): void {
  for (const path of paths) app.all(path, (c) => httpError(c, 405));
}
