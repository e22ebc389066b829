import type { Rule } from "../../../../shared/schemas/bot.ts";
import { conditionHolds } from "./conditions.ts";
import type { TurnContext } from "./types.ts";

function ruleMatchesIntent(rule: Rule, intent: string): boolean {
  if (rule.intent === "*") return true;
  return typeof rule.intent === "string" ? rule.intent === intent : rule.intent.includes(intent);
}

/** Rules with `continue: true` that match this turn, in file order. */
export function matchingContinueRules(ctx: TurnContext): Rule[] {
  return ctx.bot.definition.rules.filter(
    (rule) => rule.continue && ruleMatchesIntent(rule, ctx.intent) && conditionHolds(ctx, rule.when),
  );
}

/** The first ordinary rule that matches this turn's intent and conditions. */
export function findRule(ctx: TurnContext): Rule | undefined {
  return ctx.bot.definition.rules.find(
    (rule) => !rule.continue && ruleMatchesIntent(rule, ctx.intent) && conditionHolds(ctx, rule.when),
  );
}
