// A worker thread running schema tasks (schema-workers.ts starts it): one task at a time, each answered by sequence.
import { parentPort } from 'node:worker_threads';
import { failureOf, SchemaTaskRunner, type SchemaTask } from './schema-tasks.js';

const runner = new SchemaTaskRunner();

// Loaded: from now on a task's time limit counts.
parentPort!.postMessage({ ready: true });

parentPort!.on('message', ({ sequence, task }: { sequence: number; task: SchemaTask }) => {
  try {
    parentPort!.postMessage({ sequence, value: runner.run(task) });
  } catch (err) {
    parentPort!.postMessage({ sequence, failure: failureOf(err) });
  }
});
