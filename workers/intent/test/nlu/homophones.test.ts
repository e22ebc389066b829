/**
 * Homophone repair for Chinese (homophones.ts): a character typed by sound that makes no word the bot
 * knows is read as the character of its syllable that does, and the reading is kept only when it is
 * understood better. Unit cases on a small word list, then the example bots' trained models
 * (generated/models.json, `npm run build`).
 */
import { describe, expect, it } from "vitest";
import { decodeHanBigrams, hanBigramsOf, repairHomophones } from "../../src/nlu/homophones.ts";
import { classify, rankIntents } from "../../src/nlu/parse.ts";
import { normalizeKeepingOffsets } from "../../src/nlu/text.ts";
import { exampleModel, HAS_EXAMPLE_MODELS, understand } from "./example-models.ts";

describe("repairing a character typed by sound", () => {
  const known = decodeHanBigrams(hanBigramsOf(["我的退款到账了吗", "腾讯股价"]));

  it("reads a character that makes no known word as the one of its syllable that does", () => {
    expect(repairHomophones("的退宽到帐没", known)).toBe("的退款到账没");
    expect(repairHomophones("腾迅股价多少", known)).toBe("腾讯股价多少");
    // Offsets stay where they were: one character for one.
    expect(repairHomophones("ORD-2718281 的退宽", known)).toHaveLength("ORD-2718281 的退宽".length);
  });

  it("leaves alone a character that makes a known word with a neighbour, one standing alone, and text without Han", () => {
    expect(repairHomophones("我的退款", known)).toBeUndefined();
    expect(repairHomophones("宽 款", known)).toBeUndefined();
    expect(repairHomophones("where is my refund", known)).toBeUndefined();
    expect(repairHomophones("退宽", new Set())).toBeUndefined();
  });

  it("leaves alone a character two characters of its syllable would repair (no guess between them)", () => {
    // 训 (xun) next to 腾 could be 讯 (腾讯) or 迅 (腾迅), both known here.
    const both = decodeHanBigrams(hanBigramsOf(["腾讯", "腾迅"]));
    expect(repairHomophones("腾训股价", both)).toBeUndefined();
  });

  it("lists the two-character runs of Han text, sorted, in pairs", () => {
    expect(hanBigramsOf(["退款 ok 到账", "退款"])).toBe("到账退款");
    expect([...decodeHanBigrams("到账退款")]).toEqual(["到账", "退款"]);
  });
});

describe.skipIf(!HAS_EXAMPLE_MODELS)("the example bots read Chinese typed by sound", () => {
  it("a refund question with 退款 typed as 退宽 is a refund question, and its order is found", () => {
    const typo = understand("ecommerce", "ORD-2718281 的退宽到帐没");
    expect(typo.intent.name).toBe("refund_status");
    expect(typo.entities.find((entity) => entity.entity === "order_id")).toMatchObject({ value: "ORD-2718281", text: "ORD-2718281" });
  });

  it("a company mistyped by sound (腾迅, 腾训) is the company, and the entity shows what the user typed", () => {
    for (const text of ["腾迅股价多少", "腾训现在多少钱"]) {
      const quote = understand("finance", text);
      expect(quote.intent.name, text).toBe("stock_quote");
      const ticker = quote.entities.find((entity) => entity.entity === "ticker");
      expect(ticker?.value, text).toBe("0700.HK");
      expect(ticker?.text, text).toBe(text.slice(0, 2));
    }
  });

  it("a message the repair only guesses at is read as typed (路由器 is no 路由气)", () => {
    const health = exampleModel("health");
    const text = "路由器怎么重置";
    // The repair proposes 路由气, which the classifier reads as surer to be out of scope: no better understanding.
    const repaired = repairHomophones(normalizeKeepingOffsets(text), health.hanBigrams);
    expect(repaired).toBe("路由气怎么重置");
    const asTyped = rankIntents(health, classify(health, text))[0];
    const asRepaired = rankIntents(health, classify(health, repaired ?? ""))[0];
    expect(asRepaired?.name).not.toBe(asTyped?.name);
    expect(understand("health", text).intent.name).toBe(asTyped?.name);
    expect(understand("ecommerce", "大码卖完了吗").intent.name).toBe("product_availability");
  });
});
