/**
 * A socket ticket lets one WebSocket open on one conversation, in one role, within seconds. A client
 * mints it over an authenticated request (`POST /v1/conversations/{id}/socket-tickets`, with its
 * conversation token or the operator key in the Authorization header) and offers it in the
 * `Sec-WebSocket-Protocol` header, so no long-lived secret ever travels in a URL (where proxies,
 * logs and browser histories keep it). The conversation object accepts each ticket once
 * (its nonce is remembered until the ticket expires).
 */
import type { SocketRole } from "../../../../shared/schemas/index.ts";
import { getUint48, setUint48, signToken, toBase64Url, verifyToken } from "./signed-token.ts";

const LABEL = "stratus/socket-ticket/v1";
/** role (1) + expiresAt ms (6) + the minting token's issuedAt ms (6) + nonce (9). */
const CLAIM_BYTES = 22;
const ROLES: readonly SocketRole[] = ["user", "operator"];

/** How long a ticket may wait before its socket opens. */
export const SOCKET_TICKET_TTL_MS = 30_000;

/** The subprotocol a Stratus socket speaks, which the server answers with; the ticket is offered beside it. */
export const SOCKET_PROTOCOL = "stratus.v1";
export const TICKET_PROTOCOL_PREFIX = "stratus.ticket.";

export interface SocketTicketClaims {
  role: SocketRole;
  expiresAt: number;
  /** The conversation token's issue time (0 for the operator): a revocation after it refuses the socket. */
  tokenIssuedAt: number;
  /** Single use: the conversation object refuses a nonce it has seen. */
  nonce: string;
}

export async function mintSocketTicket(
  secret: string,
  conversationId: string,
  grant: { role: SocketRole; tokenIssuedAt: number },
  now: number = Date.now(),
): Promise<{ ticket: string; expiresAt: string }> {
  const claims = new DataView(new ArrayBuffer(CLAIM_BYTES));
  const expiresAt = now + SOCKET_TICKET_TTL_MS;
  claims.setUint8(0, ROLES.indexOf(grant.role));
  setUint48(claims, 1, expiresAt);
  setUint48(claims, 7, grant.tokenIssuedAt);
  crypto.getRandomValues(new Uint8Array(claims.buffer, 13, 9));
  const ticket = await signToken(secret, LABEL, conversationId, new Uint8Array(claims.buffer));
  return { ticket, expiresAt: new Date(expiresAt).toISOString() };
}

export async function verifySocketTicket(
  secret: string,
  conversationId: string,
  ticket: string,
  now: number = Date.now(),
): Promise<SocketTicketClaims | undefined> {
  const claims = await verifyToken(secret, LABEL, conversationId, ticket, CLAIM_BYTES);
  if (!claims) return undefined;
  const role = ROLES[claims.getUint8(0)];
  const expiresAt = getUint48(claims, 1);
  if (!role || now >= expiresAt) return undefined;
  return { role, expiresAt, tokenIssuedAt: getUint48(claims, 7), nonce: toBase64Url(new Uint8Array(claims.buffer, 13, 9)) };
}

/** The ticket a client offered among its `Sec-WebSocket-Protocol` values, if it offered the Stratus protocol too. */
export function offeredTicket(header: string | undefined): string | undefined {
  const offered = (header ?? "").split(",").map((value) => value.trim());
  if (!offered.includes(SOCKET_PROTOCOL)) return undefined;
  return offered.find((value) => value.startsWith(TICKET_PROTOCOL_PREFIX))?.slice(TICKET_PROTOCOL_PREFIX.length);
}
