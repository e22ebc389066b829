// `fallback.unavailable`: the response the conversation object says when the pipeline could not
// answer. It is rendered without the dialogue engine, so validation refuses one with variables.
import { describe, expect, it } from "vitest";
import { BotDefinitionSchema } from "./bot.ts";

const bot = (unavailable: string, responses: Record<string, unknown>) =>
  BotDefinitionSchema.safeParse({
    id: "shop",
    name: "Shop",
    locales: ["en", "zh"],
    defaultLocale: "en",
    fallback: { rephrase: "utter_rephrase", offerHuman: "utter_rephrase", declined: "utter_rephrase", unavailable },
    handoff: { response: "utter_rephrase" },
    responses: { utter_rephrase: { en: "Could you rephrase?", zh: "能换个说法吗？" }, ...responses },
  });
const issues = (result: ReturnType<typeof bot>) =>
  result.success ? [] : result.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`);

describe("fallback.unavailable", () => {
  it("accepts a response without variables", () => {
    expect(issues(bot("utter_down", { utter_down: { en: ["Sorry, we are down.", "Back soon."], zh: "抱歉，暂时无法回答。" } }))).toEqual([]);
  });

  it("refuses a response with {variables}, in any locale or variation", () => {
    const result = bot("utter_down", { utter_down: { en: "Sorry, we are down.", zh: ["抱歉。", "抱歉，{bot_name} 暂时无法回答。"] } });
    expect(issues(result)).toEqual([expect.stringMatching(/^fallback\.unavailable: .*cannot use \{variables\}/)]);
  });

  it("refuses an unknown response", () => {
    expect(issues(bot("utter_nowhere", {}))).toEqual(['fallback.unavailable: unknown response "utter_nowhere"']);
  });
});
