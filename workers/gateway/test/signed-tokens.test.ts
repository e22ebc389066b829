// Conversation tokens and socket tickets: bound to one conversation (and a ticket to one role),
// refused once expired, tampered with or spelt another way; checked with a moved clock.
import { describe, expect, it } from "vitest";
import { signConversationToken, verifyConversationToken } from "../src/auth/conversation-token.ts";
import { mintSocketTicket, offeredTicket, SOCKET_TICKET_TTL_MS, verifySocketTicket } from "../src/auth/socket-ticket.ts";

const SECRET = "unit-test-secret";
const ID = "0123456789abcdef0123456789abcdef";
const OTHER = "fedcba9876543210fedcba9876543210";
const NOW = Date.UTC(2026, 11, 7, 12, 0, 0);

describe("conversation tokens", () => {
  it("carry when they were issued and expire after their life", async () => {
    const { token, tokenExpiresAt } = await signConversationToken(SECRET, ID, 3600, NOW);
    expect(Date.parse(tokenExpiresAt)).toBe(NOW + 3_600_000);
    expect(await verifyConversationToken(SECRET, ID, token, NOW + 1000)).toEqual({ issuedAt: NOW, expiresAt: NOW + 3_600_000 });
    expect(await verifyConversationToken(SECRET, ID, token, NOW + 3_600_000)).toBeUndefined();
  });

  it("open only their own conversation, under their own secret", async () => {
    const { token } = await signConversationToken(SECRET, ID, 3600, NOW);
    expect(await verifyConversationToken(SECRET, OTHER, token, NOW)).toBeUndefined();
    expect(await verifyConversationToken("another-secret", ID, token, NOW)).toBeUndefined();
  });

  it("are refused when any character changes or the spelling is not canonical", async () => {
    const { token } = await signConversationToken(SECRET, ID, 3600, NOW);
    const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    for (let i = 0; i < token.length; i++) {
      if (token[i] === ".") continue;
      const flipped = token.slice(0, i) + alphabet[(alphabet.indexOf(token[i] ?? "A") + 1) % 64] + token.slice(i + 1);
      expect(await verifyConversationToken(SECRET, ID, flipped, NOW), `character ${i}`).toBeUndefined();
    }
    for (const variant of [`${token}=`, token.slice(0, -1), `${token}A`, token.replace(".", ":"), ""]) {
      expect(await verifyConversationToken(SECRET, ID, variant, NOW)).toBeUndefined();
    }
  });

  it("are not socket tickets, and tickets are not tokens", async () => {
    const { token } = await signConversationToken(SECRET, ID, 3600, NOW);
    const { ticket } = await mintSocketTicket(SECRET, ID, { role: "user", tokenIssuedAt: NOW }, NOW);
    expect(await verifySocketTicket(SECRET, ID, token, NOW)).toBeUndefined();
    expect(await verifyConversationToken(SECRET, ID, ticket, NOW)).toBeUndefined();
  });
});

describe("socket tickets", () => {
  it("name their role, the minting token's issue time and a fresh nonce, and live for seconds", async () => {
    const first = await mintSocketTicket(SECRET, ID, { role: "operator", tokenIssuedAt: 0 }, NOW);
    const second = await mintSocketTicket(SECRET, ID, { role: "operator", tokenIssuedAt: 0 }, NOW);
    const claims = await verifySocketTicket(SECRET, ID, first.ticket, NOW + 1000);
    expect(claims).toMatchObject({ role: "operator", tokenIssuedAt: 0, expiresAt: NOW + SOCKET_TICKET_TTL_MS });
    expect(claims?.nonce).not.toBe((await verifySocketTicket(SECRET, ID, second.ticket, NOW))?.nonce);
    expect(await verifySocketTicket(SECRET, ID, first.ticket, NOW + SOCKET_TICKET_TTL_MS)).toBeUndefined();
    expect(await verifySocketTicket(SECRET, OTHER, first.ticket, NOW)).toBeUndefined();
  });

  it("are read only from the Stratus subprotocol offer", () => {
    expect(offeredTicket("stratus.v1, stratus.ticket.abc.def")).toBe("abc.def");
    expect(offeredTicket("stratus.ticket.abc.def")).toBeUndefined();
    expect(offeredTicket("stratus.v1")).toBeUndefined();
    expect(offeredTicket(undefined)).toBeUndefined();
  });
});
