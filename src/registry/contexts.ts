// Schema contexts in subject names, as Confluent's QualifiedSubject reads them: `:.team-a:orders` is the subject
// `orders` of the context `.team-a`; a name not starting with `:.` lives in the default context `.`.

/** The context of unqualified subjects. */
export const DEFAULT_CONTEXT = '.';
/** A subject prefix meaning "every context" (CP's default for GET /subjects). */
export const ALL_CONTEXTS = ':*:';

/** The context a (qualified) subject lives in: `.team-a` for `:.team-a:orders` and for `:.team-a` (no second colon). */
export function contextOf(subject: string): string {
  if (!subject.startsWith(':.')) return DEFAULT_CONTEXT;
  const end = subject.indexOf(':', 2);
  return end < 0 ? subject.slice(1) : subject.slice(1, end);
}

/** The name of a subject within its context: `orders` for `:.team-a:orders`. */
export function unqualifiedName(subject: string): string {
  if (!subject.startsWith(':.')) return subject;
  const end = subject.indexOf(':', 2);
  return end < 0 ? '' : subject.slice(end + 1);
}

/** The prefix of every subject in a context: '' for the default one, `:.team-a:` otherwise. */
export function contextPrefix(context: string): string {
  return context === DEFAULT_CONTEXT ? '' : `:${context}:`;
}

/**
 * A subject named by a reference, resolved in the context of the subject that makes the reference: an unqualified
 * `address` referenced from `:.team-a:orders` is `:.team-a:address` (Confluent's qualifySubjectWithParent); a
 * qualified one stays where it says (`:.:address` is the default context's).
 */
export function qualifyInContextOf(referrer: string, subject: string): string {
  if (subject.startsWith(':.:')) return subject.slice(3);
  if (subject.startsWith(':.')) return subject;
  return contextPrefix(contextOf(referrer)) + subject;
}
