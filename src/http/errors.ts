// The one table from domain errors to HTTP: status, Confluent error_code. Used by app.onError and nowhere else.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { RegistryError, type RegistryErrorKind } from '../registry/errors.js';
import { isDataException, isUnavailable, storageFailureOf } from '../storage/errors.js';
import type { Logger } from './observability.js';

const TABLE: Record<RegistryErrorKind, [status: ContentfulStatusCode, errorCode: number]> = {
  malformed_body: [400, 400],
  subject_not_found: [404, 40401],
  version_not_found: [404, 40402],
  schema_not_found: [404, 40403],
  subject_soft_deleted: [404, 40404],
  subject_not_soft_deleted: [404, 40405],
  version_soft_deleted: [404, 40406],
  version_not_soft_deleted: [404, 40407],
  subject_config_not_found: [404, 40408],
  subject_mode_not_found: [404, 40409],
  // 409 as CP ≤ 8.0.3, Karapace and Redpanda answer; CP 8.0.4+ says 40901. Clients key on the status.
  incompatible_schema: [409, 409],
  unprocessable_body: [422, 422],
  invalid_schema: [422, 42201],
  invalid_version: [422, 42202],
  invalid_compatibility_level: [422, 42203],
  invalid_mode: [422, 42204],
  operation_not_permitted: [422, 42205],
  reference_exists: [422, 42206],
  invalid_subject: [422, 42208],
  context_not_empty: [422, 42211],
  schema_too_large: [422, 42209],
  invalid_rule_set: [422, 42210],
};

/** The framework's own errors, worded as Confluent's (Jersey's) are. */
export const HTTP_MESSAGES: Record<number, string> = {
  404: 'HTTP 404 Not Found',
  405: 'HTTP 405 Method Not Allowed',
  406: 'HTTP 406 Not Acceptable',
  413: 'HTTP 413 Payload Too Large',
  415: 'HTTP 415 Unsupported Media Type',
};

export function errorBody(c: Context, status: ContentfulStatusCode, errorCode: number, message: string, extra: object = {}) {
  return c.json({ error_code: errorCode, message, ...extra }, status);
}

export function httpError(c: Context, status: ContentfulStatusCode, message = HTTP_MESSAGES[status] ?? `HTTP ${status}`) {
  return errorBody(c, status, status, message);
}

/** app.onError: domain errors by the table; anything unmapped is logged and becomes a plain 500. */
export function errorHandler(logger: Logger) {
  return (err: Error, c: Context) => onError(err, c, logger);
}

function onError(err: Error, c: Context, logger: Logger) {
  if (err instanceof RegistryError) {
    const [status, code] = TABLE[err.kind];
    return errorBody(c, status, code, err.message, err.extra);
  }
  if (err instanceof HTTPException) return httpError(c, err.status as ContentfulStatusCode, err.message || undefined);
  const failure = storageFailureOf(err);
  if (failure && isDataException(failure)) return errorBody(c, 422, 422, `The request holds a value the store cannot keep: ${failure.message}`);
  if (failure && isUnavailable(failure)) {
    logger.log('warn', 'database unavailable', { code: failure.code, method: c.req.method, path: c.req.path });
    return errorBody(c, 503, 50001, 'Error in the backend data store: the database is unavailable, retry shortly');
  }
  if (failure) {
    logger.log('error', 'storage error', { code: failure.code, detail: failure.message, method: c.req.method, path: c.req.path });
    return errorBody(c, 500, 50001, 'Error in the backend data store');
  }
  logger.log('error', 'unhandled error', { method: c.req.method, path: c.req.path, error: err.stack ?? String(err) });
  return errorBody(c, 500, 500, 'Internal Server Error');
}
