// What a conversation costs in storage (issue #17), measured on the object's own SQLite cursors as
// Cloudflare meters them: rows written per turn, bytes stored for eight turns, nothing left when it expires.
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:workers";
import { gatewayConfig } from "../../../shared/gateway-config.ts";
import { dialogueResult, freezeClock, newConversation, recordIntentQueue, rowsWrittenBy, say, type TestConversation } from "./conversation-fixture.ts";

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const databaseSize = (conversation: TestConversation) => runInDurableObject(conversation.stub, (_instance, state) => state.storage.sql.databaseSize);

const USER_TEXTS = [
  "hi there",
  "where is my order ORD-4820193?",
  "when will it arrive exactly",
  "can I change the delivery address",
  "what is your return policy for shoes",
  "ok and how long do refunds take",
  "great, thanks a lot for your help",
  "bye",
];
const REPLY = "Order ORD-4820193 has shipped with UPS and should arrive on Thursday 10 December; you can track it with the link in your e-mail.";

describe("a conversation's storage", () => {
  it("costs two rows written per turn (the message with its turn, the replies that close it), however many replies; the first turn one more", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const perTurn: number[] = [];
    for (const [i, text] of USER_TEXTS.entries()) {
      perTurn.push(
        await rowsWrittenBy(conversation, async () => {
          await say(conversation, text);
          const turn = queue.sent(conversation.id).at(-1);
          if (!turn) throw new Error("nothing dispatched");
          const replies = i % 3 === 1 ? [{ text: REPLY, response: "utter_order_shipped" }, { text: "Anything else?", response: "utter_anything_else", quickReplies: ["No thanks"] }] : [{ text: REPLY, response: "utter_answer" }];
          await conversation.stub.applyDialogueResult(dialogueResult(turn, { replies }));
        }),
      );
    }
    // The first turn also records, once, when and in what language the conversation started (its analytics).
    expect(perTurn).toEqual(USER_TEXTS.map((_, i) => (i === 0 ? 3 : 2)));
  });

  it("holds eight turns in 8 KB (SQLite's first page and the table's), and nothing once it has expired", async () => {
    const clock = freezeClock();
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    for (const text of USER_TEXTS) {
      await say(conversation, text);
      const turn = queue.sent(conversation.id).at(-1);
      if (!turn) throw new Error("nothing dispatched");
      const nlu = { intent: { name: "order_status", confidence: 0.93 }, intents: [{ name: "order_status", confidence: 0.93 }], entities: [{ entity: "order_id", value: "ORD-4820193", start: 18, end: 29, text: "ORD-4820193", source: "regex" as const }], locale: "en" as const };
      await conversation.stub.applyDialogueResult(dialogueResult(turn, { replies: [{ text: REPLY, response: "utter_order_shipped" }], nlu, state: { ...turn.state, lastIntent: "order_status", slots: { order_id: "ORD-4820193" } } }));
    }
    expect(await databaseSize(conversation)).toBeLessThanOrEqual(8192);
    clock.advance((gatewayConfig(env).STRATUS_RETENTION_DAYS + 1) * 86_400_000);
    expect(await conversation.stub.expireIfIdle()).toMatchObject({ expired: true });
    const left = await runInDurableObject(conversation.stub, (_instance, state) => ({
      tables: state.storage.sql.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '_cf_%'").toArray(),
      size: state.storage.sql.databaseSize,
    }));
    // An empty SQLite database is one page: what workerd reports for an object that never stored anything.
    expect(left).toEqual({ tables: [], size: 4096 });
  });

  it("creates a conversation with its whole schema (one table: two rows of SQLite's own) and its record in three rows", async () => {
    const probe = await newConversation();
    const id = "e".repeat(32);
    const stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(id));
    const written = await rowsWrittenBy({ id, stub }, () => stub.create({ id, bot: "ecommerce", locale: "en", timezone: "UTC", createdAt: new Date().toISOString() }));
    expect(written).toBe(3);
    expect(await databaseSize(probe)).toBe(8192);
  });
});
