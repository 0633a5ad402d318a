// `accord check --format sarif`: SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it. One result per
// finding, each pointing at its schema file and line; the rules the results name are described in tool.driver.rules.
import type { CheckFinding } from './check.js';
import { ruleDoc } from './rule-docs.js';
import { repositoryPath } from './report-paths.js';

const SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';

export function sarif(findings: CheckFinding[], version: string): string {
  const ids = [...new Set(findings.map((f) => f.rule))];
  const rules = ids.map((id) => {
    const doc = ruleDoc(id);
    return {
      id,
      name: id,
      shortDescription: { text: doc.summary },
      fullDescription: { text: doc.description },
      help: { text: doc.description },
      defaultConfiguration: { level: findings.some((f) => f.rule === id && f.severity === 'error') ? 'error' : 'warning' },
      properties: { tags: [doc.kind, ...(doc.category ? [doc.category.toLowerCase()] : [])] },
    };
  });
  const results = findings.map((f) => {
    const { uri, relativeToRoot } = repositoryPath(f.file);
    return {
      ruleId: f.rule,
      ruleIndex: ids.indexOf(f.rule),
      level: f.severity === 'error' ? 'error' : 'warning',
      message: { text: `${f.message}${f.hint ? ` Fix: ${f.hint}.` : ''}` },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri, ...(relativeToRoot ? { uriBaseId: '%SRCROOT%' } : {}) },
            ...(f.line >= 1 ? { region: { startLine: f.line } } : {}),
          },
          logicalLocations: [{ name: f.path, fullyQualifiedName: `${f.subject} ${f.path}` }],
        },
      ],
      // What identifies the finding across runs (code scanning tracks alerts by it): rule, subject and path, not the line.
      partialFingerprints: { 'accordFinding/v1': `${f.rule}:${f.subject}:${f.path}` },
      properties: { subject: f.subject, path: f.path },
    };
  });
  const log = {
    $schema: SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'accord', semanticVersion: version, rules } },
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2);
}
