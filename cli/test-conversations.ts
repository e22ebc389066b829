// `npm run test:conversations [-- --bot ID …] [--grep TEXT]`: replays every bots/<id>/tests/*.yaml
// conversation against the real Workers on workerd (devkit/local-stack.ts) with the demo
// backends (demo/services.ts) on loopback, prints a pass/fail table, and exits 1 on any failure.
// Needs generated/ (bots + NLU models): the npm script builds first.
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { mapWithConcurrency, runConversationCase, startConversationTestEnvironment } from "../devkit/bots/conversation-runner.ts";
import { loadConversationTests, type ConversationTestCase } from "../devkit/bots/conversation-tests.ts";
import { loadBots } from "../devkit/bots/load-bots.ts";

const { values: args } = parseArgs({ options: { bot: { type: "string", multiple: true }, grep: { type: "string" } } });
const root = fileURLToPath(new URL("..", import.meta.url));
const { bots, errors } = loadBots(root);
const cases: ConversationTestCase[] = [];
for (const bot of bots) {
  if (args.bot !== undefined && !args.bot.includes(bot.id)) continue;
  const loaded = loadConversationTests(bot, root);
  errors.push(...loaded.errors);
  cases.push(...loaded.cases.filter((testCase) => args.grep === undefined || testCase.test.name.includes(args.grep)));
}
const unknownBots = (args.bot ?? []).filter((id) => !bots.some((bot) => bot.id === id));
if (unknownBots.length > 0) errors.push(`no bots/${unknownBots.join(", bots/")} (or it has problems: npm run validate)`);
if (errors.length > 0) {
  for (const error of errors) console.error(error);
  process.exit(1);
}

process.env.WRANGLER_LOG ??= "error";
const environment = await startConversationTestEnvironment();
let results;
try {
  results = await mapWithConcurrency(cases, 4, (testCase) => runConversationCase(environment.stratus, testCase));
} finally {
  await environment.close();
}

/** Columns a string takes in a terminal: CJK characters are two wide. */
const displayWidth = (text: string) => [...text].reduce((sum, char) => sum + (/[\u1100-\uffdc]/u.test(char) && !/[\u2000-\u2bff]/u.test(char) ? 2 : 1), 0);
const labels = results.map((result) => `${result.botId}  ${result.name}`);
const width = Math.max(...labels.map(displayWidth), 10);
for (const [index, result] of results.entries()) {
  const text = labels[index] ?? "";
  const label = text + " ".repeat(width - displayWidth(text));
  console.log(`${result.passed ? "PASS" : "FAIL"}  ${label}  ${String(result.durationMs).padStart(6)} ms  ${result.file}`);
  for (const failure of result.failures) console.log(`        ${failure}`);
}
const failed = results.filter((result) => !result.passed).length;
console.log(`\n${results.length - failed} passed, ${failed} failed (${results.length} conversations)`);
process.exit(failed > 0 ? 1 : 0);
