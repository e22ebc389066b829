import { failure, type Outcome } from "../../shared/errors.ts";
import type { ConversationCredential } from "../../shared/schemas/index.ts";
import type { ConversationRecord } from "./conversation-record.ts";

/** The socket ticket claims the gateway verified (workers/gateway/src/auth/socket-ticket.ts). */
export interface CheckedTicket {
  nonce: string;
  expiresAt: number;
  tokenIssuedAt: number;
  role: "user" | "operator";
}

/**
 * Who may still use this conversation. The gateway checks a token's signature and expiry; what it
 * cannot know without storage is kept here: the moment before which an operator revoked every token
 * (`revoke`), and which socket tickets were already used (each opens one socket).
 */
export class ConversationAccess {
  constructor(
    private readonly record: Pick<ConversationRecord, "tokensValidFrom" | "setTokensValidFrom" | "usedSocketTickets" | "setUsedSocketTickets">,
    private readonly now: () => number,
  ) {}

  /** Refuses a conversation token issued before a revocation; the operator key always passes. */
  check(credential: ConversationCredential): Outcome<object, "unauthorized"> {
    if (credential.kind === "operator") return { ok: true };
    if (credential.issuedAt < this.record.tokensValidFrom()) return failure("unauthorized", "this conversation's tokens were revoked");
    return { ok: true };
  }

  /** Every token issued until now is refused from now on; returns the moment (ms). */
  revoke(): number {
    const at = this.now();
    this.record.setTokensValidFrom(at);
    return at;
  }

  /** Accepts a ticket once, and only if the token that minted it is not revoked. */
  admitTicket(ticket: CheckedTicket): Outcome<object, "unauthorized"> {
    const now = this.now();
    if (ticket.expiresAt <= now) return failure("unauthorized", "the socket ticket has expired");
    if (ticket.role === "user") {
      const checked = this.check({ kind: "conversation", issuedAt: ticket.tokenIssuedAt });
      if (!checked.ok) return checked;
    }
    const live = this.record.usedSocketTickets().filter((used) => used.expiresAt > now);
    if (live.some((used) => used.nonce === ticket.nonce)) return failure("unauthorized", "the socket ticket was already used");
    this.record.setUsedSocketTickets([...live, { nonce: ticket.nonce, expiresAt: ticket.expiresAt }]);
    return { ok: true };
  }
}
