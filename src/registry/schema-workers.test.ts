// The worker pool's failure paths that need no server: a worker whose code cannot load.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemaWork } from './schema-workers.js';

const task = { kind: 'parse', request: { schemaType: 'AVRO', schema: '"string"', references: [], validate: true, normalize: false }, maxDepth: 64 } as const;

describe('schema workers', () => {
  it.each([1, 3])('fail the waiting tasks when %i worker(s) cannot load, instead of starting them again and again', async (workers) => {
    const dir = mkdtempSync(join(tmpdir(), 'accord-worker-'));
    const entry = join(dir, 'broken.mjs');
    writeFileSync(entry, "throw new Error('cannot load');\n");
    const work = schemaWork({ workers, taskTimeoutMs: 60_000, taskMemoryMb: 64, entry: pathToFileURL(entry) });
    try {
      await expect(Promise.all([work.run(task), work.run(task)])).rejects.toThrow(/cannot load/);
    } finally {
      await work.close();
    }
  });
});
