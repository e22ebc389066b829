/**
 * The dialogue engine: pure TypeScript (no Node or Workers APIs besides fetch), so the same code
 * runs in the dialogue Worker on workerd and in Node tests.
 */
import { BotDefinitionSchema } from "../../../../shared/schemas/bot.ts";
import { KnowledgeIndexDataSchema } from "../../../../shared/schemas/knowledge.ts";
import { localeMap } from "../../../../shared/schemas/nlu.ts";
import { localeEntries } from "../../../../shared/languages/index.ts";
import { KnowledgeIndex } from "../../../../shared/knowledge/search.ts";
import { buildFaqIndexes } from "./faq/index.ts";
import { buildSlotCategories } from "./free-words.ts";
import { slotsByRememberedField } from "./profile-values.ts";
import type { Bot } from "./types.ts";

export { decideTurn } from "./turn.ts";
export { faqResponseName } from "./faq-answer.ts";
export { KNOWLEDGE_LLM_RESPONSE, knowledgeResponseName } from "./knowledge-answer.ts";
export { LLM_RESPONSE } from "./llm.ts";
export type { ActionCallOutcome, Effect } from "./effects.ts";
export type { ReplyTextSink } from "./llm-completion.ts";
export type { Bot, EngineDeps, LlmConfig, TurnDecision, TurnInput } from "./types.ts";

const KnowledgeIndexesSchema = localeMap(KnowledgeIndexDataSchema);

/**
 * Validates a compiled bot (`generated/bots.json` → `bots[id]`) and its documents' index
 * (`generated/knowledge.json` → `bots[id]`, if it has any); throws a ZodError if invalid.
 */
export function loadBot(compiled: unknown, compiledKnowledge?: unknown): Bot {
  const definition = BotDefinitionSchema.parse(compiled);
  const knowledge: Bot["knowledge"] = {};
  if (definition.knowledge && compiledKnowledge !== undefined) {
    for (const [locale, data] of localeEntries(KnowledgeIndexesSchema.parse(compiledKnowledge))) knowledge[locale] = new KnowledgeIndex(data);
  }
  return {
    definition,
    faqIndex: buildFaqIndexes(definition.faq, definition.locales),
    knowledge,
    slotCategories: buildSlotCategories(definition),
    slotOfField: slotsByRememberedField(definition),
  };
}
