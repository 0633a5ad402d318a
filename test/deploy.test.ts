// The container image and the Kubernetes manifests, as far as this machine can take them without a container engine
// or a cluster: the Dockerfile's install and start commands run on a fresh copy of the checkout
// (scripts/image-smoke.mjs), and every manifest is validated against the Kubernetes API schemas (kubernetes-models,
// which bundles them: nothing is downloaded).
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, parse } from 'yaml';
import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { Secret } from 'kubernetes-models/v1/Secret';
import { Service } from 'kubernetes-models/v1/Service';
import { run } from './support/run.js';

const ROOT = resolve(import.meta.dirname, '..');
const DEPLOY = join(ROOT, 'deploy/kubernetes');
// @ts-expect-error: a plain ES module of scripts/, without declarations
const smoke = (await import('../scripts/image-smoke.mjs')) as { BUILD_INSTALL: string; RUNTIME_INSTALL: string; RUNTIME_SOURCES: string[]; START: string[]; HEALTHCHECK: string };

const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1/Deployment': Deployment,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'v1/Secret': Secret,
  'v1/Service': Service,
};

type Manifest = { apiVersion: string; kind: string; metadata: { name: string }; spec?: any };
const manifests: Manifest[] = readdirSync(DEPLOY)
  .filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml')
  .flatMap((f) => parseAllDocuments(readFileSync(join(DEPLOY, f), 'utf8')).map((d) => d.toJSON() as Manifest));
const find = (kind: string) => manifests.filter((m) => m.kind === kind);

describe('deploy/kubernetes', () => {
  it('every manifest is valid against the Kubernetes API schema of its kind', () => {
    expect(manifests.length).toBeGreaterThanOrEqual(6);
    for (const manifest of manifests) {
      const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
      expect(Model, `${manifest.apiVersion} ${manifest.kind}`).toBeDefined();
      expect(() => new Model!(manifest as never).validate(), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
    }
    // The validator does refuse what is wrong (a port that is not a number).
    const broken = structuredClone(find('Deployment')[0]!);
    broken.spec.template.spec.containers[0].ports[0].containerPort = 'eighty';
    expect(() => new Deployment(broken as never).validate()).toThrow();
  });

  it('several replicas with probes, measured requests, the auth file and TLS from Secrets, a PodDisruptionBudget and a Service', () => {
    const deployment = find('Deployment')[0]!;
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
    expect(container.readinessProbe.httpGet.path).toBe('/health/ready');
    expect(container.livenessProbe.httpGet.path).toBe('/health/live');
    expect(container.resources.requests).toEqual({ cpu: '250m', memory: '256Mi' });
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(env.ACCORD_AUTH_CONFIG).toBe('/etc/accord/auth/auth.yaml');
    expect(env.ACCORD_TLS_CERT).toBe('/etc/accord/tls/tls.crt');
    const secrets = pod.volumes.filter((v: { secret?: unknown }) => v.secret).map((v: { secret: { secretName: string } }) => v.secret.secretName);
    expect(secrets.sort()).toEqual(['accord-auth', 'accord-tls']);
    expect(find('Secret').map((s) => s.metadata.name).sort()).toEqual(['accord-auth', 'accord-database', 'accord-tls']);
    const labels = deployment.spec.template.metadata.labels;
    expect(find('PodDisruptionBudget')[0]!.spec.selector.matchLabels).toEqual(labels);
    expect(find('PodDisruptionBudget')[0]!.spec.minAvailable).toBeLessThan(deployment.spec.replicas);
    expect(find('Service')[0]!.spec.selector).toEqual(labels);
    // The example auth file in the Secret is one the server loads.
    const authSecret = find('Secret').find((s) => s.metadata.name === 'accord-auth') as unknown as { stringData: Record<string, string> };
    expect(parse(authSecret.stringData['auth.yaml']!)).toMatchObject({ usersFile: 'users.yaml' });
  });
});

describe('Dockerfile and compose.yaml', () => {
  const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');

  it('are what scripts/image-smoke.mjs runs: two stages, production dependencies only, non-root, HEALTHCHECK on /health/ready', () => {
    expect(dockerfile.match(/^FROM /gm)).toHaveLength(2);
    expect(dockerfile).toContain(`RUN ${smoke.BUILD_INSTALL}\n`);
    expect(dockerfile).toContain(`RUN ${smoke.RUNTIME_INSTALL} `);
    for (const path of smoke.RUNTIME_SOURCES) expect(dockerfile).toMatch(new RegExp(`^COPY ${path} \\./${path === 'tsconfig.json' ? '' : path}$`, 'm'));
    expect(dockerfile).toContain('COPY --from=build /app/dist ./dist');
    expect(dockerfile).toMatch(/^USER node$/m);
    expect(dockerfile).toContain(`CMD ${JSON.stringify(smoke.START).replace(/","/g, '", "')}`);
    expect(dockerfile).toContain(`CMD ["node", "-e", ${JSON.stringify(smoke.HEALTHCHECK)}]`);
    const compose = parse(readFileSync(join(ROOT, 'compose.yaml'), 'utf8')) as { services: Record<string, any> };
    expect(compose.services.accord.environment.DATABASE_URL).toMatch(/^postgres:\/\/accord:accord@postgres:5432\/accord$/);
    expect(compose.services.accord.depends_on.postgres.condition).toBe('service_healthy');
  });

  it("the image's install and start commands, run on a fresh copy of the checkout: HEALTHCHECK passes, SIGTERM stops it cleanly", async () => {
    const result = await run(process.execPath, [join(ROOT, 'scripts/image-smoke.mjs'), '--reuse-build'], { cwd: ROOT, timeoutMs: 1_500_000 });
    expect(result.code, `${result.stdout}${result.stderr}`).toBe(0);
    const figures = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { ranBundle: boolean; exitOnSigterm: number; productionPackages: number };
    console.log(`image smoke: ${JSON.stringify(figures)}`);
    expect(figures).toMatchObject({ ranBundle: true, exitOnSigterm: 0 });
  }, 1_500_000);
});
