// The agents-SDK bot bench:load compares Stratus with must really answer what the load client says:
// a bot that met every message with its fallback would be a cheaper, unfair comparison.
import { describe, expect, it } from "vitest";
import { TEXTS } from "./load-run.ts";
import { ruleReply } from "./workers/agents-bot-rules.ts";

describe("the agents-SDK bot's keyword rules", () => {
  it("answers every bench text of every bot and locale with a rule, in the conversation's language", () => {
    for (const [key, texts] of Object.entries(TEXTS)) {
      const locale = key.split(":")[1] ?? "en";
      for (const text of texts) {
        const reply = ruleReply(text, locale);
        expect(reply.response, `${key}: "${text}"`).not.toBe("fallback");
        expect(reply.text.length).toBeGreaterThan(0);
      }
    }
    expect(ruleReply("hello", "es").text).toBe(ruleReply("hola", "es").text);
    expect(ruleReply("thanks", "zh").text).toBe("不客气！");
  });

  it("falls back on what no rule names, and in English for a locale it has no words for", () => {
    expect(ruleReply("tell me a joke", "en").response).toBe("fallback");
    expect(ruleReply("hello", "fr").text).toBe(ruleReply("hello", "en").text);
  });
});
