import { describe, expect, it } from "vitest";
import { extractEmails, extractPhones } from "../../src/nlu/entities/contact.ts";
import { canonicalValue, type CustomEntities, extractRegexEntities } from "../../src/nlu/entities/custom.ts";
import { extractDateTimes } from "../../src/nlu/entities/datetime.ts";
import { extractMoney } from "../../src/nlu/entities/money.ts";
import { extractNumbers } from "../../src/nlu/entities/number.ts";
import type { ExtractionInput } from "../../src/nlu/entities/types.ts";
import { normalizeKeepingOffsets } from "../../src/nlu/text.ts";
import { buildCustomEntities } from "../../src/nlu/train-entities.ts";

// Wednesday 5 March 2025, 10:00 in Shanghai.
const NOW = Date.parse("2025-03-05T10:00:00+08:00");

function input(text: string, locale: "en" | "zh" = "en", timezone = "Asia/Shanghai"): ExtractionInput {
  return { text, normalized: normalizeKeepingOffsets(text), locale, nowMs: NOW, timezone };
}

const values = (entities: Array<{ value: unknown }>): unknown[] => entities.map((e) => e.value);

describe("numbers", () => {
  it("reads digits, English number words and Chinese numerals", () => {
    expect(values(extractNumbers(input("I need 1,250.5 units and twenty-five boxes")))).toEqual([1250.5, 25]);
    expect(values(extractNumbers(input("我要三百个，再加两千五", "zh")))).toEqual([300, 2500]);
    expect(values(extractNumbers(input("一共3万", "zh")))).toEqual([30000]);
  });

  it("does not read the 一 of 一下 as a number", () => {
    expect(extractNumbers(input("帮我查一下", "zh"))).toEqual([]);
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

  it("reports the span of the expression", () => {
    const [found] = extractDateTimes(input("book it for next friday at 5pm please"));
    expect(found).toMatchObject({ text: "next friday at 5pm", start: 12, end: 30 });
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
