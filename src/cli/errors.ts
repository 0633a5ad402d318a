// The CLI's expected failures. index.ts prints each as one line and exits 2; anything else is a bug (also exit 2).

/** A usage or input problem (a flag, an argument, a setting, the contracts directory): index.ts adds the usage line. */
export class UsageError extends Error {}

/** The registry could not be reached, refused the credentials, or does not speak the API: never a silent pass. */
export class ConnectionError extends Error {}

/** The registry answered 404 for a route it does not have (`error_code` 404, not a 404xx): a plain Confluent registry. */
export class MissingRouteError extends ConnectionError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}
