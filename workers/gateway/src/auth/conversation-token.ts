/**
 * A conversation token authorizes exactly one conversation until it expires. It is a signed-token
 * (signed-token.ts) bound to the conversation id, carrying when it was issued (ms) and when it
 * expires (s): the gateway checks both without reading storage. An operator can revoke every token
 * of a conversation issued before a moment (the conversation object keeps that moment and refuses
 * older tokens: `ConversationCredential.issuedAt`), and a client renews its token while the
 * conversation is in use (`POST /v1/conversations/{id}/token`).
 */
import { getUint48, setUint48, signToken, verifyToken } from "./signed-token.ts";

const LABEL = "stratus/conversation/v2";
/** issuedAt (ms, 48 bits) + expiresAt (s, 32 bits). */
const CLAIM_BYTES = 10;

export interface ConversationTokenClaims {
  /** When it was issued, ms since the epoch: tokens issued before a revocation are refused. */
  issuedAt: number;
  /** When it stops being accepted, ms since the epoch (whole seconds). */
  expiresAt: number;
}

export interface IssuedConversationToken {
  token: string;
  /** ISO time after which the token is refused; clients renew it before. */
  tokenExpiresAt: string;
}

export async function signConversationToken(
  secret: string,
  conversationId: string,
  ttlSeconds: number,
  now: number = Date.now(),
): Promise<IssuedConversationToken> {
  const expiresAtSeconds = Math.floor(now / 1000) + ttlSeconds;
  const claims = new DataView(new ArrayBuffer(CLAIM_BYTES));
  setUint48(claims, 0, now);
  claims.setUint32(6, expiresAtSeconds);
  const token = await signToken(secret, LABEL, conversationId, new Uint8Array(claims.buffer));
  return { token, tokenExpiresAt: new Date(expiresAtSeconds * 1000).toISOString() };
}

/** The claims of a valid, unexpired token for this conversation; undefined otherwise. */
export async function verifyConversationToken(
  secret: string,
  conversationId: string,
  token: string,
  now: number = Date.now(),
): Promise<ConversationTokenClaims | undefined> {
  const claims = await verifyToken(secret, LABEL, conversationId, token, CLAIM_BYTES);
  if (!claims) return undefined;
  const expiresAt = claims.getUint32(6) * 1000;
  if (now >= expiresAt) return undefined;
  return { issuedAt: getUint48(claims, 0), expiresAt };
}
