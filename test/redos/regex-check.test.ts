/**
 * Issue #22: `npm run check` (cli/check-regexes.ts) and `npm run validate` refuse a super-linear
 * regular expression — in code (a literal, or a pattern built at run time) and in a bot's files
 * (a form slot's validate.regex in bot.yaml, an entity regex in nlu.yaml) — naming file and line or
 * path, and pass the repository as it is.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const CHECK = join(ROOT, "cli", "check-regexes.ts");
const VALIDATE = join(ROOT, "cli", "validate.ts");
const fixture = (name: string): string => join(import.meta.dirname, "fixtures", name);

const scratch = mkdtempSync(join(tmpdir(), "stratus-redos-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** bots/ecommerce copied under `root`, its form slot regex and an entity regex made super-linear. */
function plantedBot(root: string): void {
  cpSync(join(ROOT, "bots/ecommerce"), join(root, "bots/ecommerce"), { recursive: true });
  const botFile = join(root, "bots/ecommerce/bot.yaml");
  const bot = readFileSync(botFile, "utf8");
  expect(bot).toContain('validate: { regex: "^(ORD-\\\\d{6,10}|\\\\d{8})$" }');
  writeFileSync(botFile, bot.replace('validate: { regex: "^(ORD-\\\\d{6,10}|\\\\d{8})$" }', 'validate: { regex: "^(\\\\d+|ORD-)+$" }'));
  const nluFile = join(root, "bots/ecommerce/nlu.yaml");
  const nlu = readFileSync(nluFile, "utf8");
  expect(nlu).toContain('regex: ["\\\\bORD-\\\\d{6,10}\\\\b"');
  writeFileSync(nluFile, nlu.replace('regex: ["\\\\bORD-\\\\d{6,10}\\\\b"', 'regex: ["(\\\\d+\\\\s?)+x"'));
}

const run = (script: string, args: string[]) => spawnSync(process.execPath, [script, ...args], { encoding: "utf8", cwd: ROOT });

describe("regular expressions that see user text are linear", () => {
  it("the check passes on the repository (code and example bots)", () => {
    const result = run(CHECK, []);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/check-regexes: \d+ distinct patterns .*: all linear/);
  });

  it("the check fails on planted super-linear patterns in code, naming file and line", () => {
    const empty = join(scratch, "no-bots");
    const result = run(CHECK, ["--root", empty, fixture("super-linear.ts"), fixture("unexercised.ts")]);
    expect(result.status).toBe(1);
    const lines = result.stderr.split("\n");
    expect(lines).toContainEqual(expect.stringMatching(/^test\/redos\/fixtures\/super-linear\.ts:5: \/\(a\+\)\+\$\/ is super-linear: exponential/));
    expect(lines).toContainEqual(expect.stringMatching(/^test\/redos\/fixtures\/super-linear\.ts:9: \/\(\?:b\+\)\+c\/u is super-linear: exponential/));
    expect(lines).toContainEqual(expect.stringMatching(/^test\/redos\/fixtures\/super-linear\.ts:12: \/\\s\+\$\/u is super-linear: 2nd degree polynomial/));
    expect(lines).toContainEqual(expect.stringMatching(/^test\/redos\/fixtures\/unexercised\.ts:4: RegExp built from a computed source that the checker never saw built/));
    expect(result.stderr).toMatch(/check-regexes: 4 problem\(s\)/);
  });

  it("the check passes a file of linear patterns", () => {
    const result = run(CHECK, ["--root", join(scratch, "no-bots"), fixture("linear.ts")]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
  });

  it("the check and npm run validate refuse a bot with a super-linear regex, naming file and path", () => {
    const root = join(scratch, "planted-bot");
    plantedBot(root);
    const check = run(CHECK, ["--root", root, fixture("linear.ts")]);
    expect(check.status).toBe(1);
    expect(check.stderr).toMatch(/bots\/ecommerce\/bot\.yaml: forms\.order_status_form\.slots\[0\]\.validate\.regex: \/\^\(\\d\+\|ORD-\)\+\$\/iu is super-linear/);
    expect(check.stderr).toMatch(/bots\/ecommerce\/nlu\.yaml: entities\.order_id\.regex\[0\]: \/\(\\d\+\\s\?\)\+x\/giu is super-linear/);

    const validate = run(VALIDATE, ["--root", root]);
    expect(validate.status).toBe(1);
    expect(validate.stderr).toContain("bots/ecommerce/bot.yaml: forms.order_status_form.slots[0].validate.regex: regex /^(\\d+|ORD-)+$/ is super-linear");
    expect(validate.stderr).toContain("bots/ecommerce/nlu.yaml: entities.order_id.regex[0]: regex /(\\d+\\s?)+x/ is super-linear");
    // The slot regex is shared by the bot's forms that ask for an order (a YAML anchor): each place
    // is named, and the count is those places and the entity's pattern.
    const slotPlaces = validate.stderr.split("\n").filter((line) => /^bots\/ecommerce\/bot\.yaml: forms\.\w+\.slots\[0\]\.validate\.regex: /.test(line));
    expect(slotPlaces.length).toBeGreaterThanOrEqual(4);
    expect(validate.stderr).toContain(`validate: ${slotPlaces.length + 1} problem(s)`);
  });
});
