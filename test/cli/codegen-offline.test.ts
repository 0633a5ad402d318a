// `accord codegen --contracts DIR [--ref REF]` end to end: the real CLI on a temporary git repository whose schema
// files (Avro, Protobuf, JSON Schema) change over commits. Versions are the commits' distinct texts; two runs give
// identical bytes; the result equals what `codegen --registry` gives after `accord push` of each commit to a real
// Accord, apart from the source line and schema ids (0 offline); outside git, one version with a note; errors (a
// shallow clone among them) are one line, exit 2.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/run.js';
import { backends } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { accord, ROOT, tempDir } from './support.js';

const git = async (cwd: string, ...args: string[]) => {
  const r = await run('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', '-c', 'commit.gpgsign=false', ...args], { cwd });
  if (r.code !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};

const order = (extra: string[]) =>
  JSON.stringify(
    {
      type: 'record',
      name: 'OrderPlaced',
      namespace: 'shop.orders',
      doc: 'An order was placed.',
      fields: [
        { name: 'orderId', type: 'string', doc: 'Order id.' },
        { name: 'amountCents', type: 'long', doc: 'Amount in cents.' },
        ...extra.map((name) => ({ name, type: 'string', default: '', doc: `${name}.` })),
      ],
    },
    null,
    2,
  ) + '\n';

const parcel = (extra: string) =>
  `syntax = "proto3";\npackage shop.shipping;\n\n// A parcel left the warehouse.\nmessage ParcelSent {\n  string parcel_id = 1;\n  int64 sent_at = 2;\n${extra}}\n`;

const MONEY = 'https://accord.example/payments/money.json';

const MANIFEST = [
  'contracts:',
  '  - subject: shop.order-placed-value',
  '    schema: order-placed.avsc',
  '    catalog: { owner: shop, domain: orders }',
  '  - subject: shop.parcel-sent-value',
  '    schema: parcel-sent.proto',
  '    catalog: { owner: shop, domain: shipping }',
  '  - subject: ship.address-value',
  '    schema: shipping/address.proto',
  '    catalog: { owner: logistics, domain: shipping }',
  '  - subject: ship.shipment-dispatched-value',
  '    schema: shipping/shipment-dispatched.proto',
  '    references: [{ name: shipping/address.proto, subject: ship.address-value, version: latest }]',
  '    catalog: { owner: logistics, domain: shipping }',
  '  - subject: pay.money-value',
  '    schema: pay/money.json',
  '    catalog: { owner: payments, domain: payments }',
  '  - subject: pay.payment-received-value',
  '    schema: pay/payment-received.json',
  `    references: [{ name: '${MONEY}', subject: pay.money-value, version: latest }]`,
  '    catalog: { owner: payments, domain: payments }',
  '',
].join('\n');

const SUBJECTS = ['shop.order-placed-value', 'shop.parcel-sent-value', 'ship.address-value', 'ship.shipment-dispatched-value', 'pay.payment-received-value'];
const EXAMPLE = (file: string) => readFileSync(join(ROOT, 'contracts/examples/shipping', file), 'utf8');
/** JSON Schema: test/golden/payments' money.json and PaymentReceived v1, v2 (referencing money.json by its URI). */
const PAYMENT = (file: string) => readFileSync(join(ROOT, 'test/golden/payments', file), 'utf8');

/** Every file of a directory, by name. */
const filesOf = (dir: string) => Object.fromEntries(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

/** A generated file without what must differ between the registry and offline: the source line and schema ids. */
const comparable = (text: string) => text.replace(/^\/\/ Source: .*\n/m, '').replace(/\b(id:? )\d+/g, '$1N');

describe('accord codegen --contracts (offline)', () => {
  let repo: string;
  let contracts: string;
  const commits: string[] = [];
  let server: TestServer;
  const outs: string[] = [];
  const outDir = (label: string) => {
    // Inside the checkout so the generated `accord/sdk/codegen` import resolves to this package when compiled.
    const dir = mkdtempSync(join(ROOT, 'test', 'golden', `.offline-${label}-`));
    outs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    server = await startTestServer(backends[0]!);
    repo = tempDir('offline');
    contracts = join(repo, 'contracts');
    mkdirSync(contracts);
    await git(repo, 'init', '-q', '-b', 'main');
    const commit = async (message: string) => {
      await git(repo, 'add', '-A');
      await git(repo, 'commit', '-q', '-m', message);
      commits.push(await git(repo, 'rev-parse', 'HEAD'));
    };
    writeFileSync(join(contracts, 'accord.yaml'), MANIFEST);
    writeFileSync(join(contracts, 'order-placed.avsc'), order([]));
    writeFileSync(join(contracts, 'parcel-sent.proto'), parcel(''));
    mkdirSync(join(contracts, 'shipping'));
    writeFileSync(join(contracts, 'shipping/address.proto'), EXAMPLE('address.proto'));
    writeFileSync(join(contracts, 'shipping/shipment-dispatched.proto'), EXAMPLE('shipment-dispatched.proto'));
    mkdirSync(join(contracts, 'pay'));
    writeFileSync(join(contracts, 'pay/money.json'), PAYMENT('money.json'));
    writeFileSync(join(contracts, 'pay/payment-received.json'), PAYMENT('payment-received.v1.json'));
    await commit('v1 of each');
    writeFileSync(join(contracts, 'order-placed.avsc'), order(['currency']));
    writeFileSync(join(repo, 'unrelated.txt'), 'not a schema\n');
    await commit('order v2');
    writeFileSync(join(contracts, 'order-placed.avsc'), order(['currency', 'channel']));
    writeFileSync(join(contracts, 'parcel-sent.proto'), parcel('  string carrier = 3;\n'));
    writeFileSync(join(contracts, 'pay/payment-received.json'), PAYMENT('payment-received.v2.json'));
    await commit('order v3, parcel v2, payment v2');
    writeFileSync(join(repo, 'unrelated.txt'), 'still not a schema\n');
    await commit('no schema change');
    // Only the imported file changes: pushed, the importing subject gets a new version (its references differ).
    writeFileSync(join(contracts, 'shipping/address.proto'), EXAMPLE('address.proto').replace('  string country = 4;\n', '  string country = 4;\n  // Floor or unit.\n  string unit = 5;\n'));
    writeFileSync(join(contracts, 'pay/money.json'), PAYMENT('money.json').replace('minor unit.', 'minor unit (cents).'));
    await commit('address gains a unit, money a description');
  }, 60_000);

  afterAll(async () => {
    for (const dir of outs) rmSync(dir, { recursive: true, force: true });
    await server?.close();
  });

  it('versions are the distinct texts of each schema file in the history; two runs write identical bytes, which compile', async () => {
    const [a, b] = [outDir('a'), outDir('b')];
    const runs = [];
    for (const out of [a, b]) runs.push(await accord(['codegen', '--contracts', contracts, '--prefix', 'shop.', '--out', out, '--runtime-import', 'accord/sdk/codegen']));
    for (const r of runs) expect(r).toMatchObject({ code: 0, stderr: '' });
    const [first, second] = [filesOf(a), filesOf(b)];
    expect(Object.keys(first)).toEqual(['OrderPlaced.ts', 'ParcelSent.ts', 'accord-codegen.json', 'index.ts']);
    expect(second).toEqual(first);
    const head = commits.at(-1)!;
    for (const [file, text] of Object.entries(first)) {
      if (file !== 'accord-codegen.json') expect(text).toContain(`// Source: contracts contracts @ ${head}, schema ids 0 until registered.\n`);
    }
    expect(first['OrderPlaced.ts']).toMatch(/^\/\/ Generated by Accord \d+\.\d+\.\d+\S* \(accord codegen\) from subject "shop\.order-placed-value":\n\/\/ versions 1 \(id 0\), 2 \(id 0\), 3 \(id 0\)\.\n/);
    expect(first['ParcelSent.ts']).toContain('// versions 1 (id 0), 2 (id 0).\n');
    expect(first['ParcelSent.ts']).toContain('carrier: string;');

    // Changes not committed are left out, with a note.
    writeFileSync(join(contracts, 'order-placed.avsc'), order(['currency', 'channel', 'draft']));
    const dirty = outDir('dirty');
    const withChanges = await accord(['codegen', '--contracts', contracts, '--prefix', 'shop.', '--out', dirty, '--runtime-import', 'accord/sdk/codegen']);
    await git(repo, 'checkout', '--', '.');
    expect(withChanges.code).toBe(0);
    expect(withChanges.stderr).toBe(`accord codegen: ${contracts} has changes not committed: generated from HEAD (${head.slice(0, 12)}) without them; commit them to include them\n`);
    expect(filesOf(dirty)).toEqual(first);

    // --ref: the history up to an older commit.
    const old = outDir('ref');
    const atSecond = await accord(['codegen', '--contracts', contracts, '--ref', commits[1]!, '--subject', 'shop.order-placed-value', '--out', old, '--runtime-import', 'accord/sdk/codegen']);
    expect(atSecond).toMatchObject({ code: 0, stderr: '' });
    expect(readFileSync(join(old, 'OrderPlaced.ts'), 'utf8')).toContain(`// versions 1 (id 0), 2 (id 0).\n// Source: contracts contracts @ ${commits[1]}, schema ids 0 until registered.\n`);

    writeFileSync(join(a, 'tsconfig.json'), JSON.stringify({ extends: '../../../tsconfig.json', compilerOptions: { noEmit: true }, include: ['./*.ts'] }));
    const tsc = await run(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', join(a, 'tsconfig.json')], { cwd: ROOT });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.code).toBe(0);
  }, 120_000);

  it('equals what codegen --registry writes after pushing each commit to a real Accord, apart from the source line and ids', async () => {
    const checkout = tempDir('offline-push');
    await git(repo, 'worktree', 'add', '-q', '--detach', checkout, commits[0]!);
    for (const sha of commits) {
      await git(checkout, 'checkout', '-q', '--detach', sha);
      const pushed = await accord(['push', join(checkout, 'contracts'), '--registry', server.url]);
      expect(pushed.code, pushed.stderr + pushed.stdout).toBe(0);
    }
    const online = outDir('online');
    const offline = outDir('offline');
    const [fromRegistry, fromContracts] = [
      await accord(['codegen', '--registry', server.url, ...SUBJECTS.flatMap((s) => ['--subject', s]), '--out', online, '--runtime-import', 'accord/sdk/codegen']),
      await accord(['codegen', '--contracts', contracts, ...SUBJECTS.flatMap((s) => ['--subject', s]), '--out', offline, '--runtime-import', 'accord/sdk/codegen']),
    ];
    expect(fromRegistry).toMatchObject({ code: 0, stderr: '' });
    expect(fromContracts).toMatchObject({ code: 0, stderr: '' });
    const [a, b] = [filesOf(online), filesOf(offline)];
    expect(Object.keys(b)).toEqual(Object.keys(a));
    expect(a['OrderPlaced.ts']).toMatch(/\/\/ versions 1 \(id [1-9]\d*\), 2 \(id [1-9]\d*\), 3 \(id [1-9]\d*\)\.\n/);
    expect(a['index.ts']).toContain(`// Source: registry ${server.url}.\n`);
    expect(a['ShipmentDispatched.ts']).toMatch(/\/\/ versions 1 \(id \d+\), 2 \(id \d+\)\.\n/);
    expect(b['ShipmentDispatched.ts']).toContain('unit: string;');
    // JSON Schema: v1, v2, and v2 again with the changed money.json it references.
    expect(a['PaymentReceived.ts']).toMatch(/\/\/ versions 1 \(id \d+\), 2 \(id \d+\), 3 \(id \d+\)\.\n/);
    expect(b['PaymentReceived.ts']).toContain('(cents)');
    for (const name of Object.keys(a)) expect(comparable(b[name]!), name).toBe(comparable(a[name]!));
  }, 120_000);

  it('outside git: the current text as version 1, with a one-line note', async () => {
    const plain = tempDir('offline-plain');
    writeFileSync(join(plain, 'accord.yaml'), MANIFEST);
    writeFileSync(join(plain, 'order-placed.avsc'), order(['currency']));
    writeFileSync(join(plain, 'parcel-sent.proto'), parcel(''));
    mkdirSync(join(plain, 'shipping'));
    writeFileSync(join(plain, 'shipping/address.proto'), EXAMPLE('address.proto'));
    writeFileSync(join(plain, 'shipping/shipment-dispatched.proto'), EXAMPLE('shipment-dispatched.proto'));
    mkdirSync(join(plain, 'pay'));
    writeFileSync(join(plain, 'pay/money.json'), PAYMENT('money.json'));
    writeFileSync(join(plain, 'pay/payment-received.json'), PAYMENT('payment-received.v1.json'));
    const out = outDir('plain');
    const r = await accord(['codegen', '--contracts', plain, '--subject', 'shop.order-placed-value', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(`accord codegen: ${plain} is not in a git repository: each subject's current schema is its only version (1)\n`);
    const text = readFileSync(join(out, 'OrderPlaced.ts'), 'utf8');
    expect(text).toContain(`// versions 1 (id 0).\n// Source: contracts ${plain} (not in git: current text only), schema ids 0 until registered.\n`);
    expect(text).toContain('currency: string;');
  });

  it('no manifest, an unknown subject, a bad ref, both sources, a shallow clone, no directory, a prefix of nothing: one line and the usage, exit 2', async () => {
    const out = join(tempDir('offline-err'), 'out');
    const shallow = join(tempDir('offline-shallow'), 'clone');
    await git(repo, 'clone', '-q', '--depth', '1', `file://${repo}`, shallow);
    const [noManifest, unknown, badRef, both, cut, missing, nothing] = await Promise.all([
      accord(['codegen', '--contracts', repo, '--prefix', 'shop.', '--out', out]),
      accord(['codegen', '--contracts', contracts, '--subject', 'shop.nope-value', '--out', out]),
      accord(['codegen', '--contracts', contracts, '--ref', 'no-such-ref', '--prefix', 'shop.', '--out', out]),
      accord(['codegen', '--contracts', contracts, '--registry', server.url, '--prefix', 'shop.', '--out', out]),
      accord(['codegen', '--contracts', join(shallow, 'contracts'), '--prefix', 'shop.', '--out', out]),
      accord(['codegen', '--contracts', join(repo, 'nowhere'), '--prefix', 'shop.', '--out', out]),
      accord(['codegen', '--contracts', contracts, '--subject', 'shop.order-placed-value', '--prefix', 'nope.', '--out', out]),
    ]);
    const expected = [
      `accord codegen: no accord.yaml in ${repo} at HEAD; give --contracts the directory holding it`,
      `accord codegen: subject 'shop.nope-value' is not in ${contracts}/accord.yaml; check --subject`,
      `accord codegen: 'no-such-ref' is not a git ref of the repository holding ${contracts}; give --ref a branch, tag or commit`,
      'accord codegen: give --registry or --contracts, not both',
      `accord codegen: the repository holding ${join(shallow, 'contracts')} is a shallow clone, so schema history is cut short; fetch it whole (git fetch --unshallow; actions/checkout: fetch-depth: 0)`,
      `accord codegen: --contracts ${join(repo, 'nowhere')} does not exist; give the directory holding accord.yaml`,
      `accord codegen: no subject of ${contracts}/accord.yaml starts with 'nope.'; check --prefix`,
    ];
    [noManifest, unknown, badRef, both, cut, missing, nothing].forEach((r, i) => {
      expect(r!.code).toBe(2);
      expect(r!.stdout).toBe('');
      const lines = r!.stderr.trimEnd().split('\n');
      expect(lines[0]).toBe(expected[i]);
      expect(lines.slice(1)).toEqual([expect.stringMatching(/^usage: accord codegen /)]);
    });
  });
});
