// The demo order API's data and its access rules (served by demo/services.ts):
//
//   GET  /orders/:id            200 the order (its owner, or proven) | 200 { id, status, access: "status_only" } | 403 proof_mismatch | 404
//   POST /orders/:id/cancel     200 cancelled | 403 proof_required / proof_mismatch | 409 { error, status } (shipped, delivered, cancelled)
//   POST /orders/:id/returns    201 { returnId } | 403 proof_required / proof_mismatch | 409 { error, status } (only delivered orders)
//
// Who asks is what the bot's call says: the signed-in user in the signed user assertion
// (`Stratus-User-Assertion`, shared/action-assertion.ts), checked with the deployment's published
// keys. An order belongs to a customer (a user id at the shop) and carries the e-mail and postcode
// it was placed with. Its owner sees and changes it. Anyone may learn an order's status from its
// number; everything personal about it (items, totals, address, tracking, refund) and any change
// needs proof that it is theirs — its e-mail or postcode in `X-Order-Proof`. A proof given in a
// conversation is remembered for that conversation (the assertion's `cid`) for 30 minutes.
import type { IncomingMessage } from "node:http";
import type { JSONWebKeySet } from "jose";
import { ACTION_ASSERTION_HEADER, createActionAssertionVerifier, type AssertedCall } from "../shared/action-assertion.ts";

export interface Order {
  id: string;
  status: "processing" | "shipped" | "delivered" | "cancelled";
  placedAt: string;
  /** The shop's user id of the customer who placed it; null for a guest checkout. */
  customer: string | null;
  email: string;
  postcode: string;
  items: string[];
  total: { amount: number; currency: string };
  shipping?: { carrier: string; trackingNumber: string; eta: string };
  deliveredAt?: string;
  refund: { status: "processing" | "completed"; amount: { amount: number; currency: string } } | null;
}

/** The demo shop's signed-in customers: most orders are Alice's, a few Bob's, one a guest's. */
export const DEMO_CUSTOMERS = { alice: "alice", bob: "bob" } as const;

export function seedOrders(): Map<string, Order> {
  const usd = (amount: number) => ({ amount, currency: "USD" });
  const alice = { customer: DEMO_CUSTOMERS.alice, email: "alice@example.com", postcode: "94103" };
  const bob = { customer: DEMO_CUSTOMERS.bob, email: "bob@example.co.uk", postcode: "SW1A 1AA" };
  const orders: Order[] = [
    {
      id: "ORD-4820193",
      status: "shipped",
      placedAt: "2026-11-20T10:15:00Z",
      ...alice,
      items: ["Wireless headphones"],
      total: usd(129.0),
      shipping: { carrier: "UPS", trackingNumber: "1Z999AA10123456784", eta: "2026-11-28" },
      refund: null,
    },
    { id: "ORD-1000001", status: "processing", placedAt: "2026-11-23T08:00:00Z", ...alice, items: ["Running shoes"], total: usd(89.5), refund: null },
    { id: "ORD-1000002", status: "processing", placedAt: "2026-11-23T09:30:00Z", ...alice, items: ["Phone case", "USB-C cable"], total: usd(24.98), refund: null },
    { id: "ORD-3141592", status: "delivered", placedAt: "2026-11-10T14:00:00Z", ...alice, items: ["Rain jacket"], total: usd(75.0), deliveredAt: "2026-11-14", refund: null },
    {
      id: "ORD-2718281",
      status: "cancelled",
      placedAt: "2026-11-01T12:00:00Z",
      ...alice,
      items: ["Coffee grinder"],
      total: usd(49.9),
      refund: { status: "completed", amount: usd(49.9) },
    },
    {
      id: "ORD-1618033",
      status: "delivered",
      placedAt: "2026-11-02T12:00:00Z",
      ...alice,
      items: ["Desk lamp"],
      total: usd(35.0),
      deliveredAt: "2026-11-06",
      refund: { status: "processing", amount: usd(35.0) },
    },
    // The bare 8-digit receipt number of an order.
    {
      id: "12345678",
      status: "shipped",
      placedAt: "2026-11-21T16:45:00Z",
      ...alice,
      items: ["Backpack"],
      total: usd(59.0),
      shipping: { carrier: "DHL", trackingNumber: "JD014600006281234567", eta: "2026-11-27" },
      refund: null,
    },
    { id: "ORD-5000503", status: "shipped", placedAt: "2026-11-22T07:00:00Z", ...alice, items: ["Board game"], total: usd(39.0), shipping: { carrier: "FedEx", trackingNumber: "7712345678", eta: "2026-11-29" }, refund: null },
    // Bob's: Alice (or anyone) learns their status, nothing more, without Bob's e-mail or postcode.
    { id: "ORD-2000001", status: "processing", placedAt: "2026-11-24T11:00:00Z", ...bob, items: ["Espresso machine"], total: usd(249.0), refund: null },
    {
      id: "ORD-2000002",
      status: "delivered",
      placedAt: "2026-11-05T09:00:00Z",
      ...bob,
      items: ["Wool scarf"],
      total: usd(45.0),
      deliveredAt: "2026-11-09",
      refund: null,
    },
    // A guest checkout: no account, so only its e-mail or postcode proves it.
    {
      id: "ORD-3000001",
      status: "shipped",
      placedAt: "2026-11-22T18:30:00Z",
      customer: null,
      email: "guest@example.es",
      postcode: "28013",
      items: ["Yoga mat"],
      total: usd(32.0),
      shipping: { carrier: "SEUR", trackingNumber: "SE7704412345", eta: "2026-11-27" },
      refund: null,
    },
  ];
  return new Map(orders.map((order) => [order.id, order]));
}

/** The request header a bot sends the customer's proof in (an e-mail address or a postcode). */
export const ORDER_PROOF_HEADER = "X-Order-Proof";
/** How long a proof given in a conversation stands for that conversation's later calls. */
const PROOF_MEMORY_MS = 30 * 60_000;

/** Who asks: the signed-in user and the conversation (from a valid assertion), or nobody known. */
export type Caller = { ok: true; call: AssertedCall | null } | { ok: false; reason: string };

export interface OrderAccess {
  /** Reads the assertion of a request: no keys configured or no header → an anonymous caller. */
  caller(request: IncomingMessage, url: string): Promise<Caller>;
  /** May this caller see the order's details and change it? `proven` also when a proof is remembered. */
  decide(order: Order, caller: AssertedCall | null, proof: string | undefined, now: number): "owner" | "proven" | "mismatch" | "status_only";
}

/**
 * The order API's access rules. `keys`: the deployment's public keys (its JWKS, or the URL it is
 * published at: the gateway's /.well-known/stratus-action-keys.json); without them no assertion is
 * checked and every caller is anonymous. `audience`: the origins this API answers on.
 */
export function orderAccess(options: { keys: JSONWebKeySet | URL | undefined; audience: () => string[] }): OrderAccess {
  let verifier: ReturnType<typeof createActionAssertionVerifier> | undefined;
  const verify = () => {
    if (options.keys === undefined) return undefined;
    verifier ??= createActionAssertionVerifier({ keys: options.keys, audience: options.audience() });
    return verifier;
  };
  /** conversation → order → when the proof given there stops standing. */
  const proven = new Map<string, Map<string, number>>();
  return {
    async caller(request, url) {
      const check = verify();
      const header = request.headers[ACTION_ASSERTION_HEADER.toLowerCase()];
      if (check === undefined || header === undefined) return { ok: true, call: null };
      const result = await check(Array.isArray(header) ? header[0] : header, { method: request.method ?? "GET", url });
      return result.ok ? { ok: true, call: result.call } : { ok: false, reason: result.reason };
    },
    decide(order, caller, proof, now) {
      if (caller?.sub !== undefined && caller.sub !== null && caller.sub === order.customer) return "owner";
      const remembered = caller === null ? undefined : proven.get(caller.conversationId)?.get(order.id);
      if (remembered !== undefined && remembered > now) return "proven";
      if (proof === undefined || proof.trim() === "") return "status_only";
      if (!proofMatches(order, proof)) return "mismatch";
      if (caller !== null) {
        const orders = proven.get(caller.conversationId) ?? new Map<string, number>();
        orders.set(order.id, now + PROOF_MEMORY_MS);
        proven.set(caller.conversationId, orders);
      }
      return "proven";
    },
  };
}

const normalizedPostcode = (text: string): string => text.replace(/[\s-]/g, "").toUpperCase();

function proofMatches(order: Order, proof: string): boolean {
  const given = proof.trim();
  if (given.includes("@")) return given.toLowerCase() === order.email.toLowerCase();
  return normalizedPostcode(given) === normalizedPostcode(order.postcode);
}

/** What anyone may know of an order: its number and its status. */
export const statusOnly = (order: Order) => ({ id: order.id, status: order.status, access: "status_only" as const });

/** The order as its owner (or a proven customer) sees it: without the proof fields. */
export function fullOrder(order: Order, access: "owner" | "proven") {
  const { customer: _customer, email: _email, postcode: _postcode, ...shown } = order;
  return { ...shown, access };
}
