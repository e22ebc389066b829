import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import type { EngineDeps } from "../../src/engine/index.ts";
import { Conversation, entity, exampleBot, nlu, responses, texts } from "./helpers.ts";

let demo: DemoServices;
let deps: EngineDeps;
beforeAll(async () => {
  demo = await startDemoServices({ port: 0 });
  deps = { fetch: (input, init) => fetch(input, init), env: { MARKET_API_URL: demo.url } };
});
afterAll(async () => {
  await demo.close();
});

describe("finance bot", () => {
  const bot = exampleBot("finance");
  const ticker = (value: string, text = value) => entity("ticker", value, text);

  it("says the disclaimer once, before its first answer", async () => {
    const conversation = new Conversation(bot, deps);
    expect(responses(await conversation.say("hi", nlu("greet")))).toEqual(["utter_disclaimer", "utter_greet"]);
    expect(responses(await conversation.say("hello again", nlu("greet")))).toEqual(["utter_greet"]);
  });

  it("quotes a stock named by company, in Chinese, with the price in its currency", async () => {
    const conversation = new Conversation(bot, deps);
    const decision = await conversation.say("腾讯股价", nlu("stock_quote", [ticker("0700.HK", "腾讯")], "zh"));
    expect(responses(decision)).toEqual(["utter_disclaimer", "utter_quote"]);
    expect(texts(decision)).toContain("HK$412.40");
    expect(texts(decision)).toContain("不构成投资建议");
  });

  it("after a miss, a no with a company in it is still a new quote", async () => {
    const conversation = new Conversation(bot, deps);
    expect(responses(await conversation.say("will it rain tomorrow", nlu("out_of_scope")))).toEqual(["utter_disclaimer", "utter_rephrase"]);
    const quote = await conversation.say("no, I meant Tesla", nlu("deny", [ticker("TSLA", "Tesla")]));
    expect(responses(quote)).toEqual(["utter_quote"]);
    expect(quote.state.fallbackStreak).toBe(0);
  });

  it("asks which stock when none is named, and accepts a symbol it has no entity for", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("price of AAPL", nlu("stock_quote", [ticker("AAPL")]));
    // An earlier company is not silently reused for a new request.
    expect(responses(await conversation.say("stock price", nlu("stock_quote")))).toEqual(["utter_ask_ticker"]);
    const unknown = await conversation.say("IBM", nlu("out_of_scope"));
    expect(responses(unknown)).toEqual(["utter_unknown_ticker"]);
    expect(unknown.state.slots.ticker).toBeUndefined();
  });

  it("a failing market-data service gets an apology", async () => {
    const conversation = new Conversation(bot, deps);
    const decision = await conversation.say("ACME price", nlu("stock_quote", [ticker("ACME")]));
    expect(responses(decision)).toContain("utter_quote_unavailable");
  });

  it("answers banking questions from the FAQ in both languages", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("hi", nlu("greet"));
    expect(responses(await conversation.say("what's the overdraft fee?", nlu("ask_faq")))).toEqual(["faq:overdraft_fee"]);
    expect(responses(await conversation.say("信用卡有年费吗", nlu("ask_faq", [], "zh")))).toEqual(["faq:credit_card_fee"]);
    expect(responses(await conversation.say("I lost my card", nlu("ask_faq")))).toEqual(["faq:lost_card"]);
  });
});

describe("health bot", () => {
  const bot = exampleBot("health");

  it("puts emergency advice first whatever the intent, then answers", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("hello", nlu("greet"));
    const decision = await conversation.say("I get chest pain when I climb stairs, is that a heart attack sign?", nlu("ask_health"));
    expect(responses(decision)[0]).toBe("utter_emergency");
    expect(responses(decision)).toContain("faq:heart_attack_signs");
  });

  it("spots Chinese emergency words even if the NLU did not", async () => {
    const conversation = new Conversation(bot, deps);
    const decision = await conversation.say("我突然呼吸困难", nlu("out_of_scope", [], "zh"));
    expect(responses(decision).slice(0, 2)).toEqual(["utter_emergency", "utter_disclaimer"]);
    expect(texts(decision)).toContain("120");
  });

  it("says emergency advice once when both the words and the intent say emergency", async () => {
    const conversation = new Conversation(bot, deps);
    const decision = await conversation.say("I can't breathe", nlu("emergency"));
    expect(responses(decision).filter((name) => name === "utter_emergency")).toHaveLength(1);
  });

  it("an emergency the NLU is unsure of still gets the emergency reply, never an FAQ page in its place", async () => {
    const conversation = new Conversation(bot, deps);
    // The FAQ's see-a-doctor page covers much of this message; the NLU hears an emergency at 0.75.
    const decision = await conversation.say("我呼吸困南，很难受", nlu("emergency", [], "zh", 0.75));
    expect(responses(decision)).toContain("utter_emergency");
    expect(responses(decision).some((name) => name?.startsWith("faq:"))).toBe(false);
  });

  it("answers symptom questions from the FAQ and will not diagnose", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("hi", nlu("greet"));
    expect(responses(await conversation.say("发烧了怎么办", nlu("ask_health", [], "zh")))).toEqual(["faq:fever"]);
    expect(responses(await conversation.say("what do I have?", nlu("diagnose_me")))).toEqual(["utter_cannot_diagnose"]);
  });

  it("takes an appointment's reason and time of day, then offers a nurse; yes hands off", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("hi", nlu("greet"));
    expect(responses(await conversation.say("book an appointment", nlu("book_appointment")))).toEqual(["utter_ask_appointment_reason"]);
    expect(responses(await conversation.say("a flu shot", nlu("out_of_scope")))).toEqual(["utter_ask_appointment_time"]);
    expect(responses(await conversation.say("Afternoon", nlu("greet", [], "en", 0.5)))).toEqual(["utter_ask_age_band"]);
    const summary = await conversation.say("An adult", nlu("out_of_scope"));
    expect(responses(summary)).toEqual(["utter_appointment_summary"]);
    expect(texts(summary)).toContain("a vaccination, in the afternoon, for an adult");
    const decision = await conversation.say("yes please", nlu("affirm"));
    expect(decision.handoff).toBe(true);
    expect(responses(decision)).toEqual(["utter_handoff"]);
  });

  it("an answer that names two values takes the longer, more specific term; who it is for in free words", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("我想预约", nlu("book_appointment", [], "zh"));
    // 体检报告 (a check-up's report) holds 体检 (a check-up) too: the report is what the visit is for.
    const reason = await conversation.say("上个月的体检报告我想找医生聊聊", nlu("out_of_scope", [], "zh"));
    expect(responses(reason)).toEqual(["utter_ask_appointment_time"]);
    expect(reason.state.slots.appointment_reason).toBe("test_results");
    await conversation.say("下午", nlu("out_of_scope", [], "zh"));
    const summary = await conversation.say("我外公，八十多岁了", nlu("out_of_scope", [], "zh"));
    expect(responses(summary)).toEqual(["utter_appointment_summary"]);
    expect(summary.state.slots.age_band).toBe("older_adult");
  });

  it("an hour said at the time-of-day question picks the time of day (the slot's ranges); an hour that could be am or pm does not", async () => {
    const atTime = async (locale: "en" | "zh") => {
      const conversation = new Conversation(bot, deps);
      await conversation.say(locale === "zh" ? "我想预约" : "book an appointment", nlu("book_appointment", [], locale));
      await conversation.say(locale === "zh" ? "打疫苗" : "a flu shot", nlu("out_of_scope", [], locale));
      expect(conversation.state.activeForm?.requestedSlot).toBe("appointment_time");
      return conversation;
    };
    // A time of day the NLU found (九点多 → 09:00), and a bare number.
    const nine = await (await atTime("zh")).say("送完孩子上学以后吧，九点多", nlu("out_of_scope", [entity("datetime", "2026-12-08T09:00:00+00:00", "九点多")], "zh", 0.65));
    expect(nine.state.slots.appointment_time).toBe("morning");
    expect(responses(nine)).toEqual(["utter_ask_age_band"]);
    const ten = await (await atTime("en")).say("after I drop the kids at school, so around 10", nlu("out_of_scope", [entity("number", 10)], "en", 0.57));
    expect(ten.state.slots.appointment_time).toBe("morning");
    const seven = await (await atTime("en")).say("7pm works", nlu("out_of_scope", [entity("datetime", "2026-12-08T19:00:00+00:00", "7pm")], "en", 0.6));
    expect(seven.state.slots.appointment_time).toBe("evening");
    // 6 is morning or evening: not picked.
    const six = await (await atTime("en")).say("6ish", nlu("out_of_scope", [entity("number", 6)], "en", 0.6));
    expect(six.state.slots.appointment_time).toBeUndefined();
    // A date without a time picks nothing.
    const date = await (await atTime("en")).say("next monday", nlu("out_of_scope", [entity("datetime", "2026-12-14", "next monday")], "en", 0.6));
    expect(date.state.slots.appointment_time).toBeUndefined();
  });

  it("offers the nurse line straight away to change or cancel an appointment", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("hi", nlu("greet"));
    expect(responses(await conversation.say("cancel my appointment", nlu("book_appointment")))).toEqual(["utter_book_appointment"]);
    expect((await conversation.say("yes", nlu("affirm"))).handoff).toBe(true);
  });
});
