/**
 * A message of sounds that fill a pause and nothing else ("嗯嗯啊啊", "umm uhh") is not understood,
 * though the classifier hears a yes in 嗯; one such sound alone, repeated or not, is left to the
 * classifier. Nor is laughter alone ("哈哈哈", "lol"). The example bots' trained models (generated/models.json, `npm run build`).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel } from "../../src/nlu/model.ts";
import { parse } from "../../src/nlu/parse.ts";

const modelsFile = join(import.meta.dirname, "../../../../generated/models.json");
const artifacts = existsSync(modelsFile) ? (JSON.parse(readFileSync(modelsFile, "utf8")) as Record<string, unknown>) : {};
const intentOf = (bot: string, text: string) => parse(loadModel(artifacts[bot]), text, { timezone: "UTC" }).intent;

describe.skipIf(!existsSync(modelsFile))("sounds that fill a pause", () => {
  it("two different ones and nothing else are out of scope, in Chinese, English and Spanish", () => {
    for (const [bot, text] of [
      ["ecommerce", "嗯嗯啊啊"],
      ["health", "嗯嗯啊啊哦哦"],
      ["finance", "umm uhh"],
      ["ecommerce", "eh... este"],
    ] as const) {
      expect(intentOf(bot, text), text).toEqual({ name: "out_of_scope", confidence: 1 });
    }
  });

  it("laughter and nothing else is out of scope (the classifier hears 哈哈哈 as a greeting)", () => {
    for (const [bot, text] of [
      ["ecommerce", "哈哈哈哈"],
      ["health", "哈哈哈"],
      ["ecommerce", "hahaha"],
      ["ecommerce", "jajaj"],
      ["finance", "lol"],
    ] as const) {
      expect(intentOf(bot, text), text).toEqual({ name: "out_of_scope", confidence: 1 });
    }
    // Beside other words, the words are read.
    expect(intentOf("ecommerce", "hehe where is my order").name).toBe("order_status");
  });

  it("one alone, or beside other words, is read by the classifier (嗯嗯 is a yes)", () => {
    expect(intentOf("ecommerce", "嗯嗯").name).toBe("affirm");
    expect(intentOf("ecommerce", "嗯，好的").name).toBe("affirm");
    expect(intentOf("ecommerce", "umm where is my order").name).toBe("order_status");
  });
});
