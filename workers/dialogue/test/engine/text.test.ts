// Answers are compared without punctuation, symbols and spaces at their ends, in time linear in the
// answer (the pattern `[…]+$` it replaced read a run of them inside the text from each position).
import { describe, expect, it } from "vitest";
import { isOverBudget, relativeCost } from "../../../../test/harness/relative-cost.ts";
import { asksSomething, isQuestion, normalizeAnswer } from "../../src/engine/text.ts";

describe("normalizeAnswer", () => {
  it.each([
    ["Cancel!", "cancel"],
    ["  ¿Cancelar?  ", "cancelar"],
    ["算了。", "算了"],
    ["👍 yes 👍", "yes"],
    ["「好的」", "好的"],
    ["ORD-4820193.", "ord-4820193"],
    ["!!!", ""],
    ["a - b", "a - b"],
  ])("%j → %j", (answer, expected) => {
    expect(normalizeAnswer(answer)).toBe(expected);
  });

  it("costs a few times an ordinary answer of the same length on a long inner run of punctuation and spaces", () => {
    const ordinary = "yes please, cancel my order ORD-4820193 now. ".repeat(90).slice(0, 4000);
    const adversarial = `x${" !".repeat(1999)}x`;
    expect(adversarial.length).toBe(4000);
    // The pattern this replaced took tens of milliseconds here (a quadratic scan of the 3,998-character run).
    const budget = { ratio: 5, floorMs: 1 };
    const measured = relativeCost(() => normalizeAnswer(adversarial), () => normalizeAnswer(ordinary), budget);
    expect(isOverBudget(measured, budget), `${measured.ms.toFixed(3)} ms against ${measured.baseline.toFixed(3)} ms`).toBe(false);
  });
});

describe("isQuestion and asksSomething", () => {
  it("a question mark, an opening ¿, in any language", () => {
    expect(isQuestion("do you ship abroad?")).toBe(true);
    expect(isQuestion("¿hacen envíos")).toBe(true);
    expect(isQuestion("保修多久？")).toBe(true);
    // The A-not-A form asks without the mark; 不得不 ("have to") is no such form.
    expect(isQuestion("对了 你们发不发加拿大")).toBe(true);
    expect(isQuestion("这个能不能退")).toBe(true);
    expect(isQuestion("我不得不退")).toBe(false);
    expect(isQuestion("不要了")).toBe(false);
    expect(isQuestion("it doesn't fit")).toBe(false);
    expect(asksSomething("保修多久？", "zh")).toBe(true);
  });

  it("in Chinese, a question word or a final particle asks without the mark; not a question word that means \"any\"", () => {
    expect(asksSomething("这个订单现在在哪里", "zh")).toBe(true);
    expect(asksSomething("退款到了吗", "zh")).toBe(true);
    expect(isQuestion("退款到了吗")).toBe(false);
    expect(asksSomething("什么时候都行", "zh")).toBe(false);
    expect(asksSomething("哪个时间都可以", "zh")).toBe(false);
    expect(asksSomething("鞋子太小了", "zh")).toBe(false);
    // Spanish typed without ¿ and ?: an accented question word, as a whole word.
    expect(asksSomething("espera, dime dónde está ahora", "es")).toBe(true);
    expect(asksSomething("me queda grande donde los hombros", "es")).toBe(false);
    expect(asksSomething("qué mala calidad, se rompió enseguida", "es")).toBe(false);
    // English, whose questions keep their mark, is read by punctuation only.
    expect(asksSomething("where is it now", "en")).toBe(false);
  });
});
