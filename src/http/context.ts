// What the edge middleware leaves on hono's context for the handlers after it (`c.set` / `c.get`).

import type { Access, Principal } from '../auth/policy.js';

declare module 'hono' {
  interface ContextVariableMap {
    /** Set by `observe` before the handler runs. */
    requestId: string;
    /** Set by content negotiation before the handler runs. */
    responseType: string;
    /** The bytes of a POST or PUT body, read by `readBodies` before the handler runs; `jsonBody` decodes them. */
    body: Uint8Array;
    /** Set by the guard when authentication is on: who is calling, and what it may do. */
    principal: Principal;
    access: Access;
  }
}
