// The CLI's expected failures. index.ts prints each as one line and exits 2; anything else is a bug (also exit 2).

/** A usage problem (a flag, an argument, where the contracts directory is): index.ts adds the usage line. */
export class UsageError extends Error {}

/**
 * A problem in what a file holds (a manifest key, a damaged backup, an auth file entry): one line naming the file and
 * what to change, and no usage line, since the command was invoked correctly.
 */
export class DataError extends Error {}

/** The registry could not be reached, refused the credentials, or does not speak the API: never a silent pass. */
export class ConnectionError extends Error {}

/** The registry refused a signed-in caller a permission (403): `message` is the registry's own, naming who lacks what. */
export class ForbiddenError extends ConnectionError {
  constructor(
    message: string,
    readonly errorCode: number,
    readonly serverMessage: string,
  ) {
    super(message);
  }
}

/** The registry answered 404 for a route it does not have (`error_code` 404, not a 404xx): a plain Confluent registry. */
export class MissingRouteError extends ConnectionError {
  constructor(
    message: string,
    readonly path: string,
  ) {
    super(message);
  }
}
