// Data residency: a bot with `residency: { jurisdiction: eu }` (the health bot) gets conversations
// whose objects live in the EU jurisdiction, reached by every Worker from the id alone — the
// gateway, the dialogue Worker and the gateway's dead-letter consumer — while conversations of
// other bots keep the ids and tokens they always had.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStratus, type Stratus } from "../../devkit/local-stack.ts";
import { readTranscript } from "../../devkit/transcript.ts";

let stratus: Stratus;
beforeAll(async () => {
  // One dispatch per turn: a turn whose stage always fails is answered at its first dead letter.
  stratus = await startStratus({ gatewayVars: { MAX_TURN_ATTEMPTS: "1" } });
});
afterAll(() => stratus?.close());

describe("data residency", () => {
  it("lists each bot's jurisdiction", async () => {
    const { bots } = (await (await stratus.fetch("/v1/bots")).json()) as { bots: Array<{ id: string; jurisdiction?: string }> };
    expect(bots.find((bot) => bot.id === "health")?.jurisdiction).toBe("eu");
    expect(bots.find((bot) => bot.id === "ecommerce")?.jurisdiction).toBeUndefined();
  });

  it("runs a health conversation end to end in the EU jurisdiction", async () => {
    const conversation = await stratus.createConversation({ bot: "health", locale: "en" });
    expect(conversation.id).toMatch(/^eu-[0-9a-f]{32}$/);
    const { replies } = await stratus.say(conversation, "I have a headache");
    expect(replies.length).toBeGreaterThan(0);
    const summary = await stratus.fetch(`/v1/conversations/${conversation.id}`, { headers: { Authorization: `Bearer ${conversation.token}` } });
    expect(summary.status).toBe(200);
    expect(await summary.json()).toMatchObject({ id: conversation.id, bot: "health", lastSeq: replies.at(-1)?.seq });
  });

  it("answers an EU conversation's failing turn through the dead-letter queue", async () => {
    const conversation = await stratus.createConversation({ bot: "health", locale: "en" });
    const { replies } = await stratus.say(conversation, "hello #fail-intent", 30);
    expect(replies.map((reply) => reply.replyTo)).toEqual(replies.map(() => 1));
    const transcript = await readTranscript(stratus, conversation);
    expect(transcript.filter((m) => m.role === "bot").length).toBeGreaterThan(0);
  });

  it("keeps a conversation without a jurisdiction where it was, and ids distinct per jurisdiction", async () => {
    const shop = await stratus.createConversation({ bot: "ecommerce", locale: "en" });
    expect(shop.id).toMatch(/^[0-9a-f]{32}$/);
    expect((await stratus.say(shop, "hello")).replies.length).toBeGreaterThan(0);
    // The same random part in another jurisdiction is another conversation, with another token.
    const health = await stratus.createConversation({ bot: "health", locale: "en" });
    const bare = health.id.slice("eu-".length);
    const wrongToken = await stratus.fetch(`/v1/conversations/${bare}`, { headers: { Authorization: `Bearer ${health.token}` } });
    expect(wrongToken.status).toBe(401);
    const unknown = await stratus.fetch(`/v1/conversations/${bare}`, { headers: { Authorization: `Bearer ${(await stratus.tokenFor(bare)).token}` } });
    expect(unknown.status).toBe(404);
  });
});
