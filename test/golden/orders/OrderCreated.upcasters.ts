// Upcasters of OrderCreated that need meaning. `accord codegen` created this file once and never overwrites it:
// when a new version needs one, the build fails until you add it here.

import type { OrderCreatedV2, OrderCreatedV3 } from './OrderCreated.js';

/**
 * Turns OrderCreated version 2 into version 3. Schema resolution cannot, because:
 * - Field 'amountCents' of the v3 schema has no default value and is missing from the v2 schema, so records written without it cannot be read.
 */
export function upcastOrderCreatedV2ToV3(from: OrderCreatedV2): OrderCreatedV3 {
  return { orderId: from.orderId, amountCents: Math.round(from.total * 100), currency: from.currency };
}
