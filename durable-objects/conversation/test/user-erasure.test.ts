// A signed-in user's erasure (GDPR Article 17) on the real objects in workerd: afterwards the
// conversation object, the user's directory entry and the user's analytics rows hold 0 rows of
// them, and another user's name erases and exports nothing. (The profile object's own erasure to
// 0 rows: durable-objects/user-profile/test/.)
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DirectoryEntry } from "../../../shared/schemas/index.ts";
import { tablesOf } from "../../test/rows-written.ts";
import { dialogueResult, OPERATOR, recordIntentQueue, say, type TestConversation } from "./conversation-fixture.ts";

const SUB = "ursula@example.test";
const USER_KEY = "0123456789abcdef";

afterEach(() => {
  vi.restoreAllMocks();
});

/** Every row of every table the object's SQLite storage has (its own tables, not the runtime's). */
async function rowsIn(stub: DurableObjectStub): Promise<number> {
  return runInDurableObject(stub, (_, state) => {
    return tablesOf(state.storage.sql).reduce((sum, table) => sum + state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM "${table}"`).one().n, 0);
  });
}

async function signedInConversation(): Promise<TestConversation> {
  const id = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(id));
  await stub.create({ id, bot: "ecommerce", locale: "en", timezone: "UTC", createdAt: new Date().toISOString(), user: SUB, userKey: USER_KEY });
  return { id, stub };
}

describe("a signed-in user's erasure", () => {
  it("leaves the conversation object with no row, answering 404; another user's name exports and erases nothing", async () => {
    const queue = recordIntentQueue();
    const conversation = await signedInConversation();
    const message = await say(conversation, "my card is 4111 1111 1111 1111");
    const turn = queue.sent(conversation.id).find((sent) => sent.seq === message.seq);
    if (!turn) throw new Error("nothing dispatched");
    // The pipeline was sent what the user wrote, for the turn; the transcript and the replies keep it masked.
    expect(turn.text).toContain("4111 1111 1111 1111");
    expect(turn.user).toBe(SUB);
    await conversation.stub.applyDialogueResult(dialogueResult(turn));

    expect(await conversation.stub.exportForUser("someone-else")).toBeNull();
    expect(await conversation.stub.eraseForUser("someone-else")).toBe(false);
    const exported = await conversation.stub.exportForUser(SUB);
    expect(exported?.user).toBe(SUB);
    expect(exported?.messages.map((m) => m.text)).toEqual(["my card is [card ****1111]", 'answer to "my card is [card ****1111]"']);
    const before = await rowsIn(conversation.stub);
    expect(before).toBeGreaterThan(0);

    expect(await conversation.stub.eraseForUser(SUB)).toBe(true);
    expect(await rowsIn(conversation.stub)).toBe(0);
    const summary = await conversation.stub.summary(OPERATOR);
    expect(summary.ok ? "found" : summary.error.code).toBe("conversation_not_found");
    expect(await conversation.stub.exportForUser(SUB)).toBeNull();
    // Twice: nothing more to erase, still no row.
    expect(await conversation.stub.eraseForUser(SUB)).toBe(false);
    expect(await rowsIn(conversation.stub)).toBe(0);
  });

  it("leaves no directory entry of the user's conversation and no analytics row under their key", async () => {
    const directory = env.DIRECTORY.get(env.DIRECTORY.idFromName("ecommerce"));
    const now = new Date().toISOString();
    const id = "ab".repeat(16);
    const entry: DirectoryEntry = { id, bot: "ecommerce", locale: "en", state: "bot", handedOffBy: null, createdAt: now, user: SUB, updatedAt: now, lastMessage: null, revision: 1 };
    await directory.upsertMany([entry]);
    expect((await directory.entries([id])).map((listed) => listed.user)).toEqual([SUB]);
    expect(await directory.eraseEntries([id])).toBe(1);
    expect(await directory.entries([id])).toEqual([]);
    expect((await directory.list({ state: "bot", limit: 1000 })).map((listed) => listed.id)).not.toContain(id);
    expect(await directory.eraseEntries([id])).toBe(0);

    const analytics = env.BOT_ANALYTICS.get(env.BOT_ANALYTICS.idFromName("ecommerce#user-erasure"));
    const report = (conversationId: string) => ({ v: 1, bot: "ecommerce", conversationId, fact: { kind: "user_conversation", userKey: USER_KEY, at: Date.now() } });
    const other = { v: 1, bot: "ecommerce", conversationId: "cd".repeat(16), fact: { kind: "user_conversation", userKey: "fedcba9876543210", at: Date.now() } };
    await analytics.record("ecommerce", [{ key: "m1", reports: [report("ab".repeat(16)), report("ef".repeat(16)), other] }]);
    expect(await analytics.userActivity(USER_KEY)).toEqual([expect.objectContaining({ conversations: 2 })]);
    expect(await analytics.eraseUser(USER_KEY)).toBe(1);
    expect(await analytics.userActivity(USER_KEY)).toEqual([]);
    const left = await runInDurableObject(analytics, (_, state) =>
      state.storage.sql.exec<{ user_key: string }>("SELECT user_key FROM user_days").toArray().map((row) => row.user_key),
    );
    // Only the other user's row is left.
    expect(left).toEqual(["fedcba9876543210"]);
    expect(await analytics.eraseUser(USER_KEY)).toBe(0);
  });

  it("does not count a report of the erased user's conversation that arrives after the erasure; forgets the erasure after 7 days", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.UTC(2026, 10, 2, 12) });
    try {
      const analytics = env.BOT_ANALYTICS.get(env.BOT_ANALYTICS.idFromName(`ecommerce#late-report-${crypto.randomUUID()}`));
      const started = Date.now() - 60_000;
      const report = (key: string, at: number) => ({ key, reports: [{ v: 1, bot: "ecommerce", conversationId: "ab".repeat(16), fact: { kind: "user_conversation", userKey: USER_KEY, at } }] });
      expect(await analytics.eraseUser(USER_KEY)).toBe(0);
      // Still in the queue when the user was erased (or retried): a conversation started before it.
      await analytics.record("ecommerce", [report("late", started)]);
      expect(await analytics.userActivity(USER_KEY)).toEqual([]);
      // A conversation the same user starts afterwards counts, as a new user's would.
      vi.setSystemTime(Date.now() + 60_000);
      await analytics.record("ecommerce", [report("after", Date.now())]);
      expect(await analytics.userActivity(USER_KEY)).toEqual([expect.objectContaining({ conversations: 1 })]);
      expect(await analytics.eraseUser(USER_KEY)).toBe(1);
      const remembered = () => runInDurableObject(analytics, (_, state) => state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM erased_users").one().n);
      expect(await remembered()).toBe(1);
      vi.setSystemTime(Date.now() + 6 * 86_400_000);
      await runDurableObjectAlarm(analytics);
      expect(await remembered()).toBe(1);
      vi.setSystemTime(Date.now() + 2 * 86_400_000);
      await runDurableObjectAlarm(analytics);
      expect(await remembered()).toBe(0);
      // Nothing left, so the alarm stopped; a later erasure in the same object's life sets it again.
      const alarmAt = () => runInDurableObject(analytics, (_, state) => state.storage.getAlarm());
      expect(await alarmAt()).toBeNull();
      await analytics.eraseUser(USER_KEY);
      expect(await alarmAt()).not.toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });
});
