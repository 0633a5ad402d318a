// Before any test file: the PGlite template every in-memory test database starts from. `npm install` makes it; when
// it is missing (a new migration, a deleted dist/), it is made here once, not by every test worker at the same time.
import { projectFile } from '../../src/paths.js';
import { ensureTemplate } from '../../src/storage/pglite-template.js';

export default async function setup(): Promise<void> {
  await ensureTemplate(projectFile('migrations'));
}
