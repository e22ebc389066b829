// The conversation's own access rules (access.ts): revoked tokens, single-use socket tickets.
import { describe, expect, it } from "vitest";
import { ConversationAccess } from "../access.ts";
import type { UsedTicket } from "../conversation-record.ts";

function access(now: { value: number }) {
  let validFrom = 0;
  let used: UsedTicket[] = [];
  const record = {
    tokensValidFrom: () => validFrom,
    setTokensValidFrom: (at: number) => void (validFrom = at),
    usedSocketTickets: () => used,
    setUsedSocketTickets: (tickets: UsedTicket[]) => void (used = tickets),
  };
  return { rules: new ConversationAccess(record, () => now.value), used: () => used };
}

describe("conversation access", () => {
  it("refuses tokens issued before a revocation, and only those; never the operator key", () => {
    const now = { value: 1_000 };
    const { rules } = access(now);
    expect(rules.check({ kind: "conversation", issuedAt: 500 }).ok).toBe(true);
    now.value = 2_000;
    rules.revoke();
    expect(rules.check({ kind: "conversation", issuedAt: 500 })).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    expect(rules.check({ kind: "conversation", issuedAt: 2_000 }).ok).toBe(true);
    expect(rules.check({ kind: "operator" }).ok).toBe(true);
  });

  it("accepts a socket ticket once, not after it expired, and not for a revoked token", () => {
    const now = { value: 10_000 };
    const { rules, used } = access(now);
    const ticket = { nonce: "aaaaaaaaaaaa", expiresAt: 40_000, tokenIssuedAt: 5_000, role: "user" as const };
    expect(rules.admitTicket(ticket).ok).toBe(true);
    expect(rules.admitTicket(ticket)).toMatchObject({ ok: false, error: { code: "unauthorized" } });
    expect(rules.admitTicket({ ...ticket, nonce: "bbbbbbbbbbbb", expiresAt: 10_000 }).ok).toBe(false);
    rules.revoke();
    expect(rules.admitTicket({ ...ticket, nonce: "cccccccccccc" }).ok).toBe(false);
    expect(rules.admitTicket({ ...ticket, nonce: "dddddddddddd", role: "operator", tokenIssuedAt: 0 }).ok).toBe(true);
    // Used nonces are forgotten once their tickets could no longer be offered.
    now.value = 41_000;
    expect(rules.admitTicket({ ...ticket, nonce: "eeeeeeeeeeee", expiresAt: 70_000, role: "operator" }).ok).toBe(true);
    expect(used().map((entry) => entry.nonce)).toEqual(["eeeeeeeeeeee"]);
  });
});
