// What a conversation costs in storage (issue #17), measured on the object's own SQLite cursors as
// Cloudflare meters them: rows written per turn, bytes stored for eight turns, nothing left when it expires.
import { runInDurableObject } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:workers";
import { gatewayConfig } from "../../../shared/gateway-config.ts";
import { tablesOf } from "../../test/rows-written.ts";
import { dialogueResult, freezeClock, newConversation, recordIntentQueue, rowsWrittenBy, say, transcript, type TestConversation } from "./conversation-fixture.ts";

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
  it("costs two rows written per turn (the message with its turn, the replies that close it), however many replies, the first turn included", async () => {
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
    // When and in what language the conversation started (its analytics) is what the first bot row says: no record change.
    expect(perTurn).toEqual(USER_TEXTS.map(() => 2));
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
      tables: tablesOf(state.storage.sql),
      size: state.storage.sql.databaseSize,
    }));
    // An empty SQLite database is one page: what workerd reports for an object that never stored anything.
    expect(left).toEqual({ tables: [], size: 4096 });
  });

  it("holds eight turns of a form with quick replies, a digression and entities in 8 KB: its rows are compressed", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const reasons = ["Damaged", "Wrong item", "Wrong size", "Not as described", "No longer needed", "Other"];
    const askReason = { text: "Why are you returning it? Tell me in your own words, or pick one.", response: "utter_ask_return_reason", quickReplies: reasons };
    const backToReturn = { ...askReason, text: `Back to your return: ${askReason.text}` };
    const form = { name: "return_form", requestedSlot: "return_reason", invalidAttempts: 0, confirming: null };
    const script: Array<{ text: string; intent: string; replies: Array<{ text: string; response: string; quickReplies?: string[] }>; entities?: boolean }> = [
      { text: "hi", intent: "greet", replies: [{ text: "Hello! How can I help with your order today? I can track, cancel or return it.", response: "utter_greet", quickReplies: ["Track my order", "Return an item", "Talk to a person"] }] },
      { text: "I want to return an item from order ORD-4820193", intent: "return_item", replies: [askReason], entities: true },
      { text: "can I change the delivery address instead?", intent: "change_address", replies: [{ text: "I can't change an address myself, but a colleague can, as long as the order hasn't shipped yet. Should I connect you with a person?", response: "utter_change_address" }, backToReturn] },
      { text: "how long do refunds take?", intent: "ask_faq", replies: [{ text: "Refunds go back to your original payment method within 5–7 business days of your return reaching our warehouse; your bank may take another 3–5 days to show it.", response: "faq:refund_time" }, backToReturn] },
      { text: "the colour looks nothing like the photos", intent: "inform", replies: [{ text: "That sounds like 'Not as described' — right?", response: "utter_confirm_return_reason", quickReplies: ["Yes", "No"] }] },
      { text: "yes", intent: "affirm", replies: [{ text: "Return started for ORD-4820193: print the label from the e-mail we just sent and drop the parcel at any post office within 30 days.", response: "utter_return_started" }] },
      { text: "thanks a lot", intent: "thanks", replies: [{ text: "You're welcome! Anything else I can do?", response: "utter_youre_welcome" }] },
      { text: "bye", intent: "goodbye", replies: [{ text: "Bye! Have a great day.", response: "utter_goodbye" }] },
    ];
    for (const [i, step] of script.entries()) {
      await say(conversation, step.text);
      const turn = queue.sent(conversation.id).at(-1);
      if (!turn) throw new Error("nothing dispatched");
      const inForm = i >= 1 && i <= 4;
      const nlu = {
        intent: { name: step.intent, confidence: 0.93 },
        intents: [{ name: step.intent, confidence: 0.93 }, { name: "out_of_scope", confidence: 0.04 }],
        entities: step.entities ? [{ entity: "order_id", value: "ORD-4820193", start: 37, end: 48, text: "ORD-4820193", source: "regex" as const }] : [],
        locale: "en" as const,
      };
      const state = { ...turn.state, lastIntent: step.intent, lastLocale: "en" as const, slots: { order_id: "ORD-4820193" }, activeForm: inForm ? form : null };
      await conversation.stub.applyDialogueResult(dialogueResult(turn, { replies: step.replies, nlu, state }));
    }
    expect((await transcript(conversation)).map((message) => message.text)).toContain(backToReturn.text);
    expect(await databaseSize(conversation)).toBeLessThanOrEqual(8192);
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
