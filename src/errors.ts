// Errors shared across the floors, here at the bottom so that any layer may throw them without importing a higher one.

/**
 * A start-up failure that a person fixes by changing a setting or their environment (a malformed PORT, a port in use,
 * an unreachable database): its message is one line naming the problem and the setting to change, and `accord serve`
 * prints it without a stack trace and exits with status 2.
 */
export class StartupError extends Error {}

// Domain errors of the registry, thrown by the registry service and by governance. They carry what went wrong, never
// an HTTP status: src/http/errors.ts maps them.
export type RegistryErrorKind =
  | 'subject_not_found'
  | 'version_not_found'
  | 'schema_not_found'
  | 'subject_soft_deleted'
  | 'subject_not_soft_deleted'
  | 'version_soft_deleted'
  | 'version_not_soft_deleted'
  | 'subject_config_not_found'
  | 'subject_mode_not_found'
  | 'incompatible_schema'
  | 'invalid_schema'
  | 'invalid_version'
  | 'invalid_compatibility_level'
  | 'invalid_mode'
  | 'operation_not_permitted'
  | 'reference_exists'
  | 'invalid_subject'
  | 'context_not_empty'
  | 'schema_too_large'
  | 'invalid_rule_set'
  | 'unprocessable_body'
  | 'malformed_body';

export class RegistryError extends Error {
  override name = 'RegistryError';
  constructor(
    readonly kind: RegistryErrorKind,
    message: string,
    /** Structured fields returned beside error_code and message (clients ignore unknown fields). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

// Constructors keep Confluent's wording in one place; some tools grep for "not found" or "soft deleted".
export const errors = {
  subjectNotFound: (subject: string) => new RegistryError('subject_not_found', `Subject '${subject}' not found.`),
  versionNotFound: (version: number | string) => new RegistryError('version_not_found', `Version ${version} not found.`),
  schemaNotFound: (id?: number | string) =>
    new RegistryError('schema_not_found', id === undefined ? 'Schema not found' : `Schema ${id} not found`),
  subjectSoftDeleted: (subject: string) =>
    new RegistryError('subject_soft_deleted', `Subject '${subject}' was soft deleted.Set permanent=true to delete permanently`),
  subjectNotSoftDeleted: (subject: string) =>
    new RegistryError(
      'subject_not_soft_deleted',
      `Subject '${subject}' was not deleted first before being permanently deleted`,
    ),
  versionSoftDeleted: (subject: string, version: number) =>
    new RegistryError(
      'version_soft_deleted',
      `Subject '${subject}' Version ${version} was soft deleted.Set permanent=true to delete permanently`,
    ),
  versionNotSoftDeleted: (subject: string, version: number) =>
    new RegistryError(
      'version_not_soft_deleted',
      `Subject '${subject}' Version ${version} was not deleted first before being permanently deleted`,
    ),
  subjectConfigNotFound: (subject: string) =>
    new RegistryError('subject_config_not_found', `Subject '${subject}' does not have subject-level compatibility configured`),
  subjectModeNotFound: (subject: string) =>
    new RegistryError('subject_mode_not_found', `Subject '${subject}' does not have subject-level mode configured`),
  invalidSchema: (message: string, extra?: Record<string, unknown>) => new RegistryError('invalid_schema', message, extra),
  /** Confluent's "Invalid schema type X", then the types this registry speaks; `avro` for `AVRO` gets told why. */
  invalidSchemaType: (schemaType: string, supported: readonly string[]) => {
    const caseOnly = supported.includes(schemaType.toUpperCase()) ? ' (schema types are case-sensitive)' : '';
    return new RegistryError('invalid_schema', `Invalid schema type ${schemaType}; the supported types are ${supported.join(', ')}${caseOnly}`);
  },
  invalidVersion: (raw: string) =>
    new RegistryError(
      'invalid_version',
      `The specified version '${raw}' is not a valid version id. Allowed values are between [1, 2^31-1] and the string "latest"`,
    ),
  invalidCompatibilityLevel: () =>
    new RegistryError(
      'invalid_compatibility_level',
      'Invalid compatibility level. Valid values are none, backward, forward, full, backward_transitive, forward_transitive, and full_transitive',
    ),
  invalidMode: (message = 'Invalid mode. Valid values are READWRITE, READONLY, READONLY_OVERRIDE and IMPORT.') =>
    new RegistryError('invalid_mode', message),
  notPermitted: (message: string) => new RegistryError('operation_not_permitted', message),
  /** `context` is the subject's (`.` for an unqualified one): the sentence Confluent prints names it. */
  readOnly: (subject: string | null, context = '.') =>
    new RegistryError(
      'operation_not_permitted',
      subject === null ? 'The registry is in read-only mode' : `Subject ${subject} in context ${context} is in read-only mode`,
    ),
  referenceExists: (subject: string, version: number) =>
    new RegistryError(
      'reference_exists',
      `One or more references exist to the schema {magic=1,keytype=SCHEMA,subject=${subject},version=${version}}.`,
    ),
  /** Confluent's sentence (clients may match it), then why; a long name is shown by its start. */
  invalidSubject: (subject: string, why?: string) => {
    const shown = subject.length > 100 ? `${subject.slice(0, 100)}…` : subject;
    return new RegistryError('invalid_subject', `The specified subject '${shown}' is not a valid.${why ? ` ${why}` : ''}`);
  },
  invalidSubjectPrefix: (prefix: string, why: string) =>
    new RegistryError('invalid_subject', `The specified subject prefix '${prefix.length > 100 ? `${prefix.slice(0, 100)}…` : prefix}' is not valid. ${why}`),
  invalidContext: (context: string, why: string) =>
    new RegistryError('invalid_subject', `The specified context '${context.length > 100 ? `${context.slice(0, 100)}…` : context}' is not valid. ${why}`),
  contextNotEmpty: (context: string) => new RegistryError('context_not_empty', `The specified context '${context}' is not empty.`),
  invalidRuleSet: (message: string) => new RegistryError('invalid_rule_set', message),
  unprocessableBody: (message: string) => new RegistryError('unprocessable_body', message),
  malformedBody: (message: string) => new RegistryError('malformed_body', message),
};
