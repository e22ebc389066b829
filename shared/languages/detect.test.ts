import { describe, expect, it } from "vitest";
import { detectLocale, trainLanguageProfile } from "./detect.ts";
import { LANGUAGES, LOCALES, localeEntries, type Locale } from "./languages.ts";
import { scriptOf } from "./scripts.ts";
import { standsAlone } from "./segmentation.ts";

describe("language data", () => {
  it("describes every language with what the engines read", () => {
    for (const locale of LOCALES) {
      const language = LANGUAGES[locale];
      expect(language.englishName, locale).not.toBe("");
      expect(() => new Intl.NumberFormat(language.intlLocale), locale).not.toThrow();
      expect(language.yesNo, locale).toHaveLength(2);
      expect(language.pipelineFallback, locale).not.toBe("");
    }
  });

  it("lists a per-locale map in the registry's order, whatever the order of its keys", () => {
    const map: Partial<Record<Locale, number>> = { zh: 2, en: 1 };
    expect(localeEntries(map)).toEqual([["en", 1], ["zh", 2]]);
  });
});

describe("scripts", () => {
  it("tells Latin letters (with diacritics) and Han characters apart from digits and punctuation", () => {
    expect([..."añ订"].map((char) => scriptOf(char.charCodeAt(0)))).toEqual(["Latin", "Latin", "Han"]);
    expect([..."4,?"].map((char) => scriptOf(char.charCodeAt(0)))).toEqual([undefined, undefined, undefined]);
  });

  it("makes the characters of languages written without spaces stand alone", () => {
    expect(standsAlone("订".charCodeAt(0))).toBe(true);
    expect(standsAlone("a".charCodeAt(0))).toBe(false);
  });
});

describe("detectLocale by script", () => {
  const enZh = ["en", "zh"] as const;
  it.each([
    ["where is my order", "en"],
    ["我的订单到哪了", "zh"],
    ["我要听tfboys的歌", "zh"],
    ["iphone 15多少钱", "zh"],
    ["can you translate 谢谢 for me please", "en"],
  ] as const)("%s → %s", (text, locale) => {
    expect(detectLocale(text, enZh)).toEqual({ locale, evidence: "detected" });
  });

  it.each(["12345", "ORD-4820193", "42", "?!", ""])("%j has no language of its own: the first candidate, evidence none", (text) => {
    expect(detectLocale(text, enZh)).toEqual({ locale: "en", evidence: "none" });
    expect(detectLocale(text, ["zh", "en"])).toEqual({ locale: "zh", evidence: "none" });
  });

  it("only counts the scripts of the candidates", () => {
    expect(detectLocale("我的订单", ["en"])).toEqual({ locale: "en", evidence: "none" });
  });
});

describe("detectLocale between languages of one script, from the language data alone", () => {
  const enEs = ["en", "es"] as const;
  it.each([
    ["¿Dónde está mi pedido?", "es"],
    ["donde esta mi pedido", "es"],
    ["no gracias, ya no lo quiero", "es"],
    ["where is my order", "en"],
    ["no thanks, I don't want it any more", "en"],
  ] as const)("%s → %s", (text, locale) => {
    expect(detectLocale(text, enEs)).toEqual({ locale, evidence: "detected" });
  });

  it("weighs nothing for a word both languages list as common", () => {
    expect(detectLocale("no", enEs)).toEqual({ locale: "en", evidence: "ambiguous" });
    expect(detectLocale("ok", ["es", "en"])).toEqual({ locale: "es", evidence: "ambiguous" });
  });

  it("trains a profile from examples that tells the bot's own vocabulary apart", () => {
    const profile = trainLanguageProfile(new Map([["en", ["refund please", "where is my refund"]], ["es", ["reembolso por favor", "dónde está mi reembolso"]]]));
    expect(detectLocale("reembolso", enEs, profile)).toEqual({ locale: "es", evidence: "detected" });
    expect(detectLocale("refund", enEs, profile)).toEqual({ locale: "en", evidence: "detected" });
  });
});
