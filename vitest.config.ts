import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    globalSetup: ['./test/support/global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most suites wait on child processes, sockets and databases rather than compute: on 2 cores, two test files at
    // a time take three quarters of the time one does (vitest's default is one fewer than the cores).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
