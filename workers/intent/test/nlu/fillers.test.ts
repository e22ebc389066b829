/**
 * A message of sounds that fill a pause and nothing else ("嗯嗯啊啊", "umm uhh") is not understood,
 * though the classifier hears a yes in 嗯; one such sound alone, repeated or not, is left to the
 * classifier. Nor is laughter alone ("哈哈哈", "lol"). The example bots' trained models (generated/models.json, `npm run build`).
 */
import { describe, expect, it } from "vitest";
import { HAS_EXAMPLE_MODELS, understand } from "./example-models.ts";

const intentOf = (bot: string, text: string) => understand(bot, text).intent;

/** Each message is out of scope, whatever the classifier made of it. */
function expectNotUnderstood(cases: ReadonlyArray<readonly [string, string]>): void {
  for (const [bot, text] of cases) expect(intentOf(bot, text), text).toEqual({ name: "out_of_scope", confidence: 1 });
}

describe.skipIf(!HAS_EXAMPLE_MODELS)("sounds that fill a pause", () => {
  it("two different ones and nothing else are out of scope, in Chinese, English and Spanish", () => {
    expectNotUnderstood([
      ["ecommerce", "嗯嗯啊啊"],
      ["health", "嗯嗯啊啊哦哦"],
      ["finance", "umm uhh"],
      ["ecommerce", "eh... este"],
    ]);
  });

  it("laughter and nothing else is out of scope (the classifier hears 哈哈哈 as a greeting)", () => {
    expectNotUnderstood([
      ["ecommerce", "哈哈哈哈"],
      ["health", "哈哈哈"],
      ["ecommerce", "hahaha"],
      ["ecommerce", "jajaj"],
      ["finance", "lol"],
    ]);
    // Beside other words, the words are read.
    expect(intentOf("ecommerce", "hehe where is my order").name).toBe("order_status");
  });

  it("one alone, or beside other words, is read by the classifier (嗯嗯 is a yes)", () => {
    expect(intentOf("ecommerce", "嗯嗯").name).toBe("affirm");
    expect(intentOf("ecommerce", "嗯，好的").name).toBe("affirm");
    expect(intentOf("ecommerce", "umm where is my order").name).toBe("order_status");
  });
});
