// `accord check` and `accord push` end to end: the real CLI (`node bin/accord.js`) in a child process, against a running
// Accord over HTTP, and offline against a git ref of a temporary repository. Exit codes (0 clean, 1 findings at or above
// the threshold or a failed registration, 2 usage and connection errors) and every output format.
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../support/run.js';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { accord, closedPort, EXAMPLES, lineOf, paymentSchema, ROOT, tempDir, writeContracts } from './support.js';

// One server for the file: PostgreSQL when TEST_DATABASE_URL is set, else PGlite.
const backend = backends.at(-1)!;

describe(`accord CLI against a running registry (${backend.name})`, () => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer(backend);
    api = client(server.url);
    // FIELD_DOCUMENTED is not in the default profile: these contracts opt into it, so an undocumented field is a warning.
    expect((await api.put(`/governance/settings/prefixes/cli${process.pid}.`, { severities: { FIELD_DOCUMENTED: 'warn' } })).status).toBe(200);
  });
  afterAll(() => server?.close());

  it('push registers contracts/examples in reference order and writes the catalog; check then passes (exit 0)', async () => {
    const pushed = await accord(['push', 'contracts/examples', '--registry', server.url]);
    expect(pushed.stderr).toBe('');
    expect(pushed.code).toBe(0);
    const lines = pushed.stdout.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^orders\.order-created-value: version 1, id \d+$/),
      expect.stringMatching(/^shipping\/address\.proto: version 1, id \d+$/),
      expect.stringMatching(/^shipping\.shipment-dispatched-value: version 1, id \d+$/),
      expect.stringMatching(/^payments\.payment-refunded-value: version 1, id \d+$/),
    ]);
    expect((await api.get('/subjects/payments.payment-refunded-value/versions/1')).json.schemaType).toBe('JSON');
    expect((await api.get('/catalog/subjects/orders.order-created-value')).json).toMatchObject({ owner: 'checkout', domain: 'orders', sensitive: ['OrderCreated.customerEmail'], consumers: ['billing-service', 'fulfilment-service'] });
    expect((await api.get(`/catalog/subjects/${encodeURIComponent('shipping/address.proto')}`)).json).toMatchObject({ owner: 'logistics', domain: 'shipping' });
    expect((await api.get('/subjects/shipping.shipment-dispatched-value/versions/1')).json.references).toEqual([{ name: 'shipping/address.proto', subject: 'shipping/address.proto', version: 1 }]);

    const [text, json] = await Promise.all([
      accord(['check', 'contracts/examples', '--registry', server.url]),
      accord(['check', 'contracts/examples', '--registry', server.url, '--format', 'json', '--fail-on', 'warn']),
    ]);
    expect(text).toMatchObject({ code: 0, stderr: '' });
    expect(text.stdout.trim()).toBe('accord check: no findings');
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({ findings: [], errors: 0, warnings: 0 });

    // Pushing again registers nothing new, and says so.
    const again = await accord(['push', EXAMPLES, '--registry', server.url]);
    expect(again.code).toBe(0);
    expect(again.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^orders\.order-created-value: unchanged \(already registered as version 1, id \d+\)$/),
      expect.stringMatching(/^shipping\/address\.proto: unchanged \(already registered as version 1, id \d+\)$/),
      expect.stringMatching(/^shipping\.shipment-dispatched-value: unchanged \(already registered as version 1, id \d+\)$/),
      expect.stringMatching(/^payments\.payment-refunded-value: unchanged \(already registered as version 1, id \d+\)$/),
    ]);
  }, 240_000); // six runs of the CLI in a row: generous on a loaded machine

  describe('a breaking change in a contracts directory', () => {
    let dir: string;
    let file: string;
    const subject = `cli${process.pid}.payments.payment-captured-value`;
    beforeAll(async () => {
      dir = writeContracts(tempDir('breaking'), subject, paymentSchema());
      file = join(dir, 'payment-captured.avsc');
      const pushed = await accord(['push', dir, '--registry', server.url]);
      expect(pushed.code, pushed.stderr).toBe(0);
      // A new field without a default: BACKWARD-incompatible, and undocumented (a warning).
      writeFileSync(file, paymentSchema(['{ "name": "currency", "type": "string" }']));
    });

    it('check exits 1 and reports the incompatibility and the warning in each format, at the new field\'s line', async () => {
      const line = lineOf(file, '"currency"');
      const check = (format: string) => accord(['check', dir, '--registry', server.url, '--format', format]);
      const [text, json, github] = await Promise.all([check('text'), check('json'), check('github')]);

      expect(text.code).toBe(1);
      const textLines = text.stdout.trim().split('\n');
      expect(textLines[0]).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:${line}: error READER_FIELD_MISSING_DEFAULT_VALUE \\[${subject.replace(/\./g, '\\.')} /fields/4\\] `));
      expect(textLines[0]).toContain("Field 'currency'");
      expect(textLines[0]).toContain('(against version 1)');
      expect(textLines[0]).toContain("Fix: give field 'currency' a default.");
      expect(textLines).toContain(`${file}:${line}: warn FIELD_DOCUMENTED [${subject} /fields/4] Field 'currency' of PaymentCaptured has no documentation. Fix: add a doc to 'currency' saying what it holds and in which unit.`);
      expect(textLines.at(-1)).toBe('1 error(s), 1 warning(s)');

      expect(json.code).toBe(1);
      const report = JSON.parse(json.stdout);
      expect(report.errors).toBe(1);
      expect(report.warnings).toBe(1);
      expect(report.findings).toEqual([
        expect.objectContaining({ file, line, subject, path: '/fields/4', severity: 'error', rule: 'READER_FIELD_MISSING_DEFAULT_VALUE', hint: "give field 'currency' a default" }),
        expect.objectContaining({ file, line, subject, path: '/fields/4', severity: 'warn', rule: 'FIELD_DOCUMENTED' }),
      ]);

      expect(github.code).toBe(1);
      const annotations = github.stdout.trim().split('\n');
      expect(annotations).toHaveLength(2);
      expect(annotations[0]).toMatch(new RegExp(`^::error file=${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},line=${line},title=READER_FIELD_MISSING_DEFAULT_VALUE \\(${subject.replace(/\./g, '\\.')}\\)::Field 'currency'`));
      expect(annotations[1]).toMatch(new RegExp(`^::warning file=.*payment-captured\\.avsc,line=${line},title=FIELD_DOCUMENTED \\(`));
      expect(annotations[1]).toContain('Fix: add a doc');

      // Nothing was registered by the check.
      expect((await api.get(`/subjects/${subject}/versions`)).json).toEqual([1]);
    });

    it('follows the registry\'s level: with the subject at NONE the change passes', async () => {
      const config = await api.put(`/config/${subject}`, { compatibility: 'NONE' });
      expect(config.status).toBe(200);
      try {
        const res = await accord(['check', dir, '--registry', server.url]);
        expect(res.code).toBe(0);
        expect(res.stdout).not.toContain('READER_FIELD_MISSING_DEFAULT_VALUE');
        expect(res.stdout).toContain('warn FIELD_DOCUMENTED');
      } finally {
        await api.delete(`/config/${subject}`);
      }
    });
  });

  it('warnings exit 0 by default and 1 with --fail-on warn', async () => {
    const subject = `cli${process.pid}.warn.payment-captured-value`;
    const dir = writeContracts(tempDir('warn'), subject, paymentSchema(['{ "name": "note", "type": ["null", "string"], "default": null }']));
    const [lenient, strict] = await Promise.all([
      accord(['check', dir, '--registry', server.url]),
      accord(['check', dir, '--registry', server.url, '--fail-on', 'warn']),
    ]);
    for (const res of [lenient, strict]) {
      expect(res.stdout).toContain(`:${lineOf(join(dir, 'payment-captured.avsc'), '"note"')}: warn FIELD_DOCUMENTED`);
      expect(res.stdout).toContain('0 error(s), 1 warning(s)');
    }
    expect(lenient.code).toBe(0);
    expect(strict.code).toBe(1);
  });

  it('governance errors from the registry\'s settings fail the check, and a push under them fails with exit 1', async () => {
    const prefix = `strictcli${process.pid}.`;
    expect((await api.post(`/governance/profiles/strict?prefix=${prefix}`)).status).toBe(200);
    const subject = `${prefix}users.user-updated-value`;
    const dir = tempDir('strict');
    writeFileSync(join(dir, 'accord.yaml'), `contracts:\n  - subject: ${subject}\n    schema: user-updated.avsc\n    catalog: { owner: identity, domain: users }\n`);
    writeFileSync(
      join(dir, 'user-updated.avsc'),
      JSON.stringify({ type: 'record', name: 'UserUpdated', namespace: 'acme.users', doc: 'A user changed.', fields: [{ name: 'eventId', type: 'string', doc: 'Id.' }, { name: 'occurredAt', type: 'long', doc: 'When.' }, { name: 'correlationId', type: 'string', doc: 'Corr.' }] }, null, 2),
    );
    const [checked, pushed] = await Promise.all([accord(['check', dir, '--registry', server.url, '--format', 'github']), accord(['push', dir, '--registry', server.url])]);
    expect(checked.code).toBe(1);
    expect(checked.stdout).toMatch(/^::error file=.*user-updated\.avsc,line=1,title=EVENT_NAME_SPECIFIC \(/);
    expect(checked.stdout).toContain("UserAddressChanged");
    expect(pushed.code).toBe(1);
    expect(pushed.stdout).toContain(`${subject}: FAILED 42201:`);
    expect(pushed.stdout).toContain('EVENT_NAME_SPECIFIC');
    expect(pushed.stdout).toContain('its catalog entry was left as it was');
    expect((await api.get(`/subjects/${subject}/versions`)).status).toBe(404);
    // The refused version left no catalog entry behind.
    expect((await api.get(`/catalog/subjects/${subject}`)).status).toBe(404);
  });

  it('a push whose version is refused as incompatible puts the catalog entry back as it was', async () => {
    const subject = `cli${process.pid}.undo.payment-captured-value`;
    const dir = writeContracts(tempDir('undo'), subject, paymentSchema());
    const first = await accord(['push', dir, '--registry', server.url]);
    expect(first.code, first.stderr).toBe(0);
    const before = (await api.get(`/catalog/subjects/${subject}`)).json;
    expect(before).toMatchObject({ owner: 'payments', domain: 'billing' });
    // A new owner in the manifest, and an incompatible change (a field without a default): 409.
    const manifest = join(dir, 'accord.yaml');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace('owner: payments', 'owner: treasury'));
    writeFileSync(join(dir, 'payment-captured.avsc'), paymentSchema(['{ "name": "currency", "type": "string", "doc": "ISO code." }']));
    const refused = await accord(['push', dir, '--registry', server.url]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(new RegExp(`^${subject.replace(/\./g, '\\.')}: FAILED incompatible: .*; its catalog entry was left as it was$`, 'm'));
    expect((await api.get(`/catalog/subjects/${subject}`)).json).toEqual(before);
    expect((await api.get(`/subjects/${subject}/versions`)).json).toEqual([1]);
  });

  describe('usage and connection errors exit 2', () => {
    let notAccord: Server;
    let notAccordUrl: string;
    beforeAll(async () => {
      notAccord = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>'));
      await new Promise<void>((r) => notAccord.listen(0, '127.0.0.1', r));
      notAccordUrl = `http://127.0.0.1:${(notAccord.address() as { port: number }).port}`;
    });
    afterAll(() => new Promise<void>((r) => notAccord.close(() => r())));

    it('an unreachable registry never passes silently, for check and push', async () => {
      const url = `http://127.0.0.1:${await closedPort()}`;
      const [checked, pushed, foreign] = await Promise.all([
        accord(['check', 'contracts/examples', '--registry', url]),
        accord(['push', 'contracts/examples', '--registry', url]),
        accord(['check', 'contracts/examples', '--registry', notAccordUrl]),
      ]);
      expect(checked.code).toBe(2);
      expect(checked.stderr).toContain(`cannot reach the registry at ${url}`);
      expect(checked.stdout).toBe('');
      expect(checked.stderr).not.toContain('usage:'); // a connection error is not a usage error
      expect(pushed.code).toBe(2);
      expect(pushed.stderr).toContain('cannot reach the registry');
      expect(foreign.code).toBe(2);
      expect(foreign.stderr).toContain('not JSON');
    });

    it('unknown flags, bad flag values, a missing --registry, a missing manifest and an unknown command', async () => {
      const runs = await Promise.all([
        accord(['check', 'contracts/examples', '--registry', server.url, '--bogus', 'x']),
        accord(['check', 'contracts/examples', '--registry', server.url, '--format', 'xml']),
        accord(['check', 'contracts/examples', '--registry', server.url, '--fail-on', 'info']),
        accord(['check', 'contracts/examples']),
        accord(['check', join(ROOT, 'no-such-dir'), '--registry', server.url]),
        accord(['frobnicate']),
      ]);
      const [bogus, format, failOn, noRegistry, noManifest, unknown] = runs;
      for (const r of runs) {
        expect(r.code).toBe(2);
        expect(r.stdout).toBe('');
      }
      expect(bogus!.stderr).toContain('unknown flag --bogus');
      expect(bogus!.stderr).toContain('usage: accord check [DIR]'); // the usage line
      expect(format!.stderr).toContain('--format must be one of text, json, github, junit, sarif');
      expect(failOn!.stderr).toContain('--fail-on must be one of error, warn');
      expect(noRegistry!.stderr).toContain('--registry');
      expect(noManifest!.stderr).toContain('no accord.yaml');
      expect(unknown!.stderr).toContain("unknown command 'frobnicate'");
    });
  });
});

describe('accord check --against <git-ref>, offline in a temporary repository', () => {
  let repo: string;
  let contracts: string;
  let avsc: string;
  let proto: string;
  // Asynchronous: this process also serves the registry the CLI talks to.
  const git = async (...args: string[]) => {
    const res = await run('git', args, { cwd: repo });
    if (res.code !== 0) throw new Error(`git ${args.join(' ')}: ${res.stderr}`);
    return res.stdout;
  };

  beforeAll(async () => {
    repo = tempDir('git');
    contracts = join(repo, 'contracts');
    await git('init', '-q');
    await git('config', 'user.name', 'Accord Test');
    await git('config', 'user.email', 'accord-test@example.com');
    await git('config', 'commit.gpgsign', 'false');
    cpSync(EXAMPLES, contracts, { recursive: true });
    avsc = join(contracts, 'order-created.avsc');
    proto = join(contracts, 'shipping/shipment-dispatched.proto');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'contracts');
  });

  const restore = () => git('checkout', '-q', '--', '.');

  it('an unchanged directory checks clean, with no server', async () => {
    const res = await accord(['check', contracts, '--against', 'HEAD']);
    expect(res).toMatchObject({ code: 0, stderr: '' });
    expect(res.stdout.trim()).toBe('accord check: no findings');
  });

  it('an incompatible change exits 1 and points at the changed field\'s line, in text, json and github', async () => {
    // Avro: total double → string; Protobuf: shipment_id string → int64.
    writeFileSync(avsc, readFileSync(avsc, 'utf8').replace('{ "name": "total", "type": "double"', '{ "name": "total", "type": "string"'));
    writeFileSync(proto, readFileSync(proto, 'utf8').replace('string shipment_id = 4;', 'int64 shipment_id = 4;'));
    try {
      const avroLine = lineOf(avsc, '"total"');
      const protoLine = lineOf(proto, 'shipment_id = 4');
      const [text, json, github] = await Promise.all([
        accord(['check', contracts, '--against', 'HEAD']),
        accord(['check', contracts, '--against', 'HEAD', '--format', 'json']),
        // As a CI job runs it: from the repository root, with a relative directory.
        accord(['check', 'contracts', '--against', 'HEAD', '--format', 'github'], repo),
      ]);

      expect(text.code).toBe(1);
      expect(text.stderr).toBe(''); // findings are not a usage error: no usage line
      expect(text.stdout).toContain(`${avsc}:${avroLine}: error TYPE_MISMATCH [orders.order-created-value /fields/4/type]`);
      expect(text.stdout).toContain(`${proto}:${protoLine}: error FIELD_SCALAR_KIND_CHANGED [shipping.shipment-dispatched-value #/ShipmentDispatched/4]`);
      expect(text.stdout.trim().split('\n').at(-1)).toBe('2 error(s), 0 warning(s)');

      expect(json.code).toBe(1);
      const report = JSON.parse(json.stdout);
      expect(report).toMatchObject({ errors: 2, warnings: 0 });
      expect(report.findings).toEqual([
        expect.objectContaining({ file: avsc, line: avroLine, rule: 'TYPE_MISMATCH', severity: 'error', subject: 'orders.order-created-value' }),
        expect.objectContaining({ file: proto, line: protoLine, rule: 'FIELD_SCALAR_KIND_CHANGED', severity: 'error', subject: 'shipping.shipment-dispatched-value' }),
      ]);

      expect(github.code).toBe(1);
      const annotations = github.stdout.trim().split('\n');
      expect(annotations[0]).toMatch(new RegExp(`^::error file=contracts/order-created\\.avsc,line=${avroLine},title=TYPE_MISMATCH \\(orders\\.order-created-value\\)::`));
      expect(annotations[1]).toMatch(new RegExp(`^::error file=contracts/shipping/shipment-dispatched\\.proto,line=${protoLine},title=FIELD_SCALAR_KIND_CHANGED \\(shipping\\.shipment-dispatched-value\\)::Field shipment_id`));
      expect(annotations).toHaveLength(2);
    } finally {
      await restore();
    }
  });

  it('a JSON Schema change is checked with Confluent\'s rules and points at the changed keyword\'s line', async () => {
    const schemaFile = join(contracts, 'payments/payment-refunded.schema.json');
    // Tightening minLength (incompatible) and adding an optional property to the closed model (compatible).
    writeFileSync(
      schemaFile,
      readFileSync(schemaFile, 'utf8')
        .replace('"minLength": 1,', '"minLength": 3,')
        .replace('"required":', '"note": { "type": "string", "description": "Free text." }\n  },\n  "required":')
        .replace('"description": "Where the refund notice was sent." }\n  },', '"description": "Where the refund notice was sent." },'),
    );
    try {
      expect(() => JSON.parse(readFileSync(schemaFile, 'utf8'))).not.toThrow();
      const line = lineOf(schemaFile, '"minLength": 3');
      const [text, github] = await Promise.all([
        accord(['check', contracts, '--against', 'HEAD']),
        accord(['check', 'contracts', '--against', 'HEAD', '--format', 'github'], repo),
      ]);
      expect(text.code).toBe(1);
      expect(text.stdout).toContain(`${schemaFile}:${line}: error MIN_LENGTH_INCREASED [payments.payment-refunded-value /properties/paymentId/minLength]`);
      expect(text.stdout.trim().split('\n').at(-1)).toBe('1 error(s), 0 warning(s)');
      expect(github.stdout.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^::error file=contracts/payments/payment-refunded\\.schema\\.json,line=${line},title=MIN_LENGTH_INCREASED \\(payments\\.payment-refunded-value\\)::`)),
      ]);
    } finally {
      await restore();
    }
  });

  it('a compatible change exits 0 (a field added with a default, a Protobuf field renamed)', async () => {
    writeFileSync(
      avsc,
      readFileSync(avsc, 'utf8').replace('"doc": "Where the receipt was sent." }', '"doc": "Where the receipt was sent." },\n    { "name": "channel", "type": "string", "default": "web", "doc": "Where the order was placed." }'),
    );
    const address = join(contracts, 'shipping/address.proto');
    writeFileSync(address, readFileSync(address, 'utf8').replace('string city = 3;', 'string town = 3;'));
    expect(readFileSync(avsc, 'utf8')).toContain('"channel"');
    expect(readFileSync(address, 'utf8')).toContain('string town = 3;');
    try {
      const res = await accord(['check', contracts, '--against', 'HEAD', '--fail-on', 'warn']);
      expect(res.stdout.trim()).toBe('accord check: no findings');
      expect(res.code).toBe(0);
    } finally {
      await restore();
    }
  });

  it('offline, the default profile runs unless the manifest names another: an undocumented field passes, and fails under strict', async () => {
    const manifest = join(contracts, 'accord.yaml');
    writeFileSync(avsc, readFileSync(avsc, 'utf8').replace('"doc": "Where the receipt was sent." }', '"doc": "Where the receipt was sent." },\n    { "name": "channel", "type": "string", "default": "web" }'));
    try {
      const lenient = await accord(['check', contracts, '--against', 'HEAD', '--fail-on', 'warn']);
      expect(lenient.stdout.trim()).toBe('accord check: no findings');
      expect(lenient.code).toBe(0);
      writeFileSync(manifest, `${readFileSync(manifest, 'utf8')}\ngovernance:\n  profile: strict\n`);
      const strict = await accord(['check', contracts, '--against', 'HEAD']);
      expect(strict.code).toBe(1);
      expect(strict.stdout).toContain(`${avsc}:${lineOf(avsc, '"channel"')}: error FIELD_DOCUMENTED [orders.order-created-value /fields/7]`);
      expect(strict.stdout.trim().split('\n').at(-1)).toBe('1 error(s), 0 warning(s)');
    } finally {
      await restore();
    }
  });

  it('the manifest\'s governance settings apply offline: raised rules fail, and the finding points at the line', async () => {
    const manifest = join(contracts, 'accord.yaml');
    const original = readFileSync(manifest, 'utf8');
    writeFileSync(manifest, `${original}\ngovernance:\n  severities:\n    FIELD_DOCUMENTED: error\n`);
    writeFileSync(avsc, readFileSync(avsc, 'utf8').replace('"doc": "Where the receipt was sent." }', '"doc": "Where the receipt was sent." },\n    { "name": "channel", "type": "string", "default": "web" }'));
    try {
      const [plain, github] = await Promise.all([
        accord(['check', contracts, '--against', 'HEAD']),
        accord(['check', 'contracts', '--against', 'HEAD', '--format', 'github'], repo),
      ]);
      expect(plain.code).toBe(1);
      expect(plain.stdout).toContain(`${avsc}:${lineOf(avsc, '"channel"')}: error FIELD_DOCUMENTED [orders.order-created-value /fields/7]`);
      expect(github.stdout).toContain(`::error file=contracts/order-created.avsc,line=${lineOf(avsc, '"channel"')},title=FIELD_DOCUMENTED (orders.order-created-value)::Field 'channel' of OrderCreated has no documentation.`);
    } finally {
      await restore();
    }
  });

  it('a bad ref, or a directory outside any git repository, exits 2 with one line naming the problem', async () => {
    const outside = writeContracts(tempDir('nogit'), 'x-value', paymentSchema());
    const [badRef, noRepo] = await Promise.all([
      accord(['check', contracts, '--against', 'no-such-ref']),
      // git may not look above the temporary directory, whatever tmpdir() sits in.
      accord(['check', outside, '--against', 'HEAD'], ROOT, { GIT_CEILING_DIRECTORIES: dirname(outside) }),
    ]);
    expect(badRef.code).toBe(2);
    expect(badRef.stderr).toContain("accord check: 'no-such-ref' is not a git ref of the repository holding");
    expect(badRef.stdout).toBe('');
    expect(noRepo.code).toBe(2);
    expect(noRepo.stdout).toBe('');
    expect(noRepo.stderr.split('\n')[0]).toBe(`accord check: ${outside} is not inside a git repository; --against needs one (or use --registry)`);
    expect(noRepo.stderr).not.toContain('    at '); // no stack trace
  });

  it('ACCORD_REGISTRY is only a default: with --against the check runs offline; --registry and --against together are refused', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}`;
    const [offline, both] = await Promise.all([
      accord(['check', contracts, '--against', 'HEAD'], ROOT, { ACCORD_REGISTRY: unreachable }),
      accord(['check', contracts, '--against', 'HEAD', '--registry', unreachable]),
    ]);
    expect(offline).toMatchObject({ code: 0, stderr: '' });
    expect(offline.stdout.trim()).toBe('accord check: no findings');
    expect(both.code).toBe(2);
    expect(both.stdout).toBe('');
    expect(both.stderr).toContain('accord check: give one of --registry or --against, not both\nusage: accord check ');
  });
});
