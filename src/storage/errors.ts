// Driver errors, unwrapped: drizzle wraps the Postgres error (with its SQLSTATE) as `cause`.

export interface StorageFailure {
  /** SQLSTATE, e.g. `22021` (invalid byte sequence), `23505` (unique violation). */
  code: string;
  /** The database's own sentence, without the SQL text. */
  message: string;
}

/** The driver's and the socket's codes for a database that cannot be reached right now. */
const CONNECTION_CODES = new Set(['CONNECTION_CLOSED', 'CONNECTION_DESTROYED', 'CONNECTION_ENDED', 'CONNECT_TIMEOUT', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT']);

export function storageFailureOf(err: unknown): StorageFailure | undefined {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (/^[0-9A-Z]{5}$/.test(code) || CONNECTION_CODES.has(code))) {
      return { code, message: String((e as Error).message) };
    }
  }
  return undefined;
}

/** The database is unreachable (connection lost, refused, timed out) or shutting down (SQLSTATE class 57, 08). */
export const isUnavailable = (failure: StorageFailure) => CONNECTION_CODES.has(failure.code) || /^(08|57)/.test(failure.code);

/** Class 22 is "data exception": the input cannot be stored (a NUL character, a number out of range), not a fault of ours. */
export const isDataException = (failure: StorageFailure) => failure.code.startsWith('22');
