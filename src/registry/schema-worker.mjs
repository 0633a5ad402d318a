// The schema worker's entry when Accord runs from its TypeScript sources (tests, an edited checkout): the thread
// registers tsx itself, as bin/accord.js does for the process. The bundle has its own entry (dist/schema-worker.mjs).
import { register } from 'tsx/esm/api';

register();
await import('./schema-worker.ts');
