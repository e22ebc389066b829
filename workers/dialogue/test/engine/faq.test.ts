import { describe, expect, it } from "vitest";
import { buildFaqIndexes, findFaqAnswers } from "../../src/engine/faq/index.ts";
import { tokenize } from "../../src/engine/faq/tokenize.ts";
import { exampleBot } from "./helpers.ts";

describe("FAQ tokens", () => {
  it("drops English stop words and folds plurals and verb forms", () => {
    expect(tokenize("What are the fees for my cards?", "en")).toEqual(["fee", "card"]);
    expect(tokenize("Charged twice", "en")).toEqual(tokenize("charge twice", "en"));
  });

  it("splits Chinese into characters and bigrams, without a dictionary", () => {
    const tokens = tokenize("信用卡年费", "zh");
    expect(tokens).toContain("年费");
    expect(tokens).toContain("信用");
    expect(tokens).toContain("卡");
  });

  it("folds Spanish accents and drops Spanish stop words, so \"envio\" finds \"envío\"", () => {
    expect(tokenize("¿Cuánto cuesta el envío?", "es")).toEqual(tokenize("cuanto cuesta el envio", "es"));
    expect(tokenize("el envío de la tarjeta", "es")).toEqual(["envio", "tarjeta"]);
  });

  it("leaves out a Chinese question word and the pairs that straddle it", () => {
    const tokens = tokenize("开户收多少钱", "zh");
    expect(tokens).toEqual(expect.arrayContaining(["开户", "收", "钱"]));
    for (const asking of ["多少", "收多", "少钱"]) expect(tokens).not.toContain(asking);
  });

  it("drops chat spellings of English stop words, which would weigh as unknown words", () => {
    expect(tokenize("wat r ur fees pls", "en")).toEqual(tokenize("what are your fees please", "en"));
  });

  it("reads full-width Latin as ASCII", () => {
    expect(tokenize("ＡＴＭ fee", "en")).toEqual(["atm", "fee"]);
  });
});

describe("FAQ retrieval", () => {
  const best = (botId: string, locale: "en" | "zh", text: string) => {
    const bot = exampleBot(botId);
    const [top] = findFaqAnswers(bot.definition.faq, bot.faqIndex[locale], text, 1);
    const threshold = bot.definition.faq?.threshold ?? 1;
    return top && top.confidence >= threshold ? top.entry.id : undefined;
  };

  it.each([
    ["finance", "en", "how much do you charge for overdrafts", "overdraft_fee"],
    ["finance", "en", "is there an annual fee on the credit card?", "credit_card_fee"],
    ["finance", "zh", "信用卡年费多少钱", "credit_card_fee"],
    ["finance", "zh", "银行卡丢了", "lost_card"],
    ["health", "en", "what are flu symptoms", "cold_vs_flu"],
    ["health", "zh", "偏头痛怎么办", "migraine"],
    // The topic over a rarer aspect word: "causes" is in the headache entry's question only, but the
    // migraine entry's questions cover the message (faqRelevance; by BM25's score alone, headache).
    ["health", "en", "what causes a migraine attack", "migraine"],
    ["ecommerce", "en", "do you accept paypal", "payment_methods"],
    ["ecommerce", "zh", "礼品卡过期吗", "gift_cards"],
  ] as const)("%s/%s: %s → %s", (botId, locale, text, expected) => {
    expect(best(botId, locale, text)).toBe(expected);
  });

  it.each([
    ["health", "zh", "怎么退烧？", "fever"],
    ["health", "zh", "流感有哪些症状？", "cold_vs_flu"],
    ["health", "zh", "新冠有哪些症状？", "covid"],
    ["finance", "en", "Why is my credit limit so low?", "credit_limit"],
  ] as const)("an entry's other questions and its answer count too — %s/%s: %s, left out of its entry, still finds %s", (botId, locale, question, expected) => {
    // Each of these went to an entry with one question sharing a rarer word while ranked by the best
    // document alone; the entry whose several questions and answer share the message's words wins.
    const { faq } = exampleBot(botId).definition;
    if (!faq) throw new Error(`${botId} has no FAQ`);
    const without = {
      ...faq,
      entries: faq.entries.map((entry) => {
        const localized = entry[locale];
        return localized ? { ...entry, [locale]: { ...localized, questions: localized.questions.filter((q) => q !== question) } } : entry;
      }),
    };
    const [top] = findFaqAnswers(without, buildFaqIndexes(without, [locale])[locale], question, 1);
    expect(top?.entry.id).toBe(expected);
  });

  it.each([
    // A swap of neighbours in a four-letter word; a typo repaired on the word as typed, whose stem
    // ("giud") is too short to repair.
    ["finance", "en", "how do i freeze my crad", "how do i freeze my card"],
    ["ecommerce", "en", "is there a size giude", "is there a size guide"],
    ["finance", "en", "whats the savings raet", "whats the savings rate"],
  ] as const)("typos — %s/%s: %s reads as %s", (botId, locale, typed, spelled) => {
    const bot = exampleBot(botId);
    const [top] = findFaqAnswers(bot.definition.faq, bot.faqIndex[locale], typed, 1);
    const [expected] = findFaqAnswers(bot.definition.faq, bot.faqIndex[locale], spelled, 1);
    expect(top?.entry.id).toBe(expected?.entry.id);
    expect(top?.confidence).toBeCloseTo(expected?.confidence ?? -1, 6);
  });

  it.each([
    // "How much" about something else is not the monthly fee ("账户每个月收多少钱"): the question
    // word no longer ties them.
    ["finance", "zh", "信用卡一年收多少钱", "credit_card_fee"],
    ["finance", "zh", "往国外转账收多少钱", "transfer_fees"],
  ] as const)("question words — %s/%s: %s → %s", (botId, locale, text, expected) => {
    expect(best(botId, locale, text)).toBe(expected);
  });

  it.each([
    ["finance", "en", "what's the weather like in Paris tomorrow"],
    ["finance", "en", "tell me a joke about cats"],
    ["health", "en", "who won the football match"],
    ["ecommerce", "zh", "今天天气怎么样"],
    ["health", "zh", "给我讲个笑话"],
  ] as const)("%s/%s: %s → no answer", (botId, locale, text) => {
    expect(best(botId, locale, text)).toBeUndefined();
  });
});
