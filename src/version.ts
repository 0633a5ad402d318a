// Accord's version, read once from package.json.
import { readFileSync } from 'node:fs';
import { projectFile } from './paths.js';

export const ACCORD_VERSION = (JSON.parse(readFileSync(projectFile('package.json'), 'utf8')) as { version: string }).version;
