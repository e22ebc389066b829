import { describe, expect, it } from "vitest";
import { extractEmails, extractPhones } from "../../src/nlu/entities/contact.ts";
import { canonicalValue, type CustomEntities, extractRegexEntities } from "../../src/nlu/entities/custom.ts";
import { extractDateTimes } from "../../src/nlu/entities/datetime.ts";
import { extractMoney } from "../../src/nlu/entities/money.ts";
import { extractNumbers } from "../../src/nlu/entities/number.ts";
import type { ExtractionInput } from "../../src/nlu/entities/types.ts";
import type { Locale } from "../../src/nlu/index.ts";
import { foldDiacritics, normalizeKeepingOffsets } from "../../src/nlu/text.ts";
import { buildCustomEntities } from "../../src/nlu/train-entities.ts";

// Wednesday 5 March 2025, 10:00 in Shanghai.
const NOW = Date.parse("2025-03-05T10:00:00+08:00");

function input(text: string, locale: Locale = "en", timezone = "Asia/Shanghai"): ExtractionInput {
  const normalized = normalizeKeepingOffsets(text);
  return { text, normalized, folded: foldDiacritics(normalized), locale, nowMs: NOW, timezone };
}

const values = (entities: Array<{ value: unknown }>): unknown[] => entities.map((e) => e.value);

describe("numbers", () => {
  it("reads digits, English number words and Chinese numerals", () => {
    expect(values(extractNumbers(input("I need 1,250.5 units and twenty-five boxes")))).toEqual([1250.5, 25]);
    expect(values(extractNumbers(input("我要三百个，再加两千五", "zh")))).toEqual([300, 2500]);
    expect(values(extractNumbers(input("一共3万", "zh")))).toEqual([30000]);
    // A single numeral before a unit of time is a number too: an investment horizon in years.
    expect(values(extractNumbers(input("十年", "zh")))).toEqual([10]);
    expect(values(extractNumbers(input("大概五年后要用，每两周存一次", "zh")))).toEqual([5, 2, 1]);
    // But 一年 is "a year" far more often than a count: no number in a fee question.
    expect(extractNumbers(input("信用卡一年要交多少年费", "zh"))).toEqual([]);
  });

  it("does not read the 一 of 一下 as a number", () => {
    expect(extractNumbers(input("帮我查一下", "zh"))).toEqual([]);
  });

  it("reads Spanish number words and both digit groupings", () => {
    expect(values(extractNumbers(input("quiero dos camisetas y veinte calcetines", "es")))).toEqual([2, 20]);
    expect(values(extractNumbers(input("doscientos treinta y cinco, dos mil quinientos, un millón", "es")))).toEqual([235, 2500, 1e6]);
    expect(values(extractNumbers(input("1.250,50 o 1,250.50 o 20,5 o 1.000.000", "es")))).toEqual([1250.5, 1250.5, 20.5, 1e6]);
    // "un"/"una" alone are articles.
    expect(extractNumbers(input("tengo un pedido y una pregunta", "es"))).toEqual([]);
  });

  it("reads a language's number words only in that language or across scripts", () => {
    // "once" is eleven in Spanish, "one time" in English.
    expect(values(extractNumbers(input("once", "es")))).toEqual([11]);
    expect(extractNumbers(input("I ordered once", "en"))).toEqual([]);
    expect(values(extractNumbers(input("compré 三百 cosas", "es")))).toEqual([300]);
  });
});

describe("money", () => {
  it.each([
    ["refund $20 please", "en", 20, "USD", "$20"],
    ["it cost 15.50 euros", "en", 15.5, "EUR", "15.50 euros"],
    ["send two hundred dollars", "en", 200, "USD", "two hundred dollars"],
    ["我付了50元", "zh", 50, "CNY", "50元"],
    ["便宜点，¥20行吗", "zh", 20, "CNY", "¥20"],
    ["三百块可以吗", "zh", 300, "CNY", "三百块"],
    ["两千美元", "zh", 2000, "USD", "两千美元"],
    ["¥300", "en", 300, "JPY", "¥300"],
    ["me cobraron veinte euros", "es", 20, "EUR", "veinte euros"],
    ["pagué €20", "es", 20, "EUR", "€20"],
    ["son 20,50 €", "es", 20.5, "EUR", "20,50 €"],
    ["cuesta 1.250,99 euros", "es", 1250.99, "EUR", "1.250,99 euros"],
    ["pagué 30 dólares", "es", 30, "USD", "30 dólares"],
    ["500 pesos mexicanos", "es", 500, "MXN", "500 pesos mexicanos"],
    ["un millón de euros", "es", 1e6, "EUR", "un millón de euros"],
  ] as const)("%s", (text, locale, amount, currency, span) => {
    const [money] = extractMoney(input(text, locale));
    expect(money).toMatchObject({ entity: "money", value: { amount, currency }, text: span, source: "money" });
  });
});

describe("dates and times", () => {
  it.each([
    ["tomorrow", "en", "2025-03-06"],
    ["the day after tomorrow", "en", "2025-03-07"],
    ["next friday", "en", "2025-03-14"],
    ["friday", "en", "2025-03-07"],
    ["on march 10th", "en", "2025-03-10"],
    ["2025-12-24", "en", "2025-12-24"],
    ["in 3 days", "en", "2025-03-08"],
    ["tomorrow at 5pm", "en", "2025-03-06T17:00:00+08:00"],
    ["明天", "zh", "2025-03-06"],
    ["后天", "zh", "2025-03-07"],
    ["下周五", "zh", "2025-03-14"],
    ["这周五", "zh", "2025-03-07"],
    ["3月5日", "zh", "2025-03-05"],
    ["十二月二十五号", "zh", "2025-12-25"],
    ["明天下午3点半", "zh", "2025-03-06T15:30:00+08:00"],
    ["今晚8点", "zh", "2025-03-05T20:00:00+08:00"],
    ["mañana", "es", "2025-03-06"],
    ["manana", "es", "2025-03-06"],
    ["pasado mañana", "es", "2025-03-07"],
    ["el próximo viernes", "es", "2025-03-07"],
    ["el viernes de la semana que viene", "es", "2025-03-14"],
    ["este viernes", "es", "2025-03-07"],
    ["el viernes pasado", "es", "2025-02-28"],
    ["el 15 de marzo", "es", "2025-03-15"],
    ["quince de abril de 2026", "es", "2026-04-15"],
    ["15/03", "es", "2025-03-15"],
    ["en 3 días", "es", "2025-03-08"],
    ["hace una semana", "es", "2025-02-26"],
    ["a las 3 de la tarde", "es", "2025-03-05T15:00:00+08:00"],
    ["mañana a las 3 de la tarde", "es", "2025-03-06T15:00:00+08:00"],
    ["el lunes a las 9 y media de la mañana", "es", "2025-03-10T09:30:00+08:00"],
    ["esta noche a las 8", "es", "2025-03-05T20:00:00+08:00"],
    ["mañana por la noche a las 9", "es", "2025-03-06T21:00:00+08:00"],
    ["a las 4 menos cuarto de la tarde", "es", "2025-03-05T15:45:00+08:00"],
    ["a las 15:30", "es", "2025-03-05T15:30:00+08:00"],
  ] as const)("%s → %s", (text, locale, value) => {
    const found = extractDateTimes(input(text, locale));
    expect(found).toHaveLength(1);
    expect(found[0]?.value).toBe(value);
  });

  it("resolves relative dates in the conversation's time zone", () => {
    // 10:00 in Shanghai is still 4 March in Los Angeles.
    expect(extractDateTimes(input("tomorrow", "en", "America/Los_Angeles"))[0]?.value).toBe("2025-03-05");
    expect(extractDateTimes(input("tomorrow at 9am", "en", "America/Los_Angeles"))[0]?.value).toBe("2025-03-05T09:00:00-08:00");
  });

  it("gives a time alone its next occurrence", () => {
    expect(extractDateTimes(input("at 9am"))[0]?.value).toBe("2025-03-06T09:00:00+08:00");
    expect(extractDateTimes(input("at 3pm"))[0]?.value).toBe("2025-03-05T15:00:00+08:00");
  });

  it("does not read the morning or an article as a date or time in Spanish", () => {
    expect(extractDateTimes(input("mañana por la mañana", "es")).map((e) => e.value)).toEqual(["2025-03-06"]);
    expect(extractDateTimes(input("quiero devolver las dos camisas", "es"))).toEqual([]);
    // Day first in Spanish, month first in English.
    expect(extractDateTimes(input("05/03", "es"))[0]?.value).toBe("2025-03-05");
    expect(extractDateTimes(input("05/03", "en"))[0]?.value).toBe("2025-05-03");
  });

  it("reports the span of the expression", () => {
    const [found] = extractDateTimes(input("book it for next friday at 5pm please"));
    expect(found).toMatchObject({ text: "next friday at 5pm", start: 12, end: 30 });
  });
});

describe("numbers no entity may carry", () => {
  const huge = `1${"0".repeat(400)}`;
  it.each([
    [`I paid ${huge} dollars`, "en"],
    [`refund $${huge}`, "en"],
    ["12345678901234567890 units", "en"],
    [`我付了一${"亿".repeat(40)}元`, "zh"],
    ["一".repeat(400), "zh"],
    [`pagué ${huge} euros`, "es"],
    [`${huge},50 €`, "es"],
  ] as const)("%s: no number, amount or date at all rather than Infinity or a rounded one", (text, locale) => {
    const found = [...extractNumbers(input(text, locale)), ...extractMoney(input(text, locale)), ...extractDateTimes(input(text, locale))];
    const numbers = found.map((e) => (typeof e.value === "object" ? e.value.amount : e.value)).filter((v) => typeof v === "number");
    for (const value of numbers) expect(Number.isSafeInteger(Math.round(value)), `${value}`).toBe(true);
    expect(found.filter((e) => e.entity === "money")).toEqual([]);
  });

  it("ignores relative dates further than anyone means instead of leaving the calendar", () => {
    expect(extractDateTimes(input("in 99999999999999 hours"))).toEqual([]);
    expect(extractDateTimes(input("dentro de 99999999 días", "es"))).toEqual([]);
  });
});

describe("emails and phone numbers", () => {
  it("finds e-mail addresses", () => {
    expect(values(extractEmails(input("mail Jane.Doe+x@Example.co.uk now")))).toEqual(["jane.doe+x@example.co.uk"]);
  });

  it("finds Chinese mobiles and North-American numbers, keeping digits", () => {
    expect(values(extractPhones(input("打138 1234 5678找我", "zh")))).toEqual(["13812345678"]);
    expect(values(extractPhones(input("call (555) 123-4567")))).toEqual(["5551234567"]);
    expect(values(extractPhones(input("call +1 555.123.4567")))).toEqual(["+15551234567"]);
    expect(extractPhones(input("order 12345"))).toEqual([]);
  });
});

describe("custom entity synonyms", () => {
  // As loadModel builds them from a trained artifact.
  const trained = buildCustomEntities(
    {
      product: { synonyms: { "iphone 15": ["iphone15", "i phone 15"] } },
      model_code: { regex: ["[ｉi][ＰP][ｈh][ｏo][ｎn][ｅe]\\s*[１1][５5]"], synonyms: { "iPhone 15": ["iphone15"] } },
    },
    [],
  );
  const custom: CustomEntities = {
    regexes: trained.regexes.map(({ entity, pattern }) => ({ entity, pattern: new RegExp(pattern, "giu") })),
    lookups: trained.lookups,
    synonyms: new Map(Object.entries(trained.synonyms).map(([entity, variants]) => [entity, new Map(Object.entries(variants))])),
  };

  it("maps spans that differ from a variant only by width, case, apostrophes or spacing to the canonical value", () => {
    expect(canonicalValue(custom, "product", "ｉＰｈｏｎｅ１５")).toBe("iphone 15");
    expect(canonicalValue(custom, "product", "iphone  15")).toBe("iphone 15");
    expect(canonicalValue(custom, "product", " I Phone\t15 ")).toBe("iphone 15");
    expect(canonicalValue(custom, "product", "iPhone15")).toBe("iphone 15");
    expect(canonicalValue(custom, "product", "iphone 16")).toBe("iphone 16");
  });

  it("reports regex matches in full-width characters with their canonical value", () => {
    const found = extractRegexEntities(input("我要买ｉＰｈｏｎｅ１５", "zh"), custom);
    expect(found).toEqual([expect.objectContaining({ entity: "model_code", value: "iPhone 15", text: "ｉＰｈｏｎｅ１５", source: "regex" })]);
  });
});
