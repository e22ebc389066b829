// The intent Worker on workerd: it takes a turn from the `stratus-intent` queue, understands it
// with the bot's model, and forwards it with the NLU result; what it understood reaches the client
// on the bot's reply. Relative dates resolve in the conversation's time zone, at the message's time.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { ROOT, startStratus, type Stratus } from "../../../devkit/local-stack.ts";

let stratus: Stratus;
beforeAll(async () => {
  stratus = await startStratus();
});
afterAll(() => stratus?.close());

/** The calendar date of `instant` plus `days` in `timeZone`, as YYYY-MM-DD. */
function dateIn(timeZone: string, instant: Date, days: number): string {
  const shifted = new Date(instant.getTime() + days * 86_400_000);
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(shifted);
}

describe("intent Worker", () => {
  it("classifies a queued turn and forwards its intent and entities", async () => {
    const conversation = await stratus.createConversation({ bot: "ecommerce", locale: "en" });
    const { replies } = await stratus.say(conversation, "where is my order ORD-4820193");
    const nlu = replies[0]?.nlu;
    expect(nlu?.intent.name).toBe("order_status");
    expect(nlu?.intent.confidence).toBeGreaterThan(0.5);
    expect(nlu?.locale).toBe("en");
    expect(nlu?.entities).toContainEqual(expect.objectContaining({ entity: "order_id", value: "ORD-4820193" }));
  });

  it("detects Chinese when the conversation has no locale, and resolves 明天 in its time zone", async () => {
    const conversation = await stratus.createConversation({ bot: "ecommerce", timezone: "Asia/Shanghai" });
    const { message, replies } = await stratus.say(conversation, "我的订单12345678明天能到吗");
    const nlu = replies[0]?.nlu;
    expect(nlu?.locale).toBe("zh");
    expect(nlu?.intent.name).toBe("order_status");
    expect(nlu?.entities).toContainEqual(expect.objectContaining({ entity: "order_id", value: "12345678" }));
    const sentAt = new Date(message.createdAt ?? Date.now());
    const tomorrow = nlu?.entities.find((e) => e.entity === "datetime" || e.entity === "date");
    expect(typeof tomorrow?.value === "string" ? tomorrow.value : "").toContain(dateIn("Asia/Shanghai", sentAt, 1));
  });

  it("detects Spanish among the bot's locales, and the reply is in Spanish", async () => {
    const conversation = await stratus.createConversation({ bot: "ecommerce" });
    const { replies } = await stratus.say(conversation, "¿dónde está mi pedido ORD-4820193?");
    expect(replies[0]?.nlu).toMatchObject({ locale: "es", localeEvidence: "detected", intent: { name: "order_status" } });
    expect(replies[0]?.nlu?.entities).toContainEqual(expect.objectContaining({ entity: "order_id", value: "ORD-4820193" }));
    // No order backend runs in this harness: the bot says so, in Spanish.
    expect(replies[0]?.response).toBe("utter_backend_error");
    expect(replies[0]?.text).toContain("sistema de pedidos");
  });

  describe("an amount with hundreds of digits", () => {
    const huge = `1${"0".repeat(300)}`;
    it.each([
      [`I paid ${huge} dollars for my order`, "en"],
      [`我付了一${"亿".repeat(40)}元`, "zh"],
      [`pagué ${huge} euros por mi pedido`, "es"],
    ] as const)("%s: POST /v1/nlu/parse answers 200 without an amount it could not carry", async (text, locale) => {
      const response = await stratus.fetch("/v1/nlu/parse", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ text, bot: "ecommerce", locale }),
      });
      expect(response.status).toBe(200);
      const result = (await response.json()) as { entities: Array<{ entity: string; value: unknown }>; locale: string };
      expect(result.locale).toBe(locale);
      expect(result.entities.filter((entity) => entity.entity === "money" || entity.entity === "number")).toEqual([]);
    });

    it("inside a conversation, gets the bot's own answer instead of poisoning the turn until the pipeline fallback", async () => {
      const conversation = await stratus.createConversation({ bot: "ecommerce", locale: "en" });
      const { replies } = await stratus.say(conversation, `I paid ${huge} dollars and my order ORD-4820193 never came`);
      expect(replies).toHaveLength(1);
      expect(replies[0]?.response).not.toBe("stratus_pipeline_fallback");
      expect(replies[0]?.nlu?.intent.name).toBe("order_status");
      expect(replies[0]?.nlu?.entities.filter((entity) => entity.entity === "money" || entity.entity === "number")).toEqual([]);
    });
  });

  it("uses each bot's own model", async () => {
    const intentsOf = (bot: string): Set<string> => {
      const data = parse(readFileSync(join(ROOT, "bots", bot, "nlu.yaml"), "utf8")) as { intents: Record<string, unknown> };
      return new Set([...Object.keys(data.intents), "out_of_scope"]);
    };
    const text = "I have a headache and a fever";
    for (const bot of ["health", "ecommerce"]) {
      const conversation = await stratus.createConversation({ bot, locale: "en" });
      const nlu = (await stratus.say(conversation, text)).replies[0]?.nlu;
      const ranked = nlu?.intents?.map((intent) => intent.name) ?? [];
      expect(ranked.length, bot).toBeGreaterThan(0);
      for (const name of ranked) expect(intentsOf(bot), `${bot} ranked ${name}`).toContain(name);
    }
  });
});
