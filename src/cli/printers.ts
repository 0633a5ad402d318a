// One finding type, several printers: text for people, JSON for tools, GitHub workflow annotations, JUnit XML
// (GitLab, Jenkins) and SARIF (code scanning) for CI.
import type { CheckFinding, CheckResult } from './check.js';
import { junit } from './junit.js';
import { workingPath } from './report-paths.js';
import { sarif } from './sarif.js';

export type OutputFormat = 'text' | 'json' | 'github' | 'junit' | 'sarif';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'github', 'junit', 'sarif'];

export interface PrintOptions {
  format: OutputFormat;
  failOn: 'error' | 'warn';
  /** Accord's version, which SARIF names. */
  version: string;
}

function text(findings: CheckFinding[]): string {
  if (findings.length === 0) return 'accord check: no findings';
  const lines = findings.map((f) => `${f.file}:${f.line}: ${f.severity} ${f.rule} [${f.subject} ${f.path}] ${f.message}${f.hint ? ` Fix: ${f.hint}.` : ''}`);
  const errors = findings.filter((f) => f.severity === 'error').length;
  return `${lines.join('\n')}\n${errors} error(s), ${findings.length - errors} warning(s)`;
}

/** GitHub's workflow-command escaping: data escapes %, CR, LF; properties also `:` and `,`. */
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

function github(findings: CheckFinding[]): string {
  return findings
    .map((f) => {
      const command = f.severity === 'error' ? 'error' : 'warning';
      const message = `${f.message}${f.hint ? ` Fix: ${f.hint}.` : ''}`;
      // GitHub attaches annotations to paths relative to the repository (the job's working directory).
      const file = workingPath(f.file);
      return `::${command} file=${escapeProperty(file)},line=${f.line},title=${escapeProperty(`${f.rule} (${f.subject})`)}::${escapeData(message)}`;
    })
    .join('\n');
}

export function printFindings(result: Pick<CheckResult, 'findings' | 'contracts'>, options: PrintOptions): string {
  const { findings } = result;
  switch (options.format) {
    case 'junit':
      return junit(result.contracts, findings, options.failOn);
    case 'sarif':
      return sarif(findings, options.version);
    case 'json':
      return JSON.stringify({ findings, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warn').length }, null, 2);
    case 'github':
      return github(findings);
    default:
      return text(findings);
  }
}
