// Reads bots/<id>/tests/*.yaml (conversation tests) and checks them against their bot:
// the responses, FAQ entries and intents they expect must exist.
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import {
  ConversationTestFileSchema,
  type ConversationTest,
  type ConversationTestTurn,
} from "../../shared/schemas/conversation-test.ts";
import { OUT_OF_SCOPE } from "../../shared/schemas/nlu.ts";
import { faqResponseName, KNOWLEDGE_LLM_RESPONSE, knowledgeResponseName, LLM_RESPONSE } from "../../workers/dialogue/src/engine/index.ts";
import { formatIssue, readYaml, type LoadedBot } from "./load-bots.ts";

export interface ConversationTestCase {
  botId: string;
  file: string;
  test: ConversationTest;
  /** The bot's handoff response: a turn expecting a handoff expects this reply. */
  handoffResponse: string;
  /** The signed-in user the test's conversation is started for (the test's or the file's `user`); absent: anonymous. */
  user?: string | undefined;
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
  // A bot checked without its documents (a pushed document carries none) cannot say which passages exist.
  const documentsUnknown = bot.definition.knowledge !== undefined && bot.knowledge === undefined;
  for (const response of [...(turn.response ? [turn.response] : []), ...(turn.responses ?? [])]) {
    if (documentsUnknown && response.startsWith("doc:")) continue;
    if (!knownResponses.has(response)) problems.push(`${at}: unknown response "${response}"`);
  }
  if (turn.intent !== undefined && !knownIntents.has(turn.intent)) problems.push(`${at}.intent: unknown intent "${turn.intent}"`);
  if (turn.handoff === true && !isLast) problems.push(`${at}.handoff: a handoff must be the test's last turn`);
  return problems;
}

/** The bot a conversation-test file is checked against. */
export type TestedBot = Pick<LoadedBot, "id" | "definition" | "training" | "knowledge">;

export function loadConversationTests(bot: LoadedBot, root: string): { cases: ConversationTestCase[]; errors: string[] } {
  const cases: ConversationTestCase[] = [];
  const errors: string[] = [];
  const dir = join(bot.dir, "tests");
  if (!existsSync(dir)) return { cases, errors };
  for (const name of readdirSync(dir).filter((file) => /\.ya?ml$/.test(file)).sort()) {
    const raw = readYaml(join(dir, name), root, errors);
    if (raw === undefined) continue;
    const checked = checkConversationTests(bot, raw, relative(root, join(dir, name)));
    cases.push(...checked.cases);
    errors.push(...checked.errors);
  }
  return { cases, errors };
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
