// What the workerd unit tests share: a fresh conversation object, a record of what it sends to the
// intent queue, a controllable clock, and dialogue results as the dialogue Worker would send them.
import { env } from "cloudflare:workers";
import { vi } from "vitest";
import type { DialogueResult, IntentQueueMessage, Locale, Message } from "../../../shared/schemas/index.ts";
import { rowsWrittenBy as objectRowsWrittenBy } from "../../test/rows-written.ts";

export type ConversationStub = ReturnType<typeof env.CONVERSATIONS.get>;

export interface TestConversation {
  id: string;
  stub: ConversationStub;
}

export async function newConversation(options: { bot?: string; locale?: Locale | null } = {}): Promise<TestConversation> {
  const id = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
  const stub = env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName(id));
  await stub.create({
    id,
    bot: options.bot ?? "ecommerce",
    locale: options.locale === undefined ? "en" : options.locale,
    timezone: "UTC",
    createdAt: new Date().toISOString(),
  });
  return { id, stub };
}

/**
 * Records every turn the objects send to the real intent queue binding (the send still happens).
 * Nothing consumes that queue in these tests: the test plays the intent and dialogue Workers.
 */
export function recordIntentQueue(): { sent(conversationId: string): IntentQueueMessage[] } {
  const send = vi.spyOn(env.INTENT_QUEUE_0, "send");
  return {
    sent: (conversationId) =>
      send.mock.calls.map(([body]) => body as IntentQueueMessage).filter((body) => body.conversationId === conversationId),
  };
}

/** The workerd clock, frozen, moved on by the tests (the object reads Date.now() in the same isolate). */
export function freezeClock(): { advance(ms: number): void } {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
  return { advance: (ms) => vi.setSystemTime(Date.now() + ms) };
}

/** The dialogue Worker's answer to a dispatched turn. */
export function dialogueResult(turn: IntentQueueMessage, overrides: Partial<DialogueResult> = {}): DialogueResult {
  return {
    v: 1,
    conversationId: turn.conversationId,
    seq: turn.seq,
    attempt: turn.attempt,
    traceId: turn.traceId,
    replies: [{ text: `answer to "${turn.text}"`, response: "utter_answer" }],
    state: { ...turn.state, lastIntent: "greet" },
    handoff: false,
    nlu: { intent: { name: "greet", confidence: 0.9 }, intents: [{ name: "greet", confidence: 0.9 }], entities: [], locale: "en" },
    ...overrides,
  };
}

/** The operator key's credential: the object's access rules (access.ts) have their own tests. */
export const OPERATOR = { kind: "operator" } as const;

export async function transcript(conversation: TestConversation): Promise<Message[]> {
  const listed = await conversation.stub.listMessages(0, 200, OPERATOR);
  if (!listed.ok) throw new Error(listed.error.message);
  return listed.messages;
}

export async function say(conversation: TestConversation, text: string): Promise<Message> {
  const appended = await conversation.stub.appendUserTurn({ text, traceId: crypto.randomUUID(), credential: OPERATOR });
  if (!appended.ok) throw new Error(appended.error.message);
  return appended.message;
}

/** Counts the rows the conversation object's SQL statements write while `run` runs (durable-objects/test/rows-written.ts). */
export function rowsWrittenBy(conversation: TestConversation, run: () => Promise<unknown>): Promise<number> {
  return objectRowsWrittenBy(conversation.stub, run);
}
