// Settings that a lower floor reads and config.ts fills from the environment, here at the bottom so that config.ts
// (which assembles everything) need not import the registry for them.
import { availableParallelism } from 'node:os';

/** Where client schemas are parsed and checked (src/registry/schema-workers.ts). */
export interface SchemaWorkOptions {
  /** Worker threads; 0 runs tasks on the event loop, with no time or memory limit. */
  workers: number;
  /** Longest a task may run before its worker is killed. */
  taskTimeoutMs: number;
  /** Heap a worker may use (V8's old generation); a task that needs more is killed. */
  taskMemoryMb: number;
  /** The worker's script, when not Accord's own (tests of a worker that cannot load). */
  entry?: URL | undefined;
}

export const SCHEMA_WORK_SETTINGS: Record<Exclude<keyof SchemaWorkOptions, 'entry'>, string> = {
  workers: 'ACCORD_SCHEMA_WORKERS',
  taskTimeoutMs: 'ACCORD_SCHEMA_TASK_TIMEOUT_MS',
  taskMemoryMb: 'ACCORD_SCHEMA_TASK_MEMORY_MB',
};

/** One worker per core but one (the event loop keeps that), at least one, at most eight. */
export const DEFAULT_SCHEMA_WORK: SchemaWorkOptions = {
  workers: Math.min(8, Math.max(1, availableParallelism() - 1)),
  taskTimeoutMs: 10_000,
  taskMemoryMb: 512,
};
