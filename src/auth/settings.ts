// The auth file named by ACCORD_AUTH_CONFIG: users file, machine tokens, OIDC, role bindings, anonymous read.
// Every mistake is a StartupError: one line naming the file, the entry and what to change.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse } from 'yaml';
import { StartupError } from '../errors.js';
import { Authenticator, type MachineToken } from './authenticator.js';
import { OidcVerifier, type OidcSettings } from './oidc.js';
import { GLOBAL_RESOURCES, Policy, ROLES, type Binding, type GlobalResource, type Role } from './policy.js';
import { isTokenDigest } from './secrets.js';
import { UsersFile, UsersFileError } from './users-file.js';

/** Everything the HTTP guard needs. */
export interface Auth {
  authenticator: Authenticator;
  policy: Policy;
  /** A team that owns a subject in the catalog (its `owner`) may write that subject: members of group `owner`. */
  ownersWrite: boolean;
  /** The realm named in WWW-Authenticate. */
  realm: string;
}

const SETTING = 'ACCORD_AUTH_CONFIG';

type Raw = Record<string, unknown>;

const isObject = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Reads and checks the auth file; `onUsersReloadFailure` hears of a users file that broke after start. */
export function loadAuth(path: string, onUsersReloadFailure: (message: string) => void = () => {}): Auth {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new StartupError(`${SETTING}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}); point it at the auth file, or unset it to run without authentication`);
  }
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new StartupError(`${SETTING}: ${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}`);
  }
  return authFromDocument(doc ?? {}, path, onUsersReloadFailure);
}

export function authFromDocument(doc: unknown, path: string, onUsersReloadFailure: (message: string) => void = () => {}): Auth {
  const fail = (what: string): never => {
    throw new StartupError(`${SETTING}: ${path}: ${what}`);
  };
  if (!isObject(doc)) fail('must be a YAML mapping (usersFile, tokens, oidc, bindings)');
  const raw = doc as Raw;
  const known = ['usersFile', 'tokens', 'oidc', 'bindings', 'ownersWrite', 'realm'];
  for (const key of Object.keys(raw)) if (!known.includes(key)) fail(`unknown setting "${key}" (known: ${known.join(', ')})`);

  let users: UsersFile | undefined;
  if (raw.usersFile !== undefined) {
    if (typeof raw.usersFile !== 'string' || raw.usersFile === '') fail('"usersFile" must be a path');
    const usersPath = resolve(dirname(path), raw.usersFile as string);
    try {
      users = new UsersFile(usersPath, onUsersReloadFailure);
    } catch (err) {
      if (err instanceof UsersFileError) fail(err.message);
      fail(`usersFile: cannot read ${usersPath} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  const tokens = list(raw.tokens, 'tokens', fail).map((t, i): MachineToken => {
    if (!isObject(t)) return fail(`tokens[${i}] must be a mapping with name and digest`);
    if (typeof t.name !== 'string' || !/^[\w.@-]{1,100}$/.test(t.name)) fail(`tokens[${i}]: "name" must be letters, digits, . _ @ - (it names the token in the audit log)`);
    // The value is never repeated: it may be a token pasted here by mistake.
    if (typeof t.digest !== 'string' || !isTokenDigest(t.digest)) fail(`tokens[${i}] (${t.name}): "digest" must be sha256:<64 hex digits> (make one with: accord hash-password --token); a plain token is refused`);
    return { name: t.name as string, digest: t.digest as string, groups: strings(t.groups, `tokens[${i}].groups`, fail), actsForOthers: t.actsForOthers === true };
  });
  const names = new Set<string>();
  for (const t of tokens) {
    if (names.has(t.name)) fail(`two tokens are named '${t.name}'`);
    names.add(t.name);
  }

  const oidc = raw.oidc === undefined ? undefined : new OidcVerifier(oidcSettings(raw.oidc, fail));

  const bindings = list(raw.bindings, 'bindings', fail).map((b, i) => binding(b, `bindings[${i}]`, fail));
  if (!users && tokens.length === 0 && !oidc && !bindings.some((b) => b.members.some((m) => m === 'anonymous' || m.startsWith('cert:')))) {
    fail('no way to sign in: set usersFile, tokens or oidc, bind cert:NAME members (client certificates), or bind anonymous to a reader role');
  }
  if (raw.ownersWrite !== undefined && typeof raw.ownersWrite !== 'boolean') fail('"ownersWrite" must be true or false');
  if (raw.realm !== undefined && (typeof raw.realm !== 'string' || !/^[\w .-]{1,100}$/.test(raw.realm))) fail('"realm" must be a short name');
  return {
    authenticator: new Authenticator({ users, tokens, oidc }),
    policy: new Policy(bindings),
    ownersWrite: (raw.ownersWrite as boolean | undefined) ?? true,
    realm: (raw.realm as string | undefined) ?? 'accord',
  };
}

function list(value: unknown, name: string, fail: (what: string) => never): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(`"${name}" must be a list`);
  return value as unknown[];
}

function strings(value: unknown, name: string, fail: (what: string) => never): string[] {
  const items = list(value, name, fail);
  if (!items.every((v) => typeof v === 'string' && v !== '')) fail(`"${name}" must be a list of names`);
  return items as string[];
}

const MEMBER = /^(?:(?:user|token|oidc|cert|group):.+|anonymous|\*)$/;

function binding(raw: unknown, where: string, fail: (what: string) => never): Binding {
  if (!isObject(raw)) return fail(`${where} must be a mapping with role, members and subjects or resources`);
  if (!ROLES.includes(raw.role as Role)) fail(`${where}: "role" must be one of ${ROLES.join(', ')}`);
  const role = raw.role as Role;
  const members = strings(raw.members, `${where}.members`, fail);
  if (members.length === 0) fail(`${where}: "members" names no one`);
  const bad = members.find((m) => !MEMBER.test(m));
  if (bad) fail(`${where}: member '${bad}' must be user:NAME, token:NAME, oidc:NAME, cert:SUBJECT, group:NAME, anonymous or *`);
  if (members.includes('anonymous') && role !== 'reader') fail(`${where}: anonymous may only be bound to the reader role`);
  const subjects = strings(raw.subjects, `${where}.subjects`, fail);
  const resources = strings(raw.resources, `${where}.resources`, fail);
  const unknown = resources.find((r) => !GLOBAL_RESOURCES.includes(r as GlobalResource));
  if (unknown) fail(`${where}: resource '${unknown}' is not one of ${GLOBAL_RESOURCES.join(', ')}`);
  if (role !== 'admin' && subjects.length === 0 && resources.length === 0) fail(`${where}: a ${role} binding needs subjects (globs) or resources`);
  return { role, members, subjects, resources: resources as GlobalResource[] };
}

function oidcSettings(raw: unknown, fail: (what: string) => never): OidcSettings {
  if (!isObject(raw)) return fail('"oidc" must be a mapping with issuer and audience');
  const url = (value: unknown, name: string) => {
    if (typeof value !== 'string') return fail(`oidc.${name} must be a URL`);
    try {
      const u = new URL(value);
      if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new Error();
    } catch {
      fail(`oidc.${name} must be an http(s) URL`);
    }
    return value;
  };
  const issuer = url(raw.issuer, 'issuer');
  const audience = typeof raw.audience === 'string' ? [raw.audience] : strings(raw.audience, 'oidc.audience', fail);
  if (audience.length === 0) fail('oidc.audience must name the audience Accord accepts (the client id tokens are issued for)');
  const seconds = (value: unknown, name: string, fallback: number, max: number) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) fail(`oidc.${name} must be a whole number of seconds from 0 to ${max}`);
    return value as number;
  };
  const claim = (value: unknown, name: string, fallback: string) => {
    if (value === undefined) return fallback;
    if (typeof value !== 'string' || value === '') fail(`oidc.${name} must be a claim name or dotted path`);
    return value as string;
  };
  return {
    issuer,
    audience,
    jwksUri: raw.jwksUri === undefined ? undefined : url(raw.jwksUri, 'jwksUri'),
    rolesClaim: claim(raw.rolesClaim, 'rolesClaim', 'groups'),
    usernameClaim: claim(raw.usernameClaim, 'usernameClaim', 'preferred_username'),
    // Bounded: a skew of minutes would let an expired token live on.
    clockSkewSeconds: seconds(raw.clockSkewSeconds, 'clockSkewSeconds', 30, 300),
    jwksCooldownSeconds: seconds(raw.jwksCooldownSeconds, 'jwksCooldownSeconds', 30, 3600),
    actsForOthers: strings(raw.actsForOthers, 'oidc.actsForOthers', fail),
  };
}
