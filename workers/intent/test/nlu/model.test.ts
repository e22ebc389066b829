import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { DEFAULT_THRESHOLD, validateTrainingData } from "../../../../shared/schemas/training.ts";
import { loadModel, parse, train } from "../../src/nlu/index.ts";

const fixture = join(import.meta.dirname, "..", "fixtures", "shop", "nlu.yaml");
const data = validateTrainingData(parseYaml(readFileSync(fixture, "utf8")), "fixtures/shop/nlu.yaml");
const artifact = train(data, { seed: 7 });
const model = loadModel(JSON.parse(JSON.stringify(artifact)));
const ctx = { timezone: "Asia/Shanghai", now: "2025-03-05T10:00:00+08:00" };

describe("train", () => {
  it("is deterministic: same data and seed give a byte-identical artifact", () => {
    expect(JSON.stringify(train(data, { seed: 7 }))).toBe(JSON.stringify(artifact));
  });

  it("reports progress up to the total", () => {
    const calls: Array<[number, number]> = [];
    train(data, { seed: 1, onProgress: (done, total) => calls.push([done, total]) });
    const [lastDone, total] = calls[calls.length - 1] ?? [0, -1];
    expect(lastDone).toBe(total);
    expect(calls.length).toBeGreaterThan(2);
  });
});

describe("parse", () => {
  it.each([
    ["where's my order?", "en", "order_status"],
    ["has my parcel shipped", "en", "order_status"],
    ["i would like to buy airpods", "en", "buy_product"],
    ["can i get my money back", "en", "refund"],
    ["hey", "en", "greet"],
    ["我的快递到哪了", "zh", "order_status"],
    ["我想退款", "zh", "refund"],
    ["你好呀", "zh", "greet"],
  ])("%s → %s", (text, locale, intent) => {
    const result = parse(model, text, ctx);
    expect(result.locale).toBe(locale);
    expect(result.intent.name).toBe(intent);
    expect(result.intents[0]?.name).toBe(intent);
  });

  it("ranks at most five intents with confidences that sum to at most 1", () => {
    const result = parse(model, "where is my order", ctx);
    expect(result.intents.length).toBe(5);
    const sum = result.intents.reduce((total, i) => total + i.confidence, 0);
    expect(sum).toBeLessThanOrEqual(1.001);
    expect(result.intents[0]?.confidence).toBeGreaterThan(result.intents[1]?.confidence ?? 1);
  });

  it("says out_of_scope when the best confidence is below the bot's threshold", () => {
    const strict = loadModel({ ...artifact, threshold: 0.999 });
    const result = parse(strict, "where is my order", ctx);
    expect(result.intent.name).toBe("out_of_scope");
    expect(result.intents[0]?.name).toBe("order_status");
    const lenient = loadModel({ ...artifact, threshold: 0 });
    expect(parse(lenient, "where is my order", ctx).intent.name).toBe("order_status");
  });

  it("is calibrated: a message unlike every intent falls below the default threshold", () => {
    expect(model.threshold).toBe(DEFAULT_THRESHOLD);
    for (const text of ["what is the weather like on mars", "今天股市怎么样"]) {
      const result = parse(model, text, ctx);
      expect(result.intent.name).toBe("out_of_scope");
      expect(result.intents.length).toBeGreaterThan(0);
    }
  });

  it("does not let the tagger read prices or phone numbers as the bot's entities", () => {
    const result = parse(model, "call me at (555) 123-4567 about the $20 refund", ctx);
    expect(result.entities.map((e) => e.entity).sort()).toEqual(["money", "phone"]);
  });

  it("uses a locale given in the context instead of detecting it", () => {
    expect(parse(model, "where is my order", { ...ctx, locale: "zh" }).locale).toBe("zh");
  });

  it("extracts the bot's regex, lookup (with synonyms) and built-in entities together", () => {
    const result = parse(model, "refund $20 for the iPhone15 from order ORD-5555555 tomorrow", ctx);
    const byName = Object.fromEntries(result.entities.map((e) => [e.entity, e]));
    expect(byName.money?.value).toEqual({ amount: 20, currency: "USD" });
    expect(byName.product).toMatchObject({ value: "iphone 15", text: "iPhone15", source: "lookup" });
    expect(byName.order_id).toMatchObject({ value: "ORD-5555555", source: "regex" });
    expect(byName.datetime?.value).toBe("2025-03-06");
  });

  it("finds annotated entities that are in no lookup list with the trained tagger", () => {
    const english = parse(model, "when does the store in phoenix open", ctx);
    expect(english.intent.name).toBe("store_hours");
    expect(english.entities).toContainEqual(expect.objectContaining({ entity: "city", text: "phoenix", source: "tagger" }));
    const chinese = parse(model, "南京的门店几点开门", ctx);
    expect(chinese.entities).toContainEqual(expect.objectContaining({ entity: "city", text: "南京", source: "tagger" }));
  });
});

describe("loadModel", () => {
  it("round-trips: artifact → JSON → loadModel predicts exactly as the in-memory artifact", () => {
    const direct = loadModel(artifact);
    const viaJson = loadModel(JSON.parse(JSON.stringify(artifact)));
    const texts = [
      "where is my order",
      "我想买耳机",
      "refund please",
      "asdf qwerty",
      "refund $20 for the iPhone15 from order ORD-5555555 tomorrow",
      "when does the store in phoenix open",
      "南京的门店几点开门",
    ];
    for (const text of texts) {
      const expected = parse(direct, text, ctx);
      expect(expected.intents.length).toBeGreaterThan(0);
      expect(parse(viaJson, text, ctx)).toEqual(expected);
    }
  });

  it("rejects a malformed artifact with a clear error", () => {
    expect(() => loadModel({ format: "something-else" })).toThrow(/invalid NLU model artifact/);
    const truncated = { ...artifact, classifier: { ...artifact.classifier, weights: artifact.classifier.weights.slice(0, 8) } };
    expect(() => loadModel(truncated)).toThrow(/classifier.weights/);
  });
});
