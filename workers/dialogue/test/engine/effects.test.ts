// A turn's effects: what happened in it is readable from the decision (forms, actions, fallback,
// handoff), and the applier's chain guard ends forms that start each other within one turn.
import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import { TEST_ACTION_KEYS } from "../../../../devkit/action-keys.ts";
import { loadBot, type EngineDeps, type TurnDecision } from "../../src/engine/index.ts";
import { Conversation, entity, exampleBot, nlu, responses, SIGNED_IN_CUSTOMER, signedInFetch } from "./helpers.ts";

const noNetwork = { fetch: () => Promise.reject(new Error("no network in this test")), env: {} };
const types = (decision: TurnDecision) => decision.effects.map((effect) => effect.type);

// Forms whose `then` start each other (ping → pong → ping), one that starts itself, and one that
// asks again after completing (clear the slot, start itself).
const chains = loadBot({
  id: "chains",
  name: "Chains",
  locales: ["en"],
  defaultLocale: "en",
  slots: { a: { type: "text" }, b: { type: "text" }, name: { type: "text" } },
  rules: [
    { intent: "ping_pong", setSlots: { a: "x", b: "y" }, form: "ping" },
    { intent: "loop", setSlots: { a: "x" }, form: "self" },
    { intent: "names", form: "name_form" },
  ],
  forms: {
    ping: { slots: [{ slot: "a", ask: "utter_ask_a" }], then: [{ response: "utter_ping", form: "pong" }] },
    pong: { slots: [{ slot: "b", ask: "utter_ask_b" }], then: [{ response: "utter_pong", form: "ping" }] },
    self: { slots: [{ slot: "a", ask: "utter_ask_a" }], then: [{ response: "utter_again", form: "self" }] },
    name_form: {
      slots: [{ slot: "name", ask: "utter_ask_name" }],
      then: [{ clearSlots: ["name"], response: "utter_thanks", form: "name_form" }],
    },
  },
  responses: {
    utter_ask_a: { en: "A?" },
    utter_ask_b: { en: "B?" },
    utter_ping: { en: "Ping." },
    utter_pong: { en: "Pong." },
    utter_again: { en: "Again." },
    utter_ask_name: { en: "Your name?" },
    utter_thanks: { en: "Thanks." },
    utter_rephrase: { en: "Again?" },
    utter_offer: { en: "A person?" },
    utter_declined: { en: "Okay." },
    utter_handoff: { en: "Connecting." },
  },
  fallback: { rephrase: "utter_rephrase", offerHuman: "utter_offer", declined: "utter_declined" },
  handoff: { response: "utter_handoff" },
});

describe("chain guard: a form starts at most once per turn", () => {
  it("forms that start each other end the turn at the second start, which is refused and reported", async () => {
    const decision = await new Conversation(chains, noNetwork).say("go", nlu("ping_pong"));
    expect(responses(decision)).toEqual(["utter_ping", "utter_pong"]);
    expect(types(decision)).toEqual([
      "setSlot",
      "setSlot",
      "startForm",
      "completeForm",
      "say",
      "startForm",
      "completeForm",
      "say",
      "formRefused",
    ]);
    expect(decision.effects.at(-1)).toEqual({ type: "formRefused", form: "ping" });
    expect(decision.state.activeForm).toBeNull();
  });

  it("a form whose `then` starts itself runs its `then` once", async () => {
    const decision = await new Conversation(chains, noNetwork).say("loop", nlu("loop"));
    expect(responses(decision)).toEqual(["utter_again"]);
    expect(types(decision)).toEqual(["setSlot", "startForm", "completeForm", "say", "formRefused"]);
    expect(decision.effects.at(-1)).toEqual({ type: "formRefused", form: "self" });
  });

  it("a form may still start again after it completes, to ask once more", async () => {
    const conversation = new Conversation(chains, noNetwork);
    expect(responses(await conversation.say("names please", nlu("names")))).toEqual(["utter_ask_name"]);
    const decision = await conversation.say("Ada", nlu("out_of_scope"));
    expect(responses(decision)).toEqual(["utter_thanks", "utter_ask_name"]);
    expect(decision.state.activeForm).toEqual({ name: "name_form", requestedSlot: "name", invalidAttempts: 0, confirming: null });
    expect(types(decision)).not.toContain("formRefused");
  });
});

describe("what happened in a turn is readable from its effects", () => {
  const bot = exampleBot("ecommerce");
  const orderId = (id: string) => entity("order_id", id);
  let demo: DemoServices;
  let deps: EngineDeps;
  let closedPortUrl: string;

  beforeAll(async () => {
    demo = await startDemoServices({ port: 0, actionKeys: TEST_ACTION_KEYS });
    deps = { fetch: await signedInFetch(SIGNED_IN_CUSTOMER), env: { ORDER_API_URL: demo.url } };
    // A port nothing listens on: connections are refused at once.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const address = probe.address();
    closedPortUrl = `http://127.0.0.1:${typeof address === "object" && address !== null ? address.port : 0}`;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
  });
  afterAll(async () => {
    await demo.close();
  });

  it("a form that completes at once and calls its action, with the call's outcome and duration", async () => {
    const decision = await new Conversation(bot, deps).say("where is ORD-4820193", nlu("order_status", [orderId("ORD-4820193")]));
    expect(types(decision).slice(0, 5)).toEqual(["setSlot", "startForm", "completeForm", "callAction", "actionCalled"]);
    expect(decision.effects).toContainEqual({ type: "startForm", form: "order_status_form" });
    expect(decision.effects).toContainEqual({ type: "completeForm", form: "order_status_form" });
    expect(decision.effects).toContainEqual({
      type: "actionCalled",
      action: "lookup_order",
      outcome: "matched",
      status: 200,
      durationMs: expect.any(Number) as number,
    });
    expect(decision.effects.at(-1)).toEqual({ type: "say", response: "utter_order_shipped" });
    // The decision the Worker hands on keeps its shape; the effects travel beside it.
    expect(Object.keys(decision).sort()).toEqual(["effects", "handoff", "replies", "state"]);
  });

  it.each([
    ["a 500 nobody handles", () => deps.env, "ORD-5000500", { outcome: "unmatched", status: 500 }],
    ["bad JSON", () => deps.env, "ORD-5000999", { outcome: "badJson", status: 200 }],
    ["a backend that refuses connections", () => ({ ORDER_API_URL: closedPortUrl }), "ORD-4820193", { outcome: "failed" }],
    ["no ORDER_API_URL", () => ({}), "ORD-4820193", { outcome: "notSent" }],
  ] as const)("an action that fails (%s) says so in its effects", async (_case, env, id, expected) => {
    const decision = await new Conversation(bot, { fetch: deps.fetch, env: env() }).say(`where is ${id}`, nlu("order_status", [orderId(id)]));
    const called = decision.effects.find((effect) => effect.type === "actionCalled");
    expect(called).toEqual({ type: "actionCalled", action: "lookup_order", durationMs: expect.any(Number) as number, ...expected });
    expect(responses(decision)).toEqual(["utter_backend_error"]);
  });

  it("fallbacks, the offer of a person and the handoff", async () => {
    const conversation = new Conversation(bot, deps);
    expect(types(await conversation.say("blorp", nlu("out_of_scope")))).toEqual(["fallback", "say"]);
    expect(types(await conversation.say("zzz", nlu("out_of_scope")))).toEqual(["fallback", "offerHuman", "say"]);
    const handedOff = await conversation.say("yes", nlu("affirm"));
    expect(handedOff.effects).toEqual([
      { type: "closeHumanOffer", answer: "accepted" },
      { type: "handOff" },
      { type: "say", response: "utter_handoff" },
    ]);
  });

  it("a form cancelled by the user, by a handoff, and given up when the user is stuck", async () => {
    const byUser = new Conversation(bot, deps);
    await byUser.say("track my package", nlu("order_status"));
    expect((await byUser.say("Never mind!", nlu("out_of_scope"))).effects).toContainEqual({
      type: "cancelForm",
      form: "order_status_form",
      reason: "user",
    });

    const byHandoff = new Conversation(bot, deps);
    await byHandoff.say("track my package", nlu("order_status"));
    expect(types(await byHandoff.say("talk to a human", nlu("human_handoff")))).toEqual(["cancelForm", "handOff", "say"]);

    const stuck = new Conversation(bot, deps);
    await stuck.say("where is my order", nlu("order_status"));
    const first = await stuck.say("no idea", nlu("out_of_scope"));
    expect(first.effects).toContainEqual({ type: "invalidFormAnswer", form: "order_status_form", slot: "order_id" });
    await stuck.say("hmm", nlu("out_of_scope"));
    const gaveUp = await stuck.say("dunno", nlu("out_of_scope"));
    expect(types(gaveUp)).toEqual(["cancelForm", "offerHuman", "say"]);
    expect(gaveUp.effects[0]).toEqual({ type: "cancelForm", form: "order_status_form", reason: "stuck" });
  });
});
