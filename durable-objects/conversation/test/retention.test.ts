// Retention (STRATUS_RETENTION_DAYS, 30 days by default): the bot's directory sweeps for idle
// conversations and each one deletes itself — on the real objects in workerd, with a moved clock.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { gatewayConfig } from "../../../shared/gateway-config.ts";
import type { DirectoryEntry } from "../../../shared/schemas/index.ts";
import { retentionVerdict } from "../retention.ts";
import { dialogueResult, freezeClock, newConversation, recordIntentQueue, say, transcript, type TestConversation, OPERATOR } from "./conversation-fixture.ts";

const DAY_MS = 86_400_000;
const { STRATUS_RETENTION_DAYS } = gatewayConfig(env);
const directory = () => env.DIRECTORY.get(env.DIRECTORY.idFromName("ecommerce"));
let revision = 1_000_000;

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** Lists the conversation as the inbox sees it, changed now (what its own update would say). */
async function listInDirectory(conversation: TestConversation): Promise<void> {
  const now = new Date().toISOString();
  const entry: DirectoryEntry = {
    id: conversation.id,
    bot: "ecommerce",
    locale: "en",
    state: "bot",
    handedOffBy: null,
    createdAt: now,
    updatedAt: now,
    lastMessage: null,
    revision: revision++,
  };
  await directory().upsertMany([entry]);
}

/** A user message and the bot's answer: nothing left in flight. */
async function exchange(conversation: TestConversation, queue: ReturnType<typeof recordIntentQueue>, text: string): Promise<void> {
  const message = await say(conversation, text);
  const turn = queue.sent(conversation.id).find((sent) => sent.seq === message.seq);
  if (!turn) throw new Error("nothing dispatched");
  await conversation.stub.applyDialogueResult(dialogueResult(turn));
}

const listed = async (): Promise<string[]> => (await directory().list({ state: "bot", limit: 1000 })).map((entry) => entry.id);

describe("retention", () => {
  it("keeps a conversation for the retention after its last message, then deletes it and its directory entry", async () => {
    expect(STRATUS_RETENTION_DAYS).toBe(30);
    const clock = freezeClock();
    const queue = recordIntentQueue();
    const idle = await newConversation();
    await exchange(idle, queue, "hello");
    await listInDirectory(idle);
    const active = await newConversation();
    await listInDirectory(active);

    clock.advance(20 * DAY_MS);
    await exchange(active, queue, "still there?");
    await listInDirectory(active);
    clock.advance(11 * DAY_MS);
    expect(await runDurableObjectAlarm(directory())).toBe(true);

    // 31 days after its last message: gone, as if it never existed.
    expect(await idle.stub.summary(OPERATOR)).toMatchObject({ ok: false, error: { code: "conversation_not_found" } });
    expect(await idle.stub.listMessages(0, 10, OPERATOR)).toMatchObject({ ok: false, error: { code: "conversation_not_found" } });
    expect(await idle.stub.appendUserTurn({ text: "hi again", traceId: "t", credential: OPERATOR })).toMatchObject({ ok: false });
    // 11 days after its last message: kept whole.
    expect((await transcript(active)).map((message) => message.role)).toEqual(["user", "bot"]);
    expect(await listed()).toContain(active.id);
    expect(await listed()).not.toContain(idle.id);

    clock.advance(20 * DAY_MS);
    expect(await runDurableObjectAlarm(directory())).toBe(true);
    expect(await active.stub.summary(OPERATOR)).toMatchObject({ ok: false, error: { code: "conversation_not_found" } });
    expect(await listed()).not.toContain(active.id);
  });

  it("an entry whose last update was lost is moved to the conversation's real last message, not deleted early", async () => {
    const clock = freezeClock();
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    await listInDirectory(conversation);
    clock.advance(25 * DAY_MS);
    await exchange(conversation, queue, "a message whose directory update was lost");
    clock.advance(6 * DAY_MS);
    expect(await runDurableObjectAlarm(directory())).toBe(true);
    expect((await transcript(conversation)).length).toBe(2);
    const entry = (await directory().list({ state: "bot", limit: 1000 })).find((listedEntry) => listedEntry.id === conversation.id);
    expect(entry?.updatedAt).toBe((await transcript(conversation))[1]?.createdAt);
  });

  it("never deletes a conversation with a turn in flight", async () => {
    const clock = freezeClock();
    recordIntentQueue();
    const conversation = await newConversation();
    await say(conversation, "hello?");
    clock.advance(31 * DAY_MS);
    expect(await conversation.stub.expireIfIdle()).toMatchObject({ expired: false });
    expect((await transcript(conversation)).length).toBe(1);
  });

  it("0 days keeps conversations for ever", () => {
    expect(retentionVerdict(0, 100 * 365 * DAY_MS, 0)).toEqual({ expired: false, expiresAt: null });
    expect(retentionVerdict(0, 30 * DAY_MS, 30)).toEqual({ expired: true });
    expect(retentionVerdict(0, 30 * DAY_MS - 1, 30)).toEqual({ expired: false, expiresAt: 30 * DAY_MS });
  });
});
