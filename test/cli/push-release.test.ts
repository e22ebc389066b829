// `npx stratus push` and `npx stratus release`, the clients of the bot-versions API (issue #20,
// item 1). What they do on their own is tested here; publishing to a running deployment waits for
// the API's routes on the gateway.
import { describe, expect, it } from "vitest";
import { freePort } from "../../devkit/free-port.ts";
import { checkBotDocument, parseBotDocument } from "../../devkit/bots/bot-document.ts";
import { runStratusCli } from "../harness/stratus-cli.ts";

describe("npx stratus push and release", () => {
  it.todo(
    "end to end, waiting for the bot-versions API (PUT /v1/bots/{bot}, POST /v1/bots/{bot}/release) on workerd: push publishes a changed bot and prints its version, " +
      "a bad bot gets 422 with every problem and exit 1, release --percent 10 makes it a canary, release without --percent makes it current, releasing the older version rolls back",
  );

  it("push --dry-run prints the document it would send: the bot's files, valid as they are", async () => {
    const run = await runStratusCli(["push", "finance", "--dry-run"]);
    expect(run.code, run.stderr).toBe(0);
    const { document, errors } = parseBotDocument(run.stdout);
    expect(errors).toEqual([]);
    expect(Object.keys(document ?? {})).toEqual(["bot", "nlu", "faq", "knowledge", "tests"]);
    expect(Object.keys(document?.tests ?? {})).toEqual(["faq", "help-pages", "quotes"]);
    expect(Object.keys(document?.knowledge ?? {})).toContain("en/account-fees.md");
    expect(checkBotDocument(document!, "finance")).toEqual([]);
  });

  it("says where it could not send, and refuses a wrong command line before sending anything", async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const push = await runStratusCli(["push", "finance", "--url", url], { env: { STRATUS_OPERATOR_API_KEY: "some-key" } });
    expect(push.code).toBe(1);
    expect(push.stderr).toMatch(new RegExp(`^stratus push: cannot reach ${url}: `));
    const noKey = await runStratusCli(["push", "finance", "--url", "https://stratus.example.com"], { env: { STRATUS_OPERATOR_API_KEY: "" } });
    expect(noKey.code).toBe(2);
    expect(noKey.stderr).toContain("stratus push: no operator key for https://stratus.example.com: set STRATUS_OPERATOR_API_KEY (or --key)");
    const noBot = await runStratusCli(["push", "no-such-bot", "--url", url, "--key", "k"]);
    expect(noBot.code).toBe(1);
    expect(noBot.stderr).toContain("stratus push: bots/no-such-bot was not sent: it has problems (npm run validate):\n  bots/no-such-bot/bot.yaml: missing");
    const percent = await runStratusCli(["release", "finance", "--version", "2", "--percent", "150", "--url", url, "--key", "k"]);
    expect(percent.code).toBe(2);
    expect(percent.stderr).toContain('stratus release: --percent must be from 0 to 100, not "150"');
    const noVersion = await runStratusCli(["release", "finance", "--url", url, "--key", "k"]);
    expect(noVersion.code).toBe(2);
    expect(noVersion.stderr).toContain("stratus release: --version is required");
    const released = await runStratusCli(["release", "finance", "--version", "2", "--percent", "10", "--url", url, "--key", "k"]);
    expect(released.code).toBe(1);
    expect(released.stderr).toMatch(/^stratus release: cannot reach /);
  });
});
