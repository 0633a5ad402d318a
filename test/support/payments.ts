// The JSON Schema example of test/golden/payments: its subject, the schema it references, and its versions as a
// registry stores them (compact text, key order kept) under the ids a fresh registry gives them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JsonVersion } from '../../src/codegen/json-module.js';

const GOLDEN = 'test/golden/payments';
export const PAYMENTS = 'payments.payment-received-value';
/** The reference name of money.json: its `$id`, which the versions' `$ref` uses (kafkajs registers it by `$id`). */
export const MONEY = 'https://accord.example/payments/money.json';

/** A schema file of the example as a registry stores it. */
export const compact = (file: string) => JSON.stringify(JSON.parse(readFileSync(join(GOLDEN, file), 'utf8')));

/** PaymentReceived v1–v3 under ids 2–4 (money.json is id 1), each with money.json as its reference. */
export function paymentVersions(): JsonVersion[] {
  const references = [{ name: MONEY, schema: compact('money.json') }];
  return [1, 2, 3].map((v) => ({ version: v, id: v + 1, schema: compact(`payment-received.v${v}.json`), references }));
}
