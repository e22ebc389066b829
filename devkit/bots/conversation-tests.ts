// Reads bots/<id>/tests/*.yaml (conversation tests) and checks them against their bot
// (shared/bots/conversation-tests.ts): the responses, FAQ entries and intents they expect must exist.
import { existsSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { checkConversationTests, type ConversationTestCase } from "../../shared/bots/conversation-tests.ts";
import { readYaml, type LoadedBot } from "./load-bots.ts";

export { checkConversationTests, turnReferenceProblems, type ConversationTestCase, type TestedBot } from "../../shared/bots/conversation-tests.ts";

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
