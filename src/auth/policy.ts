// Who may do what: principals, the three roles, and role bindings on subject globs and the registry-wide resources.
// Pure and synchronous; the one asynchronous right (a catalog owner team writing its subjects) is asked by the guard.

/** The two operations every route is declared with (src/http/permissions.ts). */
export type Operation = 'read' | 'write';

/** Registry-wide resources, each guarded as a whole (a subject's config is a registry setting too). */
export const GLOBAL_RESOURCES = ['config', 'mode', 'governance', 'catalog', 'audit'] as const;
export type GlobalResource = (typeof GLOBAL_RESOURCES)[number];

export const ROLES = ['reader', 'writer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

const OPERATIONS_OF: Record<Role, Operation[]> = { reader: ['read'], writer: ['read', 'write'], admin: ['read', 'write'] };

/** Someone the server has authenticated, or `anonymous`. `id` (`user:alice`, `token:ci`) is what bindings and the audit log name. */
export interface Principal {
  kind: 'user' | 'token' | 'oidc' | 'cert' | 'anonymous';
  name: string;
  /** Groups from the users file, a token, an OIDC claim: bindings name them as `group:NAME`, catalog owners by NAME. */
  groups: readonly string[];
  /** Whether the client-supplied X-Accord-Actor is recorded as the one it acts for (set per user or token). */
  actsForOthers?: boolean;
}

export const ANONYMOUS: Principal = { kind: 'anonymous', name: 'anonymous', groups: [] };

export const principalId = (p: Principal): string => (p.kind === 'anonymous' ? 'anonymous' : `${p.kind}:${p.name}`);

/** One role granted to members on subjects (globs) and global resources; admin with neither covers everything. */
export interface Binding {
  role: Role;
  /** `user:alice`, `token:ci`, `oidc:alice`, `cert:CN=svc`, `group:NAME`, `anonymous`, or `*` (anyone authenticated). */
  members: string[];
  subjects: string[];
  resources: GlobalResource[];
}

interface Grant {
  operations: ReadonlySet<Operation>;
  subjects: RegExp | undefined;
  resources: ReadonlySet<GlobalResource>;
}

/** A glob over subject names: `*` any run of characters (dots and dashes included), `?` one character. */
export function globPattern(globs: string[]): RegExp | undefined {
  if (globs.length === 0) return undefined;
  const one = (glob: string) => glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[\\s\\S]*').replace(/\?/g, '[\\s\\S]');
  return new RegExp(`^(?:${globs.map(one).join('|')})$`, 'u');
}

/** What a principal may do, for one request: synchronous questions answered from its grants. */
export class Access {
  constructor(
    readonly principal: Principal,
    private readonly grants: readonly Grant[],
  ) {}

  subject(operation: Operation, subject: string): boolean {
    return this.grants.some((g) => g.operations.has(operation) && g.subjects !== undefined && g.subjects.test(subject));
  }

  global(operation: Operation, resource: GlobalResource): boolean {
    return this.grants.some((g) => g.operations.has(operation) && g.resources.has(resource));
  }

  /** For listings: keeps what this principal may read. */
  readable = (subject: string): boolean => this.subject('read', subject);
}

export class Policy {
  private readonly compiled: { members: ReadonlySet<string>; grant: Grant }[];

  constructor(bindings: Binding[]) {
    this.compiled = bindings.map((b) => {
      const everything = b.role === 'admin' && b.subjects.length === 0 && b.resources.length === 0;
      return {
        members: new Set(b.members),
        grant: {
          operations: new Set(OPERATIONS_OF[b.role]),
          subjects: everything ? /^/ : globPattern(b.subjects),
          resources: new Set(everything ? GLOBAL_RESOURCES : b.resources),
        },
      };
    });
  }

  /** Whether any binding names anonymous (then requests without credentials are let in, to read only). */
  get allowsAnonymous(): boolean {
    return this.compiled.some((b) => b.members.has('anonymous'));
  }

  access(principal: Principal): Access {
    const names = new Set([principalId(principal), ...principal.groups.map((g) => `group:${g}`)]);
    if (principal.kind !== 'anonymous') names.add('*');
    const grants = this.compiled.filter((b) => [...b.members].some((m) => names.has(m))).map((b) => b.grant);
    return new Access(principal, grants);
  }
}
