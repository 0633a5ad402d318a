// What each rule id a check can report means, for printers that describe their rules (SARIF's tool.driver.rules).
// Governance rules carry their own docs; compatibility differences are named as Confluent's checkers name them.
import { RULES_BY_ID } from '../governance/rules.js';

export interface RuleDoc {
  id: string;
  /** One line. */
  summary: string;
  /** One or two sentences: what the rule checks. */
  description: string;
  /** `governance`, `compatibility` or `registry`. */
  kind: 'governance' | 'compatibility' | 'registry';
  /** The governance rule's category (NAMING, DOCUMENTATION, …). */
  category?: string;
}

const words = (id: string) => id.toLowerCase().replace(/_/g, ' ');

export function ruleDoc(id: string): RuleDoc {
  const rule = RULES_BY_ID.get(id);
  if (rule) return { id, summary: rule.doc.replace(/^Checks that /, '').replace(/\.$/, ''), description: rule.doc, kind: 'governance', category: rule.category };
  if (id === 'INVALID_SCHEMA') return { id, summary: 'the schema does not parse', description: 'Checks that the schema file parses and is a valid schema of its format.', kind: 'registry' };
  if (id === 'REFERENCE_NOT_REGISTERED') {
    return { id, summary: 'a referenced subject is not registered yet', description: 'Reports a contract whose reference the registry does not hold yet, so the contract cannot be checked against it until the reference is pushed.', kind: 'registry' };
  }
  const code = /^ERROR_(\d+)$/.exec(id)?.[1];
  if (code) return { id, summary: `the registry refused the schema (error ${code})`, description: `Reports the registry's refusal of the schema, with Confluent error code ${code}.`, kind: 'registry' };
  return {
    id,
    summary: `incompatible change: ${words(id)}`,
    description: `Checks that the schema stays compatible with the subject's registered versions at its compatibility level; ${id} is the difference as Confluent's compatibility checker names it.`,
    kind: 'compatibility',
  };
}
