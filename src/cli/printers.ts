// One finding type, several printers: text for people, JSON for tools, GitHub workflow annotations for CI.
import { isAbsolute, relative } from 'node:path';
import type { CheckFinding } from './check.js';

export type OutputFormat = 'text' | 'json' | 'github';
export const OUTPUT_FORMATS: readonly OutputFormat[] = ['text', 'json', 'github'];

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
      const inside = isAbsolute(f.file) ? relative(process.cwd(), f.file) : f.file;
      const file = inside.startsWith('..') ? f.file : inside;
      return `::${command} file=${escapeProperty(file)},line=${f.line},title=${escapeProperty(`${f.rule} (${f.subject})`)}::${escapeData(message)}`;
    })
    .join('\n');
}

export function printFindings(findings: CheckFinding[], format: OutputFormat): string {
  switch (format) {
    case 'json':
      return JSON.stringify({ findings, errors: findings.filter((f) => f.severity === 'error').length, warnings: findings.filter((f) => f.severity === 'warn').length }, null, 2);
    case 'github':
      return github(findings);
    default:
      return text(findings);
  }
}
