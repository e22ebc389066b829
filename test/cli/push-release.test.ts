// `npx stratus push`, `release` and `versions`, the clients of the bot-versions API (issue #20,
// docs/bot-versions.md): end to end against the real Workers on workerd, and what they do on their own.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../../devkit/free-port.ts";
import { checkBotDocument, parseBotDocument } from "../../devkit/bots/bot-document.ts";
import { OPERATOR_API_KEY, ROOT, startStratus, type Stratus } from "../../devkit/local-stack.ts";
import { runStratusCli } from "../harness/stratus-cli.ts";

const folders: string[] = [];
let stratus: Stratus | undefined;
afterAll(async () => {
  await stratus?.close();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A copy of bots/finance under a new folder's bots/, changed by `edit` (bot.yaml's text in, out). */
function financeCopy(edit: (botYaml: string) => string): string {
  const root = mkdtempSync(join(tmpdir(), "stratus-push-"));
  folders.push(root);
  const dir = join(root, "bots", "finance");
  cpSync(join(ROOT, "bots", "finance"), dir, { recursive: true });
  writeFileSync(join(dir, "bot.yaml"), edit(readFileSync(join(dir, "bot.yaml"), "utf8")));
  return dir;
}

describe("npx stratus push and release", () => {
  it("publish a changed bot, refuse a bad one with every problem, run a canary, make it current and roll back, on workerd", { timeout: 240_000 }, async () => {
    stratus = await startStratus();
    const cli = (args: string[]) => runStratusCli([...args, "--url", stratus!.url], { env: { STRATUS_OPERATOR_API_KEY: OPERATOR_API_KEY } });
    const changed = financeCopy((yaml) => yaml.replace('text: ["Hello! I can answer', 'text: ["(v2) Hello! I can answer').replace('"Hi! Ask me about our accounts', '"(v2) Hi! Ask me about our accounts'));

    const pushed = await cli(["push", "finance", "--dir", changed, "--note", "a new greeting"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(pushed.stdout).toMatch(/^Published finance version 2 to http:\/\/[^:]+:\d+: [\d.]+ KiB sent, NLU trained in [\d.]+ s, [\d.]+ KiB stored, [\d.]+ s in all\.\n/);
    expect(pushed.stdout).toContain("Release it:  npx stratus release finance --version 2");
    const again = await cli(["push", "finance", "--dir", changed]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("finance: version 2 on");
    expect(again.stdout).toContain("already holds this bot; nothing new was published.");
    const unchanged = await cli(["push", "finance"]);
    expect(unchanged.stdout).toContain("finance: version 1 on");

    // Valid as a folder, refused by the deployment: a version keeps the residency the deployment has.
    const moved = financeCopy((yaml) => yaml.replace("\nlocales: [en, zh]", "\nresidency: { jurisdiction: eu }\nlocales: [en, zh]"));
    const refused = await cli(["push", "finance", "--dir", moved]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("push finance: the bot has 1 problem; nothing was published (422 invalid_bot)\n");
    expect(refused.stderr).toContain("  bots/finance/bot.yaml: residency: a published version keeps the deployment's residency (none); changing it needs a deploy");
    // A bad bot is refused before it is sent, with validate's problems.
    const bad = financeCopy((yaml) => yaml.replace("response: utter_greet\n", "response: utter_hallo\n"));
    const local = await cli(["push", "finance", "--dir", bad]);
    expect(local.code).toBe(1);
    expect(local.stderr).toMatch(/was not sent: it has problems \(npm run validate\):\n {2}bots\/finance\/bot\.yaml: rules\[\d+\]\.response: unknown response "utter_hallo"\n/);

    const greeting = async () => {
      const conversation = await stratus!.createConversation({ bot: "finance", locale: "en" });
      const { replies } = await stratus!.say(conversation, "hello");
      return { botVersion: (conversation as { botVersion?: number }).botVersion, text: replies.map((reply) => reply.text).join(" ") };
    };
    const canary = await cli(["release", "finance", "--version", "2", "--percent", "10"]);
    expect(canary.code, canary.stderr).toBe(0);
    expect(canary.stdout).toContain("finance: version 2 is the canary for 10% of new conversations on");
    expect(canary.stdout).toContain("the others start on version 1.");
    const current = await cli(["release", "finance", "--version", "2"]);
    expect(current.stdout).toContain("finance: version 2 is current on");
    expect(await greeting()).toMatchObject({ botVersion: 2, text: expect.stringMatching(/\(v2\) H/) as unknown });
    const back = await cli(["release", "finance", "--version", "1"]);
    expect(back.stdout).toContain("finance: version 1 is current on");
    const rolledBack = await greeting();
    expect(rolledBack.botVersion).toBe(1);
    expect(rolledBack.text).not.toContain("(v2)");

    const listed = await cli(["versions", "finance"]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout.split("\n")[1]).toMatch(/^ {3}2 {2} {13}\d{4}-\d\d-\d\d \d\d:\d\d +\d+ KiB {2}[0-9a-f]{12} {2}a new greeting$/);
    expect(listed.stdout.split("\n")[2]).toMatch(/^ {3}1 {2}current {6}built in/);
    const missing = await cli(["release", "finance", "--version", "7"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("release finance: bot \"finance\" has no version 7 (404 version_not_found)");
  });

  it("push --dry-run prints the document it would send: the bot's files, valid as they are", async () => {
    const run = await runStratusCli(["push", "finance", "--dry-run"]);
    expect(run.code, run.stderr).toBe(0);
    const { document, errors } = parseBotDocument(run.stdout);
    expect(errors).toEqual([]);
    expect(Object.keys(document ?? {})).toEqual(["bot", "nlu", "faq", "tests", "documents"]);
    // Every conversation test file of the bot's tests/ folder, by name.
    const testFiles = readdirSync(join(ROOT, "bots/finance/tests")).filter((file) => file.endsWith(".yaml")).map((file) => file.replace(/\.yaml$/, "")).sort();
    expect(Object.keys(document?.tests ?? {}).sort()).toEqual(testFiles);
    expect(testFiles).toContain("quotes");
    expect(Object.keys(document?.documents ?? {})).toContain("en/account-fees.md");
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
