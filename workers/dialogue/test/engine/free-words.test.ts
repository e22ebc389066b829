// Free-words answers to a slot with a category list: mapped to the nearest value when the bot is
// sure, checked with a yes/no question when it is not, in every bot language. The real shop bot's
// return reasons (bots/ecommerce/bot.yaml) with NLU results written by hand, the demo order API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import { TEST_ACTION_KEYS } from "../../../../devkit/action-keys.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { judgeFreeWords, matchCategories } from "../../src/engine/free-words.ts";
import { editDistance } from "../../../../shared/typos.ts";
import { loadBot, type EngineDeps } from "../../src/engine/index.ts";
import { Conversation, entity, exampleBot, nlu, responses, texts, SIGNED_IN_CUSTOMER, signedInFetch } from "./helpers.ts";

const shop = exampleBot("ecommerce");
let demo: DemoServices;
let deps: EngineDeps;
beforeAll(async () => {
  demo = await startDemoServices({ port: 0, actionKeys: TEST_ACTION_KEYS });
  deps = { fetch: await signedInFetch(SIGNED_IN_CUSTOMER), env: { ORDER_API_URL: demo.url } };
});
afterAll(async () => {
  await demo.close();
});

/** A conversation at the return-reason question for the delivered order ORD-3141592. */
async function atReasonQuestion(locale: Locale): Promise<Conversation> {
  const conversation = new Conversation(shop, deps);
  const asked = await conversation.say("return ORD-3141592", nlu("return_item", [entity("order_id", "ORD-3141592")], locale));
  expect(responses(asked)).toEqual(["utter_ask_return_reason"]);
  return conversation;
}

describe("a free-words answer is mapped to the nearest category", () => {
  it.each([
    ["en", "the colour looks nothing like the photos", "not_as_described", "reason: not as described"],
    ["zh", "屏幕裂了", "damaged", "原因：商品损坏"],
    ["es", "llegó un modelo diferente al que pedí", "wrong_item", "motivo: artículo equivocado"],
  ] as const)("%s: \"%s\" → %s, and the reply names the reason in the language", async (locale, answer, value, named) => {
    const conversation = await atReasonQuestion(locale);
    const created = await conversation.say(answer, nlu("out_of_scope", [], locale, 0.8));
    expect(responses(created)).toEqual(["utter_return_created"]);
    expect(created.state.slots.return_reason).toBe(value);
    expect(texts(created)).toContain(named);
  });

  it("a mistyped word is read as the example's word", () => {
    const categories = shop.slotCategories.return_reason;
    if (!categories) throw new Error("the return reason has free-words examples");
    const typed = matchCategories(categories, "the materiel is nothing like the descripton", "en", "en");
    const spelled = matchCategories(categories, "the material is nothing like the description", "en", "en");
    expect(typed[0]).toEqual(spelled[0]);
    expect(typed[0]?.value).toBe("not_as_described");
    expect(editDistance("descripton", "description")).toBe(1);
    expect(editDistance("lsot", "lost")).toBe(1);
  });

  it("a question is not read as a free-words answer: in an interruptible form it is a side question", async () => {
    const conversation = await atReasonQuestion("en");
    const side = await conversation.say("do your clothes run small?", nlu("ask_faq", [], "en", 0.95));
    expect(responses(side)).toEqual(["faq:size_guide", "utter_ask_return_reason"]);
    expect(side.state.slots.return_reason).toBeUndefined();
  });

  it("an answer the NLU hears as a \"no\" (the form's cancel intent) is still the answer; a plain no cancels", async () => {
    const answered = await atReasonQuestion("en");
    const created = await answered.say("nah, the material feels cheap", nlu("deny", [], "en", 0.8));
    expect(responses(created)).toEqual(["utter_return_created"]);
    expect(created.state.slots.return_reason).toBe("not_as_described");
    const cancelled = await atReasonQuestion("en");
    expect(responses(await cancelled.say("no", nlu("deny")))).toEqual(["utter_form_cancelled"]);
  });

  it("words that mean nothing to any category are not an answer", async () => {
    const conversation = await atReasonQuestion("en");
    expect(responses(await conversation.say("hmm let me think", nlu("out_of_scope")))).toEqual(["utter_invalid_return_reason"]);
  });
});

describe("when unsure, the bot asks, and a yes or no settles it", () => {
  it.each([
    ["en", "bought the wrong one by accident", "not_needed", "That sounds like “no longer needed” — is that right?", "yes"],
    ["zh", "和图片完全两样", "not_as_described", "听起来是“与描述不符”，对吗？", "对"],
    ["es", "lo veo pequeño, no me convence", "wrong_size", "Parece que el motivo es «talla incorrecta». ¿Es así?", "sí"],
  ] as const)("%s: \"%s\" → is it %s? yes → the return is made with it", async (locale, answer, value, question, yes) => {
    const conversation = await atReasonQuestion(locale);
    const asked = await conversation.say(answer, nlu("out_of_scope", [], locale, 0.8));
    expect(responses(asked)).toEqual(["utter_confirm_return_reason"]);
    expect(texts(asked)).toBe(question);
    expect(asked.state.slots.return_reason).toBeUndefined();
    expect(asked.state.activeForm?.confirming).toEqual({ slot: "return_reason", value });
    const created = await conversation.say(yes, nlu("affirm", [], locale));
    expect(responses(created)).toEqual(["utter_return_created"]);
    expect(created.state.slots.return_reason).toBe(value);
  });

  it("no asks again with the list of reasons (without cancelling the return); the next answer is read afresh", async () => {
    const conversation = await atReasonQuestion("es");
    await conversation.say("lo veo pequeño, no me convence", nlu("out_of_scope", [], "es"));
    // "no" would cancel the form (cancel.intents: [deny]); here it answers the bot's question.
    const again = await conversation.say("no", nlu("deny", [], "es"));
    expect(responses(again)).toEqual(["utter_invalid_return_reason"]);
    expect(again.state.activeForm).toMatchObject({ name: "return_form", confirming: null });
    const created = await conversation.say("no es como en la foto", nlu("out_of_scope", [], "es"));
    expect(created.state.slots.return_reason).toBe("not_as_described");
  });

  it("\"no, it's the wrong size\" names the value outright", async () => {
    const conversation = await atReasonQuestion("en");
    await conversation.say("bought the wrong one by accident", nlu("out_of_scope"));
    const created = await conversation.say("no, it's the wrong size", nlu("deny"));
    expect(responses(created)).toEqual(["utter_return_created"]);
    expect(created.state.slots.return_reason).toBe("wrong_size");
  });

  it("a side question at the bot's question is answered, and the reason is asked again", async () => {
    const conversation = await atReasonQuestion("en");
    await conversation.say("bought the wrong one by accident", nlu("out_of_scope"));
    const side = await conversation.say("how long is the warranty", nlu("ask_faq", [], "en", 0.95));
    expect(responses(side)).toEqual(["faq:warranty", "utter_ask_return_reason"]);
    expect(side.state.activeForm?.confirming).toBeNull();
  });
});

describe("a slot without a confirm response of its own", () => {
  const bot = loadBot({
    id: "drinks",
    name: "Drinks",
    locales: ["en", "zh", "es"],
    defaultLocale: "en",
    slots: {
      drink: {
        type: "enum",
        values: ["hot_chocolate", "iced_tea"],
        labels: { hot_chocolate: { en: "hot chocolate", zh: "热巧克力", es: "chocolate caliente" } },
        examples: {
          hot_chocolate: { en: ["something warm and sweet"], zh: ["热的甜的"], es: ["algo caliente y dulce"] },
          iced_tea: { en: ["something cold"], zh: ["冰的"], es: ["algo frío"] },
        },
        freeWords: { accept: 0.9, confirm: 0.3 },
      },
    },
    rules: [{ intent: "order", form: "drink_form" }],
    forms: { drink_form: { slots: [{ slot: "drink", ask: "utter_ask_drink" }], then: [{ response: "utter_done" }] } },
    responses: Object.fromEntries(
      ["utter_ask_drink", "utter_done", "utter_rephrase", "utter_offer", "utter_declined", "utter_handoff"].map((name) => [name, { en: name, zh: name, es: name }]),
    ),
    fallback: { rephrase: "utter_rephrase", offerHuman: "utter_offer", declined: "utter_declined" },
    handoff: { response: "utter_handoff" },
  });
  const offline = { fetch: () => Promise.reject(new Error("no network in this test")), env: {} };

  it.each([
    ["en", "warm and creamy", "That sounds like “hot chocolate” — is that right?", ["Yes", "No"], "Yes"],
    ["zh", "要热的奶", "您的意思是“热巧克力”，对吗？", ["对", "不对"], "对"],
    ["es", "caliente con leche", "Parece que es «chocolate caliente». ¿Es así?", ["Sí", "No"], "Sí"],
  ] as const)("%s: the platform's question, with yes/no quick replies; the offered yes settles it", async (locale, answer, question, quickReplies, yes) => {
    const conversation = new Conversation(bot, offline);
    await conversation.say("a drink please", nlu("order", [], locale));
    const asked = await conversation.say(answer, nlu("out_of_scope", [], locale));
    expect(asked.replies).toEqual([{ text: question, response: "platform:confirm_slot", quickReplies }]);
    // The NLU may not know the quick reply's word: the offered yes is a yes all the same.
    const done = await conversation.say(yes, nlu("out_of_scope", [], locale));
    expect(responses(done)).toEqual(["utter_done"]);
    expect(done.state.slots.drink).toBe("hot_chocolate");
  });

  it("judges by the slot's own levels", () => {
    const slot = bot.definition.slots.drink;
    if (!slot) throw new Error("drink slot");
    expect(judgeFreeWords(slot, [{ value: "iced_tea", confidence: 0.95 }])).toMatchObject({ kind: "accept" });
    expect(judgeFreeWords(slot, [{ value: "iced_tea", confidence: 0.6 }])).toMatchObject({ kind: "confirm" });
    expect(judgeFreeWords(slot, [{ value: "iced_tea", confidence: 0.2 }])).toBeUndefined();
    // Two values both at the accept level: the answer speaks for both, so it is checked.
    expect(judgeFreeWords(slot, [{ value: "iced_tea", confidence: 0.95 }, { value: "hot_chocolate", confidence: 0.92 }])).toMatchObject({ kind: "confirm" });
  });
});
