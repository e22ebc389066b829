import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import { TEST_ACTION_KEYS } from "../../../../devkit/action-keys.ts";
import type { EngineDeps } from "../../src/engine/index.ts";
import { Conversation, entity, exampleBot, nlu, responses, texts, SIGNED_IN_CUSTOMER, signedInFetch } from "./helpers.ts";

const bot = exampleBot("ecommerce");
let demo: DemoServices;
let deps: EngineDeps;

beforeAll(async () => {
  demo = await startDemoServices({ port: 0, slowMs: 5000, actionKeys: TEST_ACTION_KEYS });
  deps = { fetch: await signedInFetch(SIGNED_IN_CUSTOMER), env: { ORDER_API_URL: demo.url } };
});
afterAll(async () => {
  await demo.close();
});

const orderId = (id: string) => entity("order_id", id);

describe("ecommerce bot: order status", () => {
  it("looks up an order given in the first message and reports carrier, tracking and date", async () => {
    const conversation = new Conversation(bot, deps);
    const decision = await conversation.say("where is ORD-4820193", nlu("order_status", [orderId("ORD-4820193")]));
    expect(responses(decision)).toEqual(["utter_order_shipped"]);
    expect(texts(decision)).toContain("UPS");
    expect(texts(decision)).toContain("1Z999AA10123456784");
    expect(texts(decision)).toContain("Nov 28, 2026");
    expect(decision.state.slots.order_status).toBe("shipped");
  });

  it("answers in Chinese when the turn is Chinese", async () => {
    const conversation = new Conversation(bot, deps);
    const decision = await conversation.say("订单ORD-4820193到哪了", nlu("order_status", [orderId("ORD-4820193")], "zh"));
    expect(texts(decision)).toContain("已由UPS发出");
  });

  it("asks for a missing order number, re-asks after an invalid one, then looks it up", async () => {
    const conversation = new Conversation(bot, deps);
    const asked = await conversation.say("where is my order", nlu("order_status"));
    expect(responses(asked)).toEqual(["utter_ask_order_id"]);
    expect(asked.state.activeForm?.requestedSlot).toBe("order_id");

    const invalid = await conversation.say("ORD-12", nlu("out_of_scope"));
    expect(responses(invalid)).toEqual(["utter_invalid_order_id"]);

    const found = await conversation.say("12345678", nlu("out_of_scope", [orderId("12345678")]));
    expect(responses(found)).toEqual(["utter_order_shipped"]);
    expect(texts(found)).toContain("DHL");
    expect(found.state.activeForm).toBeNull();
  });

  it("cancels the form on a cancel word or a no", async () => {
    const byWord = new Conversation(bot, deps);
    await byWord.say("track my package", nlu("order_status"));
    const cancelled = await byWord.say("Never mind!", nlu("out_of_scope"));
    expect(responses(cancelled)).toEqual(["utter_form_cancelled"]);
    expect(cancelled.state.activeForm).toBeNull();

    const byDeny = new Conversation(bot, deps);
    await byDeny.say("查订单", nlu("order_status", [], "zh"));
    const denied = await byDeny.say("不用了", nlu("deny", [], "zh"));
    expect(texts(denied)).toContain("已取消");
  });

  it("gives up after three invalid answers and offers a person; yes hands off", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("where is my order", nlu("order_status"));
    await conversation.say("no idea", nlu("out_of_scope"));
    await conversation.say("hmm", nlu("out_of_scope"));
    const offered = await conversation.say("dunno", nlu("out_of_scope"));
    expect(responses(offered)).toEqual(["utter_offer_human"]);
    const handedOff = await conversation.say("yes", nlu("affirm"));
    expect(handedOff.handoff).toBe(true);
    expect(responses(handedOff)).toEqual(["utter_handoff"]);
  });

  it("answers another request in the middle of a form, then asks the form's question again", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("where is my order", nlu("order_status"));
    const interrupted = await conversation.say("how much is shipping?", nlu("shipping_info"));
    expect(responses(interrupted)).toEqual(["utter_shipping_info", "utter_ask_order_id"]);
    expect(interrupted.state.activeForm?.name).toBe("order_status_form");
  });
});

describe("ecommerce bot: action failures are answered gracefully", () => {
  it.each([
    ["a 500", "ORD-5000500"],
    ["bad JSON", "ORD-5000999"],
  ])("%s says the backend is unavailable", async (_case, id) => {
    const conversation = new Conversation(bot, deps);
    const decision = await conversation.say(`where is ${id}`, nlu("order_status", [orderId(id)]));
    expect(responses(decision)).toEqual(["utter_backend_error"]);
  });

  it("a backend slower than the timeout (2 s, one retry) gets the error reply, not a hang", async () => {
    const conversation = new Conversation(bot, deps);
    const started = Date.now();
    const decision = await conversation.say("where is ORD-5000408", nlu("order_status", [orderId("ORD-5000408")]));
    expect(responses(decision)).toEqual(["utter_backend_error"]);
    expect(Date.now() - started).toBeLessThan(4900);
  });

  it("an unknown order says so and forgets the number", async () => {
    const conversation = new Conversation(bot, deps);
    const decision = await conversation.say("where is ORD-9999999", nlu("order_status", [orderId("ORD-9999999")]));
    expect(responses(decision)).toEqual(["utter_order_not_found"]);
    expect(decision.state.slots.order_id).toBeUndefined();
  });

  it("a transient 503 is retried and succeeds", async () => {
    const conversation = new Conversation(bot, deps);
    const decision = await conversation.say("where is ORD-5000503", nlu("order_status", [orderId("ORD-5000503")]));
    expect(responses(decision)).toEqual(["utter_order_shipped"]);
  });

  it("without ORDER_API_URL the bot still answers", async () => {
    const conversation = new Conversation(bot, { fetch: deps.fetch, env: {} });
    const decision = await conversation.say("where is ORD-4820193", nlu("order_status", [orderId("ORD-4820193")]));
    expect(responses(decision)).toEqual(["utter_backend_error"]);
  });
});

describe("ecommerce bot: cancel and return", () => {
  it("confirms before cancelling; yes cancels a processing order", async () => {
    const conversation = new Conversation(bot, deps);
    const asked = await conversation.say("cancel ORD-1000002", nlu("cancel_order", [orderId("ORD-1000002")]));
    expect(responses(asked)).toEqual(["utter_confirm_cancel"]);
    expect(asked.replies[0]?.quickReplies).toEqual(["Yes, cancel it", "No, keep it"]);
    const done = await conversation.say("yes", nlu("affirm"));
    expect(responses(done)).toEqual(["utter_cancel_done"]);
  });

  it("no keeps the order; a shipped order cannot be cancelled", async () => {
    const keep = new Conversation(bot, deps);
    await keep.say("cancel my order ORD-1000001", nlu("cancel_order", [orderId("ORD-1000001")]));
    expect(responses(await keep.say("no", nlu("deny")))).toEqual(["utter_cancel_kept"]);

    const shipped = new Conversation(bot, deps);
    await shipped.say("cancel ORD-4820193", nlu("cancel_order", [orderId("ORD-4820193")]));
    const refused = await shipped.say("yes", nlu("affirm"));
    expect(responses(refused)).toEqual(["utter_cancel_not_possible"]);
    expect(texts(refused)).toContain("shipped");
  });

  it("takes a correction of the order number while asking for the return reason", async () => {
    const conversation = new Conversation(bot, deps);
    const first = await conversation.say("return ORD-4820193", nlu("return_item", [orderId("ORD-4820193")]));
    expect(responses(first)).toEqual(["utter_ask_return_reason"]);
    const corrected = await conversation.say("sorry, I meant ORD-3141592", nlu("deny", [orderId("ORD-3141592")]));
    expect(responses(corrected)).toEqual(["utter_order_id_corrected", "utter_ask_return_reason"]);
    expect(texts(corrected)).toContain("ORD-3141592");
    const created = await conversation.say("it arrived broken", nlu("out_of_scope"));
    expect(responses(created)).toEqual(["utter_return_created"]);
    expect(created.state.slots.return_reason).toBe("damaged");
    expect(texts(created)).toMatch(/RMA-\d+ for order ORD-3141592/);
  });

  it("reads a return reason in Chinese", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("订单ORD-3141592退货", nlu("return_item", [orderId("ORD-3141592")], "zh"));
    const created = await conversation.say("尺码太小了", nlu("out_of_scope", [], "zh"));
    expect(created.state.slots.return_reason).toBe("wrong_size");
    expect(texts(created)).toContain("退货申请");
  });
});

describe("ecommerce bot: FAQ, fallback and handoff", () => {
  it("answers an FAQ question in either language", async () => {
    const en = new Conversation(bot, deps);
    expect(responses(await en.say("how many days do I have to return stuff?", nlu("out_of_scope")))).toEqual(["faq:return_policy"]);
    const zh = new Conversation(bot, deps);
    const decision = await zh.say("可以用支付宝付款吗", nlu("out_of_scope", [], "zh"));
    expect(responses(decision)).toEqual(["faq:payment_methods"]);
    expect(texts(decision)).toContain("支付宝");
  });

  it("asks to rephrase, then offers a person; no keeps the bot", async () => {
    const conversation = new Conversation(bot, deps);
    expect(responses(await conversation.say("blorp", nlu("out_of_scope")))).toEqual(["utter_rephrase"]);
    const offer = await conversation.say("zzz", nlu("out_of_scope"));
    expect(responses(offer)).toEqual(["utter_offer_human"]);
    expect(offer.state.handoffOffered).toBe(true);
    const declined = await conversation.say("no", nlu("deny"));
    expect(responses(declined)).toEqual(["utter_human_declined"]);
    expect(declined.handoff).toBe(false);
    expect(declined.state.fallbackStreak).toBe(0);
  });

  /** A conversation whose bot offers a person after two messages it did not understand. */
  const offered = async (locale: "en" | "zh" | "es" = "en"): Promise<Conversation> => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("blorp", nlu("out_of_scope", [], locale));
    await conversation.say("zzz", nlu("out_of_scope", [], locale));
    return conversation;
  };

  it("a message that starts with a yes or a no answers the offer, whatever else the NLU hears in it", async () => {
    for (const [locale, text] of [
      ["en", "nah im good"],
      ["en", "No, thanks!"],
      ["zh", "不用了，谢谢"],
      ["es", "no gracias, estoy bien"],
    ] as const) {
      const declined = await (await offered(locale)).say(text, nlu("goodbye", [], locale, 0.51));
      expect(responses(declined), text).toEqual(["utter_human_declined"]);
      expect(declined.handoff, text).toBe(false);
    }
    // A yes in the words it starts with hands off ("ya" heard as a goodbye; "好，帮我转" as nothing).
    for (const [locale, text, understood] of [
      ["en", "ya", nlu("goodbye", [], "en", 0.93)],
      ["zh", "好，帮我转", nlu("out_of_scope", [], "zh", 0.64)],
      ["en", "sure why not", nlu("deny", [], "en", 0.87)],
    ] as const) {
      expect((await (await offered(locale)).say(text, understood)).handoff, text).toBe(true);
    }
    // "ok bye" is a goodbye, and a request the NLU is sure of is that request.
    expect(responses(await (await offered()).say("ok bye", nlu("goodbye", [], "en", 0.99)))).toEqual(["utter_goodbye"]);
    expect(responses(await (await offered()).say("no, where is my order", nlu("order_status", [], "en", 0.95)))).toEqual(["utter_ask_order_id"]);
    // Another message withdraws the offer and is answered as it would be.
    expect(responses(await (await offered()).say("nothing more, bye", nlu("goodbye")))).toEqual(["utter_goodbye"]);
  });

  it("a yes or no right after a miss is another miss: the second one offers a person", async () => {
    const conversation = new Conversation(bot, deps);
    expect(responses(await conversation.say("你会唱歌吗", nlu("out_of_scope", [], "zh")))).toEqual(["utter_rephrase"]);
    // An interjection the NLU hears as a yes answers nothing the bot asked.
    const offer = await conversation.say("呃呃", nlu("affirm", [], "zh", 0.97));
    expect(responses(offer)).toEqual(["utter_offer_human"]);
    expect(offer.state.handoffOffered).toBe(true);
    expect((await conversation.say("好的", nlu("affirm", [], "zh"))).handoff).toBe(true);
    // Without a miss before it, a yes gets the bot's general reply, as before.
    const fresh = new Conversation(bot, deps);
    await fresh.say("what payment methods do you accept", nlu("ask_faq"));
    expect(responses(await fresh.say("ok", nlu("affirm")))).toEqual(["utter_anything_else"]);
  });

  it("hands off on request, even in the middle of a form", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("where is my order", nlu("order_status"));
    const decision = await conversation.say("转人工", nlu("human_handoff", [], "zh"));
    expect(decision.handoff).toBe(true);
    expect(texts(decision)).toContain("人工客服");
    expect(decision.state.activeForm).toBeNull();
  });

  it("a change-address answer offers a person and yes hands off", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("I need to change my address", nlu("change_address"));
    expect((await conversation.say("yes please", nlu("affirm"))).handoff).toBe(true);
  });
});

describe("ecommerce bot: an anonymous customer's proof", () => {
  // Anonymous: the order API gives an order's status only until the customer proves it is theirs.
  const anonymous = (): EngineDeps => ({ fetch: (input, init) => fetch(input, init), env: { ORDER_API_URL: demo.url } });

  it("keeps a postcode the NLU also tags as an order number as the proof, not a new order number", async () => {
    const conversation = new Conversation(bot, anonymous());
    const asked = await conversation.say("where is ORD-3000001", nlu("order_status", [orderId("ORD-3000001")]));
    expect(responses(asked)).toEqual(["utter_order_status_only", "utter_ask_order_proof"]);
    expect(texts(asked)).not.toContain("SEUR");
    // "28013" is the guest order's postcode; a learned tagger may read five digits as an order number.
    const proven = await conversation.say("28013", nlu("order_status", [orderId("28013")], "en", 0.96));
    expect(responses(proven)).toEqual(["utter_order_shipped"]);
    expect(texts(proven)).toContain("SEUR");
    expect(proven.state.slots.order_id).toBe("ORD-3000001");
  });
});


describe("ecommerce bot: a canned reply the NLU is unsure of", () => {
  // The FAQ's refund-timing entry covers the message; shipping is the NLU's unsure guess.
  const refundTiming = "cuanto tiempo tarda en llegar el reembolso";

  it("gives way to a confident FAQ answer", async () => {
    const decision = await new Conversation(bot, deps).say(refundTiming, nlu("shipping_info", [], "es", 0.55));
    expect(responses(decision)).toEqual(["faq:refund_time"]);
    expect(texts(decision)).toContain("5–7 días hábiles");
  });

  it("keeps the turn when the NLU is sure, or when the FAQ is not", async () => {
    const sure = await new Conversation(bot, deps).say(refundTiming, nlu("shipping_info", [], "es", 0.9));
    expect(responses(sure)).toEqual(["utter_shipping_info"]);
    const noFaq = await new Conversation(bot, deps).say("¿hacen envíos a Canarias?", nlu("shipping_info", [], "es", 0.55));
    expect(responses(noFaq)).toEqual(["utter_shipping_info"]);
  });

  it("never takes a request the FAQ cannot carry out (a form) from its rule", async () => {
    const decision = await new Conversation(bot, deps).say("how long does a refund take for my order", nlu("refund_status", [], "en", 0.55));
    expect(responses(decision)).toEqual(["utter_ask_order_id"]);
  });
});
