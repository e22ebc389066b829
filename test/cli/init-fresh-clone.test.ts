// A newcomer's first steps, on a fresh copy of the repository (its files as git has them, with the
// installed node_modules): `npx stratus init demo-bot && npx stratus test nlu demo-bot`, then the
// new bots validate, pass their conversation tests on the real Workers in every language of the
// template, and chat in `npx stratus shell --start`. npx is run as a user runs it, on the system's
// Node, through the bin shim.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../harness/stratus-cli.ts";

const systemPath = (process.env.PATH ?? "").split(delimiter).filter((dir) => !dir.includes("node_modules")).join(delimiter);
let clone: string;

/** `command args…` in the copy, as from a shell, with `input` on stdin. */
function run(command: string, args: string[], input = ""): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(command, args, { cwd: clone, env: { ...process.env, PATH: systemPath, NO_COLOR: "1", WRANGLER_LOG: "error" }, stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(() => {
  clone = mkdtempSync(join(tmpdir(), "stratus-fresh-clone-"));
  // The files a clone has: tracked ones, and new ones not ignored (this branch's work in progress).
  const files = spawnSync("git", ["ls-files", "--cached", "--others", "--exclude-standard", "-z"], { cwd: REPO_ROOT, encoding: "utf8" }).stdout.split("\0").filter((file) => file !== "");
  for (const file of files) {
    if (!existsSync(join(REPO_ROOT, file))) continue;
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    cpSync(join(REPO_ROOT, file), join(clone, file));
  }
  // What `npm install` would bring, shared rather than installed again (two minutes, and the registry).
  symlinkSync(join(REPO_ROOT, "node_modules"), join(clone, "node_modules"), "dir");
});
afterAll(() => {
  if (clone) rmSync(clone, { recursive: true, force: true });
});

describe("a new bot on a fresh clone", () => {
  it("npx stratus init demo-bot && npx stratus test nlu demo-bot", async () => {
    expect(existsSync(join(clone, "generated")), "a fresh clone has nothing built").toBe(false);
    const init = await run("sh", ["-c", "npx stratus init demo-bot && npx stratus test nlu demo-bot"]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain("Created bots/demo-bot/ (English):");
    expect(init.stdout).toMatch(/^intent accuracy \d+\.\d% \(\d+ of 30; en \d+\.\d% of 30\)$/m);
    const report = readFileSync(join(clone, "results", "demo-bot", "report.md"), "utf8");
    expect(report).toMatch(/^\| contact_request \| \d\.\d{3} \| \d\.\d{3} \| \d\.\d{3} \| 3 \|/m);
    expect(readFileSync(join(clone, "results", "demo-bot", "confusion_matrix.svg"), "utf8")).toMatch(/^<svg /);
  }, 120_000);

  it("validates and passes its conversation tests on the real Workers, in every language of the template", async () => {
    const multi = await run("npx", ["stratus", "init", "trilingual", "--locales", "es,en,zh", "--name", "Tienda"]);
    expect(multi.code, multi.stderr).toBe(0);
    const validate = await run("npm", ["run", "validate"]);
    expect(validate.code, validate.stderr).toBe(0);
    expect(validate.stdout).toMatch(/^demo-bot +ok {2}en {2}9 intents/m);
    expect(validate.stdout).toMatch(/^trilingual +ok {2}es\+en\+zh/m);
    const tests = await run("npx", ["stratus", "test", "conversations", "demo-bot", "trilingual"]);
    expect(tests.code, `${tests.stdout}\n${tests.stderr}`).toBe(0);
    expect(tests.stdout).toContain("\n12 passed, 0 failed (12 conversations)");
  }, 600_000);

  it("chats in npx stratus shell --start, which builds the new bot and serves it", async () => {
    const shell = await run("npx", ["stratus", "shell", "demo-bot", "--start"], "hello\nplease contact me\nit's jane@example.com\n");
    expect(shell.code, shell.stderr).toBe(0);
    expect(shell.stderr).toMatch(/local stack on http:\/\/127\.0\.0\.1:\d+/);
    expect(shell.stdout).toMatch(/^Demo bot \(demo-bot: en\) at /m);
    expect(shell.stdout).toMatch(/^bot › (Hi! I'm Demo bot\.|Hello!) .*\[utter_greet\]$/m);
    expect(shell.stdout).toMatch(/^ {3}slots: none {2}form: contact_form, asking for email$/m);
    // An e-mail is personal data: the stored transcript, which the shell shows, keeps it masked
    // (docs/privacy.md, "Redaction"); the form's slot holds it for the turn that needs it.
    expect(shell.stdout).toMatch(/^ {3}entities: email="\[email\]" \(email\)$/m);
    expect(shell.stdout).toMatch(/^bot › Thanks! Someone from the team will write to \[email\] within one business day\./m);
    expect(shell.stdout).toMatch(/^ {3}slots: email="jane@example\.com"$/m);
  }, 600_000);
});
