// Everything a client can read about a registry's contents, as raw answers (status and body text), so two registries
// can be compared answer for answer: after a migration, or an export and import.
import { client } from './server.js';

/** Subjects, versions (deleted too), every version and id answer, configs and modes; with `accord`, also Accord's own answers. */
export async function snapshot(url: string, options: { accord?: boolean } = {}) {
  const rest = client(url);
  const out: Record<string, unknown> = {};
  const raw = async (path: string) => {
    const r = await rest.get(path);
    return `${r.status} ${r.text}`;
  };
  const subjects = (await rest.get('/subjects?deleted=true')).json as string[];
  out['/subjects?deleted=true'] = subjects;
  out['/subjects'] = await raw('/subjects');
  out['/config'] = await raw('/config');
  out['/mode'] = await raw('/mode');
  const ids = new Set<number>();
  for (const s of subjects) {
    const e = encodeURIComponent(s);
    for (const path of [`/subjects/${e}/versions`, `/subjects/${e}/versions?deleted=true`, `/config/${e}`, `/mode/${e}`]) out[path] = await raw(path);
    for (const v of (await rest.get(`/subjects/${e}/versions?deleted=true`)).json as number[]) {
      const answer = await rest.get(`/subjects/${e}/versions/${v}?deleted=true`);
      out[`/subjects/${e}/versions/${v}?deleted=true`] = answer.text;
      // An id of another context is read in the context its subject names.
      if (s.startsWith(':.')) out[`/schemas/ids/${answer.json.id}?subject=${e}`] = await raw(`/schemas/ids/${answer.json.id}?subject=${e}`);
      else ids.add(answer.json.id);
    }
    if (options.accord) out[`/catalog/subjects/${e}`] = await raw(`/catalog/subjects/${e}`);
  }
  for (const id of [...ids].sort((a, b) => a - b)) {
    for (const path of [`/schemas/ids/${id}`, `/schemas/ids/${id}/versions?deleted=true`]) out[path] = await raw(path);
  }
  out.ids = [...ids].sort((a, b) => a - b);
  if (options.accord) {
    for (const path of ['/schemas?deleted=true', '/governance/settings', '/governance/rules', '/catalog/search', '/audit?limit=10000']) out[path] = await raw(path);
  }
  return out;
}
