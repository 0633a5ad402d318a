// The CLI as a team runs it from its own repository: credentials for a protected registry (never printed), a plain
// Confluent registry without Accord's governance and catalog endpoints, `push --dry-run` and 409 reasons, and codegen
// refusing to write into Accord's own tree. The real CLI in a child process, against a real Accord over HTTP and a
// small stand-in for Confluent (below).
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { client, startTestServer, type TestServer } from '../support/server.js';
import { accord, closedPort, EXAMPLES, lineOf, literal, paymentSchema, ROOT, tempDir, writeContracts, type Run } from './support.js';

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Confluent's verbose message for a field added without a default (CP 7.x wording). */
const MISSING_DEFAULT =
  "{errorType:'READER_FIELD_MISSING_DEFAULT_VALUE', description:'The field 'currency' at path '/fields/4' in the new schema has no default value and is missing in the old schema', additionalInfo:'currency'}";
const CONFLUENT_DETAILS = [MISSING_DEFAULT, '{oldSchemaVersion: 1}', `{oldSchema: '${JSON.stringify(JSON.parse(paymentSchema()))}'}`, "{validateFields: 'false', compatibility: 'BACKWARD'}"];

interface Recorded {
  method: string;
  url: string;
  authorization: string | undefined;
}

/**
 * The stand-in for a plain Confluent Schema Registry: the Schema Registry routes the CLI calls, answered the way
 * Confluent answers them, and no Accord route (Confluent's JSON 404 for any other path). Subjects starting with
 * `known.` hold one version that a field without a default breaks; any other subject does not exist. `Bearer wrong`
 * is refused with a 401. It records every request's method, URL and Authorization header.
 */
function confluentStandIn(): { server: Server; requests: Recorded[] } {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const url = req.url ?? '/';
      requests.push({ method: req.method ?? 'GET', url, authorization: req.headers.authorization });
      const send = (status: number, body: unknown) => res.writeHead(status, { 'content-type': 'application/vnd.schemaregistry.v1+json' }).end(JSON.stringify(body));
      if (req.headers.authorization === 'Bearer wrong') return send(401, { error_code: 401, message: 'Unauthorized' });
      const compatibility = /^\/compatibility\/subjects\/([^/?]+)\/versions\/latest(\?verbose=true)?$/.exec(url);
      const subjects = /^\/subjects\/([^/?]+)(\/versions)?$/.exec(url);
      const subject = decodeURIComponent((compatibility ?? subjects)?.[1] ?? '');
      const known = subject.startsWith('known.');
      const notFound = { error_code: 40401, message: `Subject '${subject}' not found.` };
      if (req.method === 'POST' && compatibility) return known ? send(200, { is_compatible: false, messages: CONFLUENT_DETAILS }) : send(404, notFound);
      if (req.method === 'POST' && subjects && !subjects[2]) return known ? send(404, { error_code: 40403, message: 'Schema not found' }) : send(404, notFound);
      if (req.method === 'POST' && subjects) {
        if (!known) return send(200, { id: 7 });
        const message = `Schema being registered is incompatible with an earlier schema for subject "${subject}", details: [${CONFLUENT_DETAILS.join(', ')}]`;
        return send(409, { error_code: 409, message });
      }
      if (req.method === 'GET' && subjects?.[2]) return send(404, notFound);
      send(404, { error_code: 404, message: 'HTTP 404 Not Found' });
    });
  });
  return { server, requests };
}

const listen = async (server: Server) => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as { port: number }).port}`;
};

/** Neither output stream holds any of `secrets` (nor their Basic encodings). */
function expectNoSecret(run: Run, secrets: string[]) {
  for (const secret of secrets) {
    expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stdout + run.stderr).not.toContain(Buffer.from(secret).toString('base64'));
  }
  expect(run.stdout + run.stderr).not.toMatch(/\/\/[^/\s]*@/); // no userinfo in any URL printed
}

describe('against a plain Confluent registry (a stand-in without Accord routes)', () => {
  let standIn: ReturnType<typeof confluentStandIn>;
  let url: string;
  const fresh = 'fresh.payments.payment-captured-value';
  const known = 'known.payments.payment-captured-value';
  beforeAll(async () => {
    standIn = confluentStandIn();
    url = await listen(standIn.server);
  });
  afterAll(() => new Promise<void>((r) => standIn.server.close(() => r())));

  it('sends credentials from the URL, ACCORD_REGISTRY_TOKEN or ACCORD_REGISTRY_USER/PASSWORD, and prints none of them', async () => {
    const dir = writeContracts(tempDir('creds'), fresh, paymentSchema());
    const out = tempDir('creds-out');
    const withUserinfo = url.replace('//', '//ci-user:pa55-w0rd-url@');
    const token = { ACCORD_REGISTRY: url, ACCORD_REGISTRY_TOKEN: 'tok-s3cret-value' };
    const userPassword = { ACCORD_REGISTRY_USER: 'ci-user', ACCORD_REGISTRY_PASSWORD: 'pa55-w0rd-env' };
    standIn.requests.length = 0;
    const runs = await Promise.all([
      accord(['check', dir, '--registry', withUserinfo]),
      accord(['check', dir], ROOT, token),
      accord(['check', dir, '--registry', url], ROOT, userPassword),
      accord(['push', dir], ROOT, token),
      accord(['push', dir, '--dry-run'], ROOT, { ACCORD_REGISTRY: withUserinfo }),
      accord(['codegen', '--subject', fresh, '--out', out], ROOT, token),
    ]);
    const [byUrl, byToken, byUser, pushed, dryRun, generated] = runs;
    for (const run of [byUrl, byToken, byUser]) {
      expect(run!.code, run!.stderr).toBe(0);
      expect(run!.stdout.trim()).toBe('accord check: no findings');
    }
    expect(pushed!.code, pushed!.stderr).toBe(0);
    expect(pushed!.stdout.trim()).toBe(`${fresh}: id 7`);
    expect(dryRun!.stdout.trim()).toBe(`${fresh}: would register version 1 (a new subject)`);
    expect(generated!.code).toBe(2);
    expect(generated!.stderr).toContain(`accord codegen: subject '${fresh}' is not in the registry at ${url}; check --subject`);
    for (const run of runs) expectNoSecret(run, ['pa55-w0rd-url', 'pa55-w0rd-env', 'tok-s3cret-value']);

    // Every request carried one of the three, and no URL carried credentials.
    const seen = new Set(standIn.requests.map((r) => r.authorization));
    expect(seen).toEqual(new Set([basic('ci-user', 'pa55-w0rd-url'), 'Bearer tok-s3cret-value', basic('ci-user', 'pa55-w0rd-env')]));
    for (const r of standIn.requests) expect(r.url).not.toMatch(/pa55|tok-s3cret|@/);
  });

  it('a connection error or refused credentials exits 2, naming the URL without its credentials', async () => {
    const dir = writeContracts(tempDir('creds-fail'), fresh, paymentSchema());
    const closed = `http://127.0.0.1:${await closedPort()}`;
    const runs = await Promise.all([
      accord(['check', dir, '--registry', closed.replace('//', '//ci-user:pa55-w0rd-url@')]),
      accord(['push', dir], ROOT, { ACCORD_REGISTRY: closed, ACCORD_REGISTRY_TOKEN: 'tok-s3cret-value' }),
      accord(['check', dir, '--registry', url], ROOT, { ACCORD_REGISTRY_TOKEN: 'wrong' }),
      accord(['check', dir, '--registry', url]), // no credentials: the stand-in lets it through, so exit 0
      accord(['check', dir, '--registry', `${url.replace('//', '//ci-user:pa55-w0rd-url@')}?x=1`]),
    ]);
    const [refusedUrl, refusedEnv, rejected, open, query] = runs;
    expect(refusedUrl!.code).toBe(2);
    expect(refusedUrl!.stderr).toMatch(new RegExp(`^accord check: cannot reach the registry at ${literal(closed)} \\(check --registry\\): `));
    expect(refusedEnv!.code).toBe(2);
    expect(refusedEnv!.stderr).toMatch(new RegExp(`^accord push: cannot reach the registry at ${literal(closed)} \\(check ACCORD_REGISTRY\\): `));
    expect(rejected!.code).toBe(2);
    expect(rejected!.stderr.trim()).toBe(
      `accord check: the registry at ${url} refused the credentials (HTTP 401); check ACCORD_REGISTRY_USER/ACCORD_REGISTRY_PASSWORD, ACCORD_REGISTRY_TOKEN or the URL's user:password`,
    );
    expect(open!.code).toBe(0);
    expect(query!.code).toBe(2);
    expect(query!.stderr).toContain("accord check: --registry must be the registry's base URL, without a query or fragment");
    for (const run of runs) {
      expect(run.stderr.trim().split('\n').length, run.stderr).toBeLessThanOrEqual(run === query ? 2 : 1);
      expectNoSecret(run, ['pa55-w0rd-url', 'tok-s3cret-value']);
    }
  });

  it('check: the registry judges compatibility, the governance rules run offline with the manifest\'s settings, and a note says so', async () => {
    const schema = paymentSchema(['{ "name": "currency", "type": "string" }']);
    // FIELD_DOCUMENTED is off in the default profile: the manifest turns it on as a warning.
    const breaking = writeContracts(tempDir('confluent-known'), known, schema, 'governance:\n  severities:\n    FIELD_DOCUMENTED: warn\n');
    const raised = writeContracts(tempDir('confluent-fresh'), fresh, schema, 'governance:\n  severities:\n    FIELD_DOCUMENTED: error\n');
    const [text, json, strict] = await Promise.all([
      accord(['check', breaking, '--registry', url]),
      accord(['check', breaking, '--registry', url, '--format', 'json']),
      accord(['check', raised, '--registry', url]),
    ]);
    const file = join(breaking, 'payment-captured.avsc');
    const line = lineOf(file, '"currency"');
    expect(text.code).toBe(1);
    expect(text.stdout.trim().split('\n')).toEqual([
      `${file}:${line}: error READER_FIELD_MISSING_DEFAULT_VALUE [${known} /fields/4] The field 'currency' at path '/fields/4' in the new schema has no default value and is missing in the old schema (against version 1)`,
      `${file}:${line}: warn FIELD_DOCUMENTED [${known} /fields/4] Field 'currency' of PaymentCaptured has no documentation. Fix: add a doc to 'currency' saying what it holds and in which unit.`,
      '1 error(s), 1 warning(s)',
    ]);
    const note = `accord check: ${url} has no Accord governance endpoints (a plain Confluent-compatible registry): compatibility was checked by the registry, the governance rules offline with the settings of ${join(breaking, 'accord.yaml')}\n`;
    expect(text.stderr).toBe(note);
    expect(json.code).toBe(1);
    expect(json.stderr).toBe(note);
    expect(JSON.parse(json.stdout)).toMatchObject({ errors: 1, warnings: 1, findings: [{ rule: 'READER_FIELD_MISSING_DEFAULT_VALUE', line }, { rule: 'FIELD_DOCUMENTED', line }] });

    // A new subject (40401) has nothing to break; the manifest raised FIELD_DOCUMENTED to an error.
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain(`error FIELD_DOCUMENTED [${fresh} /fields/4]`);
    expect(strict.stdout).toContain('1 error(s), 0 warning(s)');
  });

  it('push: a 409 in one line (rule, path, message), catalog entries skipped with a note; --dry-run registers nothing', async () => {
    const dir = writeContracts(tempDir('confluent-push'), known, paymentSchema(['{ "name": "currency", "type": "string" }']));
    standIn.requests.length = 0;
    const dryRun = await accord(['push', dir, '--registry', url, '--dry-run']);
    expect(standIn.requests.filter((r) => r.method !== 'POST' || /\/versions$|catalog/.test(r.url))).toEqual([]);
    const pushed = await accord(['push', dir, '--registry', url]);
    const reason = `${known}: FAILED incompatible: READER_FIELD_MISSING_DEFAULT_VALUE at /fields/4: The field 'currency' at path '/fields/4' in the new schema has no default value and is missing in the old schema (against version 1)`;
    expect(pushed.code).toBe(1);
    expect(pushed.stdout).toBe(`${reason}\n`);
    expect(pushed.stderr).toBe(`accord push: ${url} has no Accord catalog (a plain Confluent-compatible registry): catalog entries were not written\n`);
    expect(dryRun.code).toBe(1);
    expect(dryRun.stdout).toBe(`${reason}\n`);
    expect(dryRun.stderr).toContain('accord push: dry run: nothing was registered and no catalog entry was written');
    expect(dryRun.stderr).toContain('has no Accord governance endpoints');
  });
});

describe(`against Accord (${backends.at(-1)!.name})`, () => {
  let server: TestServer;
  let api: ReturnType<typeof client>;
  beforeAll(async () => {
    server = await startTestServer(backends.at(-1)!);
    api = client(server.url);
  });
  afterAll(() => server?.close());

  it('push --dry-run says what each contract would do and registers nothing, then push registers and a dry run finds it all there', async () => {
    const before = await accord(['push', EXAMPLES, '--dry-run', '--registry', server.url]);
    expect(before.code, before.stderr).toBe(0);
    expect(before.stdout.trim().split('\n')).toEqual([
      'orders.order-created-value: would register version 1 (a new subject)',
      'shipping/address.proto: would register version 1 (a new subject)',
      "shipping.shipment-dispatched-value: would register after its references (references 'shipping/address.proto', which this push registers first; not checkable before)",
      'payments.payment-refunded-value: would register version 1 (a new subject)',
    ]);
    expect(before.stderr).toBe('accord push: dry run: nothing was registered and no catalog entry was written\n');
    expect((await api.get('/subjects')).json).toEqual([]);
    expect((await api.get('/catalog/subjects/orders.order-created-value')).status).toBe(404);

    expect((await accord(['push', EXAMPLES, '--registry', server.url])).code).toBe(0);
    const after = await accord(['push', EXAMPLES, '--dry-run'], ROOT, { ACCORD_REGISTRY: server.url });
    expect(after.code).toBe(0);
    expect(after.stdout.trim().split('\n')).toEqual([
      expect.stringMatching(/^orders\.order-created-value: already registered as version 1, id \d+$/),
      expect.stringMatching(/^shipping\/address\.proto: already registered as version 1, id \d+$/),
      expect.stringMatching(/^shipping\.shipment-dispatched-value: already registered as version 1, id \d+$/),
      expect.stringMatching(/^payments\.payment-refunded-value: already registered as version 1, id \d+$/),
    ]);
  });

  it('a compatible change would be a new version; an incompatible one fails the dry run and the push with one line each', async () => {
    const subject = `outside${process.pid}.payments.payment-captured-value`;
    const dir = writeContracts(tempDir('accord-push'), subject, paymentSchema());
    expect((await accord(['push', dir, '--registry', server.url])).code).toBe(0);
    const file = join(dir, 'payment-captured.avsc');

    writeFileSync(file, paymentSchema(['{ "name": "note", "type": ["null", "string"], "default": null, "doc": "A note." }']));
    const compatible = await accord(['push', dir, '--registry', server.url, '--dry-run']);
    expect(compatible.code).toBe(0);
    expect(compatible.stdout).toBe(`${subject}: would register a new version\n`);

    writeFileSync(file, paymentSchema(['{ "name": "currency", "type": "string", "doc": "ISO 4217 code." }']));
    const [dryRun, pushed] = await Promise.all([accord(['push', dir, '--registry', server.url, '--dry-run']), accord(['push', dir, '--registry', server.url])]);
    const reason = `${subject}: FAILED incompatible: READER_FIELD_MISSING_DEFAULT_VALUE at /fields/4: `;
    for (const run of [dryRun, pushed]) {
      expect(run.code).toBe(1);
      expect(run.stdout.split('\n')).toHaveLength(2); // one line and the newline
      expect(run.stdout).toMatch(new RegExp(`^${literal(reason)}Field 'currency'.* \\(against version 1\\)(; its catalog entry was left as it was)?\\n$`));
      expect(run.stdout).not.toContain('{');
    }
    expect((await api.get(`/subjects/${subject}/versions`)).json).toEqual([1]);
  });

  it('codegen writes outside Accord\'s tree and refuses Accord\'s own directories, naming them', async () => {
    expect((await accord(['push', EXAMPLES, '--registry', server.url])).code).toBe(0);
    const out = join(tempDir('codegen'), 'events');
    const refused = [join(ROOT, 'src', 'generated'), ROOT, join(ROOT, 'sdk'), join(ROOT, 'contracts', 'events')];
    const runs = await Promise.all([
      accord(['codegen', '--subject', 'orders.order-created-value', '--out', out], ROOT, { ACCORD_REGISTRY: server.url }),
      ...refused.map((dir) => accord(['codegen', '--registry', server.url, '--subject', 'orders.order-created-value', '--out', dir])),
      accord(['codegen', '--registry', server.url, '--subject', 'orders.order-created-value', '--out', 'migrations/x'], ROOT),
    ]);
    const [written, ...refusals] = runs;
    expect(written!.code, written!.stderr).toBe(0);
    expect(written!.stdout).toContain(`wrote ${join(out, 'OrderCreated.ts')}`);
    expect(existsSync(join(out, 'index.ts'))).toBe(true);
    for (const run of refusals) {
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
    }
    expect(refusals[0]!.stderr.split('\n')[0]).toBe(`accord codegen: --out ${refused[0]} is inside Accord's own src/ (${join(ROOT, 'src')}); give a directory of your project`);
    expect(refusals[1]!.stderr.split('\n')[0]).toBe(`accord codegen: --out ${ROOT} is Accord's own directory (${ROOT}); give a directory of your project`);
    expect(refusals[2]!.stderr).toContain(`is inside Accord's own sdk/ (${join(ROOT, 'sdk')})`);
    expect(refusals[3]!.stderr).toContain(`is inside Accord's own contracts/ (${join(ROOT, 'contracts')})`);
    expect(refusals[4]!.stderr).toContain(`accord codegen: --out migrations/x is inside Accord's own migrations/ (${join(ROOT, 'migrations')})`);
    expect(existsSync(refused[0]!)).toBe(false);
    expect(existsSync(join(ROOT, 'migrations', 'x'))).toBe(false);
  });
});
