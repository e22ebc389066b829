// `npm run validate`: checks every bot under bots/ (folders starting with "_" are skipped):
// bot.yaml, faq.yaml and nlu.yaml against their schemas, the references between them, and the
// bot's conversation tests. Prints one line per problem, naming file and path; exit 1 if any.
// `--root DIR` checks the bots under DIR/bots instead of this repository's.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConversationTests } from "../devkit/bots/conversation-tests.ts";
import { loadBots } from "../devkit/bots/load-bots.ts";

const { values: args } = parseArgs({ options: { root: { type: "string" } } });
const root = args.root !== undefined ? `${resolve(args.root)}/` : fileURLToPath(new URL("..", import.meta.url));
const { bots, errors } = loadBots(root);
let testCount = 0;
for (const bot of bots) {
  const tests = loadConversationTests(bot, root);
  errors.push(...tests.errors);
  testCount += tests.cases.length;
}
if (errors.length > 0) {
  for (const error of errors) console.error(error);
  console.error(`validate: ${errors.length} problem(s)`);
  process.exit(1);
}
for (const bot of bots) {
  const { definition, training } = bot;
  console.log(
    `${definition.id.padEnd(10)} ok  ${definition.locales.join("+")}  ${Object.keys(training.intents).length} intents, ` +
      `${definition.rules.length} rules, ${Object.keys(definition.forms).length} forms, ` +
      `${Object.keys(definition.actions).length} actions, ${definition.faq?.entries.length ?? 0} FAQ entries` +
      (bot.knowledge ? `, ${Object.values(bot.knowledge.passages).reduce((sum, passages) => sum + (passages?.length ?? 0), 0)} help passages` : ""),
  );
}
console.log(`validate: ${bots.length} bot(s), ${testCount} conversation test(s): ok`);
