// `accord check` on a Protobuf contract that does not parse: the registry's refusal (42201) reaches the output with
// the line and column where the text stops (issue 21 item 19).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backends } from '../support/backends.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { accord, tempDir } from './support.js';

const backend = backends.at(-1)!;

describe(`accord check on a Protobuf text that does not parse (${backend.name})`, () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer(backend);
  });
  afterAll(() => server?.close());

  it('fails (exit 1) with the line and column of the parse error', async () => {
    const dir = tempDir('proto-parse');
    writeFileSync(join(dir, 'accord.yaml'), `contracts:\n  - subject: cli${process.pid}.orders-value\n    schema: orders.proto\n`);
    writeFileSync(join(dir, 'orders.proto'), 'syntax = "proto3";\npackage shop;\nmessage Order {\n  string id = 1\n}\n');
    const res = await accord(['check', dir, '--registry', server.url]);
    expect(res.code, res.stdout + res.stderr).toBe(1);
    expect(res.stdout).toContain('42201');
    expect(res.stdout).toContain("line 5, column 1: illegal token '}', ';' expected");
  });
});
