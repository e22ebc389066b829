// An action's URL built from what a user typed: a slot value cannot change the URL's path by being
// "." or ".." (or a form URL parsers read as one), whatever the slot's type allows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import { loadBot, type EngineDeps } from "../../src/engine/index.ts";
import { DotSegmentError, renderUrlTemplate } from "../../src/engine/templates.ts";
import { Conversation, entity, nlu, responses } from "./helpers.ts";

/** Slot values percent-encoded as actions encode them, env values as they are. */
function render(template: string, values: Record<string, string>): string {
  return renderUrlTemplate(template, (name) => ({
    text: name.startsWith("env.") ? (values[name] ?? "") : encodeURIComponent(values[name] ?? ""),
    fromSlot: !name.startsWith("env."),
  }));
}

describe("renderUrlTemplate", () => {
  it.each([
    [".", "/orders/{id}"],
    ["..", "/orders/{id}"],
    ["..", "/orders/{id}/cancel"],
    ["..", "https://api.example.com/{id}?q=1"],
    ["..", "/orders\\{id}"],
    [".", "/files/{id}%2e"],
    [".", "/files/{id}%2E"],
  ])("refuses %j as %s (a dot segment)", (id, template) => {
    expect(() => render(template, { id })).toThrow(DotSegmentError);
  });

  it("refuses two slots that make '..' together", () => {
    expect(() => render("/files/{a}{b}", { a: ".", b: "." })).toThrow(DotSegmentError);
  });

  it.each([
    ["ORD-4820193", "/orders/ORD-4820193"],
    ["...", "/orders/..."],
    ["a..b", "/orders/a..b"],
    [".hidden", "/orders/.hidden"],
    // Percent-encoded dots typed by the user are encoded again ("%252e"): no parser reads them as dots.
    ["%2e%2e", "/orders/%252e%252e"],
    ["../admin", "/orders/..%2Fadmin"],
  ])("keeps %j in its own segment: %s", (id, expected) => {
    expect(render("/orders/{id}", { id })).toBe(expected);
  });

  it("lets dots through in the query and the fragment, and in the operator's env values", () => {
    expect(render("/search?q={q}", { q: ".." })).toBe("/search?q=..");
    expect(render("/page#{q}", { q: ".." })).toBe("/page#..");
    expect(render("{env.BASE}/x/{id}", { "env.BASE": "https://h.example/api/../v2", id: "7" })).toBe("https://h.example/api/../v2/x/7");
  });
});

describe("an action whose URL takes a free-text slot", () => {
  const bot = loadBot({
    id: "paths",
    name: "Paths",
    locales: ["en"],
    defaultLocale: "en",
    slots: { order_ref: { type: "text", entity: "order_ref" } },
    rules: [{ intent: "lookup", action: "lookup_order" }],
    env: ["ORDER_API_URL"],
    actions: {
      lookup_order: {
        method: "GET",
        url: "{env.ORDER_API_URL}/orders/{order_ref}",
        responses: [{ when: { status: 404 }, response: "utter_not_found" }, { response: "utter_found" }],
        onError: "utter_backend_error",
      },
    },
    responses: {
      utter_found: { en: "Found it." },
      utter_not_found: { en: "No such order." },
      utter_backend_error: { en: "Something went wrong." },
      utter_rephrase: { en: "Again?" },
      utter_offer: { en: "A person?" },
      utter_declined: { en: "Okay." },
      utter_handoff: { en: "Connecting." },
    },
    fallback: { rephrase: "utter_rephrase", offerHuman: "utter_offer", declined: "utter_declined" },
    handoff: { response: "utter_handoff" },
  });

  let demo: DemoServices;
  const requested: string[] = [];
  let deps: EngineDeps;
  beforeAll(async () => {
    demo = await startDemoServices({ port: 0 });
    // The real fetch to the real demo services, noting each URL asked for.
    deps = {
      fetch: (input, init) => {
        requested.push(new Request(input).url);
        return fetch(input, init);
      },
      env: { ORDER_API_URL: demo.url },
    };
  });
  afterAll(async () => {
    await demo.close();
  });

  it("calls the backend for an ordinary value", async () => {
    requested.length = 0;
    const decision = await new Conversation(bot, deps).say("ORD-4820193", nlu("lookup", [entity("order_ref", "ORD-4820193")]));
    expect(requested).toEqual([`${demo.url}/orders/ORD-4820193`]);
    expect(responses(decision)).toEqual(["utter_found"]);
  });

  it.each(["./..", ".%2e", "../../admin"])("keeps %j inside the order's segment (encoded), so the backend answers for that order", async (value) => {
    requested.length = 0;
    const decision = await new Conversation(bot, deps).say(value, nlu("lookup", [entity("order_ref", value)]));
    expect(requested).toEqual([`${demo.url}/orders/${encodeURIComponent(value)}`]);
    expect(responses(decision)).toEqual(["utter_not_found"]);
  });

  it.each([".", ".."])("sends nothing for %j and says the action's onError", async (value) => {
    requested.length = 0;
    const decision = await new Conversation(bot, deps).say(value, nlu("lookup", [entity("order_ref", value)]));
    expect(requested).toEqual([]);
    expect(decision.effects).toContainEqual({ type: "actionCalled", action: "lookup_order", outcome: "notSent", durationMs: expect.any(Number) as number });
    expect(responses(decision)).toEqual(["utter_backend_error"]);
  });
});
