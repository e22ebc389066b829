// `npx stratus shell`, driven as a user drives it — a child process reading the user's lines on
// stdin — against the real Workers on workerd with the demo backends: every turn shows the bot's
// replies, the intent and its confidence, the entities and the slots.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startConversationTestEnvironment, type ConversationTestEnvironment } from "../../devkit/bots/conversation-runner.ts";
import { freePort } from "../../devkit/free-port.ts";
import { runStratusCli } from "../harness/stratus-cli.ts";

let environment: ConversationTestEnvironment;
beforeAll(async () => {
  environment = await startConversationTestEnvironment();
});
afterAll(async () => {
  await environment?.close();
});

/** The lines of stdout from the one that starts with `you › <text>` up to the next `you ›`. */
function turnOf(stdout: string, text: string): string {
  const start = stdout.indexOf(`you › ${text}\n`);
  expect(start, `no turn "${text}" in:\n${stdout}`).toBeGreaterThanOrEqual(0);
  const rest = stdout.slice(start + `you › ${text}\n`.length);
  const end = rest.indexOf("you › ");
  return end < 0 ? rest : rest.slice(0, end);
}

describe("npx stratus shell", () => {
  it("shows each turn's replies, intent, confidence, entities and slots, and the form being filled", async () => {
    const run = await runStratusCli(["shell", "ecommerce", "--url", environment.stratus.url, "--locale", "en"], {
      input: "hi\ntrack my package\nORD-4820193\n94103\n/state\n/quit\nnot sent\n",
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Demo shop \(ecommerce: en, zh, es\) at http:\/\/127\.0\.0\.1:\d+, conversation [0-9a-f]{32}\n/);

    const hi = turnOf(run.stdout, "hi");
    expect(hi).toMatch(/^bot › .+ {2}\[utter_greet\]\n {6}\[Track my order\] \[Return an item\] \[Talk to a person\]\n/);
    expect(hi).toMatch(/^ {3}intent: greet {2}confidence (0\.9\d|1\.00) {2}\(next: \w+ 0\.\d\d\) {2}locale en \(given\)$/m);
    expect(hi).toMatch(/^ {3}entities: none$/m);
    expect(hi).toMatch(/^ {3}slots: none$/m);

    const track = turnOf(run.stdout, "track my package");
    expect(track).toMatch(/\[utter_ask_order_id\]/);
    expect(track).toMatch(/^ {3}intent: order_status {2}confidence (0\.\d\d|1\.00) /m);
    expect(track).toMatch(/^ {3}slots: none {2}form: order_status_form, asking for order_id$/m);

    // Anonymous: the order's status only, and the proof that it is the shopper's is asked for.
    const order = turnOf(run.stdout, "ORD-4820193");
    expect(order).toMatch(/^bot › Order ORD-4820193 is shipped\. {2}\[utter_order_status_only\]$/m);
    expect(order).toMatch(/\[utter_ask_order_proof\]/);
    expect(order).toMatch(/^ {3}entities: order_id="ORD-4820193" \(regex\)$/m);
    expect(order).toMatch(/form: verify_status_form, asking for order_proof$/m);

    const proof = turnOf(run.stdout, "94103");
    expect(proof).toMatch(/^bot › Order ORD-4820193 has shipped with UPS .*\[utter_order_shipped\]$/m);
    // The order the demo backend answered is in the slots; the form is done.
    expect(proof).toMatch(/^ {3}slots: order_id="ORD-4820193", .*carrier="UPS".*order_total=129 USD/m);
    expect(proof).not.toMatch(/form:/);

    const state = turnOf(run.stdout, "/state");
    expect(JSON.parse(state)).toMatchObject({ slots: { order_id: "ORD-4820193", carrier: "UPS" }, activeForm: null, lastIntent: "order_status" });
    // /quit ends the session: the line after it is never sent.
    expect(run.stdout).not.toContain("not sent");
  });

  it("says when the bot stays silent after a handoff, and starts a new conversation on /new", async () => {
    const run = await runStratusCli(["shell", "ecommerce", "--url", environment.stratus.url, "--locale", "en", "--wait", "2"], {
      input: "I want to talk to a human\nhello?\n/new\nhello\n",
    });
    expect(run.code).toBe(0);
    expect(turnOf(run.stdout, "I want to talk to a human")).toMatch(/\[utter_handoff\]\n[\s\S]*\(handed off to a person: the bot stays silent\)/);
    expect(turnOf(run.stdout, "hello?")).toMatch(/^\(no reply: a person has this conversation\)\n/);
    const ids = [...run.stdout.matchAll(/conversation ([0-9a-f]{32})/g)].map((match) => match[1]);
    expect(ids).toHaveLength(2);
    expect(ids[0]).not.toBe(ids[1]);
    expect(turnOf(run.stdout, "hello")).toMatch(/\[utter_greet\]/);
  });

  it("reports a message the gateway refuses and goes on", async () => {
    const run = await runStratusCli(["shell", "ecommerce", "--url", environment.stratus.url], { input: `${"x".repeat(4001)}\nhi\n` });
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/^stratus shell: .*\(400 invalid_request\)\n$/);
    expect(turnOf(run.stdout, "hi")).toMatch(/\[utter_greet\]/);
  });

  it("says what is wrong when nothing answers at the URL, or it does not serve the bot", async () => {
    const closed = await runStratusCli(["shell", "ecommerce", "--url", `http://127.0.0.1:${await freePort()}`]);
    expect(closed.code).toBe(1);
    expect(closed.stderr).toMatch(/^stratus shell: nothing answers at http:\/\/127\.0\.0\.1:\d+: start the local stack with `npm run dev`/);
    const unknown = await runStratusCli(["shell", "nope", "--url", environment.stratus.url]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/does not serve "nope" \(it serves .*ecommerce.*\)/);
    const usage = await runStratusCli(["shell"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/^stratus shell: name the bot to chat with\n\nUsage: npx stratus shell <bot>/);
  });
});
