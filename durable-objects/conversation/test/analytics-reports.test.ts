// What a conversation object reports to its bot's analytics (analytics-reporter.ts), on the real
// object in workerd: one report per closed turn, handoff and agent message, with the facts that
// need the conversation's history (its first turn, whether a person took it before), and the text
// of a message the bot did not understand only for a bot that keeps it.
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AnalyticsReport, ConversationReports } from "../../../shared/schemas/index.ts";
import { keptText } from "../analytics-reporter.ts";
import { dialogueResult, newConversation, recordIntentQueue, say, type TestConversation } from "./conversation-fixture.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * Every report the objects make, in order: those of a turn the dialogue Worker answered come back
 * with its result (`answer` hands them over), the others the objects send to the analytics queue
 * themselves (recorded from the binding; the send still happens).
 */
const reported: AnalyticsReport[] = [];
function recordAnalyticsQueue(): { sent(conversationId: string): AnalyticsReport["fact"][] } {
  reported.length = 0;
  const send = env.ANALYTICS_QUEUE_0.send.bind(env.ANALYTICS_QUEUE_0);
  vi.spyOn(env.ANALYTICS_QUEUE_0, "send").mockImplementation((body: unknown, options?: QueueSendOptions) => {
    reported.push(...(body as ConversationReports).reports);
    return send(body, options);
  });
  return { sent: (conversationId) => reported.filter((report) => report.conversationId === conversationId).map((report) => report.fact) };
}

/** The microtasks the objects send their own reports in have run. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 0));

/** The dialogue Worker answers the turn in flight with this NLU intent (in the conversation's locale) and what it did. */
async function answer(
  conversation: TestConversation,
  queue: ReturnType<typeof recordIntentQueue>,
  intent: string,
  did: { fallback?: boolean; actions?: { action: string; outcome: "matched" | "failed" | "unmatched" }[] },
  handoff = false,
): Promise<void> {
  const turn = queue.sent(conversation.id).at(-1);
  if (!turn) throw new Error("nothing dispatched");
  const base = dialogueResult(turn);
  const nlu = { ...base.nlu, intent: { name: intent, confidence: 0.9 }, locale: turn.locale ?? "en" };
  const decision = { fallback: did.fallback ?? false, forms: [], actions: (did.actions ?? []).map((call) => ({ ...call, durationMs: 12 })) };
  const result = { ...base, handoff, decision, nlu };
  const applied = await conversation.stub.applyDialogueResult(result);
  expect(applied.applied).toBe(true);
  reported.push(...(applied.reports?.reports ?? []));
}

describe("analytics reports", () => {
  it("reports each closed turn once, with what the bot understood and what happened", async () => {
    const reports = recordAnalyticsQueue();
    const queue = recordIntentQueue();
    const conversation = await newConversation({ bot: "health" });
    await say(conversation, "hello");
    await answer(conversation, queue, "greet", {});
    await say(conversation, "book 3 appointments");
    await answer(conversation, queue, "book_appointment", { actions: [{ action: "book", outcome: "failed" }, { action: "book", outcome: "matched" }] });
    await say(conversation, "my rash is spreading");
    await answer(conversation, queue, "out_of_scope", { fallback: true });

    const turns = reports.sent(conversation.id).filter((fact) => fact.kind === "turn");
    expect(turns.map((t) => [t.seq, t.intent, t.startsConversation, t.botFallback, t.actions])).toEqual([
      [1, "greet", true, false, []],
      [3, "book_appointment", false, false, [{ action: "book", failed: true }, { action: "book", failed: false }]],
      [5, "out_of_scope", false, true, []],
    ]);
    expect(turns.every((t) => t.outcome === "bot" && t.locale === "en" && t.latencyMs >= 0 && t.botReplies === 1)).toBe(true);
    // The health bot keeps counts only: no text, even of the message it did not understand.
    expect(turns.some((t) => "text" in t)).toBe(false);
  });

  it("keeps the text of an unrecognised message for a bot that opts in, folded and with digits masked", async () => {
    const reports = recordAnalyticsQueue();
    const queue = recordIntentQueue();
    const conversation = await newConversation({ bot: "ecommerce" });
    await say(conversation, "Do you   sell BIKES under 300?");
    await answer(conversation, queue, "out_of_scope", { fallback: true });
    await say(conversation, "where is my order");
    await answer(conversation, queue, "order_status", {});
    const turns = reports.sent(conversation.id).filter((fact) => fact.kind === "turn");
    expect(turns.map((t) => t.text)).toEqual(["do you sell bikes under ###?", undefined]);
  });

  it("counts a conversation a person took before its first message as handed off from the start", async () => {
    const reports = recordAnalyticsQueue();
    const conversation = await newConversation();
    expect(await conversation.stub.setHandoff(true)).toEqual({ ok: true, handedOff: true });
    await say(conversation, "hello?");
    const agent = await conversation.stub.appendAgentMessage("Hi, this is Dana.");
    if (!agent.ok) throw new Error(agent.error.message);
    await settled();
    expect(reports.sent(conversation.id).map(({ kind, ...fact }) => [kind, "cohort" in fact, fact])).toMatchObject([
      ["handoff", false, { ordinal: 1, by: "operator" }],
      ["turn", false, { seq: 1, outcome: "held", startsConversation: true, startsHandedOff: true, botReplies: 0 }],
      ["agent_message", false, { seq: agent.message.seq }],
    ]);
  });

  it("marks the conversation's first handoff against the minute it started in; later ones count as handoffs only", async () => {
    const reports = recordAnalyticsQueue();
    const queue = recordIntentQueue();
    const conversation = await newConversation({ locale: "zh" });
    await say(conversation, "你好");
    await answer(conversation, queue, "greet", {});
    await say(conversation, "转人工");
    await answer(conversation, queue, "human_handoff", {}, true);
    await conversation.stub.setHandoff(false);
    await conversation.stub.setHandoff(true);
    // Taking a conversation a person already has is no new handoff.
    await conversation.stub.setHandoff(true);
    await settled();

    const facts = reports.sent(conversation.id);
    const [first] = facts;
    if (first?.kind !== "turn") throw new Error("the first report is not the first turn");
    const handoffs = facts.filter((fact) => fact.kind === "handoff");
    expect(handoffs).toEqual([
      { kind: "handoff", ordinal: 1, at: expect.any(Number) as number, locale: "zh", by: "bot", cohort: { minute: Math.floor(first.at / 60_000), locale: "zh" } },
      { kind: "handoff", ordinal: 2, at: expect.any(Number) as number, locale: "zh", by: "operator" },
    ]);
  });
});

describe("kept text", () => {
  it("folds spacing and case, masks digits and stays within 200 characters, whole characters only", () => {
    expect(keptText("  Where IS\tORD-4820193 ?? ")).toBe("where is ord-####### ??");
    expect(keptText("我的订单１２３呢")).toBe("我的订单###呢");
    const long = keptText(`${"a".repeat(199)}😀😀`);
    expect(long).toBe("a".repeat(199));
  });
});
