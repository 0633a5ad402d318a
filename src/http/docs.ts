// Renders the OpenAPI document as one self-contained HTML page: no CDN, so /docs works on an air-gapped network.

type Json = Record<string, unknown>;
const METHODS = ['get', 'put', 'post', 'delete'] as const;

const escape = (s: unknown) =>
  String(s ?? '').replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);

function deref(doc: Json, node: unknown): Json {
  const ref = (node as Json | undefined)?.$ref;
  if (typeof ref !== 'string') return (node as Json) ?? {};
  return ref
    .replace(/^#\//, '')
    .split('/')
    .reduce<unknown>((acc, key) => (acc as Json)?.[key], doc) as Json;
}

export function renderDocs(doc: Json): string {
  const info = (doc.info ?? {}) as Json;
  const paths = (doc.paths ?? {}) as Record<string, Json>;
  const sections: string[] = [];
  for (const [path, item] of Object.entries(paths)) {
    for (const method of METHODS) {
      const op = item[method] as Json | undefined;
      if (!op) continue;
      const params = [...((item.parameters as unknown[]) ?? []), ...((op.parameters as unknown[]) ?? [])].map((p) => deref(doc, p));
      const responses = Object.entries((op.responses ?? {}) as Record<string, unknown>).map(([code, r]) => [code, deref(doc, r)] as const);
      sections.push(`<section id="${escape(op.operationId ?? `${method}-${path}`)}">
<h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escape(path)}</code></h3>
<p><strong>${escape(op.summary)}</strong></p>
${op.description ? `<p>${escape(op.description)}</p>` : ''}
${params.length ? `<table><tr><th>parameter</th><th>in</th><th>description</th></tr>${params.map((p) => `<tr><td><code>${escape(p.name)}</code></td><td>${escape(p.in)}</td><td>${escape(p.description)}</td></tr>`).join('')}</table>` : ''}
<ul>${responses.map(([code, r]) => `<li><code>${escape(code)}</code> ${escape(r.description)}</li>`).join('')}</ul>
</section>`);
    }
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escape(info.title)} API</title>
<style>
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
section{border-top:1px solid #ddd;padding:.5rem 0}
.m{display:inline-block;min-width:4.5rem;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:2px 6px}
.get{background:#2b7bb9}.post{background:#3c9a48}.put{background:#c98a16}.delete{background:#c0392b}
table{border-collapse:collapse;font-size:.9rem}td,th{border:1px solid #ddd;padding:2px 6px;text-align:left}
</style></head><body>
<h1>${escape(info.title)} <small>${escape(info.version)}</small></h1>
<p>${escape(info.description)}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p>
${sections.join('\n')}
</body></html>`;
}
