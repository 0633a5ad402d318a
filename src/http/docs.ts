// The API reference at /docs: Swagger UI over /openapi.json, its files served by Accord from the installed
// swagger-ui-dist package. Registries run in closed networks, so the page loads nothing from any other host.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/**
 * Accord's own start-up script, in place of the package's swagger-initializer.js (which loads the petstore).
 * A file rather than an inline script, so the page's CSP needs no 'unsafe-inline' for scripts.
 */
const INITIALIZER = `// Accord's API reference: renders the OpenAPI document this server serves.
window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  // BaseLayout has no top bar, whose box would let a visitor load some other host's document.
  layout: 'BaseLayout',
  deepLinking: true,
  filter: true,
  displayRequestDuration: true,
  // Without this, the validator badge sends the document to validator.swagger.io.
  validatorUrl: null,
});
`;

/** Swagger UI's page style (from its index.css) with room for Accord's link home. */
const STYLESHEET = `html { box-sizing: border-box; overflow-y: scroll; }
*, *:before, *:after { box-sizing: inherit; }
body { margin: 0; background: #fafafa; }
.accord-home { max-width: 1460px; margin: 0 auto; padding: 12px 20px 0; font: 14px sans-serif; }
.accord-home a { color: #3b4151; }
`;

/** The files /docs/assets/ answers, and nothing else: a name outside this list is a 404, so no path reaches the disk. */
const ASSETS: Record<string, { type: string } & ({ file: string } | { text: string })> = {
  'swagger-ui-bundle.js': { type: JS, file: 'swagger-ui-bundle.js' },
  'swagger-ui.css': { type: CSS, file: 'swagger-ui.css' },
  'favicon-32x32.png': { type: 'image/png', file: 'favicon-32x32.png' },
  'favicon-16x16.png': { type: 'image/png', file: 'favicon-16x16.png' },
  'accord-docs.js': { type: JS, text: INITIALIZER },
  'accord-docs.css': { type: CSS, text: STYLESHEET },
};

/** Resolves from this module's location, so it works from src/ (tsx) and from the dist/ bundle, wherever npm put the package. */
const require = createRequire(import.meta.url);
const packageDir = () => dirname(require.resolve('swagger-ui-dist/package.json'));
const swaggerUiVersion = () => (require('swagger-ui-dist/package.json') as { version: string }).version;

/**
 * Asset URLs carry a tag that changes with their content (the package version and Accord's own files), so
 * browsers may keep them for a year and still get new ones after an upgrade.
 */
let tag: string | undefined;
const assetTag = () =>
  (tag ??= createHash('sha256').update(`${swaggerUiVersion()}\n${INITIALIZER}\n${STYLESHEET}`).digest('hex').slice(0, 12));
const assetUrl = (name: keyof typeof ASSETS & string) => `/docs/assets/${name}?v=${assetTag()}`;

export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';

export interface Asset {
  type: string;
  body: Uint8Array<ArrayBuffer>;
  /** The gzip encoding of `body`, for the text files (the bundle shrinks from 1.7 MB to about 0.5 MB). */
  gzipped?: Uint8Array<ArrayBuffer>;
}

/** Read once and kept: a few megabytes, and only after someone opened the docs. */
const loaded = new Map<string, Promise<Asset>>();

async function load(name: string): Promise<Asset> {
  const spec = ASSETS[name]!;
  const body = 'text' in spec ? Buffer.from(spec.text) : await readFile(join(packageDir(), spec.file));
  const gzipped = spec.type === 'image/png' ? undefined : await promisify(gzip)(body);
  // Copied once into plain Uint8Arrays, the body type a Response takes.
  return { type: spec.type, body: new Uint8Array(body), gzipped: gzipped && new Uint8Array(gzipped) };
}

/** Whether an Accept-Encoding header takes gzip (and does not refuse it with q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding, ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    return coding === 'gzip' && !params.some((p) => /^q=0(\.0*)?$/.test(p));
  });
}

/** An allow-listed asset, or undefined for any other name. */
export function docsAsset(name: string): Promise<Asset> | undefined {
  if (!Object.hasOwn(ASSETS, name)) return undefined;
  let asset = loaded.get(name);
  if (!asset) {
    asset = load(name);
    loaded.set(name, asset);
    asset.catch(() => loaded.delete(name)); // a failed read is tried again on the next request
  }
  return asset;
}

/**
 * Only this server's own files and requests. Swagger UI's stylesheet embeds its icons as data: URLs, and React
 * sets style attributes, hence the two exceptions.
 */
export const DOCS_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

/** The reference page: Swagger UI's files and Accord's initializer, all from /docs/assets/. */
export function docsPage(version: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accord ${escapeHtml(version)} API reference</title>
<link rel="stylesheet" href="${assetUrl('swagger-ui.css')}">
<link rel="stylesheet" href="${assetUrl('accord-docs.css')}">
<link rel="icon" type="image/png" href="${assetUrl('favicon-32x32.png')}" sizes="32x32">
<link rel="icon" type="image/png" href="${assetUrl('favicon-16x16.png')}" sizes="16x16">
</head>
<body>
<nav class="accord-home"><a href="/">Accord ${escapeHtml(version)}</a></nav>
<div id="swagger-ui"><noscript><p class="accord-home">The API reference needs JavaScript. The OpenAPI document itself is at <a href="/openapi.json">/openapi.json</a>.</p></noscript></div>
<script src="${assetUrl('swagger-ui-bundle.js')}"></script>
<script src="${assetUrl('accord-docs.js')}"></script>
</body>
</html>
`;
}
