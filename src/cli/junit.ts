// `accord check --format junit`: JUnit XML as GitLab (artifacts:reports:junit) and Jenkins (junit step) read it.
// A testsuite per contract; in it a testcase per finding (failing when the finding reaches --fail-on, its rule id as
// the failure type), and a passing testcase for each kind of check (compatibility, governance rules) that found nothing.
import type { CheckedContract, CheckFinding } from './check.js';
import { ruleDoc } from './rule-docs.js';
import { workingPath } from './report-paths.js';

/** XML 1.0 text: escaped, and without the control characters XML cannot carry at all. */
const xml = (s: string) =>
  s
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

interface TestCase {
  name: string;
  file: string;
  line?: number;
  failure?: { type: string; message: string; body: string };
  output?: string;
}

const describe = (f: CheckFinding) => `${workingPath(f.file)}:${f.line}: ${f.severity} ${f.rule} [${f.subject} ${f.path}] ${f.message}${f.hint ? ` Fix: ${f.hint}.` : ''}`;

function testCases(contract: CheckedContract, findings: CheckFinding[], failOn: 'error' | 'warn'): TestCase[] {
  const file = workingPath(contract.file);
  const cases: TestCase[] = findings.map((f) => {
    const failing = f.severity === 'error' || failOn === 'warn';
    const base = { name: `${f.rule} ${f.path}`, file, line: f.line };
    return failing ? { ...base, failure: { type: f.rule, message: f.message, body: describe(f) } } : { ...base, output: describe(f) };
  });
  const kinds = new Set(findings.map((f) => ruleDoc(f.rule).kind));
  // A schema the registry refused, or that does not parse, was not checked further: no passing case claims otherwise.
  const passing: TestCase[] = [];
  if (!kinds.has('registry')) {
    if (!kinds.has('compatibility')) passing.push({ name: 'compatibility', file });
    if (!kinds.has('governance')) passing.push({ name: 'governance rules', file });
  }
  return [...passing, ...cases];
}

function testCase(suite: string, c: TestCase): string {
  const attributes = `name="${xml(c.name)}" classname="${xml(suite)}" file="${xml(c.file)}"${c.line !== undefined ? ` line="${c.line}"` : ''} time="0"`;
  if (c.failure) {
    return `    <testcase ${attributes}>\n      <failure type="${xml(c.failure.type)}" message="${xml(c.failure.message)}">${xml(c.failure.body)}</failure>\n    </testcase>`;
  }
  if (c.output) return `    <testcase ${attributes}>\n      <system-out>${xml(c.output)}</system-out>\n    </testcase>`;
  return `    <testcase ${attributes}/>`;
}

export function junit(contracts: CheckedContract[], findings: CheckFinding[], failOn: 'error' | 'warn'): string {
  const suites = contracts.map((contract) => ({ contract, cases: testCases(contract, findings.filter((f) => f.subject === contract.subject), failOn) }));
  const failuresOf = (cases: TestCase[]) => cases.filter((c) => c.failure).length;
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const failures = suites.reduce((n, s) => n + failuresOf(s.cases), 0);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="accord check" tests="${tests}" failures="${failures}" errors="0" time="0">`,
    ...suites.flatMap(({ contract, cases }) => [
      `  <testsuite name="${xml(contract.subject)}" tests="${cases.length}" failures="${failuresOf(cases)}" errors="0" skipped="0" time="0" file="${xml(workingPath(contract.file))}">`,
      ...cases.map((c) => testCase(contract.subject, c)),
      '  </testsuite>',
    ]),
    '</testsuites>',
  ].join('\n');
}
