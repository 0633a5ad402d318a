// Where the registry is and how to authenticate: from --registry (or ACCORD_REGISTRY) and the credential variables.
// Credentials never reach output: `shown` is the URL without its userinfo, and fetch gets that URL plus a header.
import { UsageError } from './errors.js';

export interface RegistryTarget {
  /** The base URL requests go to, without userinfo or trailing slash. */
  url: string;
  /** Where the URL came from, named in errors: `--registry` or `ACCORD_REGISTRY`. */
  source: string;
  /** The `Authorization` header value, when credentials were given. */
  authorization?: string;
  /** The secrets in play (password, token), so output can be checked and scrubbed of them. */
  secrets: string[];
}

/** The credential variables every registry command reads. */
export const CREDENTIAL_ENV = {
  user: 'ACCORD_REGISTRY_USER',
  password: 'ACCORD_REGISTRY_PASSWORD',
  token: 'ACCORD_REGISTRY_TOKEN',
} as const;

/** `https://user:***@host` → `https://***@host`: for echoing a value that failed to parse. */
const masked = (raw: string) => raw.replace(/\/\/[^/@]*@/, '//***@');

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

/**
 * Credentials, most specific first: userinfo in the URL (Basic), else ACCORD_REGISTRY_TOKEN (Bearer), else
 * ACCORD_REGISTRY_USER and ACCORD_REGISTRY_PASSWORD (Basic). A token and a user together are ambiguous: an error.
 */
export function registryTarget(raw: string, source: string, env: NodeJS.ProcessEnv = {}): RegistryTarget {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new UsageError(`${source} '${masked(raw)}' is not a URL; give http(s)://host[:port][/path]`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UsageError(`${source} '${masked(raw)}' is not an http or https URL`);
  }
  if (parsed.search || parsed.hash) throw new UsageError(`${source} must be the registry's base URL, without a query or fragment`);
  const url = `${parsed.protocol}//${parsed.host}${parsed.pathname.replace(/\/+$/, '')}`;

  if (parsed.username || parsed.password) {
    const user = decodeURIComponent(parsed.username);
    const password = decodeURIComponent(parsed.password);
    return { url, source, authorization: basic(user, password), secrets: [password, parsed.password].filter(Boolean) };
  }
  const value = (name: string) => (env[name] === '' ? undefined : env[name]);
  const token = value(CREDENTIAL_ENV.token);
  const user = value(CREDENTIAL_ENV.user);
  const password = value(CREDENTIAL_ENV.password);
  if (token !== undefined) {
    if (user !== undefined || password !== undefined) {
      throw new UsageError(`both ${CREDENTIAL_ENV.token} and ${CREDENTIAL_ENV.user}/${CREDENTIAL_ENV.password} are set; unset one`);
    }
    return { url, source, authorization: `Bearer ${token}`, secrets: [token] };
  }
  if (user !== undefined && password === undefined) throw new UsageError(`${CREDENTIAL_ENV.user} is set but ${CREDENTIAL_ENV.password} is not`);
  if (password !== undefined && user === undefined) throw new UsageError(`${CREDENTIAL_ENV.password} is set but ${CREDENTIAL_ENV.user} is not`);
  if (user !== undefined && password !== undefined) return { url, source, authorization: basic(user, password), secrets: [password] };
  return { url, source, secrets: [] };
}
