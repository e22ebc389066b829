/**
 * The `response` names of replies that do not come from a bot's `responses:` (FAQ answers, quoted
 * help passages, the LLM): the dialogue engine gives them, and a conversation test may expect them
 * (shared/bots/conversation-tests.ts checks that they exist).
 */

/** The reply's `response` for an FAQ answer: `faq:<entry id>`. */
export const faqResponseName = (entryId: string): string => `faq:${entryId}`;

/** The reply's `response` for a quoted passage: `doc:<passage id>` (`doc:en/shipping#delivery-times`). */
export const knowledgeResponseName = (passageId: string): string => `doc:${passageId}`;

/** The reply's `response` when the LLM answered from the passages. */
export const KNOWLEDGE_LLM_RESPONSE = "llm_knowledge";

/** The reply's `response` when the LLM answered. */
export const LLM_RESPONSE = "llm_fallback";
