import { describe, expect, it } from "vitest";
import { ResponseSchema } from "./bot.ts";
import { validateTrainingData } from "./training.ts";

describe("per-locale maps", () => {
  it("accept any known locale and refuse an unknown one, naming the known ones", () => {
    expect(ResponseSchema.parse({ en: "Hi", es: "Hola" })).toEqual({ en: { text: ["Hi"] }, es: { text: ["Hola"] } });
    const result = ResponseSchema.safeParse({ en: "Hi", fr: "Salut" });
    expect(result.error?.issues[0]?.message).toBe('unknown locale "fr" (known: en, zh, es)');
  });

  it("name the file and path of an unknown locale in training data", () => {
    expect(() => validateTrainingData({ version: 1, intents: { greet: { en: ["hi"], de: ["hallo"] } } }, "bots/shop/nlu.yaml")).toThrow(
      'bots/shop/nlu.yaml: intents.greet: unknown locale "de" (known: en, zh, es)',
    );
  });
});
