import type { Rule } from "../../../../shared/schemas/bot.ts";
import { conditionHolds } from "./conditions.ts";
import type { TurnView } from "./types.ts";

/** The intents a rule names (a catch-all `"*"` names none). */
export function ruleIntents(rule: Rule): readonly string[] {
  if (rule.intent === "*") return [];
  return Array.isArray(rule.intent) ? rule.intent : [rule.intent];
}

function ruleMatchesIntent(rule: Rule, intent: string): boolean {
  if (rule.intent === "*") return true;
  return typeof rule.intent === "string" ? rule.intent === intent : rule.intent.includes(intent);
}

/** Rules with `continue: true` that match this turn, in file order. */
export function matchingContinueRules(view: TurnView): Rule[] {
  return view.bot.definition.rules.filter(
    (rule) => rule.continue && ruleMatchesIntent(rule, view.intent) && conditionHolds(view, rule.when),
  );
}

/** The first ordinary rule that matches this turn's intent and conditions. */
export function findRule(view: TurnView): Rule | undefined {
  return view.bot.definition.rules.find(
    (rule) => !rule.continue && ruleMatchesIntent(rule, view.intent) && conditionHolds(view, rule.when),
  );
}
