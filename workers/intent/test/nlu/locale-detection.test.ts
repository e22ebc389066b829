/**
 * Locale detection among a bot's locales, as the NLU does it for a conversation without a locale:
 * the ecommerce bot (en, zh, es) trained from its own nlu.yaml, so English and Spanish — one script —
 * are told apart by the character n-gram profile trained from the bot's examples.
 */
import { describe, expect, it } from "vitest";
import { loadBot } from "../../../../bench/bots-nlu.ts";
import { loadModel, parse, train } from "../../src/nlu/index.ts";

const files = loadBot("ecommerce");
const model = loadModel(JSON.parse(JSON.stringify(train(files.training, { seed: 1, locales: files.locales }))));
const understood = (text: string) => {
  const { locale, localeEvidence } = parse(model, text, { timezone: "UTC" });
  return { locale, evidence: localeEvidence };
};

describe("locale detection in a bot speaking en, zh and es", () => {
  it("keeps the bot's default locale first, as bot.yaml says", () => {
    expect(model.locales).toEqual(["en", "zh", "es"]);
    expect(model.languageProfile?.locales).toEqual(["en", "es"]);
  });

  it.each([
    ["¿Dónde está mi pedido?", "es"],
    ["donde esta mi pedido", "es"],
    ["quiero devolver unos zapatos que me quedan chicos", "es"],
    ["me cobraron dos veces", "es"],
    ["where is my order", "en"],
    ["I want to return an item", "en"],
    ["my card was declined", "en"],
    ["我的订单到哪了", "zh"],
    ["iphone 15多少钱", "zh"],
  ] as const)("sentence %j → %s", (text, locale) => {
    expect(understood(text)).toEqual({ locale, evidence: "detected" });
  });

  it.each([
    ["hola", "es"],
    ["gracias", "es"],
    ["sí", "es"],
    ["¿qué tal?", "es"],
    ["hi", "en"],
    ["thanks", "en"],
    ["yes", "en"],
    ["你好", "zh"],
  ] as const)("one short word %j → %s", (text, locale) => {
    expect(understood(text)).toEqual({ locale, evidence: "detected" });
  });

  it.each([
    ["hola, where is my order?", "en"],
    ["quiero cancel mi pedido", "es"],
    ["mi order no llegó", "es"],
    ["track ORD-4820193 please", "en"],
    ["rastrear ORD-4820193", "es"],
    ["我想cancel订单", "zh"],
  ] as const)("mixed %j → %s (the language most of it is in)", (text, locale) => {
    expect(understood(text).locale).toBe(locale);
  });

  it.each(["no", "si"])("%j, a word both English and Spanish speakers type, is only a guess", (text) => {
    expect(understood(text).evidence).toBe("ambiguous");
  });

  it.each(["ORD-4820193", "42", "12345678", "$20", "🙂"])("%j has no language of its own: the default locale, evidence none", (text) => {
    expect(understood(text)).toEqual({ locale: "en", evidence: "none" });
  });

  it("uses the conversation's locale when it is given", () => {
    expect(parse(model, "where is my order", { locale: "es" })).toMatchObject({ locale: "es", localeEvidence: "given" });
  });
});
