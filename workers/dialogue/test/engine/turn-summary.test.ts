// The summary of a turn the dialogue Worker sends with its decision (turn-summary.ts): whether the
// bot fell back and how its action calls ended, read from the effects of real turns of the shop bot.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import type { EngineDeps } from "../../src/engine/index.ts";
import { summarizeTurn } from "../../src/engine/turn-summary.ts";
import { Conversation, entity, exampleBot, nlu } from "./helpers.ts";

describe("turn summary", () => {
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
    expect(summarizeTurn(decision.effects)).toEqual({ fallback: true, actions: [] });
  });

  it("lists each action call with how it ended", async () => {
    const conversation = new Conversation(bot, deps);
    const shipped = await conversation.say("where is ORD-4820193", nlu("order_status", [entity("order_id", "ORD-4820193")]));
    expect(summarizeTurn(shipped.effects)).toEqual({ fallback: false, actions: [{ action: "lookup_order", outcome: "matched" }] });
    const broken = await new Conversation(bot, deps).say("where is ORD-5000500", nlu("order_status", [entity("order_id", "ORD-5000500")]));
    expect(summarizeTurn(broken.effects)).toEqual({ fallback: false, actions: [{ action: "lookup_order", outcome: "unmatched" }] });
  });

  it("a turn the bot understood without an action has nothing to report", async () => {
    const decision = await new Conversation(bot, deps).say("hello", nlu("greet"));
    expect(summarizeTurn(decision.effects)).toEqual({ fallback: false, actions: [] });
  });
});
