// Digressions: a side question or another request inside a form is answered and the form resumes
// where it was; entity-only replies stay in the form; forms that must not be interrupted, rules that
// never or always interrupt. The real example bots, with NLU results written by hand.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import { TEST_ACTION_KEYS } from "../../../../devkit/action-keys.ts";
import { loadBot, type EngineDeps, type TurnDecision } from "../../src/engine/index.ts";
import { Conversation, entity, exampleBot, nlu, responses, SIGNED_IN_CUSTOMER, signedInFetch } from "./helpers.ts";

const shop = exampleBot("ecommerce");
const health = exampleBot("health");
const finance = exampleBot("finance");
const orderId = (id: string) => entity("order_id", id);
/** The order number where the message says it. */
const orderIn = (text: string, id: string) => ({ ...orderId(id), start: text.indexOf(id), end: text.indexOf(id) + id.length });
const types = (decision: TurnDecision) => decision.effects.map((effect) => effect.type);

/** A shop conversation whose return of ORD-3141592 asks for the reason. */
async function atReturnReason(locale: "en" | "zh" = "en"): Promise<Conversation> {
  const conversation = new Conversation(shop, deps);
  await conversation.say(locale === "zh" ? "ORD-3141592要退货" : "I want to return ORD-3141592", nlu("return_item", [orderId("ORD-3141592")], locale));
  expect(conversation.state.activeForm).toMatchObject({ name: "return_form", requestedSlot: "return_reason" });
  return conversation;
}

let demo: DemoServices;
let deps: EngineDeps;
beforeAll(async () => {
  demo = await startDemoServices({ port: 0, actionKeys: TEST_ACTION_KEYS });
  deps = { fetch: await signedInFetch(SIGNED_IN_CUSTOMER), env: { ORDER_API_URL: demo.url, MARKET_API_URL: demo.url } };
});
afterAll(async () => {
  await demo.close();
});

describe("a side question inside a form is answered, then the form resumes at the same slot", () => {
  it("an FAQ answer at the order-number question of a return, then the return goes on", async () => {
    const conversation = new Conversation(shop, deps);
    expect(responses(await conversation.say("I want to return something", nlu("return_item")))).toEqual(["utter_ask_order_id"]);
    // The NLU hears a refund request (whose rule would start the refund form): the FAQ answers the
    // question in place instead of dropping the return.
    const side = await conversation.say("how long does a refund take?", nlu("refund_status", [], "en", 0.98));
    expect(responses(side)).toEqual(["faq:refund_time", "utter_ask_order_id"]);
    expect(side.replies[1]?.text).toMatch(/^Back to your return: /);
    expect(side.state.activeForm).toMatchObject({ name: "return_form", requestedSlot: "order_id" });
    expect(side.effects).toContainEqual({ type: "interruptForm", form: "return_form", by: "faq" });
    expect(types(side)).toContain("resumeForm");

    const next = await conversation.say("ORD-3141592", nlu("order_status", [orderId("ORD-3141592")]));
    expect(responses(next)).toEqual(["utter_ask_return_reason"]);
    expect(next.state.activeForm?.name).toBe("return_form");
  });

  it("another request's rule at the reason question, in Chinese and Spanish too", async () => {
    for (const [locale, text, resume] of [
      ["en", "how much is express shipping", "Back to your return:"],
      ["zh", "运费多少钱", "我们接着办理退货："],
      ["es", "¿cuánto cuesta el envío?", "Volvamos a tu devolución:"],
    ] as const) {
      const conversation = new Conversation(shop, deps);
      await conversation.say("return ORD-3141592", nlu("return_item", [orderId("ORD-3141592")], locale));
      const side = await conversation.say(text, nlu("shipping_info", [], locale, 0.95));
      expect(responses(side), locale).toEqual(["utter_shipping_info", "utter_ask_return_reason"]);
      expect(side.replies[1]?.text.startsWith(resume), locale).toBe(true);
      // The resumed question keeps its quick replies.
      expect(side.replies[1]?.quickReplies?.length, locale).toBe(6);
      expect(side.state.activeForm?.requestedSlot, locale).toBe("return_reason");
    }
  });

  it("a question the FAQ is less sure of is still a side question when one entry leads, and the answer after it stays in the form", async () => {
    const conversation = new Conversation(shop, deps);
    await conversation.say("我要取消订单", nlu("cancel_order", [], "zh"));
    // Written as a question, at the order-number question: not an order number, but the user's own question.
    const side = await conversation.say("对了，你们的东西保修期多长？", nlu("out_of_scope", [], "zh", 0.77));
    expect(responses(side)).toEqual(["faq:warranty", "utter_ask_order_id"]);
    expect(side.state.activeForm).toMatchObject({ name: "cancel_order_form", requestedSlot: "order_id" });
    // The same words without the question mark are read as an answer to the form (a wrong one).
    const statement = new Conversation(shop, deps);
    await statement.say("我要取消订单", nlu("cancel_order", [], "zh"));
    expect(responses(await statement.say("对了，你们的东西保修期多长", nlu("out_of_scope", [], "zh", 0.77)))).toEqual(["utter_invalid_order_id"]);
  });

  it("a side question does not count as a wrong answer", async () => {
    const conversation = new Conversation(shop, deps);
    await conversation.say("where is my order", nlu("order_status"));
    await conversation.say("ORD-12", nlu("out_of_scope"));
    const side = await conversation.say("do you take paypal", nlu("ask_faq"));
    expect(responses(side)).toEqual(["faq:payment_methods", "utter_ask_order_id"]);
    expect(side.state.activeForm?.invalidAttempts).toBe(1);
    expect(side.state.fallbackStreak).toBe(0);
  });

  it("an intent below digressions.minConfidence is taken as an answer to the form, not a side request", async () => {
    const conversation = new Conversation(shop, deps);
    await conversation.say("where is my order", nlu("order_status"));
    const unsure = await conversation.say("ship it", nlu("shipping_info", [], "en", 0.7));
    expect(responses(unsure)).toEqual(["utter_invalid_order_id"]);
    expect(types(unsure)).not.toContain("interruptForm");
  });

  it("a confident request for a form that asks other things switches to it, though the FAQ could answer its words", async () => {
    const conversation = new Conversation(health, deps);
    await conversation.say("can I take ibuprofen?", nlu("medicine_question", [entity("medicine", "ibuprofen")]));
    expect(conversation.state.activeForm).toMatchObject({ name: "medicine_form", requestedSlot: "for_whom" });
    // The FAQ's "when should I see a doctor?" covers the message; the NLU hears a booking.
    const switched = await conversation.say("I'd rather he just sees a doctor - can I book him in?", nlu("book_appointment", [], "en", 0.84));
    expect(responses(switched)).toEqual(["utter_ask_appointment_reason"]);
    expect(switched.state.activeForm?.name).toBe("appointment_form");
  });

  it("a request for another form switches to it, without resuming the first", async () => {
    const conversation = new Conversation(shop, deps);
    await conversation.say("return ORD-4820193", nlu("return_item", [orderId("ORD-4820193")]));
    const switched = await conversation.say("actually just tell me where it is", nlu("order_status", [], "en", 0.9));
    expect(responses(switched)).toEqual(["utter_order_shipped"]);
    expect(types(switched)).not.toContain("resumeForm");
    expect(switched.state.activeForm).toBeNull();
  });

  it("a question the NLU hears as a yes is still a side question where the form asked no yes/no question", async () => {
    const conversation = new Conversation(finance, deps);
    await conversation.say("stock price", nlu("stock_quote"));
    const side = await conversation.say("ok, and can I open an account online?", nlu("affirm", [], "en", 0.7));
    expect(responses(side)).toEqual(["faq:open_account", "utter_ask_ticker"]);
    // A plain yes is no side question (nor the "anything else?" of the rules for yes).
    expect(responses(await conversation.say("yes please", nlu("affirm")))).toEqual(["utter_invalid_ticker"]);
  });

  it("a sure side question is not taken as an answer because it names one of the form's words", async () => {
    const conversation = new Conversation(finance, deps);
    await conversation.say("what's my risk profile", nlu("risk_profile"));
    expect(responses(await conversation.say("about 15 years", nlu("out_of_scope", [entity("number", 15)], "en", 0.6)))).toEqual(["utter_ask_fall_reaction"]);
    // "wait" is a synonym of holding on, the answer to the question the form asked.
    const side = await conversation.say("wait, remind me what compound interest means?", nlu("ask_faq", [], "en", 0.99));
    expect(responses(side)).toEqual(["faq:compound_interest", "utter_ask_fall_reaction"]);
    expect(side.state.slots.fall_reaction).toBeUndefined();
    // The same words as an answer, which the NLU is not sure of, are one.
    const answer = await conversation.say("I'd wait and hold, is that ok?", nlu("ask_faq", [], "en", 0.6));
    expect(responses(answer)).toEqual(["utter_ask_income_stability"]);
    expect(answer.state.slots.fall_reaction).toBe("hold");
  });

  it("a yes or no belongs to the form: it is the answer to a yes/no question", async () => {
    const conversation = new Conversation(shop, deps);
    await conversation.say("cancel ORD-4820193", nlu("cancel_order", [orderId("ORD-4820193")]));
    const side = await conversation.say("what are your opening hours", nlu("ask_faq"));
    expect(responses(side)).toEqual(["faq:contact_hours", "utter_confirm_cancel"]);
    expect(side.replies[1]?.text).toContain("Back to cancelling your order: Do you want me to cancel order ORD-4820193?");
    expect(responses(await conversation.say("no", nlu("deny")))).toEqual(["utter_cancel_kept"]);
  });
});

describe("dropping the task in the form's cancel words", () => {
  it("drops the form and answers what else the message asks", async () => {
    const conversation = new Conversation(finance, deps);
    await conversation.say("查一下股价", nlu("stock_quote", [], "zh"));
    const dropped = await conversation.say("算了不查了，信用卡一年要交多少年费", nlu("ask_faq", [], "zh", 0.88));
    expect(responses(dropped)).toEqual(["utter_form_cancelled", "faq:credit_card_fee"]);
    expect(dropped.state.activeForm).toBeNull();
  });

  it("names no choice by a word of the choices' (我 is \"me\" at \"who is it for?\"); a request for another form switches to it", async () => {
    const asking = async () => {
      const conversation = new Conversation(health, deps);
      await conversation.say("阿司匹林能吃吗", nlu("medicine_question", [entity("medicine", "aspirin")], "zh"));
      expect(conversation.state.activeForm).toMatchObject({ name: "medicine_form", requestedSlot: "for_whom" });
      return conversation;
    };
    const cancelled = await (await asking()).say("算了，我还是直接去问药店吧", nlu("deny", [], "zh", 0.96));
    expect(responses(cancelled)).toEqual(["utter_medicine_cancelled"]);
    expect(cancelled.state.slots.for_whom).toBeUndefined();
    const switched = await (await asking()).say("算了，我还是想直接约个医生看看", nlu("book_appointment", [], "zh", 0.84));
    expect(responses(switched)).toEqual(["utter_ask_appointment_reason"]);
    expect(switched.state.activeForm?.name).toBe("appointment_form");
    // Without cancel words, the same 我 answers the question.
    const answered = await (await asking()).say("我自己吃", nlu("out_of_scope", [], "zh", 0.6));
    expect(answered.state.slots.for_whom).toBe("me");
  });
});

describe("dropping the task in the form's cancel words and asking for something else", () => {
  /** The NLU's result for a message, with its reading of what follows the drop words (`afterDrop`). */
  const withAfterDrop = (understood: ReturnType<typeof nlu>, intent: string, confidence: number) => ({ ...understood, afterDrop: { name: intent, confidence } });

  it("the request after the drop words is made, though the whole message is heard as a no or at too little confidence", async () => {
    const quoting = new Conversation(finance, deps);
    await quoting.say("assess my risk profile", nlu("risk_profile"));
    expect(quoting.state.activeForm).toMatchObject({ name: "risk_form", requestedSlot: "horizon" });
    const quoted = await quoting.say(
      "actually never mind that, what's Apple trading at right now?",
      withAfterDrop(nlu("stock_quote", [entity("ticker", "AAPL", "Apple")], "en", 0.57), "stock_quote", 0.99),
    );
    // As any switch to another request, without the form's cancel reply.
    expect(responses(quoted)).toEqual(["utter_quote"]);
    expect(quoted.replies.map((reply) => reply.text).join(" ")).toContain("AAPL");
    expect(quoted.state.activeForm).toBeNull();

    const booking = new Conversation(health, deps);
    await booking.say("阿司匹林能吃吗", nlu("medicine_question", [entity("medicine", "aspirin")], "zh"));
    const booked = await booking.say("算了，还是帮我预约个门诊吧", withAfterDrop(nlu("deny", [], "zh", 0.88), "book_appointment", 0.91));
    expect(responses(booked)).toEqual(["utter_ask_appointment_reason"]);
    expect(booked.state.activeForm).toMatchObject({ name: "appointment_form", requestedSlot: "appointment_reason" });
  });

  it("not when the reading after them is unsure, or only something to reply to; nor, after a value, without the bot's cancel words", async () => {
    const asking = async () => {
      const conversation = new Conversation(finance, deps);
      await conversation.say("assess my risk profile", nlu("risk_profile"));
      return conversation;
    };
    // Below digressions.minConfidence (0.8): the form is only dropped.
    const unsure = await (await asking()).say("ugh, not now, I'll come back to it", withAfterDrop(nlu("deny", [], "en", 0.87), "stock_quote", 0.6));
    expect(responses(unsure)).toEqual(["utter_advice_cancelled"]);
    // A goodbye after the drop words is no request: the form is dropped, no goodbye said.
    const later = await (await asking()).say("forget it, I'll check later", withAfterDrop(nlu("goodbye", [], "en", 0.75), "goodbye", 0.97));
    expect(responses(later)).toEqual(["utter_advice_cancelled"]);
    // Words the NLU counts as dropping something that are not the form's cancel words ("scratch that" is not the risk form's): the form reads the message.
    const kept = await (await asking()).say("scratch that, 10 years", withAfterDrop(nlu("out_of_scope", [entity("number", 10, "10")], "en", 0.6), "stock_quote", 0.9));
    expect(kept.state.slots["horizon"]).toBe(10);
    expect(kept.state.activeForm?.name).toBe("risk_form");
  });

  it("a drop phrase of the platform's languages that is not among the bot's cancel words (\"forget the return\") drops the task for a request after it", async () => {
    const text = "hmm actually forget the return, has my refund for it come through?";
    const refund = await (await atReturnReason()).say(text, withAfterDrop(nlu("refund_status", [], "en", 0.77), "refund_status", 0.99));
    // The refund of the order the return was about (the demo backend has none for ORD-3141592), not
    // the refund FAQ with the reason asked again.
    expect(responses(refund)).toEqual(["utter_no_refund"]);
    expect(refund.state.activeForm).toBeNull();

    // At a question with choices, a word of a choice in the request after the drop is no answer ("i" is no "me").
    const medicine = new Conversation(health, deps);
    await medicine.say("can I take aspirin", nlu("medicine_question", [entity("medicine", "aspirin")]));
    expect(medicine.state.activeForm?.requestedSlot).toBe("for_whom");
    const booking = "hmm no, forget the pills, i just want to see a GP. can you set that up?";
    const booked = await medicine.say(booking, withAfterDrop(nlu("book_appointment", [], "en", 0.57), "book_appointment", 0.84));
    expect(responses(booked)).toEqual(["utter_ask_appointment_reason"]);
    expect(booked.state.activeForm?.name).toBe("appointment_form");
  });

  it("a side request after drop words is answered and the form dropped, not resumed; without them it resumes", async () => {
    const cancelling = async () => {
      const conversation = new Conversation(shop, deps);
      await conversation.say("cancel ORD-1000001", nlu("cancel_order", [orderId("ORD-1000001")]));
      expect(conversation.state.activeForm).toMatchObject({ name: "cancel_order_form", requestedSlot: "confirm_cancel" });
      return conversation;
    };
    const text = "olvídalo, mejor dime cuánto cuesta el envío exprés";
    const dropped = await (await cancelling()).say(text, withAfterDrop(nlu("shipping_info", [], "es", 0.99), "shipping_info", 0.99));
    expect(responses(dropped)).toEqual(["utter_shipping_info"]);
    expect(dropped.state.activeForm).toBeNull();
    const resumed = await (await cancelling()).say("cuánto cuesta el envío exprés", nlu("shipping_info", [], "es", 0.99));
    expect(responses(resumed)).toEqual(["utter_shipping_info", "utter_confirm_cancel"]);
    expect(resumed.state.activeForm?.name).toBe("cancel_order_form");
    // The form's cancel word naming what the question is about drops nothing.
    const about = await (await cancelling()).say("取消以后钱多久能退回来？", nlu("ask_faq", [], "zh", 0.9));
    expect(responses(about).at(-1)).toBe("utter_confirm_cancel");
    expect(about.state.activeForm?.name).toBe("cancel_order_form");
  });

  it("a form that must not be interrupted is still ended in its own cancel words, and the request after them made; not after other drop words", async () => {
    const booking = async () => {
      const conversation = new Conversation(health, deps);
      await conversation.say("帮我预约一下", nlu("book_appointment", [], "zh"));
      expect(conversation.state.activeForm).toMatchObject({ name: "appointment_form", requestedSlot: "appointment_reason" });
      return conversation;
    };
    const text = "算了不约了，我就想问孕妇能不能吃布洛芬";
    const asked = await (await booking()).say(text, withAfterDrop(nlu("medicine_question", [{ ...entity("medicine", "ibuprofen", "布洛芬"), start: text.indexOf("布洛芬"), end: text.length }], "zh", 0.93), "medicine_question", 0.99));
    expect(responses(asked)).toEqual(["utter_ask_for_whom"]);
    expect(asked.state.activeForm?.name).toBe("medicine_form");
    expect(asked.state.slots["medicine"]).toBe("ibuprofen");
    // "forget the" is no cancel word of the booking: the booking is not interrupted.
    const kept = await (await booking()).say("forget the dentist, is ibuprofen ok when pregnant", withAfterDrop(nlu("medicine_question", [entity("medicine", "ibuprofen")], "en", 0.9), "medicine_question", 0.99));
    expect(kept.state.activeForm?.name).toBe("appointment_form");
  });

  it("at the order question, the order given after the drop words with a request for another form switches to it; the order alone answers", async () => {
    const asking = async () => {
      const conversation = new Conversation(shop, deps);
      await conversation.say("I want to return something", nlu("return_item"));
      return conversation;
    };
    const tracking = "never mind the return, just tell me where ORD-4820193 is";
    const tracked = await (await asking()).say(tracking, withAfterDrop(nlu("order_status", [orderIn(tracking, "ORD-4820193")], "en", 0.62), "order_status", 0.99));
    expect(responses(tracked)).toEqual(["utter_order_shipped"]);
    // Drop words that are not the form's cancel words, before a request the NLU is sure of.
    const backpack = "actually forget the return, where is my backpack order 12345678";
    const found = await (await asking()).say(backpack, withAfterDrop(nlu("return_item", [orderIn(backpack, "12345678")], "en", 0.77), "order_status", 0.99));
    expect(responses(found)).not.toContain("utter_ask_return_reason");
    expect(found.state.activeForm).toBeNull();
    // "forget it, it's ORD-3141592" says nothing but the drop and the order: the order answers the question.
    const giving = "forget it, it's ORD-3141592";
    const answered = await (await asking()).say(giving, withAfterDrop(nlu("order_status", [orderIn(giving, "ORD-3141592")], "en", 0.6), "order_status", 0.97));
    expect(responses(answered)).toEqual(["utter_ask_return_reason"]);
  });

  it("a message that ends in the cancel words drops the form, though the NLU hears another request in it; a request after them is made", async () => {
    const asking = async () => {
      const conversation = new Conversation(shop, deps);
      await conversation.say("I want to return something", nlu("return_item"));
      return conversation;
    };
    const dropped = await (await asking()).say("hmm let me check with my wife first, forget about it", nlu("order_status", [], "en", 0.88));
    expect(responses(dropped)).toEqual(["utter_form_cancelled"]);
    // A closing word after the phrase.
    const then = await (await asking()).say("oh thats my partners order, never mind then", nlu("order_status", [], "en", 0.94));
    expect(responses(then)).toEqual(["utter_form_cancelled"]);
    expect(dropped.state.activeForm).toBeNull();
    const zh = await (await asking()).say("我得先问问我老婆，那就算了吧。", nlu("order_status", [], "zh", 0.85));
    expect(responses(zh)).toEqual(["utter_form_cancelled"]);
    // A request the NLU is sure of, even one that ends in a cancel word ("帮我取消" while a return asks why: 取消 is the request).
    const cancelling = await (await atReturnReason("zh")).say("算了不退了，帮我取消", nlu("cancel_order", [], "zh", 0.97));
    expect(cancelling.state.activeForm?.name).toBe("cancel_order_form");
  });

  it("a one-word drop (\"olvídalo\", \"nvm\") counts inside a longer message as the phrases do", async () => {
    const returning = new Conversation(shop, deps);
    await returning.say("quiero devolver algo", nlu("return_item", [], "es"));
    const text = "olvídalo, mejor dime si ya me devolvieron el dinero del ORD-2718281";
    const refund = await returning.say(text, nlu("refund_status", [orderIn(text, "ORD-2718281")], "es", 1));
    expect(responses(refund)).toEqual(["utter_refund_completed"]);
    const keeping = await atReturnReason();
    const kept = await keeping.say("ugh nvm, I'll just keep it", nlu("goodbye", [], "en", 0.52));
    expect(responses(kept)).toEqual(["utter_form_cancelled"]);
    // "stop" alone inside a sentence is still no drop ("it stopped working" is a reason).
    expect((await (await atReturnReason()).say("it just stopped working", nlu("out_of_scope", [], "en", 0.6))).state.slots["return_reason"]).toBe("damaged");
  });

  it("a new order and a request the NLU is sure of, after a value was given, drop the task rather than correct the value", async () => {
    const conversation = new Conversation(shop, deps);
    await conversation.say("ORD-4820193要退货", nlu("return_item", [orderId("ORD-4820193")], "zh"));
    expect(conversation.state.activeForm).toMatchObject({ name: "return_form", requestedSlot: "return_reason" });
    const refund = await conversation.say("先不退了，帮我查一下ORD-2718281的退款", nlu("refund_status", [orderId("ORD-2718281")], "zh", 0.98));
    expect(responses(refund)).not.toContain("utter_order_id_corrected");
    expect(refund.replies.map((reply) => reply.text).join(" ")).toContain("49.90");
    expect(refund.state.activeForm).toBeNull();
  });
});

describe("a message that corrects an earlier answer", () => {
  it("takes the new value for the earlier choice and asks the open question again; a plain no still cancels", async () => {
    for (const [locale, start, first, correcting] of [
      ["zh", "我要预约", "打疫苗", "不对不对，是去看验血报告"],
      ["en", "I'd like an appointment", "a flu jab", "no sorry, it's actually to go over my blood test results"],
    ] as const) {
      const conversation = new Conversation(health, deps);
      await conversation.say(start, nlu("book_appointment", [], locale));
      await conversation.say(first, nlu("out_of_scope", [], locale, 0.6));
      expect(conversation.state.slots["appointment_reason"], locale).toBe("vaccination");
      expect(conversation.state.activeForm?.requestedSlot, locale).toBe("appointment_time");
      const corrected = await conversation.say(correcting, nlu("deny", [], locale, 0.99));
      expect(responses(corrected), locale).toEqual(["utter_ask_appointment_time"]);
      expect(corrected.state.slots["appointment_reason"], locale).toBe("test_results");
      expect(corrected.state.activeForm?.requestedSlot, locale).toBe("appointment_time");
    }
    // Without a no: a value named for the earlier choice, in a message that asks nothing.
    const named = new Conversation(health, deps);
    await named.say("I'd like an appointment", nlu("book_appointment"));
    await named.say("a flu jab", nlu("out_of_scope", [], "en", 0.6));
    const results = await named.say("oh wait sorry, not the jab, I need someone to go over my blood test results", nlu("emergency", [], "en", 0.48));
    expect(responses(results)).toEqual(["utter_ask_appointment_time"]);
    expect(results.state.slots["appointment_reason"]).toBe("test_results");
    await named.say("in the evening", nlu("out_of_scope", [], "en", 0.6));
    expect(named.state.slots["appointment_time"]).toBe("evening");
    const morning = await named.say("哦不对，改成上午吧，晚上我有事", nlu("out_of_scope", [], "zh", 0.58));
    expect(morning.state.slots["appointment_time"]).toBe("morning");
    expect(morning.state.activeForm?.requestedSlot).toBe("age_band");
    // A question that names an earlier choice asks about it; it changes nothing.
    const asking = new Conversation(health, deps);
    await asking.say("I'd like an appointment", nlu("book_appointment"));
    await asking.say("a flu jab", nlu("out_of_scope", [], "en", 0.6));
    await asking.say("is a check-up free?", nlu("ask_health", [], "en", 0.6));
    expect(asking.state.slots["appointment_reason"]).toBe("vaccination");
    const cancelling = new Conversation(health, deps);
    await cancelling.say("I'd like an appointment", nlu("book_appointment"));
    await cancelling.say("a flu jab", nlu("out_of_scope", [], "en", 0.6));
    expect(responses(await cancelling.say("no", nlu("deny", [], "en", 0.99)))).toEqual(["utter_appointment_cancelled"]);
  });
});

describe("a yes/no question answered in the words the message starts with", () => {
  it("a no the NLU does not hear keeps the order; a yes confirms; a sure request is that request", async () => {
    const confirming = async () => {
      const conversation = new Conversation(shop, deps);
      await conversation.say("cancel ORD-1000001", nlu("cancel_order", [orderId("ORD-1000001")]));
      expect(conversation.state.activeForm?.requestedSlot).toBe("confirm_cancel");
      return conversation;
    };
    for (const text of ["nope, leave it as is", "hmm actually no leave it, i still want it"]) {
      const kept = await (await confirming()).say(text, nlu("out_of_scope", [], "en", 0.55));
      expect(responses(kept), text).toEqual(["utter_cancel_kept"]);
    }
    const asked = await (await confirming()).say("no, where is my refund", nlu("refund_status", [], "en", 0.97));
    expect(responses(asked)).not.toContain("utter_cancel_kept");
  });
});

describe("a message that names the value asked about and another", () => {
  it("changes it to the other (\"sorry not aspirin, i meant paracetamol\"), and the open question is asked again", async () => {
    const conversation = new Conversation(health, deps);
    await conversation.say("can i take aspirin for a headache", nlu("medicine_question", [entity("medicine", "aspirin")]));
    expect(conversation.state.activeForm?.requestedSlot).toBe("for_whom");
    const text = "sorry not aspirin, i meant paracetamol";
    const named = (value: string) => ({ ...entity("medicine", value, value), start: text.indexOf(value), end: text.indexOf(value) + value.length });
    const corrected = await conversation.say(text, nlu("medicine_question", [named("aspirin"), named("paracetamol")], "en", 0.83));
    expect(corrected.state.slots["medicine"]).toBe("paracetamol");
    expect(responses(corrected)).toEqual(["utter_ask_for_whom"]);
    // Two values in a first message: the first is taken.
    const fresh = new Conversation(health, deps);
    await fresh.say("aspirin or paracetamol for a headache?", nlu("medicine_question", [entity("medicine", "aspirin"), entity("medicine", "paracetamol")]));
    expect(fresh.state.slots["medicine"]).toBe("aspirin");
  });
});

describe("a message that corrects an earlier number", () => {
  /** The number entity where the message says it. */
  const numberIn = (text: string, value: number, said: string) => ({ ...entity("number", value, said), start: text.indexOf(said), end: text.indexOf(said) + said.length });

  /** A savings plan for a house of 12,000 whose form asks for the date. */
  const atGoalDate = async (): Promise<Conversation> => {
    const saving = new Conversation(finance, deps);
    await saving.say("help me plan my savings", nlu("savings_plan"));
    await saving.say("a house", nlu("out_of_scope", [], "en", 0.6));
    await saving.say("12000", nlu("out_of_scope", [entity("number", 12000)], "en", 0.6));
    expect(saving.state.activeForm?.requestedSlot).toBe("goal_date");
    return saving;
  };

  it("in correction words, a number the question cannot take replaces the number answered before, and the question is asked again", async () => {
    const saving = await atGoalDate();
    const text = "oh wait make that 15000";
    const corrected = await saving.say(text, nlu("out_of_scope", [numberIn(text, 15000, "15000")], "en", 0.85));
    expect(responses(corrected)).toEqual(["utter_ask_goal_date"]);
    expect(corrected.state.slots["goal_amount"]).toBe(15000);
    expect(corrected.state.activeForm?.requestedSlot).toBe("goal_date");

    // Heard as a no, the no is the correction: the questionnaire goes on, not cancelled.
    const risk = new Conversation(finance, deps);
    await risk.say("assess my risk profile", nlu("risk_profile"));
    await risk.say("10年", nlu("out_of_scope", [entity("number", 10, "10年")], "zh", 0.6));
    expect(risk.state.activeForm?.requestedSlot).toBe("fall_reaction");
    const zh = "不对 应该是5年";
    const fixed = await risk.say(zh, nlu("deny", [numberIn(zh, 5, "5年")], "zh", 0.99));
    expect(responses(fixed)).toEqual(["utter_ask_fall_reaction"]);
    expect(fixed.state.slots["horizon"]).toBe(5);
    expect(fixed.state.activeForm?.name).toBe("risk_form");
  });

  it("without correction words or a no, the number is only a wrong answer to the question asked; the earlier one stays", async () => {
    const wrong = await (await atGoalDate()).say("15000", nlu("out_of_scope", [entity("number", 15000)], "en", 0.6));
    expect(responses(wrong)).toEqual(["utter_invalid_goal_date"]);
    expect(wrong.state.slots["goal_amount"]).toBe(12000);
  });
});

describe("an entity-only reply that fits the open slot stays in the form", () => {
  it("a malformed order number is an invalid answer, whatever intent the NLU guessed for it", async () => {
    const conversation = new Conversation(shop, deps);
    await conversation.say("I want to return an item", nlu("return_item"));
    // Seen in practice: "ORD-12" classified as goodbye (0.73) with the order_id entity.
    const reply = await conversation.say("ORD-12", nlu("goodbye", [orderId("ORD-12")], "en", 0.9));
    expect(responses(reply)).toEqual(["utter_invalid_order_id"]);
    expect(reply.state.activeForm).toMatchObject({ name: "return_form", invalidAttempts: 1 });
    // An order number too short to be one (no entity) heard as tracking: a wrong answer, not a new request.
    const short = await conversation.say("ORD-16180", nlu("order_status", [], "en", 0.89));
    expect(responses(short)).toEqual(["utter_invalid_order_id"]);
    expect(short.state.activeForm).toMatchObject({ name: "return_form", invalidAttempts: 2 });
  });

  it("a goodbye inside a form leaves the task (the shop's cancel intents), with the form's cancel reply", async () => {
    const conversation = new Conversation(shop, deps);
    await conversation.say("where's my refund", nlu("refund_status"));
    const left = await conversation.say("nvm ill check later", nlu("goodbye", [], "en", 0.91));
    expect(responses(left)).toEqual(["utter_form_cancelled"]);
    expect(left.state.activeForm).toBeNull();
  });

  it("a valid order number is the answer, even when the NLU hears a request whose rule starts another form", async () => {
    const conversation = new Conversation(shop, deps);
    await conversation.say("I want to return an item", nlu("return_item"));
    const reply = await conversation.say("12345678", nlu("order_status", [orderId("12345678")], "en", 0.95));
    expect(responses(reply)).toEqual(["utter_ask_return_reason"]);
    expect(reply.state.activeForm?.name).toBe("return_form");
  });

  it("a company name at the which-stock question is the answer, not a new request", async () => {
    const conversation = new Conversation(finance, deps);
    await conversation.say("stock price", nlu("stock_quote"));
    const reply = await conversation.say("Tesla", nlu("stock_quote", [entity("ticker", "TSLA", "Tesla")], "en", 0.8));
    expect(responses(reply)).toEqual(["utter_quote"]);
    expect(types(reply)).not.toContain("interruptForm");
  });
});

describe("forms that must not be interrupted, and what always interrupts", () => {
  it("the health line's appointment form takes no side question: the FAQ does not answer", async () => {
    const conversation = new Conversation(health, deps);
    await conversation.say("hi", nlu("greet"));
    await conversation.say("I want to book an appointment", nlu("book_appointment"));
    const reply = await conversation.say("what causes headaches?", nlu("ask_health", [], "en", 0.99));
    expect(responses(reply)).toEqual(["utter_invalid_appointment_reason"]);
    const greeting = await conversation.say("hello", nlu("greet", [], "en", 0.99));
    expect(responses(greeting)).toEqual(["utter_invalid_appointment_reason"]);
    expect(greeting.state.activeForm?.name).toBe("appointment_form");
  });

  it("an emergency the NLU recognises interrupts it (interrupt: always), and the form resumes", async () => {
    const conversation = new Conversation(health, deps);
    await conversation.say("hi", nlu("greet"));
    await conversation.say("I want to book an appointment", nlu("book_appointment"));
    // No emergency words, a low confidence: an `always` rule needs no confidence bar.
    const reply = await conversation.say("my father just collapsed", nlu("emergency", [], "en", 0.5));
    expect(responses(reply)).toEqual(["utter_emergency", "utter_ask_appointment_reason"]);
    expect(reply.replies[1]?.text).toMatch(/^Back to your appointment request: /);
    expect(reply.effects).toContainEqual({ type: "interruptForm", form: "appointment_form", by: "rule" });
    expect(reply.state.activeForm).toMatchObject({ name: "appointment_form", requestedSlot: "appointment_reason" });
  });

  it("a clear answer the NLU takes for an emergency gets the advice, and the form takes the answer too", async () => {
    const conversation = new Conversation(health, deps);
    await conversation.say("hi", nlu("greet"));
    await conversation.say("I want to book an appointment", nlu("book_appointment"));
    const reply = await conversation.say("my knee is swollen", nlu("emergency", [], "en", 0.85));
    expect(responses(reply)).toEqual(["utter_emergency", "utter_ask_appointment_time"]);
    expect(reply.state.slots.appointment_reason).toBe("new_symptom");
  });

  it("a clear answer the NLU is unsure is an emergency (below digressions.minConfidence) is only an answer", async () => {
    const conversation = new Conversation(health, deps);
    await conversation.say("hi", nlu("greet"));
    await conversation.say("I want to book an appointment", nlu("book_appointment"));
    // A reason in free words the bot is sure of, heard as an emergency at 0.6: no emergency advice.
    const reason = await conversation.say("my knee is swollen", nlu("emergency", [], "en", 0.6));
    expect(responses(reason)).toEqual(["utter_ask_appointment_time"]);
    expect(reason.state.slots.appointment_reason).toBe("new_symptom");
    await conversation.say("mornings", nlu("greet", [], "en", 0.7));
    // A value named outright ("myself" for an adult), heard as an emergency at 0.66.
    const who = await conversation.say("for myself", nlu("emergency", [], "en", 0.66));
    expect(responses(who)).toEqual(["utter_appointment_summary"]);
    expect(who.state.slots.age_band).toBe("adult");
    // An overdose said without the word is among the health bot's emergency words: the advice comes first.
    const overdose = new Conversation(health, deps);
    await overdose.say("can i take ibuprofen", nlu("medicine_question", [entity("medicine", "ibuprofen")]));
    expect(overdose.state.activeForm?.requestedSlot).toBe("for_whom");
    const longer = await overdose.say("for me. also i think i took too many already, like the whole pack", nlu("emergency", [], "en", 0.57));
    expect(responses(longer)[0]).toBe("utter_emergency");
    // Emergency words still say their advice, whatever the NLU heard.
    const other = new Conversation(health, deps);
    await other.say("I want to book an appointment", nlu("book_appointment"));
    expect(responses(await other.say("my knee is swollen and I have chest pain", nlu("emergency", [], "en", 0.6)))).toContain("utter_emergency");
  });

  it("emergency words interrupt it whatever the intent, and are not taken as the appointment's reason", async () => {
    const conversation = new Conversation(health, deps);
    await conversation.say("你好", nlu("greet", [], "zh"));
    await conversation.say("我想预约", nlu("book_appointment", [], "zh"));
    // As a reason in free words this would be a new symptom; it is an emergency first.
    const reply = await conversation.say("我突然胸口痛，喘不过气", nlu("ask_health", [], "zh", 0.8));
    expect(responses(reply)).toEqual(["utter_emergency", "utter_ask_appointment_reason"]);
    expect(reply.replies[1]?.text).toMatch(/^我们接着预约：/);
    expect(reply.effects).toContainEqual({ type: "interruptForm", form: "appointment_form", by: "continueRule" });
    expect(reply.state.slots.appointment_reason).toBeUndefined();
  });

  it("a request for a person still ends it", async () => {
    const conversation = new Conversation(health, deps);
    await conversation.say("hi", nlu("greet"));
    await conversation.say("book me in", nlu("book_appointment"));
    const reply = await conversation.say("let me talk to a nurse", nlu("human_handoff"));
    expect(reply.handoff).toBe(true);
    expect(reply.state.activeForm).toBeNull();
  });
});

describe("an answer in free words against another request the NLU is not sure of", () => {
  it("a reason the bot reads in free words is taken, or asked about, rather than lost to a rule below 0.95", async () => {
    const clear = new Conversation(shop, deps);
    await clear.say("return ORD-3141592", nlu("return_item", [orderId("ORD-3141592")]));
    // Heard as a product question at 0.9; in free words clearly "damaged".
    const taken = await clear.say("it came with a crack down the side", nlu("product_availability", [], "en", 0.9));
    expect(responses(taken)).toEqual(["utter_return_created"]);
    expect(taken.state.slots.return_reason).toBe("damaged");

    const unsure = new Conversation(shop, deps);
    await unsure.say("return ORD-3141592", nlu("return_item", [orderId("ORD-3141592")]));
    // Heard as a payment problem at 0.88; in free words probably "not as described": asked about.
    const asked = await unsure.say("it is supposed to keep me dry", nlu("payment_issue", [], "en", 0.88));
    expect(responses(asked)).toEqual(["utter_confirm_return_reason"]);
    expect(asked.state.activeForm).toMatchObject({ name: "return_form", confirming: { slot: "return_reason", value: "not_as_described" } });
  });

  it("a longer message heard as a no, which reads as a vague reason, is asked about; a plain no cancels", async () => {
    const vague = await (await atReturnReason()).say("no, it just isn't what I expected", nlu("deny", [], "en", 0.85));
    expect(responses(vague)).toEqual(["utter_confirm_return_reason"]);
    expect(vague.state.activeForm?.name).toBe("return_form");
    const no = await (await atReturnReason()).say("no", nlu("deny", [], "en", 0.99));
    expect(responses(no)).toEqual(["utter_form_cancelled"]);
    // A longer no the NLU is sure of still cancels, whatever the free words make of it.
    const sure = await (await atReturnReason()).say("no no, leave all this alone please", nlu("deny", [], "en", 0.99));
    expect(responses(sure)).toEqual(["utter_form_cancelled"]);
  });

  it("a cancel phrase beside an answer leaves the answer read; a question about the form's own task too", async () => {
    const beside = await (await atReturnReason()).say("scratch that, it's too small", nlu("out_of_scope", [], "en", 0.6));
    expect(beside.state.slots.return_reason).toBe("wrong_size");
    const ownTask = await (await atReturnReason()).say("it's too small, can I return it for that?", nlu("return_item", [], "en", 0.97));
    expect(ownTask.state.slots.return_reason).toBe("wrong_size");
  });

  it("a question the FAQ answers after a cancel phrase drops the form and is answered, with or without its question mark", async () => {
    for (const text of ["forget it, what's the annual fee on the credit card?", "forget it, what's the annual fee on the credit card"]) {
      const conversation = new Conversation(finance, deps);
      await conversation.say("stock price", nlu("stock_quote"));
      const dropped = await conversation.say(text, nlu("ask_faq", [], "en", 0.9));
      expect(responses(dropped)).toEqual(["utter_form_cancelled", "faq:credit_card_fee"]);
      expect(dropped.state.activeForm).toBeNull();
    }
  });

  it("a longer message the NLU is unsure is a no is read by the form; a sure one cancels", async () => {
    const start = async (): Promise<Conversation> => {
      const conversation = new Conversation(health, deps);
      await conversation.say("I'd like to book an appointment", nlu("book_appointment"));
      expect(conversation.state.activeForm).toMatchObject({ name: "appointment_form", requestedSlot: "appointment_reason" });
      return conversation;
    };
    const answer = await (await start()).say("not sure, I have not seen a doctor in years", nlu("deny", [], "en", 0.6));
    expect(answer.state.activeForm?.name).toBe("appointment_form");
    expect(responses(answer)).not.toContain("utter_appointment_cancelled");
    const sure = await (await start()).say("no, I don't want to book anything after all", nlu("deny", [], "en", 0.95));
    expect(responses(sure)).toEqual(["utter_appointment_cancelled"]);
    // A Chinese sentence is no bare no for having no spaces (the switch gives no reaction at all).
    const described = await (await atReturnReason("zh")).say("按了开关一点反应都没有", nlu("deny", [], "zh", 0.73));
    expect(responses(described)).not.toContain("utter_form_cancelled");
    // A plain Chinese no still cancels.
    expect(responses(await (await atReturnReason("zh")).say("不用了", nlu("deny", [], "zh", 0.73)))).toEqual(["utter_form_cancelled"]);
  });

  it("a request the NLU is sure of (0.95 and up) still interrupts", async () => {
    const conversation = new Conversation(shop, deps);
    await conversation.say("return ORD-3141592", nlu("return_item", [orderId("ORD-3141592")]));
    const side = await conversation.say("the website said waterproof but the rain soaks right through", nlu("payment_issue", [], "en", 0.97));
    expect(responses(side)[0]).toBe("utter_payment_issue");
    expect(side.state.slots.return_reason).toBeUndefined();
  });

  it("a request for a person heard below 0.95 in an answer the form reads is the answer; a sure one hands off", async () => {
    const unsure = new Conversation(health, deps);
    await unsure.say("book an appointment", nlu("book_appointment"));
    const answer = await unsure.say("to go over some results", nlu("human_handoff", [], "en", 0.88));
    expect(answer.handoff).toBe(false);
    expect(responses(answer)).toEqual(["utter_ask_appointment_time"]);
    expect(answer.state.slots.appointment_reason).toBe("test_results");

    const sure = new Conversation(health, deps);
    await sure.say("book an appointment", nlu("book_appointment"));
    expect((await sure.say("to go over some results with a nurse", nlu("human_handoff", [], "en", 0.97))).handoff).toBe(true);
    // A message the form cannot read is a request for a person from digressions.minConfidence on, as before.
    const plain = new Conversation(health, deps);
    await plain.say("book an appointment", nlu("book_appointment"));
    expect((await plain.say("put me through to someone", nlu("human_handoff", [], "en", 0.85))).handoff).toBe(true);
  });
});

describe("a Chinese question without a question mark is not an answer in free words", () => {
  it("asking where the order is at the return's reason question is not taken as a reason", async () => {
    const conversation = new Conversation(shop, deps);
    await conversation.say("ORD-3141592 退货", nlu("return_item", [orderId("ORD-3141592")], "zh"));
    // "订单" is a word of a wrong-item example (订单搞混了); asked with a question word, it is no reason.
    const asked = await conversation.say("这个订单现在在哪里", nlu("order_status", [], "zh", 0.6));
    expect(responses(asked)).not.toContain("utter_return_created");
    expect(asked.state.slots.return_reason).toBeUndefined();
    expect(asked.state.activeForm).toMatchObject({ name: "return_form", requestedSlot: "return_reason", confirming: null });
    // A question word that means "any" is still an answer ("什么时候都行" at the time question).
    const health = new Conversation(exampleBot("health"), deps);
    await health.say("我想预约", nlu("book_appointment", [], "zh"));
    await health.say("打疫苗", nlu("out_of_scope", [], "zh"));
    expect((await health.say("什么时候都行", nlu("out_of_scope", [], "zh"))).state.slots.appointment_time).toBe("any_time");
  });
});

describe("a new request that carries the form's value switches to its own form when that form still asks", () => {
  it("cancelling instead of tracking, in three languages: the cancellation's question follows", async () => {
    for (const [locale, text] of [
      ["en", "actually I'd rather cancel ORD-1000001"],
      ["zh", "不查了，直接帮我取消ORD-1000001"],
      ["es", "mejor cancela el ORD-1000001"],
    ] as const) {
      const conversation = new Conversation(shop, deps);
      await conversation.say("where's my stuff", nlu("order_status", [], locale));
      const cancel = await conversation.say(text, nlu("cancel_order", [orderId("ORD-1000001")], locale, 0.92));
      expect(responses(cancel), locale).toEqual(["utter_confirm_cancel"]);
      expect(cancel.state.activeForm, locale).toMatchObject({ name: "cancel_order_form", requestedSlot: "confirm_cancel" });
    }
  });

  it("a return instead of a cancellation asks for the reason; a correction switches only when the NLU is sure", async () => {
    const conversation = new Conversation(shop, deps);
    await conversation.say("cancel an order", nlu("cancel_order"));
    const returning = await conversation.say("no wait, I want to return ORD-3141592", nlu("return_item", [orderId("ORD-3141592")], "en", 0.9));
    expect(responses(returning)).toEqual(["utter_ask_return_reason"]);
    // A correction the NLU hears as another request below 0.95 stays a correction.
    const correcting = new Conversation(shop, deps);
    await correcting.say("return ORD-1618033", nlu("return_item", [orderId("ORD-1618033")]));
    const corrected = await correcting.say("sorry, I meant ORD-3141592", nlu("order_status", [orderId("ORD-3141592")], "en", 0.85));
    expect(responses(corrected)).toEqual(["utter_order_id_corrected", "utter_ask_return_reason"]);
  });

  it("dropping the task in words and asking for another order at the order question switches to it, even to a form that asks nothing more", async () => {
    for (const [locale, text, confidence] of [
      ["en", "forget that, where's ORD-4820193 got to", 0.97],
      ["zh", "先不退了，帮我看看ORD-4820193的物流", 0.9],
      ["es", "olvida eso, ¿cómo va el ORD-4820193?", 0.85],
    ] as const) {
      const asked = new Conversation(shop, deps);
      await asked.say("I want to return something", nlu("return_item", [], locale));
      expect(responses(await asked.say(text, nlu("order_status", [orderId("ORD-4820193")], locale, confidence))), locale).toEqual(["utter_order_shipped"]);
    }
    // After an order was given, the same words drop the value: a new one is a correction (the NLU
    // hears "scratch that, I meant ORD-…" as tracking at 0.92), in every language.
    for (const [locale, text] of [
      ["en", "scratch that, I meant ORD-1000002"],
      ["zh", "算了，是ORD-1000002"],
      ["es", "olvida eso, es el ORD-1000002"],
    ] as const) {
      const given = new Conversation(shop, deps);
      await given.say("cancel ORD-1000001", nlu("cancel_order", [orderId("ORD-1000001")], locale));
      const corrected = await given.say(text, nlu("order_status", [orderId("ORD-1000002")], locale, 0.92));
      expect(responses(corrected), locale).toEqual(["utter_order_id_corrected", "utter_confirm_cancel"]);
      expect(corrected.state.activeForm, locale).toMatchObject({ name: "cancel_order_form", requestedSlot: "confirm_cancel" });
      expect(corrected.state.slots["order_id"], locale).toBe("ORD-1000002");
    }
    // Without words that drop the task, another order heard as tracking below 0.95 is still a correction.
    const correcting = new Conversation(shop, deps);
    await correcting.say("return ORD-1618033", nlu("return_item", [orderId("ORD-1618033")]));
    const corrected = await correcting.say("hmm, where is ORD-4820193", nlu("order_status", [orderId("ORD-4820193")], "en", 0.9));
    expect(responses(corrected)).toEqual(["utter_order_id_corrected", "utter_ask_return_reason"]);
  });

  it("an order number given with a few words is the form's answer, though the NLU hears tracking (its form would ask nothing)", async () => {
    for (const text of ["it's ORD-3141592", "oh sorry, it's ORD-3141592", "right, where is ORD-3141592"]) {
      const conversation = new Conversation(shop, deps);
      await conversation.say("I need to send an item back", nlu("return_item"));
      const answered = await conversation.say(text, nlu("order_status", [orderId("ORD-3141592")], "en", 0.97));
      expect(responses(answered), text).toEqual(["utter_ask_return_reason"]);
      expect(answered.state.activeForm, text).toMatchObject({ name: "return_form", requestedSlot: "return_reason" });
    }
    // The same form's request is an answer too ("return ORD-3141592" at the return's question).
    const same = new Conversation(shop, deps);
    await same.say("I need to send an item back", nlu("return_item"));
    expect(responses(await same.say("return ORD-3141592 please", nlu("return_item", [orderId("ORD-3141592")], "en", 0.99)))).toEqual(["utter_ask_return_reason"]);
  });
});

describe("bot settings", () => {
  // A small bot: a form asking for a number, a rule that never interrupts, a rule that always does,
  // and no resume line of its own (the platform's sentence for the language).
  const bot = loadBot({
    id: "digress",
    name: "Digress",
    locales: ["en", "zh", "es"],
    defaultLocale: "en",
    digressions: { minConfidence: 0.9 },
    slots: { guests: { type: "number" } },
    rules: [
      { intent: "book", form: "booking" },
      { intent: "greet", interrupt: "never", response: "utter_hi" },
      { intent: "hours", response: "utter_hours" },
      { intent: "fire", interrupt: "always", response: "utter_fire" },
    ],
    forms: {
      booking: { slots: [{ slot: "guests", ask: "utter_ask_guests" }], then: [{ response: "utter_booked" }] },
    },
    responses: Object.fromEntries(
      ["utter_hi", "utter_hours", "utter_fire", "utter_ask_guests", "utter_booked", "utter_rephrase", "utter_offer", "utter_declined", "utter_handoff"].map(
        (name) => [name, { en: `${name} (en)`, zh: `${name}（中文）`, es: `${name} (es)` }],
      ),
    ),
    fallback: { rephrase: "utter_rephrase", offerHuman: "utter_offer", declined: "utter_declined" },
    handoff: { response: "utter_handoff" },
  });
  const offline = { fetch: () => Promise.reject(new Error("no network in this test")), env: {} };

  it("without a resume response the platform's sentence is said, in the turn's language", async () => {
    for (const [locale, resume] of [
      ["en", "Back to where we were: utter_ask_guests (en)"],
      ["zh", "我们接着刚才的话题：utter_ask_guests（中文）"],
      ["es", "Volvamos a lo que estábamos: utter_ask_guests (es)"],
    ] as const) {
      const conversation = new Conversation(bot, offline);
      await conversation.say("table please", nlu("book", [], locale));
      const side = await conversation.say("when are you open", nlu("hours", [], locale, 0.9));
      const hours = locale === "zh" ? "utter_hours（中文）" : `utter_hours (${locale})`;
      expect(side.replies.map((reply) => reply.text), locale).toEqual([hours, resume]);
    }
  });

  it("the bot's minConfidence, a rule that never interrupts and one that always does", async () => {
    const conversation = new Conversation(bot, offline);
    await conversation.say("table please", nlu("book"));
    expect(responses(await conversation.say("open when?", nlu("hours", [], "en", 0.85)))).toEqual(["utter_ask_guests"]);
    expect(responses(await conversation.say("hello!", nlu("greet", [], "en", 1)))).toEqual(["utter_ask_guests"]);
    expect(responses(await conversation.say("fire!", nlu("fire", [], "en", 0.3)))).toEqual(["utter_fire", "utter_ask_guests"]);
    const answered = await conversation.say("4", nlu("out_of_scope", [entity("number", 4)]));
    expect(responses(answered)).toEqual(["utter_booked"]);
  });
});
