// The summary of a decision the dialogue Worker sends with its result (decision-summary.ts):
// whether the bot fell back, the forms that ended and how each action call ended, read from the
// effects of real turns of the shop bot against the demo backend.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import { summarizeDecision } from "../../src/engine/decision-summary.ts";
import type { EngineDeps } from "../../src/engine/index.ts";
import { Conversation, entity, exampleBot, nlu } from "./helpers.ts";

describe("decision summary", () => {
  const bot = exampleBot("ecommerce");
  let demo: DemoServices;
  let deps: EngineDeps;
  beforeAll(async () => {
    demo = await startDemoServices({ port: 0 });
    deps = { fetch: (input, init) => fetch(input, init), env: { ORDER_API_URL: demo.url } };
  });
  afterAll(async () => {
    await demo.close();
  });

  it("says when the bot fell back, and nothing else happened", async () => {
    const decision = await new Conversation(bot, deps).say("blorp", nlu("out_of_scope"));
    expect(summarizeDecision(decision.effects)).toEqual({ fallback: true, forms: [], actions: [] });
  });

  it("lists the form that completed and each action call with how it ended", async () => {
    const shipped = await new Conversation(bot, deps).say("where is ORD-4820193", nlu("order_status", [entity("order_id", "ORD-4820193")]));
    expect(summarizeDecision(shipped.effects)).toEqual({
      fallback: false,
      forms: [{ form: "order_status_form", outcome: "completed" }],
      actions: [{ action: "lookup_order", outcome: "matched", durationMs: expect.any(Number) as number }],
    });
    const broken = await new Conversation(bot, deps).say("where is ORD-5000500", nlu("order_status", [entity("order_id", "ORD-5000500")]));
    expect(summarizeDecision(broken.effects).actions).toEqual([{ action: "lookup_order", outcome: "unmatched", durationMs: expect.any(Number) as number }]);
  });

  it("a form the user cancels", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("where is my order", nlu("order_status"));
    const cancelled = await conversation.say("never mind", nlu("deny"));
    expect(summarizeDecision(cancelled.effects).forms).toEqual([{ form: "order_status_form", outcome: "cancelled" }]);
  });
});
