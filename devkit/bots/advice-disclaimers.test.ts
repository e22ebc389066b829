// The example bots' advice answers carry the shared not-advice disclaimers word for word
// (shared/advice/disclaimer.ts), in every locale the bot speaks: a reworded copy in bot.yaml fails here.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { describe, expect, it } from "vitest";
import { FINANCE_DISCLAIMER, HEALTH_DISCLAIMER, localised } from "../../shared/advice/disclaimer.ts";
import { BotDefinitionSchema } from "../../shared/schemas/bot.ts";

function botResponses(botId: string) {
  const file = resolve(import.meta.dirname, "..", "..", "bots", botId, "bot.yaml");
  return BotDefinitionSchema.parse(parseYaml(readFileSync(file, "utf8")));
}

const cases = [
  { bot: "finance", disclaimer: FINANCE_DISCLAIMER, responses: ["utter_risk_profile", "utter_risk_profile_short_horizon", "utter_risk_profile_sells_on_fall", "utter_savings_plan", "utter_savings_plan_by_band", "utter_savings_goal_reached"] },
  { bot: "health", disclaimer: HEALTH_DISCLAIMER, responses: ["utter_medicine_warning", "utter_medicine_no_warning", "utter_my_medicine_warning", "utter_my_medicine_no_warning"] },
];

describe("advice answers end with the shared disclaimer", () => {
  for (const { bot, disclaimer, responses } of cases) {
    it(`${bot}: ${responses.join(", ")}`, () => {
      const definition = botResponses(bot);
      for (const name of responses) {
        const response = definition.responses[name];
        expect(response, name).toBeDefined();
        for (const locale of definition.locales) {
          for (const text of response?.[locale]?.text ?? []) expect(text.endsWith(localised(disclaimer, locale)), `${name}.${locale}`).toBe(true);
        }
      }
    });
  }
});
