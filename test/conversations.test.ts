// The bots' conversation tests (bots/<id>/tests/*.yaml), replayed against the real Workers on
// workerd with the demo backends on loopback: the same run as `npm run test:conversations`.
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../demo/services.ts";
import { runConversationCase } from "../cli/lib/conversation-runner.ts";
import { loadConversationTests } from "../cli/lib/conversation-tests.ts";
import { loadBots } from "../cli/lib/load-bots.ts";
import { startStratus, type Stratus } from "./harness/stratus.ts";

const root = fileURLToPath(new URL("..", import.meta.url));
const { bots } = loadBots(root);

let demo: DemoServices;
let stratus: Stratus;
beforeAll(async () => {
  // The slow order must outlast the bot's action timeout (2 s, one retry) but not the turn's wait.
  demo = await startDemoServices({ port: 0, slowMs: 6000 });
  stratus = await startStratus({ dialogueVars: { ORDER_API_URL: demo.url, MARKET_API_URL: demo.url } });
});
afterAll(async () => {
  await stratus?.close();
  await demo?.close();
});

for (const bot of bots) {
  const { cases, errors } = loadConversationTests(bot, root);
  describe(`conversations: ${bot.id}`, () => {
    it("test files are valid", () => {
      expect(errors).toEqual([]);
    });
    // Concurrent: each test is its own conversation, and the slow-backend ones wait seconds.
    for (const testCase of cases) {
      it.concurrent(testCase.test.name, async () => {
        const result = await runConversationCase(stratus, testCase, bot.definition.handoff.response);
        expect(result.failures).toEqual([]);
      });
    }
  });
}
