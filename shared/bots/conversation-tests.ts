// Checks a bot's conversation tests (`tests/*.yaml`, parsed) against the bot: the responses, FAQ
// entries, help passages and intents they expect must exist. Pure: `npm run validate` reads the
// files (devkit/bots/conversation-tests.ts), the gateway gets them in a published bot document.
import { ConversationTestFileSchema, type ConversationTest, type ConversationTestTurn } from "../schemas/conversation-test.ts";
import type { BotDefinition } from "../schemas/bot.ts";
import { OUT_OF_SCOPE } from "../schemas/nlu.ts";
import type { TrainingData } from "../schemas/training.ts";
import { formatIssue } from "./check-bot.ts";
import type { BotKnowledge } from "./knowledge-files.ts";
import { faqResponseName, KNOWLEDGE_LLM_RESPONSE, knowledgeResponseName, LLM_RESPONSE } from "./response-names.ts";

export interface ConversationTestCase {
  botId: string;
  file: string;
  test: ConversationTest;
  /** The bot's handoff response: a turn expecting a handoff expects this reply. */
  handoffResponse: string;
  /** The signed-in user the test's conversation is started for (the test's or the file's `user`); absent: anonymous. */
  user?: string | undefined;
}

/** The bot a conversation-test file is checked against. */
export interface TestedBot {
  id: string;
  definition: BotDefinition;
  training: TrainingData;
  knowledge?: BotKnowledge | undefined;
}

/**
 * What a turn expects that the bot does not have: responses, FAQ entries or intents it does not
 * define, and a handoff before the last turn (after a handoff the bot stays silent, so a later turn
 * would wait for a reply that never comes). `at` prefixes each problem.
 */
export function turnReferenceProblems(bot: TestedBot, turn: ConversationTestTurn, at: string, isLast: boolean): string[] {
  const problems: string[] = [];
  const knownResponses = new Set([
    ...Object.keys(bot.definition.responses),
    ...(bot.definition.faq?.entries ?? []).map((entry) => faqResponseName(entry.id)),
    ...Object.values(bot.knowledge?.passages ?? {}).flatMap((passages) => passages.map((passage) => knowledgeResponseName(passage.id))),
    LLM_RESPONSE,
    ...(bot.knowledge ? [KNOWLEDGE_LLM_RESPONSE] : []),
  ]);
  const knownIntents = new Set([...Object.keys(bot.training.intents), OUT_OF_SCOPE]);
  // A bot whose documents could not be read or indexed (reported on their own) cannot say which passages exist.
  const documentsUnknown = bot.definition.knowledge !== undefined && bot.knowledge === undefined;
  for (const response of [...(turn.response ? [turn.response] : []), ...(turn.responses ?? [])]) {
    if (documentsUnknown && response.startsWith("doc:")) continue;
    if (!knownResponses.has(response)) problems.push(`${at}: unknown response "${response}"`);
  }
  if (turn.intent !== undefined && !knownIntents.has(turn.intent)) problems.push(`${at}.intent: unknown intent "${turn.intent}"`);
  if (turn.handoff === true && !isLast) problems.push(`${at}.handoff: a handoff must be the test's last turn`);
  return problems;
}

/**
 * Checks one parsed `tests/*.yaml` file against its bot: its schema, and that the responses, FAQ
 * entries, intents and locales it expects exist. `file` names it in the problems.
 */
export function checkConversationTests(bot: TestedBot, raw: unknown, file: string): { cases: ConversationTestCase[]; errors: string[] } {
  const cases: ConversationTestCase[] = [];
  const errors: string[] = [];
  const parsed = ConversationTestFileSchema.safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push(formatIssue(file, issue.path, issue.message));
    return { cases, errors };
  }
  parsed.data.tests.forEach((test, i) => {
    if (test.locale && !bot.definition.locales.includes(test.locale)) {
      errors.push(`${file}: tests[${i}].locale: the bot does not speak "${test.locale}"`);
    }
    test.turns.forEach((turn, j) => {
      errors.push(...turnReferenceProblems(bot, turn, `${file}: tests[${i}].turns[${j}]`, j === test.turns.length - 1));
    });
    cases.push({ botId: bot.id, file, test, handoffResponse: bot.definition.handoff.response, user: test.user ?? parsed.data.user });
  });
  return { cases, errors };
}
