// Files Accord reads at run time (migrations, contracts, package.json), found from the project root, so the same
// code works from src/ (through tsx) and from the bundle in dist/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir;
    if (dirname(dir) === dir) throw new Error(`Accord's project root (package.json beside migrations/) not found above ${from}`);
  }
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. `projectFile('migrations')`. */
export const projectFile = (...parts: string[]): string => join(PROJECT_ROOT, ...parts);
