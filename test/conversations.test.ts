// The bots' conversation tests (bots/<id>/tests/*.yaml), replayed against the real Workers on
// workerd with the demo backends on loopback: the same run as `npm run test:conversations`.
// That the test files themselves are valid is checked in workers/dialogue/test/bot-files.test.ts.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  runConversationCase,
  startConversationTestEnvironment,
  type ConversationTestEnvironment,
} from "../devkit/bots/conversation-runner.ts";
import { loadConversationTests } from "../devkit/bots/conversation-tests.ts";
import { loadBots } from "../devkit/bots/load-bots.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const { bots } = loadBots(root);

let environment: ConversationTestEnvironment;
beforeAll(async () => {
  environment = await startConversationTestEnvironment();
});
afterAll(async () => {
  await environment?.close();
});

for (const bot of bots) {
  const { cases } = loadConversationTests(bot, root);
  describe(`conversations: ${bot.id}`, () => {
    // Concurrent: each test is its own conversation, and the slow-backend ones wait seconds.
    for (const testCase of cases) {
      it.concurrent(testCase.test.name, async () => {
        const result = await runConversationCase(environment.stratus, testCase);
        expect(result.failures).toEqual([]);
      });
    }
  });
}
