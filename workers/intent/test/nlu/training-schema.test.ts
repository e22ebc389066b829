import { describe, expect, it } from "vitest";
import { parseAnnotatedExample, validateTrainingData } from "../../../../shared/schemas/training.ts";

describe("training data schema", () => {
  it("accepts the documented format", () => {
    const data = validateTrainingData(
      {
        version: 1,
        threshold: 0.4,
        intents: { order_status: { en: ["where is my order [ORD-4820193](order_id)"], zh: ["查一下物流"] } },
        entities: { order_id: { regex: ["\\bORD-\\d{6,10}\\b"] }, product: { lookup: { en: ["airpods"] }, synonyms: { airpods: ["air pods"] } } },
      },
      "bots/shop/nlu.yaml",
    );
    expect(Object.keys(data.intents)).toEqual(["order_status"]);
  });

  it("names the file and the path of every problem", () => {
    const attempt = (): unknown =>
      validateTrainingData(
        { version: 1, intents: { order_status: { en: ["ok", "ok", "ok", "  "] }, empty: {} }, entities: { id: { regex: ["(unclosed"] } } },
        "bots/ecommerce/nlu.yaml",
      );
    expect(attempt).toThrow("bots/ecommerce/nlu.yaml: intents.order_status.en[3]: empty example");
    expect(attempt).toThrow("bots/ecommerce/nlu.yaml: intents.empty: an intent needs at least one example");
    expect(attempt).toThrow(/bots\/ecommerce\/nlu.yaml: entities.id.regex\[0\]: invalid regex/);
  });

  it("rejects a broken annotation", () => {
    expect(() => validateTrainingData({ version: 1, intents: { a: { en: ["buy [airpods](product"] } } }, "f.yaml")).toThrow(/intents.a.en\[0\]: malformed annotation/);
  });

  it("parses annotations with and without a canonical value", () => {
    expect(parseAnnotatedExample("buy [an iphone](product:iphone 15) to [ORD-1](order_id)")).toEqual({
      text: "buy an iphone to ORD-1",
      spans: [
        { entity: "product", value: "iphone 15", start: 4, end: 13 },
        { entity: "order_id", value: "ORD-1", start: 17, end: 22 },
      ],
    });
  });
});
