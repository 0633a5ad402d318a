// What the transport tells about a caller. Client certificates as principals: one verified by Accord's own TLS (mTLS),
// or one a trusted TLS-terminating proxy verified and passes on in a header; the principal is `cert:<CN>`, its groups
// the certificate's OU values. And the caller's address, through trusted proxies' X-Forwarded-For, for the log.
import { BlockList, isIP } from 'node:net';
import type { TLSSocket } from 'node:tls';
import type { Context } from 'hono';
import { incomingOf, requestHeader } from '../node-request.js';
import type { Principal } from './policy.js';

export interface ClientCertificateOptions {
  /** Accord terminates TLS and asks for client certificates. */
  mtls: boolean;
  trustedProxies?: string[] | undefined;
  /** The header holding the subject a trusted proxy verified (only read from trusted proxies). */
  clientCertHeader?: string | undefined;
}

/** Whether a peer address is one of the trusted proxies (addresses or CIDR ranges). */
export function proxyMatcher(entries: string[]): (address: string | undefined) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address, bits] = entry.split('/') as [string, string | undefined];
    const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return (raw) => {
    if (!raw) return false;
    // An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d.
    const address = raw.startsWith('::ffff:') && isIP(raw.slice(7)) === 4 ? raw.slice(7) : raw;
    return list.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
  };
}

/** CN and OU values of a subject: `CN=svc,OU=payments,O=Acme` (RFC 2253), `/O=Acme/OU=payments/CN=svc`, or Envoy's XFCC `Subject="…"`. */
export function parseSubject(raw: string): { cn?: string; ou: string[] } {
  const xfcc = /Subject="((?:[^"\\]|\\.)*)"/.exec(raw);
  const subject = xfcc ? xfcc[1]!.replace(/\\(.)/g, '$1') : raw;
  const parts = subject.startsWith('/') ? subject.slice(1).split('/') : subject.split(/(?<!\\),/);
  const out: { cn?: string; ou: string[] } = { ou: [] };
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim().toUpperCase();
    const value = part.slice(eq + 1).trim().replace(/\\(.)/g, '$1');
    if (key === 'CN' && value && out.cn === undefined) out.cn = value;
    if (key === 'OU' && value) out.ou.push(value);
  }
  return out;
}

const principalOf = (cn: string | undefined, ou: string[]): Principal | undefined => (cn ? { kind: 'cert', name: cn, groups: ou } : undefined);

const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

/** The principal a request's transport vouches for, if any (for the guard, when no Authorization is sent). */
export function clientCertificatePrincipal(options: ClientCertificateOptions): ((c: Context) => Principal | undefined) | undefined {
  const trusted = options.trustedProxies?.length ? proxyMatcher(options.trustedProxies) : undefined;
  const header = trusted ? options.clientCertHeader : undefined;
  if (!options.mtls && !header) return undefined;
  return (c) => {
    const socket = incomingOf(c)?.socket as TLSSocket | undefined;
    if (options.mtls && socket?.encrypted && socket.authorized) {
      const subject = socket.getPeerCertificate().subject;
      return principalOf(list(subject?.CN)[0], list(subject?.OU));
    }
    if (header && trusted!(socket?.remoteAddress)) {
      const value = requestHeader(c, header);
      if (value) {
        const { cn, ou } = parseSubject(value);
        return principalOf(cn, ou);
      }
    }
    return undefined;
  };
}

/**
 * The caller's address: the peer's, or behind trusted proxies the rightmost X-Forwarded-For entry that is not one of
 * them (entries further left were written by the client and prove nothing).
 */
export function clientAddress(trustedProxies: string[] | undefined): (c: Context) => string | undefined {
  const trusted = trustedProxies?.length ? proxyMatcher(trustedProxies) : undefined;
  return (c) => {
    const peer = incomingOf(c)?.socket.remoteAddress;
    if (!trusted || !trusted(peer)) return peer;
    const hops = (requestHeader(c, 'x-forwarded-for') ?? '').split(',').map((h) => h.trim()).filter(Boolean);
    for (let i = hops.length - 1; i >= 0; i--) if (!trusted(hops[i])) return hops[i];
    return hops[0] ?? peer;
  };
}
