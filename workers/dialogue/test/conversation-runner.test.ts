// The conversation-test checks catch what a bot author would call a wrong answer.
import { describe, expect, it } from "vitest";
import { checkTurn } from "../../../devkit/bots/conversation-runner.ts";
import type { Reply } from "../../../devkit/local-stack.ts";

const reply = (response: string, text: string, quickReplies?: string[]): Reply => ({
  id: "m",
  seq: 2,
  createdAt: "2026-11-24T00:00:00.000Z",
  role: "bot",
  text,
  response,
  ...(quickReplies ? { quickReplies } : {}),
  nlu: { intent: { name: "order_status", confidence: 0.9 }, intents: [{ name: "order_status", confidence: 0.9 }], entities: [], locale: "en" },
});

describe("conversation-test checks", () => {
  const replies = [reply("utter_order_shipped", "Order ORD-1 has shipped with UPS.", ["Track another"])];

  it("passes a turn that meets every expectation", () => {
    expect(
      checkTurn(
        { user: "x", intent: "order_status", locale: "en", response: "utter_order_shipped", contains: ["ups"], quickReplies: ["Track another"], handoff: false },
        replies,
        "utter_handoff",
      ),
    ).toEqual([]);
  });

  it("reports each unmet expectation with what the bot did instead", () => {
    const problems = checkTurn(
      { user: "x", intent: "greet", locale: "es", responses: ["utter_greet"], contains: ["DHL"], notContains: ["UPS"], handoff: true },
      replies,
      "utter_handoff",
    );
    expect(problems).toHaveLength(6);
    expect(problems[0]).toBe("expected intent greet, got [utter_order_shipped] (intent order_status 0.90)");
    expect(problems[1]).toBe("expected locale es, got en");
  });
});
