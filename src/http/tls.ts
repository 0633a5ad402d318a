// HTTPS: the certificate and key (and the CA for client certificates) from PEM files, re-read when they change so a
// renewed certificate (cert-manager, certbot) is served without a restart. New connections get the new certificate.
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { ServerOptions, Server as HttpsServer } from 'node:https';
import { createSecureContext } from 'node:tls';
import { StartupError } from '../errors.js';
import type { Logger } from './observability.js';

export interface TlsConfig {
  cert: string;
  key: string;
  /** CA bundle for client certificates: set, clients may present one (mTLS) and become principals `cert:<CN>`. */
  clientCa?: string | undefined;
  /** Whether a TLS client without a valid certificate is turned away during the handshake. */
  requireClientCert: boolean;
}

/** The files' contents as server options, checked by building a context (a key that does not match fails here). */
export function tlsServerOptions(tls: TlsConfig): ServerOptions {
  const read = (path: string, setting: string) => {
    try {
      return readFileSync(path);
    } catch (err) {
      throw new StartupError(`${setting}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const options: ServerOptions = {
    cert: read(tls.cert, 'ACCORD_TLS_CERT'),
    key: read(tls.key, 'ACCORD_TLS_KEY'),
    ...(tls.clientCa ? { ca: read(tls.clientCa, 'ACCORD_TLS_CLIENT_CA'), requestCert: true, rejectUnauthorized: tls.requireClientCert } : {}),
  };
  try {
    createSecureContext(options);
  } catch (err) {
    // OpenSSL's reason ("key values mismatch", "no start line") names the problem; nothing secret is in it.
    throw new StartupError(`ACCORD_TLS_CERT, ACCORD_TLS_KEY${tls.clientCa ? ', ACCORD_TLS_CLIENT_CA' : ''}: not a usable certificate and key (${(err as Error).message})`);
  }
  return options;
}

/** Watches the files; a change that reads well replaces the served context, one that does not is logged and ignored. */
export function reloadTlsOnChange(server: HttpsServer, tls: TlsConfig, logger: Logger, intervalMs = 1000): () => void {
  const paths = [tls.cert, tls.key, ...(tls.clientCa ? [tls.clientCa] : [])];
  const reload = () => {
    try {
      server.setSecureContext(tlsServerOptions(tls));
      logger.log('info', 'TLS certificate reloaded', { cert: tls.cert });
    } catch (err) {
      // A certificate and key replaced one after the other mismatch in between: the next change completes the pair.
      logger.log('warn', 'TLS files changed but were not reloaded; serving the previous certificate', { detail: (err as Error).message });
    }
  };
  for (const path of paths) watchFile(path, { interval: intervalMs, persistent: false }, reload);
  return () => paths.forEach((path) => unwatchFile(path, reload));
}
