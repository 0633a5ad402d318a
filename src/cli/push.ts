// `accord push`: catalog entries first (rules read them), then each contract registered in reference order.
import { loadContracts } from './contracts.js';
import { isApiError, RegistryClient } from './registry-client.js';

export interface PushResult {
  subject: string;
  ok: boolean;
  id?: number;
  version?: number;
  warnings: number;
  error?: string;
}

export async function push(options: { dir: string; registry: string }): Promise<PushResult[]> {
  const { contracts } = loadContracts(options.dir);
  const client = new RegistryClient(options.registry);
  const results: PushResult[] = [];
  for (const contract of contracts) {
    if (contract.catalog) {
      const entry = await client.putCatalog(contract.subject, contract.catalog);
      if (isApiError(entry)) {
        results.push({ subject: contract.subject, ok: false, warnings: 0, error: `catalog: ${entry.message}` });
        continue;
      }
    }
    const registered = await client.register(contract);
    results.push(
      isApiError(registered)
        ? { subject: contract.subject, ok: false, warnings: 0, error: `${registered.error_code}: ${registered.message}` }
        : { subject: contract.subject, ok: true, id: registered.id, version: registered.version, warnings: registered.warnings?.length ?? 0 },
    );
  }
  return results;
}

export function printPush(results: PushResult[]): string {
  return results
    .map((r) => (r.ok ? `${r.subject}: version ${r.version}, id ${r.id}${r.warnings ? ` (${r.warnings} warning(s))` : ''}` : `${r.subject}: FAILED ${r.error}`))
    .join('\n');
}
