// Where schema tasks run. A client's schema can take long to parse or check, and on Node a busy event loop is a whole
// replica that answers nothing: so by default they run in worker threads, each task under a time and a memory
// limit, and a task over either is killed and answered as an invalid schema (422) naming the setting to raise.
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { projectFile } from '../paths.js';
import { DEFAULT_SCHEMA_WORK, SCHEMA_WORK_SETTINGS, type SchemaWorkOptions } from '../settings.js';
import { RegistryError } from './errors.js';
import { errorOf, SchemaTaskRunner, type SchemaTask, type TaskFailure, type TaskOutcome } from './schema-tasks.js';

export interface SchemaWork {
  run<T extends SchemaTask>(task: T): Promise<TaskOutcome<T>>;
  /** Tasks killed for taking too long or too much memory, since start (read by /metrics). */
  readonly killed: number;
  /** Starts the workers now rather than on the first schema (a server calls it once listening). */
  warm(): void;
  close(): Promise<void>;
}

export function schemaWork(options: SchemaWorkOptions = DEFAULT_SCHEMA_WORK): SchemaWork {
  return options.workers > 0 ? new SchemaWorkerPool(options) : new InlineSchemaWork();
}

/**
 * A task killed for exceeding its time or memory limit: answered as an invalid schema (42201), and final (a registration
 * does not retry it without validation, as it does other invalid schemas).
 */
export class SchemaTaskKilled extends RegistryError {
  constructor(message: string) {
    super('invalid_schema', message);
  }
}

/** On the event loop: for debugging, or a machine where threads cost more than they give. */
class InlineSchemaWork implements SchemaWork {
  private readonly runner = new SchemaTaskRunner();
  readonly killed = 0;

  warm(): void {}

  async run<T extends SchemaTask>(task: T): Promise<TaskOutcome<T>> {
    return this.runner.run(task);
  }

  async close(): Promise<void> {}
}

interface Job {
  task: SchemaTask;
  resolve(value: unknown): void;
  reject(err: Error): void;
}

interface Slot {
  worker?: Worker | undefined;
  /** The worker has loaded its code: a task's time limit counts from here, not from a start that may be slow. */
  ready: boolean;
  job?: Job | undefined;
  timer?: NodeJS.Timeout | undefined;
  /** The candidate the worker parsed last: a check of the same candidate finds its parse there. */
  lastCandidate?: string | undefined;
  sequence: number;
}

type Reply = { ready: true } | { sequence: number; value: unknown } | { sequence: number; failure: TaskFailure };

/** The worker's entry: the bundle's own when running from dist/, else the sources through tsx. */
function workerEntry(): URL {
  return import.meta.url.endsWith('.ts')
    ? new URL('./schema-worker.mjs', import.meta.url)
    : pathToFileURL(projectFile('dist', 'schema-worker.mjs'));
}

const candidateKey = (task: SchemaTask) => JSON.stringify(task.kind === 'parse' ? task.request : task.candidate.request);

class SchemaWorkerPool implements SchemaWork {
  private readonly slots: Slot[];
  private readonly queue: Job[] = [];
  private closed = false;
  killed = 0;

  constructor(private readonly options: SchemaWorkOptions) {
    this.slots = Array.from({ length: options.workers }, () => ({ sequence: 0, ready: false }));
  }

  run<T extends SchemaTask>(task: T): Promise<TaskOutcome<T>> {
    if (this.closed) return Promise.reject(new Error('schema workers are closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ task, resolve: resolve as (value: unknown) => void, reject });
      this.pump();
    });
  }

  warm(): void {
    for (const slot of this.slots) if (!this.closed) slot.worker ??= this.spawn(slot);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('schema workers are closed'));
    await Promise.all(this.slots.map((slot) => this.stop(slot, new Error('schema workers are closed'))));
  }

  /** Hands queued jobs to idle workers, preferring the worker that parsed the same candidate; starts missing ones. */
  private pump(): void {
    if (this.closed) return;
    for (const slot of this.slots) if (!slot.worker && this.queue.length > 0) slot.worker = this.spawn(slot);
    while (this.queue.length > 0) {
      const idle = this.slots.filter((s) => s.ready && !s.job);
      if (idle.length === 0) return;
      const job = this.queue.shift()!;
      const key = candidateKey(job.task);
      const slot = idle.find((s) => s.lastCandidate === key) ?? idle[0]!;
      slot.lastCandidate = key;
      this.dispatch(slot, job);
    }
  }

  private dispatch(slot: Slot, job: Job): void {
    const worker = slot.worker!;
    slot.job = job;
    slot.sequence++;
    // A waiting request keeps the process alive; an idle worker does not.
    worker.ref();
    slot.timer = setTimeout(() => {
      const seconds = this.options.taskTimeoutMs / 1000;
      void this.kill(slot, `Checking the schema took longer than ${seconds} s, the limit (${SCHEMA_WORK_SETTINGS.taskTimeoutMs}); simplify the schema or raise the limit`);
    }, this.options.taskTimeoutMs);
    worker.postMessage({ sequence: slot.sequence, task: job.task });
  }

  private spawn(slot: Slot): Worker {
    const worker = new Worker(this.options.entry ?? workerEntry(), {
      resourceLimits: { maxOldGenerationSizeMb: this.options.taskMemoryMb },
      // Worker output is the process's own; nothing of a client's schema is logged.
      stdout: false,
      stderr: false,
    });
    worker.unref();
    slot.ready = false;
    worker.on('message', (reply: Reply) => {
      if (slot.worker !== worker) return;
      if ('ready' in reply) {
        slot.ready = true;
        this.pump();
        return;
      }
      if (!slot.job || reply.sequence !== slot.sequence) return;
      const job = this.finish(slot);
      if ('failure' in reply) job.reject(errorOf(reply.failure));
      else job.resolve(reply.value);
      this.pump();
    });
    worker.on('error', (err: Error & { code?: string }) => {
      if (slot.worker !== worker) return;
      const outOfMemory = err.code === 'ERR_WORKER_OUT_OF_MEMORY';
      const mb = this.options.taskMemoryMb;
      const message = outOfMemory
        ? `Checking the schema needed more than ${mb} MB of memory, the limit (${SCHEMA_WORK_SETTINGS.taskMemoryMb}); simplify the schema or raise the limit`
        : `schema worker failed: ${err.message}`;
      void this.kill(slot, message, outOfMemory);
    });
    worker.on('exit', () => {
      if (slot.worker !== worker) return;
      void this.kill(slot, 'schema worker exited unexpectedly', false);
    });
    return worker;
  }

  private finish(slot: Slot): Job {
    const job = slot.job!;
    clearTimeout(slot.timer);
    slot.job = undefined;
    slot.timer = undefined;
    slot.worker?.unref();
    return job;
  }

  /**
   * Ends the slot's worker; its job (if any) fails with `message`, as an invalid schema unless the worker broke. A
   * worker that breaks before it is ready (its code does not load) while no other is ready fails the queued jobs too,
   * rather than leaving them waiting while workers that cannot start are started again and again; the next job retries.
   */
  private async kill(slot: Slot, message: string, overLimit = true): Promise<void> {
    const job = slot.job ? this.finish(slot) : undefined;
    if (job && overLimit) this.killed++;
    const worker = slot.worker;
    const neverReady = !slot.ready;
    slot.worker = undefined;
    slot.ready = false;
    slot.lastCandidate = undefined;
    job?.reject(overLimit ? new SchemaTaskKilled(message) : new Error(message));
    if (neverReady && this.slots.every((s) => !s.ready)) {
      for (const queued of this.queue.splice(0)) queued.reject(new Error(message));
    }
    this.pump();
    await worker?.terminate();
  }

  private async stop(slot: Slot, reason: Error): Promise<void> {
    const job = slot.job ? this.finish(slot) : undefined;
    job?.reject(reason);
    const worker = slot.worker;
    slot.worker = undefined;
    slot.ready = false;
    await worker?.terminate();
  }
}
