/**
 * Issue #22: nobody can make the NLU slow on purpose. Every extractor and the whole `parse` (with each
 * example bot's trained model from generated/models.json, `npm run build`) is fed adversarial messages
 * of the maximum length (4,000 code points) — runs of spaces, tabs, ideographic spaces, digits and
 * separators, repeated dates, times, amounts, ids, e-mail-like and phone-like fragments, and mixes —
 * in every bot language, and each must cost no more than a few times an ordinary message of the same
 * length (realistic sentences with dates, times and amounts in that language) measured in the same run.
 * Costs are measured as test/harness/relative-cost.ts describes (fastest of interleaved samples, an input
 * over budget measured again before it counts). A quadratic pattern costs hundreds to thousands of times an ordinary message
 * on these inputs, far past the budget.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { MAX_TEXT_LENGTH } from "../../../../shared/schemas/text.ts";
import { extractEmails, extractPhones } from "../../src/nlu/entities/contact.ts";
import { extractLookupEntities, extractRegexEntities } from "../../src/nlu/entities/custom.ts";
import { extractDateTimes } from "../../src/nlu/entities/datetime.ts";
import { extractMoney } from "../../src/nlu/entities/money.ts";
import { extractNumbers } from "../../src/nlu/entities/number.ts";
import { resolveOverlaps } from "../../src/nlu/entities/resolve.ts";
import { extractTaggedEntities } from "../../src/nlu/entities/sequence.ts";
import type { ExtractionInput } from "../../src/nlu/entities/types.ts";
import { loadModel, type Locale, type NluModel, parse } from "../../src/nlu/index.ts";
import { foldDiacritics, normalizeKeepingOffsets } from "../../src/nlu/text.ts";
import { tokenizeNormalized } from "../../src/nlu/tokenize.ts";
import { type CostBudget, cost, isOverBudget, relativeCost } from "../../../../test/harness/relative-cost.ts";

/**
 * Adversarial cost ≤ BUDGET.ratio × the ordinary message's of the same length. The densest inputs
 * ("1-1-1-…") are one token per character, four times the tokens of the ordinary English or Spanish
 * text, so the tagger, linear in tokens, costs up to about four times as much there by arithmetic alone.
 */
const BUDGET: CostBudget = { ratio: 5, floorMs: 1 };
const NOW = Date.parse("2025-03-05T10:00:00+08:00");
const LOCALES: Locale[] = ["en", "zh", "es"];

const modelsFile = join(import.meta.dirname, "../../../../generated/models.json");
const models: Array<[string, NluModel]> = existsSync(modelsFile)
  ? Object.entries(JSON.parse(readFileSync(modelsFile, "utf8")) as Record<string, unknown>).map(([bot, artifact]) => [bot, loadModel(artifact)])
  : [];

/** `unit` repeated to exactly `length` code points (the last repetition cut). */
function fill(unit: string, length = MAX_TEXT_LENGTH): string {
  const points = [...unit];
  const out: string[] = [];
  while (out.length < length) out.push(...points);
  return out.slice(0, length).join("");
}

/** Fragments spliced together deterministically (a linear congruential sequence) to `length` code points. */
function mix(fragments: readonly string[], seed: number, length = MAX_TEXT_LENGTH): string {
  let state = seed;
  const out: string[] = [];
  while (out.length < length) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    out.push(...(fragments[state % fragments.length] ?? ""));
  }
  return out.slice(0, length).join("");
}

/** Realistic messages with dates, times, amounts, ids, e-mails and phone numbers. */
const ORDINARY: Record<Locale, string> = {
  en:
    "Hi, I ordered two shirts on March 3 for $45.50 and was told delivery would be tomorrow at 5pm, but nothing came. " +
    "My order is ORD-4820193, email me at jane.doe@example.com or call 415-555-0134 before friday at 10:30. ",
  zh: "你好，我3月3号买了两件衬衫，一共45元，说好明天下午5点送到，但是到现在还没收到。订单号是ORD-4820193，请发邮件到jane.doe@example.com或者打13812345678，周五上午10点前联系我。",
  es:
    "Hola, el 3 de marzo pedí dos camisas por 45 euros y me dijeron que llegarían mañana a las 5 de la tarde, pero no ha llegado nada. " +
    "Mi pedido es ORD-4820193, escríbeme a jane.doe@example.com o llámame al 415-555-0134 antes del viernes a las 10:30. ",
};

const WORDS: Record<Locale, string[]> = {
  en: ["twenty ", "one hundred and ", "in ", "a ", "next ", "o'clock ", "tomorrow ", "march ", "3rd of ", "dollars ", "5 o'clock ", "day after ", "2 hours ago "],
  zh: ["三", "两千", "下午", "3点", "明天", "下周五", "12月", "24号", "元", "块钱", "万", "半个小时后", "的"],
  es: ["veinte ", "doscientos ", "y ", "mil ", "de ", "a las ", "las ", "manana ", "el viernes ", "hace ", "dentro de ", "euros ", "1.250,5 ", "de la tarde "],
};

/** The adversarial messages for a locale, by name. */
function adversarial(locale: Locale): Array<[string, string]> {
  const words = WORDS[locale];
  const inputs: Array<[string, string]> = [
    // The message (3,998 characters), with two more spaces to make 4,000.
    ["issue #22: date, 2,657 spaces, x, 333 times", "2025-12-24" + " ".repeat(2657) + "x" + " 5pm".repeat(333)],
    ["spaces", "x" + " ".repeat(MAX_TEXT_LENGTH - 2) + "x"],
    ["tabs", "x" + "\t".repeat(MAX_TEXT_LENGTH - 2) + "x"],
    ["ideographic spaces", "x" + "\u3000".repeat(MAX_TEXT_LENGTH - 2) + "x"],
    ["mixed whitespace", fill(" \t\u3000\u00a0")],
    ["date, spaces, times", fill("2025-12-24" + " ".repeat(400) + "x 5pm 17:30 ")],
    ["times, spaces, date", fill("5pm 17:30 " + " ".repeat(400) + "x 2025-12-24 ")],
    ["digits", fill("1")],
    ["digits then a space", "1".repeat(MAX_TEXT_LENGTH - 1) + " "],
    ...["-", "/", ".", ":", ",", ", ", "- "].map((separator): [string, string] => [`digits and "${separator}"`, fill(`1${separator}`)]),
    ["year-like digits and -", fill("2025-")],
    ["separators", fill("-/.:,")],
    ["repeated ISO dates", fill("2025-12-24 ")],
    ["repeated dates without spaces", fill("2025-12-24")],
    ["repeated slash dates", fill("12/24/2025 ")],
    ["repeated times", fill("5pm ")],
    ["repeated clock times", fill("17:30 ")],
    ["repeated date and time", fill("2025-12-24 5pm ")],
    ["repeated amounts", fill("$20 ")],
    ["repeated amount words", fill("20 dollars ")],
    ["digits then a currency", "1".repeat(MAX_TEXT_LENGTH - 6) + " euros"],
    ["repeated ids", fill("ORD-4820193 ")],
    ["id fragments", fill("ORD-")],
    ["letters", fill("a")],
    ["letters and dots", fill("a.")],
    ["letters and @", fill("a@")],
    ["local part run, then @", "a".repeat(MAX_TEXT_LENGTH - 5) + "@b.c!"],
    ["domain-like run", "a@" + fill("b.", MAX_TEXT_LENGTH - 2)],
    ["repeated e-mails", fill("a@b.co ")],
    ["phone-like fragments", fill("+1 ")],
    ["phone-like digit groups", fill("415-555-")],
    ["bracketed area codes", fill("(415) ")],
    ["Chinese mobile fragments", fill("138 ")],
    ["language words", fill(words.join(""))],
    ...words.map((word): [string, string] => [`"${word.trim()}" repeated`, fill(word)]),
    ["mixed fragments", mix(["1", " ", "\t", "\u3000", "-", "/", ".", ":", ",", "@", "a", "5pm", "2025-12-24", "$", "20", "ORD-", "+86 ", ...words], 1)],
    ["mixed dates and times", mix(["2025-12-24", " ", "  ", "5pm", "17:30", ",", " at ", "@", ...words], 2)],
  ];
  return inputs.map(([name, text]) => [name, [...text].slice(0, MAX_TEXT_LENGTH).join("")]);
}

function extractionInput(text: string, locale: Locale): ExtractionInput {
  const normalized = normalizeKeepingOffsets(text);
  return { text, normalized, folded: foldDiacritics(normalized), locale, nowMs: NOW, timezone: "Asia/Shanghai" };
}

type Subject = (text: string, locale: Locale) => unknown;

const onInput = (extract: (input: ExtractionInput) => unknown): Subject => (text, locale) => extract(extractionInput(text, locale));

function withModel(model: NluModel, extract: (input: ExtractionInput, model: NluModel) => unknown): Subject {
  return (text, locale) => extract(extractionInput(text, locale), model);
}

const SUBJECTS: Array<[string, Subject]> = [
  ["numbers", onInput(extractNumbers)],
  ["money", onInput(extractMoney)],
  ["dates and times", onInput(extractDateTimes)],
  ["e-mails", onInput(extractEmails)],
  ["phones", onInput(extractPhones)],
  [
    "built-ins with overlaps resolved",
    onInput((input) => resolveOverlaps([...extractEmails(input), ...extractMoney(input), ...extractDateTimes(input), ...extractPhones(input), ...extractNumbers(input)])),
  ],
  ...models.flatMap(([bot, model]): Array<[string, Subject]> => [
    [`${bot}: regex entities`, withModel(model, (input, m) => extractRegexEntities(input, m.custom))],
    [`${bot}: lookup entities`, withModel(model, (input, m) => extractLookupEntities(input, m.custom))],
    [
      `${bot}: tagger`,
      withModel(model, (input, m) => (m.tagger ? extractTaggedEntities(input, tokenizeNormalized(input.normalized), extractLookupEntities(input, m.custom), m.tagger, m.custom) : [])),
    ],
    [`${bot}: parse`, (text, locale) => parse(model, text, { locale, now: new Date(NOW).toISOString(), timezone: "Asia/Shanghai" })],
    [`${bot}: parse, language detected`, (text) => parse(model, text, { now: new Date(NOW).toISOString(), timezone: "Asia/Shanghai" })],
  ]),
];

describe("adversarial messages cost a few times an ordinary message of the same length", () => {
  it("has every example bot's trained model (npm run build)", () => {
    expect(models.map(([bot]) => bot)).toEqual(expect.arrayContaining(["ecommerce", "finance", "health"]));
  });

  describe.each(LOCALES)("%s", (locale) => {
    const ordinary = fill(ORDINARY[locale]);
    const short = ORDINARY[locale];
    const inputs = adversarial(locale);

    it("the inputs are of the maximum length", () => {
      for (const [, text] of inputs) expect([...text].length).toBe(MAX_TEXT_LENGTH);
      expect([...ordinary].length).toBe(MAX_TEXT_LENGTH);
    });

    it.each(SUBJECTS)(`%s: every adversarial input ≤ ${BUDGET.ratio}× the ordinary message`, (name, subject) => {
      const runOrdinary = (): unknown => subject(ordinary, locale);
      const baseline = cost(runOrdinary);
      const shortCost = cost(() => subject(short, locale));
      const over: string[] = [];
      let worst = { name: "", ms: 0, ratio: 0 };
      for (const [inputName, text] of inputs) {
        const runInput = (): unknown => subject(text, locale);
        const measured = relativeCost(runInput, runOrdinary, BUDGET, baseline);
        const ratio = measured.ms / measured.baseline;
        if (ratio > worst.ratio) worst = { name: inputName, ms: measured.ms, ratio };
        if (isOverBudget(measured, BUDGET)) over.push(`${inputName}: ${measured.ms.toFixed(3)} ms (${ratio.toFixed(1)}× the ordinary message's ${measured.baseline.toFixed(3)} ms)`);
      }
      console.log(
        `[adversarial] ${locale} ${name}: short ordinary ${shortCost.toFixed(4)} ms, ordinary 4,000 ${baseline.toFixed(4)} ms, ` +
          `worst ${worst.name} ${worst.ms.toFixed(4)} ms (${worst.ratio.toFixed(1)}×)`,
      );
      expect(over, `${locale} ${name}: ordinary 4,000-character message ${baseline.toFixed(3)} ms`).toEqual([]);
    });
  });
});
