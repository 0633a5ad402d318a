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
  /** The credential variables read for it (named in errors); CREDENTIAL_ENV when absent. */
  credentialEnv?: CredentialEnv;
}

export interface CredentialEnv {
  user: string;
  password: string;
  token: string;
}

/** The credential variables every registry command reads. */
export const CREDENTIAL_ENV: CredentialEnv = {
  user: 'ACCORD_REGISTRY_USER',
  password: 'ACCORD_REGISTRY_PASSWORD',
  token: 'ACCORD_REGISTRY_TOKEN',
};

/** The credential variables of a second registry (`accord migrate`'s source): `ACCORD_<PREFIX>_TOKEN` and so on. */
export const credentialEnvOf = (prefix: string): CredentialEnv => ({ user: `ACCORD_${prefix}_USER`, password: `ACCORD_${prefix}_PASSWORD`, token: `ACCORD_${prefix}_TOKEN` });

/** The credential variables, recorded only when they are not the default ones. */
const named = (names: CredentialEnv) => (names === CREDENTIAL_ENV ? {} : { credentialEnv: names });

/** `https://user:***@host` → `https://***@host`: for echoing a value that failed to parse. */
const masked = (raw: string) => raw.replace(/\/\/[^/@]*@/, '//***@');

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`, 'utf8').toString('base64')}`;

/**
 * Credentials, most specific first: userinfo in the URL (Basic), else ACCORD_REGISTRY_TOKEN (Bearer), else
 * ACCORD_REGISTRY_USER and ACCORD_REGISTRY_PASSWORD (Basic). A token and a user together are ambiguous: an error.
 */
export function registryTarget(raw: string, source: string, env: NodeJS.ProcessEnv = {}, names: CredentialEnv = CREDENTIAL_ENV): RegistryTarget {
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
    return { url, source, authorization: basic(user, password), secrets: [password, parsed.password].filter(Boolean), ...named(names) };
  }
  const value = (name: string) => (env[name] === '' ? undefined : env[name]);
  const token = value(names.token);
  const user = value(names.user);
  const password = value(names.password);
  if (token !== undefined) {
    if (user !== undefined || password !== undefined) {
      throw new UsageError(`both ${names.token} and ${names.user}/${names.password} are set; unset one`);
    }
    return { url, source, authorization: `Bearer ${token}`, secrets: [token], ...named(names) };
  }
  if (user !== undefined && password === undefined) throw new UsageError(`${names.user} is set but ${names.password} is not`);
  if (password !== undefined && user === undefined) throw new UsageError(`${names.password} is set but ${names.user} is not`);
  if (user !== undefined && password !== undefined) return { url, source, authorization: basic(user, password), secrets: [password], ...named(names) };
  return { url, source, secrets: [], ...named(names) };
}
