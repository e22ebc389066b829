/**
 * The dialogue engine: pure TypeScript (no Node or Workers APIs besides fetch), so the same code
 * runs in the dialogue Worker on workerd and in Node tests.
 */
import { BotDefinitionSchema } from "../../../../shared/schemas/bot.ts";
import { buildFaqIndexes } from "./faq/index.ts";
import { buildSlotCategories } from "./free-words.ts";
import type { Bot } from "./types.ts";

export { decideTurn } from "./turn.ts";
export { faqResponseName } from "./faq-answer.ts";
export { LLM_RESPONSE } from "./llm.ts";
export type { ActionCallOutcome, Effect } from "./effects.ts";
export type { Bot, EngineDeps, LlmConfig, TurnDecision, TurnInput } from "./types.ts";

/** Validates a compiled bot (`generated/bots.json` → `bots[id]`); throws a ZodError if invalid. */
export function loadBot(compiled: unknown): Bot {
  const definition = BotDefinitionSchema.parse(compiled);
  return {
    definition,
    faqIndex: buildFaqIndexes(definition.faq, definition.locales),
    slotCategories: buildSlotCategories(definition),
  };
}
