// Prints why tests were skipped (each reason with its count), then the plain closing line CI reads, last:
// `N passed, N failed, N skipped`.
import { relative } from 'node:path';
import type { Reporter, TestCase, TestModule } from 'vitest/node';

/** Why one test did not run: the note it gave (`ctx.skip(note)`), else what vitest knows of how it was skipped. */
function skipReason(test: TestCase, module: TestModule): string {
  const result = test.result();
  const note = result.state === 'skipped' ? result.note : undefined;
  if (note) return note;
  const file = relative(process.cwd(), module.moduleId);
  if (test.options.mode === 'todo') return `todo (${file})`;
  if (test.options.mode === 'skip') return `skipped by a condition or .skip, no reason given (${file})`;
  // Mode `run` or `only` yet not run: another test's .only, or a name filter (-t) left it out.
  return 'not selected (.only elsewhere, or a -t name filter)';
}

export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    const reasons = new Map<string, number>();
    for (const module of testModules) {
      let tests = 0;
      for (const test of module.children.allTests()) {
        tests++;
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else {
          skipped++;
          const reason = skipReason(test, module);
          reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
        }
      }
      // A file that failed before running any test (syntax, setup) still counts as a failure.
      if (tests === 0 && module.state() === 'failed') failed++;
    }
    const lines = [...reasons].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    if (lines.length > 0) console.log(`\nSkipped, by reason:\n${lines.map(([reason, n]) => `${String(n).padStart(5)}  ${reason}`).join('\n')}`);
    console.log(`\n${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
