// The conversation directory (one Durable Object per bot) behind GET /v1/operator/conversations:
// kept up to date by the conversation objects, listed newest first with a cursor, operator only.
import { LOCAL_OBJECT_SHARDS } from "../../devkit/queue-shard-configs.ts";
import { shardOf } from "../../shared/queue-shards.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_API_KEY, startStratus, type ConversationHandle, type Stratus } from "../../devkit/local-stack.ts";
import type { ConversationList } from "../../shared/schemas/index.ts";

let stratus: Stratus;
beforeAll(async () => {
  stratus = await startStratus();
});
afterAll(() => stratus?.close());

const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}`, "Content-Type": "application/json" };
const list = async (query: string): Promise<ConversationList> => {
  const response = await stratus.fetch(`/v1/operator/conversations?${query}`, { headers: operator });
  expect(response.status).toBe(200);
  return (await response.json()) as ConversationList;
};
const handOff = (conversation: ConversationHandle) =>
  stratus.fetch(`/v1/conversations/${conversation.id}/handoff`, { method: "POST", headers: operator });

async function eventually<T>(read: () => Promise<T>, holds: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const value = await read();
    if (holds(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("conversation directory", () => {
  it("lists conversations waiting for a person, newest first, with who handed them off and the last message", async () => {
    const byBot = await stratus.createConversation({ bot: "ecommerce", locale: "en" });
    await stratus.say(byBot, "I want to talk to a human agent");
    const byOperator = await stratus.createConversation({ bot: "finance", locale: "zh" });
    await stratus.say(byOperator, "你好");
    expect((await handOff(byOperator)).status).toBe(200);
    const withBot = await stratus.createConversation({ bot: "ecommerce" });
    await stratus.say(withBot, "hello");

    const waiting = await eventually(
      () => list("state=handed_off&limit=100"),
      (page) => [byBot, byOperator].every((c) => page.conversations.some((entry) => entry.id === c.id)),
    );
    const ids = waiting.conversations.map((entry) => entry.id);
    expect(ids.indexOf(byOperator.id)).toBeLessThan(ids.indexOf(byBot.id));
    expect(ids).not.toContain(withBot.id);
    const botEntry = waiting.conversations.find((entry) => entry.id === byBot.id);
    expect(botEntry).toMatchObject({ bot: "ecommerce", locale: "en", state: "handed_off", handedOffBy: "bot", lastMessage: { role: "bot" } });
    expect(waiting.conversations.find((entry) => entry.id === byOperator.id)).toMatchObject({ bot: "finance", handedOffBy: "operator" });

    // Per bot, and the other state.
    expect((await list("state=handed_off&bot=finance&limit=100")).conversations.every((entry) => entry.bot === "finance")).toBe(true);
    const atBot = await eventually(() => list("state=bot&limit=100"), (page) => page.conversations.some((entry) => entry.id === withBot.id));
    expect(atBot.conversations.find((entry) => entry.id === withBot.id)?.lastMessage?.role).toBe("bot");

    // Released: it leaves the waiting list.
    await stratus.fetch(`/v1/conversations/${byOperator.id}/release`, { method: "POST", headers: operator });
    const after = await eventually(() => list("limit=100"), (page) => !page.conversations.some((entry) => entry.id === byOperator.id));
    expect(after.conversations.map((entry) => entry.id)).not.toContain(byOperator.id);
  });

  it("pages with a cursor: every entry once, none skipped, across the directory's shards", async () => {
    const created: ConversationHandle[] = [];
    const shards = Number(LOCAL_OBJECT_SHARDS.STRATUS_DIRECTORY_SHARDS);
    // At least five, and until every shard of the bot's directory holds some (the local stack runs two).
    while (created.length < 5 || new Set(created.map((c) => shardOf(c.id, shards))).size < shards) {
      const conversation = await stratus.createConversation({ bot: "health" });
      await handOff(conversation);
      created.push(conversation);
    }
    await eventually(() => list("bot=health&limit=100"), (page) => created.every((c) => page.conversations.some((e) => e.id === c.id)));
    const seen: string[] = [];
    let cursor: string | null = "";
    let pages = 0;
    while (cursor !== null) {
      const page: ConversationList = await list(`bot=health&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
      expect(page.conversations.length).toBeLessThanOrEqual(2);
      seen.push(...page.conversations.map((entry) => entry.id));
      cursor = page.nextCursor;
      pages += 1;
    }
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(new Set(seen).size).toBe(seen.length);
    for (const conversation of created) expect(seen).toContain(conversation.id);
  });

  it("is for operators only and refuses a bad query with a clear error", async () => {
    const conversation = await stratus.createConversation();
    const asUser = await stratus.fetch("/v1/operator/conversations", { headers: { Authorization: `Bearer ${conversation.token}` } });
    expect(asUser.status).toBe(401);
    expect(((await asUser.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    expect((await stratus.fetch("/v1/operator/conversations")).status).toBe(401);
    for (const [query, code] of [
      ["state=closed", "invalid_request"],
      ["limit=1000", "invalid_request"],
      ["cursor=not-a-cursor", "invalid_request"],
      ["bot=nosuchbot", "unknown_bot"],
    ] as const) {
      const response = await stratus.fetch(`/v1/operator/conversations?${query}`, { headers: operator });
      expect(response.status, query).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code, query).toBe(code);
    }
  });
});
