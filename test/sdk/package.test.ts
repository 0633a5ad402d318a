// The runtime as a service gets it: `npm pack` of sdk/ (@accord/sdk), installed from the tarball into a scratch
// project outside this repository, with the committed generated modules test/golden/orders (Avro) and
// test/golden/payments (JSON Schema) copied in, then run
// (a) compiled by tsc (module NodeNext) and run by plain node, (b) type-checked with moduleResolution bundler,
// bundled by esbuild and run by node, (c) run by tsx; and required from CommonJS. The installed tree must hold no
// server dependency. The accord tarball, installed the same way, serves the same compiled runtime as
// accord/sdk/codegen (code generated before @accord/sdk). Installs are skipped, saying why, only when npm cannot
// reach the registry for their dependencies.
import { cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/run.js';

const repo = resolve('.');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const tools = {
  tsc: join(repo, 'node_modules/typescript/bin/tsc'),
  esbuild: join(repo, 'node_modules/esbuild/bin/esbuild'),
  tsx: join(repo, 'node_modules/tsx/dist/cli.mjs'),
};
/** Packages of the server that a runtime consumer must never pull in. */
const SERVER_PACKAGES = ['hono', '@hono/node-server', 'drizzle-orm', '@electric-sql/pglite', 'postgres', 'swagger-ui-dist'];
const NETWORK = /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|network|fetch failed/i;

const MAIN = `import { orderCreated } from './orders/index.js';
import { paymentReceived } from './payments/index.js';
const value = { orderId: 'o-1', amountCents: 1250, currency: 'EUR' };
const bytes = orderCreated.encode(value);
const message = orderCreated.toKafkaMessage(value, 'o-1');
const payment = paymentReceived.encode({ paymentId: '3f1c0e84-9b53-4c1e-a3f6-0c4f7c1d2b8a', orderId: 'o-1', amount: { amountCents: 1, currency: 'EUR' }, method: 'card', receivedAtMs: 0, channel: 'web' });
let invalid = '';
try { paymentReceived.encode({ paymentId: 'x', orderId: 'o-1', amount: { amountCents: 1, currency: 'EUR' }, method: 'card', receivedAtMs: 0, channel: 'web' }); } catch (e) { invalid = (e as Error).name; }
console.log(JSON.stringify({ magic: bytes[0], id: bytes.readInt32BE(1), decoded: orderCreated.decode(bytes), fromKafka: orderCreated.fromKafkaMessage(message).value, payment: paymentReceived.decode(payment).channel, invalid }));
`;
const EXPECTED = { magic: 0, id: 3, decoded: { orderId: 'o-1', amountCents: 1250, currency: 'EUR' }, fromKafka: { orderId: 'o-1', amountCents: 1250, currency: 'EUR' }, payment: 'web', invalid: 'JsonValidationError' };
/** The committed generated modules the scratch projects compile and run: Avro and JSON Schema. */
const GOLDEN_MODULES = ['orders', 'payments'];

/** Bytes of the files under `dir` (apparent size, links not followed). */
function bytesUnder(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? bytesUnder(path) : lstatSync(path).size;
  }
  return total;
}

/** Every package name in an `npm ls --all --json` tree. */
function names(tree: { dependencies?: Record<string, unknown> }, into = new Set<string>()): Set<string> {
  for (const [name, sub] of Object.entries(tree.dependencies ?? {})) {
    into.add(name);
    names(sub as { dependencies?: Record<string, unknown> }, into);
  }
  return into;
}

describe('@accord/sdk packed and installed into a scratch project', () => {
  let scratch: string;
  let app: string;
  /** Why the install could not be made (no network), or undefined. */
  let unavailable: string | undefined;

  beforeAll(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'accord-sdkpack-'));
    // prepack compiles the runtime (scripts/build-sdk.mjs) when sdk/dist is older than its sources.
    const pack = await run(npm, ['pack', '--json', '--pack-destination', scratch], { cwd: join(repo, 'sdk'), timeoutMs: 240_000 });
    expect(pack.code, pack.stderr).toBe(0);
    const tarball = join(scratch, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);

    app = join(scratch, 'app');
    mkdirSync(join(app, 'src'), { recursive: true });
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'scratch-service', version: '1.0.0', private: true, type: 'module' }, null, 2));
    const install = await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], { cwd: app, timeoutMs: 300_000 });
    if (install.code !== 0) {
      if (NETWORK.test(install.stderr)) unavailable = `npm install could not reach the registry: ${install.stderr.split('\n').find((l) => NETWORK.test(l))}`;
      else throw new Error(`npm install ${tarball} failed:\n${install.stderr}`);
    }
    for (const dir of GOLDEN_MODULES) cpSync(join(repo, 'test/golden', dir), join(app, 'src', dir), { recursive: true });
    writeFileSync(join(app, 'src/main.ts'), MAIN);
    // A CommonJS module of the same project: tsc must take the `require` condition's types, node its JavaScript.
    writeFileSync(
      join(app, 'src/legacy.cts'),
      "import sdk = require('@accord/sdk');\nconst id: number = sdk.unframe(sdk.frame(7, Buffer.from([1]))).schemaId;\nconsole.log(id);\n",
    );
    // @types/node from this repository (the runtime's declarations use Buffer, as a Kafka service's do).
    const common = { target: 'ES2022', strict: true, types: ['node'], typeRoots: [join(repo, 'node_modules/@types')], skipLibCheck: true };
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({ compilerOptions: { ...common, module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'dist', rootDir: 'src' }, include: ['src'] }),
    );
    writeFileSync(
      join(app, 'tsconfig.bundler.json'),
      JSON.stringify({ compilerOptions: { ...common, module: 'ESNext', moduleResolution: 'Bundler', noEmit: true }, include: ['src/**/*.ts'] }),
    );
  }, 600_000);
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('pulls in no server package, and reports its installed size', async ({ skip }) => {
    if (unavailable) return skip(unavailable);
    const ls = await run(npm, ['ls', '--all', '--json'], { cwd: app, timeoutMs: 120_000 });
    const installed = names(JSON.parse(ls.stdout) as { dependencies?: Record<string, unknown> });
    expect(installed).toContain('@accord/sdk');
    for (const name of SERVER_PACKAGES) expect(installed, `${name} is a server dependency`).not.toContain(name);
    const du = await run('du', ['-sk', join(app, 'node_modules')]);
    const size = bytesUnder(join(app, 'node_modules'));
    const top = readdirSync(join(app, 'node_modules')).flatMap((entry) =>
      entry.startsWith('@') ? readdirSync(join(app, 'node_modules', entry)).map((name) => `${entry}/${name}`) : entry.startsWith('.') ? [] : [entry],
    );
    const each = top.map((name) => `${name} ${(bytesUnder(join(app, 'node_modules', name)) / 1e3).toFixed(0)} kB`);
    console.log(
      `@accord/sdk installed: ${installed.size} packages (${[...installed].sort().join(', ')}); node_modules ${(size / 1e6).toFixed(2)} MB of files, ${du.stdout.split('\t')[0]} KiB on disk: ${each.join(', ')}`,
    );
    expect(size).toBeLessThan(20e6);
  });

  it('(a) tsc with module NodeNext, then plain node', async ({ skip }) => {
    if (unavailable) return skip(unavailable);
    const tsc = await run(process.execPath, [tools.tsc, '-p', 'tsconfig.json'], { cwd: app });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const node = await run(process.execPath, ['dist/main.js'], { cwd: app });
    expect(node.stderr).toBe('');
    expect(JSON.parse(node.stdout)).toEqual(EXPECTED);
    const legacy = await run(process.execPath, ['dist/legacy.cjs'], { cwd: app });
    expect(legacy.stderr).toBe('');
    expect(legacy.stdout.trim()).toBe('7');
  });

  it('(b) moduleResolution bundler, esbuild bundle, then node', async ({ skip }) => {
    if (unavailable) return skip(unavailable);
    const tsc = await run(process.execPath, [tools.tsc, '-p', 'tsconfig.bundler.json'], { cwd: app });
    expect(tsc.stdout + tsc.stderr).toBe('');
    const bundle = await run(tools.esbuild, ['src/main.ts', '--bundle', '--platform=node', '--format=esm', '--outfile=bundle/main.mjs', '--log-level=warning',
      // CommonJS dependencies (avsc, protobufjs) require Node's built-ins; an ES module bundle needs a `require` for them.
      "--banner:js=import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"], { cwd: app });
    expect(bundle.code, bundle.stderr).toBe(0);
    const node = await run(process.execPath, ['bundle/main.mjs'], { cwd: app });
    expect(node.stderr).toBe('');
    expect(JSON.parse(node.stdout)).toEqual(EXPECTED);
  });

  it('(c) tsx', async ({ skip }) => {
    if (unavailable) return skip(unavailable);
    const tsx = await run(process.execPath, [tools.tsx, 'src/main.ts'], { cwd: app });
    expect(tsx.stderr).toBe('');
    expect(JSON.parse(tsx.stdout)).toEqual(EXPECTED);
  });

  it('require() from CommonJS gets the same runtime', async ({ skip }) => {
    if (unavailable) return skip(unavailable);
    const script = "const sdk = require('@accord/sdk'); const cg = require('@accord/sdk/codegen'); console.log([typeof sdk.SchemaRegistryClient, typeof cg.defineAvroEvent, typeof cg.defineJsonEvent, sdk.unframe(sdk.frame(7, Buffer.from([1]))).schemaId].join(' '));";
    writeFileSync(join(app, 'check.cjs'), script);
    const node = await run(process.execPath, ['check.cjs'], { cwd: app });
    expect(node.stderr).toBe('');
    expect(node.stdout.trim()).toBe('function function function 7');
  });
});

describe('the accord package', () => {
  it('and @accord/sdk have one version, and the runtime pins its dependencies as accord does', () => {
    type Manifest = { version: string; dependencies: Record<string, string> };
    const root = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as Manifest;
    const sdk = JSON.parse(readFileSync(join(repo, 'sdk/package.json'), 'utf8')) as Manifest;
    expect(sdk.version).toBe(root.version);
    for (const [name, version] of Object.entries(sdk.dependencies)) expect(version, name).toBe(root.dependencies[name]);
  });

  it('installed from its tarball, serves the compiled runtime as accord/sdk/codegen to tsc NodeNext and node', async ({ skip }) => {
    const scratch = mkdtempSync(join(tmpdir(), 'accord-rootpack-'));
    try {
      const pack = await run(npm, ['pack', '--json', '--pack-destination', scratch], { cwd: repo, timeoutMs: 240_000 });
      expect(pack.code, pack.stderr).toBe(0);
      const tarball = join(scratch, (JSON.parse(pack.stdout) as { filename: string }[])[0]!.filename);
      const app = join(scratch, 'app');
      mkdirSync(join(app, 'src'), { recursive: true });
      writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'older-service', version: '1.0.0', private: true, type: 'module' }));
      // Without scripts: postinstall makes the embedded database template, which a runtime check does not need.
      const install = await run(npm, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], { cwd: app, timeoutMs: 300_000 });
      if (install.code !== 0) {
        if (NETWORK.test(install.stderr)) return skip(`npm install could not reach the registry: ${install.stderr.split('\n').find((l) => NETWORK.test(l))}`);
        throw new Error(`npm install ${tarball} failed:\n${install.stderr}`);
      }
      // Code generated before the runtime had a package of its own imports it from accord.
      for (const dir of GOLDEN_MODULES) cpSync(join(repo, 'test/golden', dir), join(app, 'src', dir), { recursive: true });
      for (const module of [join(app, 'src/orders/OrderCreated.ts'), join(app, 'src/payments/PaymentReceived.ts')]) {
        writeFileSync(module, readFileSync(module, 'utf8').replace("from '@accord/sdk/codegen'", "from 'accord/sdk/codegen'"));
      }
      writeFileSync(join(app, 'src/main.ts'), MAIN);
      writeFileSync(
        join(app, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: { target: 'ES2022', strict: true, types: ['node'], typeRoots: [join(repo, 'node_modules/@types')], skipLibCheck: true, module: 'NodeNext', moduleResolution: 'NodeNext', outDir: 'dist', rootDir: 'src' },
          include: ['src'],
        }),
      );
      const tsc = await run(process.execPath, [tools.tsc, '-p', 'tsconfig.json'], { cwd: app });
      expect(tsc.stdout + tsc.stderr).toBe('');
      const node = await run(process.execPath, ['dist/main.js'], { cwd: app });
      expect(node.stderr).toBe('');
      expect(JSON.parse(node.stdout)).toEqual(EXPECTED);
      const du = await run('du', ['-sk', join(app, 'node_modules')]);
      console.log(`accord installed (--ignore-scripts): node_modules ${(bytesUnder(join(app, 'node_modules')) / 1e6).toFixed(2)} MB of files, ${du.stdout.split('\t')[0]} KiB on disk`);
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }, 600_000);

  it('packs the compiled runtime its `exports` name (accord/sdk, accord/sdk/codegen)', async () => {
    const pack = await run(npm, ['pack', '--dry-run', '--json'], { cwd: repo, timeoutMs: 120_000 });
    expect(pack.code, pack.stderr).toBe(0);
    const files = new Set((JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0]!.files.map((f) => f.path));
    const targets: string[] = [];
    const collect = (value: unknown): void => {
      if (typeof value === 'string') targets.push(value.replace(/^\.\//, ''));
      else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    };
    collect((JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { exports: unknown }).exports);
    expect(targets.length).toBeGreaterThan(8);
    for (const target of targets) expect(files, target).toContain(target);
  });
});
