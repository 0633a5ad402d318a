// Upcasters of PaymentReceived that need meaning. `accord codegen` created this file once and never overwrites it:
// when a new version needs one, the build fails until you add it here.

import type { PaymentReceivedV2, PaymentReceivedV3 } from './PaymentReceived.js';

/**
 * Turns PaymentReceived version 2 into version 3. Schema resolution cannot, because:
 * - at /properties/receivedAtMs: property 'receivedAtMs' is new and required, without a default
 * - at /properties/receivedAt: property 'receivedAt' was removed, and the new version allows no other properties (additionalProperties: false)
 */
export function upcastPaymentReceivedV2ToV3(from: PaymentReceivedV2): PaymentReceivedV3 {
  const { receivedAt, ...rest } = from;
  return { ...rest, receivedAtMs: Date.parse(receivedAt) };
}
