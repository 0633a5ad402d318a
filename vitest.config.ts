import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Generated code imports the runtime as @accord/sdk (sdk/package.json); here it is the sources in sdk/, as the
  // `paths` of tsconfig.json say for tsc.
  resolve: {
    alias: [
      { find: /^@accord\/sdk\/codegen$/, replacement: fileURLToPath(new URL('./sdk/codegen.ts', import.meta.url)) },
      { find: /^@accord\/sdk$/, replacement: fileURLToPath(new URL('./sdk/index.ts', import.meta.url)) },
    ],
  },
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', './test/support/summary-reporter.ts'],
    globalSetup: ['./test/support/global-setup.ts'],
    setupFiles: ['./test/support/postgres-guard.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Most suites wait on child processes, sockets and databases rather than compute: on 2 cores, two test files at
    // a time take three quarters of the time one does (vitest's default is one fewer than the cores).
    maxWorkers: Math.max(2, availableParallelism() - 1),
  },
});
