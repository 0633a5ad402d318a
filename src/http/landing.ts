// What a browser gets at GET /: a page of links. Confluent clients get `{}` there, so the page is only for an
// Accept header that prefers text/html; it loads nothing, not even a stylesheet file.
import { createHash } from 'node:crypto';
import { escapeHtml } from './docs.js';

interface Link {
  href: string;
  label: string;
  note: string;
}

const LINKS: Link[] = [
  { href: '/docs', label: 'API reference', note: 'every endpoint, grouped by tag, with examples and a way to try them' },
  { href: '/openapi.json', label: 'OpenAPI document', note: 'the same reference as OpenAPI 3, for code generators and tools' },
  // The web UI goes here once it exists, e.g. { href: '/ui', label: 'Registry', note: 'browse subjects, schemas and owners' }.
  { href: '/health/live', label: 'Liveness', note: 'answers while the process is up' },
  { href: '/health/ready', label: 'Readiness', note: 'answers 200 once the database is reachable and migrated' },
  { href: '/metrics', label: 'Metrics', note: 'Prometheus text format' },
];

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#222}
h1 small{color:#666;font-weight:normal;font-size:1rem}li{margin:.4rem 0}code{background:#eee;padding:0 .2rem}`;

/** The inline stylesheet is allowed by its hash: the page may run nothing and load nothing. */
export const LANDING_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

export function landingPage(version: string): string {
  const items = LINKS.map((l) => `<li><a href="${l.href}">${escapeHtml(l.label)}</a> <code>${l.href}</code>: ${escapeHtml(l.note)}</li>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Accord ${escapeHtml(version)}</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
</head>
<body>
<h1>Accord <small>${escapeHtml(version)}</small></h1>
<p>An event-contract registry.</p>
<ul>
${items.join('\n')}
</ul>
<p>Schema Registry clients use this same base URL: the Confluent-compatible REST API is served here, and it answers
<code>GET /</code> with <code>{}</code> to anything but a browser.</p>
</body>
</html>
`;
}

