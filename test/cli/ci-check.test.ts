// `accord check` as CI runs it from the first pull request: a contracts directory new at the ref, typos in accord.yaml,
// and the JUnit and SARIF reports (the SARIF validated against the SARIF 2.1.0 JSON schema). Also: a data error (a cut
// backup file) is one line, without the usage line that only usage errors get.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/run.js';
import { accord, EXAMPLES, lineOf, paymentSchema, tempDir, writeContracts } from './support.js';

const require = createRequire(import.meta.url);

async function gitRepo(label: string) {
  const repo = tempDir(label);
  const git = async (...args: string[]) => {
    const res = await run('git', args, { cwd: repo });
    if (res.code !== 0) throw new Error(`git ${args.join(' ')}: ${res.stderr}`);
    return res.stdout;
  };
  await git('init', '-q', '-b', 'main');
  await git('config', 'user.name', 'Accord Test');
  await git('config', 'user.email', 'accord-test@example.com');
  await git('config', 'commit.gpgsign', 'false');
  return { repo, git };
}

describe('check --against a ref the contracts directory is new at', () => {
  let repo: string;
  let git: (...args: string[]) => Promise<string>;
  beforeAll(async () => {
    ({ repo, git } = await gitRepo('new-dir'));
    writeFileSync(join(repo, 'README.md'), 'a service\n');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'before contracts');
    await git('checkout', '-q', '-b', 'feature');
    cpSync(EXAMPLES, join(repo, 'contracts'), { recursive: true });
    await git('add', '-A');
    await git('commit', '-q', '-m', 'contracts');
  });

  it('treats every contract as new, says so, and exits 0 when the rules pass', async () => {
    const res = await accord(['check', 'contracts', '--against', 'main'], repo);
    expect(res.stderr.trim()).toBe('accord check: contracts/accord.yaml is not at main (the contracts directory is new): every contract is new, so only the governance rules apply');
    expect(res.stdout.trim()).toBe('accord check: no findings');
    expect(res.code).toBe(0);
  });

  it('still applies the rules to the new contracts (exit 1 on an error)', async () => {
    const manifest = join(repo, 'contracts/accord.yaml');
    const original = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, `${original}\ngovernance:\n  severities:\n    FIELD_DOCUMENTED: error\n`);
    const avsc = join(repo, 'contracts/order-created.avsc');
    const schema = readFileSync(avsc, 'utf8');
    writeFileSync(avsc, schema.replace('"doc": "Where the receipt was sent." }', '"doc": "Where the receipt was sent." },\n    { "name": "channel", "type": "string", "default": "web" }'));
    try {
      const res = await accord(['check', 'contracts', '--against', 'main'], repo);
      expect(res.code).toBe(1);
      expect(res.stdout).toContain(`contracts/order-created.avsc:${lineOf(avsc, '"channel"')}: error FIELD_DOCUMENTED`);
    } finally {
      writeFileSync(manifest, original);
      writeFileSync(avsc, schema);
    }
  });

  it('a contract added to an existing directory is named as new', async () => {
    const manifest = join(repo, 'contracts/accord.yaml');
    const original = readFileSync(manifest, 'utf8');
    writeFileSync(join(repo, 'contracts/payment-captured.avsc'), paymentSchema());
    writeFileSync(manifest, original.replace('contracts:\n', 'contracts:\n  - subject: payments.payment-captured-value\n    schema: payment-captured.avsc\n    catalog: { owner: payments, domain: payments }\n'));
    try {
      const res = await accord(['check', 'contracts', '--against', 'HEAD'], repo);
      expect(res.stderr.trim()).toBe('accord check: new since HEAD (only the governance rules apply): payments.payment-captured-value');
      expect(res.code).toBe(0);
    } finally {
      writeFileSync(manifest, original);
    }
  });
});

describe('unknown keys in accord.yaml are a usage error naming the key, its line and the nearest known key', () => {
  const manifestWith = (text: string) => {
    const dir = writeContracts(tempDir('typo'), 'payments.payment-captured-value', paymentSchema());
    writeFileSync(join(dir, 'accord.yaml'), text);
    return dir;
  };
  const cases: [string, string, string][] = [
    [
      'contracts:\n  - subject: payments.payment-captured-value\n    schema: payment-captured.avsc\n    compatibilty: FULL\n',
      ":4: unknown key 'compatibilty' in contracts[0]; did you mean compatibility?",
      'a contract entry',
    ],
    [
      'contracts:\n  - subject: payments.payment-captured-value\n    schema: payment-captured.avsc\n    catalg:\n      owner: payments\n',
      ":4: unknown key 'catalg' in contracts[0]; did you mean catalog?",
      'a contract entry (catalog)',
    ],
    [
      '# the manifest\ncontracts:\n  - subject: payments.payment-captured-value\n    schema: payment-captured.avsc\ngovernanc: {profile: strict}\n',
      ":5: unknown key 'governanc' in the top level; did you mean governance?",
      'the top level',
    ],
    [
      'contracts:\n  - subject: payments.payment-captured-value\n    schema: payment-captured.avsc\n    catalog:\n      owner: payments\n      domian: billing\n',
      ":6: unknown key 'domian' in contracts[0].catalog; did you mean domain?",
      'a catalog entry',
    ],
    [
      'contracts:\n  - subject: payments.payment-captured-value\n    schema: payment-captured.avsc\n    references:\n      - name: x\n        subject: y\n        verison: 1\n',
      ":7: unknown key 'verison' in contracts[0].references[0]; did you mean version?",
      'a reference',
    ],
    [
      'contracts:\n  - subject: payments.payment-captured-value\n    schema: payment-captured.avsc\ngovernance:\n  profile: strict\n  severities:\n    FIELD_DOCUMENTD: error\n',
      ":7: unknown key 'FIELD_DOCUMENTD' in governance.severities; did you mean FIELD_DOCUMENTED?",
      'a rule id',
    ],
    [
      'contracts:\n  - subject: payments.payment-captured-value\n    schema: payment-captured.avsc\ngovernance:\n  params:\n    fieldcase: snake_case\n',
      ":6: unknown key 'fieldcase' in governance.params; did you mean fieldCase?",
      'a rule parameter',
    ],
  ];

  it.each(cases)('%#: %s', async (manifest, message) => {
    const dir = manifestWith(manifest);
    const [checked, pushed] = await Promise.all([accord(['check', dir, '--against', 'HEAD']), accord(['push', dir, '--registry', 'http://127.0.0.1:1', '--dry-run'])]);
    for (const res of [checked, pushed]) {
      expect(res.code).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr.trim().split('\n')).toHaveLength(1); // one line: the file's problem, no usage line
      expect(res.stderr).toContain(`${join(dir, 'accord.yaml')}${message}`);
    }
  });

  it('a compatibility level that is not one is refused too, and keys a level does not fix (envelope roles) are free', async () => {
    const bad = manifestWith('contracts:\n  - subject: payments.payment-captured-value\n    schema: payment-captured.avsc\n    compatibility: FULLL\n');
    const res = await accord(['check', bad, '--against', 'HEAD']);
    expect(res.code).toBe(2);
    expect(res.stderr).toContain("contracts[0]: compatibility 'FULLL' is not one of NONE, BACKWARD");
    const free = manifestWith(
      'contracts:\n  - subject: payments.payment-captured-value\n    schema: payment-captured.avsc\n    catalog: { owner: payments, domain: billing }\ngovernance:\n  params:\n    envelopeFields:\n      tenant: [tenantId]\n',
    );
    const { repo, git } = await gitRepo('free-keys');
    cpSync(free, join(repo, 'contracts'), { recursive: true });
    await git('add', '-A');
    await git('commit', '-q', '-m', 'contracts');
    const ok = await accord(['check', 'contracts', '--against', 'HEAD'], repo);
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
  });
});

describe('check --format junit and --format sarif', () => {
  let repo: string;
  let avsc: string;
  let line: number;
  beforeAll(async () => {
    let git;
    ({ repo, git } = await gitRepo('reports'));
    cpSync(EXAMPLES, join(repo, 'contracts'), { recursive: true });
    await git('add', '-A');
    await git('commit', '-q', '-m', 'contracts');
    // One incompatibility (total double → string) and one governance warning (an undocumented field, raised to warn).
    avsc = join(repo, 'contracts/order-created.avsc');
    writeFileSync(
      avsc,
      readFileSync(avsc, 'utf8')
        .replace('{ "name": "total", "type": "double"', '{ "name": "total", "type": "string"')
        .replace('"doc": "Where the receipt was sent." }', '"doc": "Where the receipt was sent." },\n    { "name": "channel", "type": "string", "default": "web" }'),
    );
    const manifest = join(repo, 'contracts/accord.yaml');
    writeFileSync(manifest, `${readFileSync(manifest, 'utf8')}\ngovernance:\n  severities:\n    FIELD_DOCUMENTED: warn\n`);
    line = lineOf(avsc, '"total"');
  });

  it('junit: a testsuite per contract, a testcase per check, failures with the rule id and message', async () => {
    const [res, strict] = await Promise.all([
      accord(['check', 'contracts', '--against', 'HEAD', '--format', 'junit'], repo),
      accord(['check', 'contracts', '--against', 'HEAD', '--format', 'junit', '--fail-on', 'warn'], repo),
    ]);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(1);
    const xml = res.stdout;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="accord check" tests="8" failures="1" errors="0" time="0">'), xml.slice(0, 200)).toBe(true);
    const suites = [...xml.matchAll(/<testsuite name="([^"]+)" tests="(\d+)" failures="(\d+)"/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    expect(suites).toEqual([
      ['orders.order-created-value', 2, 1],
      ['shipping/address.proto', 2, 0],
      ['shipping.shipment-dispatched-value', 2, 0],
      ['payments.payment-refunded-value', 2, 0],
    ]);
    const orders = xml.slice(xml.indexOf('<testsuite name="orders.order-created-value"'), xml.indexOf('</testsuite>'));
    // Both kinds of check found something here, so neither has a passing case; a clean contract has one of each.
    expect(orders).not.toContain('<testcase name="compatibility"');
    expect(xml).toContain('<testcase name="governance rules" classname="shipping/address.proto" file="contracts/shipping/address.proto" time="0"/>');
    expect(orders).toMatch(
      new RegExp(
        `<testcase name="TYPE_MISMATCH /fields/4/type" classname="orders\\.order-created-value" file="contracts/order-created\\.avsc" line="${line}" time="0">\\n      <failure type="TYPE_MISMATCH" message="[^"]+">contracts/order-created\\.avsc:${line}: error TYPE_MISMATCH \\[orders\\.order-created-value /fields/4/type\\] `,
      ),
    );
    // Below --fail-on, a warning is reported but does not fail; at it, it fails.
    expect(orders).toMatch(/<testcase name="FIELD_DOCUMENTED \/fields\/7" [^>]*>\n      <system-out>contracts\/order-created\.avsc:\d+: warn FIELD_DOCUMENTED/);
    expect(strict.stdout).toMatch(/<testcase name="FIELD_DOCUMENTED \/fields\/7" [^>]*>\n      <failure type="FIELD_DOCUMENTED" message="Field &apos;channel&apos; of OrderCreated has no documentation\."/);
    expect(strict.stdout).toContain('<testsuites name="accord check" tests="8" failures="2"');
    // Well-formed: every element that opens closes, in order.
    const stack: string[] = [];
    for (const [, close, name, self] of xml.matchAll(/<(\/?)([\w-]+)[^>]*?(\/?)>/g)) {
      if (close) expect(stack.pop()).toBe(name);
      else if (!self) stack.push(name!);
    }
    expect(stack).toEqual([]);
  });

  it('sarif: valid SARIF 2.1.0, a result per finding with rule id, level, message, location and line, and the rules described', async () => {
    const res = await accord(['check', 'contracts', '--against', 'HEAD', '--format', 'sarif'], repo);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(1);
    const log = JSON.parse(res.stdout);

    // The OASIS schema (2.1.0, as @microsoft/jest-sarif ships it): draft-04, so Ajv's draft-04 build.
    const { default: AjvDraft04 } = require('ajv-draft-04') as { default: new (o: object) => { compile(s: object): ((d: unknown) => boolean) & { errors?: unknown } } };
    const { default: addFormats } = require('ajv-formats') as { default: (ajv: object) => void };
    // The schema's language-tag pattern is not valid with the u flag, as Ajv compiles patterns by default.
    const ajv = new AjvDraft04({ allErrors: true, strict: false, unicodeRegExp: false });
    addFormats(ajv);
    const schema = JSON.parse(readFileSync(require.resolve('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8'));
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors, null, 2)).toBe(true);

    expect(log.version).toBe('2.1.0');
    const [sarifRun] = log.runs;
    expect(sarifRun.tool.driver.name).toBe('accord');
    expect(sarifRun.results).toEqual([
      expect.objectContaining({
        ruleId: 'TYPE_MISMATCH',
        level: 'error',
        message: { text: expect.stringMatching(/^The new schema has string where the old schema has double.* Fix: keep double/) },
        locations: [expect.objectContaining({ physicalLocation: { artifactLocation: { uri: 'contracts/order-created.avsc', uriBaseId: '%SRCROOT%' }, region: { startLine: line } } })],
      }),
      expect.objectContaining({
        ruleId: 'FIELD_DOCUMENTED',
        level: 'warning',
        locations: [expect.objectContaining({ physicalLocation: { artifactLocation: { uri: 'contracts/order-created.avsc', uriBaseId: '%SRCROOT%' }, region: { startLine: lineOf(avsc, '"channel"') } } })],
      }),
    ]);
    const rules = sarifRun.tool.driver.rules;
    expect(rules.map((r: { id: string }) => r.id)).toEqual(['TYPE_MISMATCH', 'FIELD_DOCUMENTED']);
    expect(rules[1].fullDescription.text).toMatch(/^Checks that /);
    sarifRun.results.forEach((r: { ruleIndex: number; ruleId: string }) => expect(rules[r.ruleIndex].id).toBe(r.ruleId));
  });

  it('with no findings, junit lists the passing checks and sarif has no results (exit 0)', async () => {
    const { repo: other, git } = await gitRepo('clean');
    cpSync(EXAMPLES, join(other, 'contracts'), { recursive: true });
    await git('add', '-A');
    await git('commit', '-q', '-m', 'contracts');
    const [junit, sarif] = await Promise.all([
      accord(['check', 'contracts', '--against', 'HEAD', '--format', 'junit'], other),
      accord(['check', 'contracts', '--against', 'HEAD', '--format', 'sarif'], other),
    ]);
    expect(junit.code).toBe(0);
    expect(junit.stdout).toContain('<testsuites name="accord check" tests="8" failures="0"');
    expect(sarif.code).toBe(0);
    expect(JSON.parse(sarif.stdout).runs[0].results).toEqual([]);
  });
});

describe('a data error prints no usage line', () => {
  it('import of a cut backup file: one line naming the file and the problem', async () => {
    const dir = tempDir('cut');
    const cut = join(dir, 'cut.jsonl');
    writeFileSync(cut, `${JSON.stringify({ format: 'accord-backup', version: 1 })}\n`);
    const damaged = join(dir, 'damaged.jsonl.gz');
    writeFileSync(damaged, Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00]));
    const [short, gz] = await Promise.all([accord(['import', cut, '--data-dir', join(dir, 'a')]), accord(['import', damaged, '--data-dir', join(dir, 'b')])]);
    for (const res of [short, gz]) {
      expect(res.code).toBe(2);
      expect(res.stdout).toBe('');
      expect(res.stderr).not.toContain('usage:');
      expect(res.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(short.stderr).toMatch(/^accord import: .*cut\.jsonl/);
    expect(gz.stderr).toMatch(/^accord import: .*damaged\.jsonl\.gz/);
  });
});
