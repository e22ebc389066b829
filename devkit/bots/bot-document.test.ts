// A bot folder packed into one document (what `npx stratus push` sends) and written back is the
// same bot, and a bad bot gets the same problems as `npm run validate` gives its folder.
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { botDocumentText, checkBotDocument, parseBotDocument, readBotDocument, writeBotFolder } from "./bot-document.ts";
import { loadConversationTests } from "./conversation-tests.ts";
import { loadBot } from "./load-bots.ts";
import { writeScaffold } from "./scaffold.ts";

const REPO = join(import.meta.dirname, "..", "..");
const roots: string[] = [];
const newRoot = () => {
  const root = mkdtempSync(join(tmpdir(), "stratus-document-"));
  roots.push(root);
  return root;
};
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** Each file of a folder (tests/ included), parsed, by path inside the folder; holdout files left out. */
function parsedFiles(dir: string): Record<string, unknown> {
  return Object.fromEntries(
    readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && /\.yaml$/.test(entry.name) && !entry.name.startsWith("nlu-holdout"))
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [path.slice(dir.length + 1), parseYaml(readFileSync(path, "utf8"))];
      }),
  );
}

/** The text of each help document of a folder (`help/**`), by path inside the folder. */
function helpFiles(dir: string): Record<string, string> {
  return Object.fromEntries(
    readdirSync(join(dir, "help"), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => {
        const path = join(entry.parentPath, entry.name);
        return [path.slice(dir.length + 1), readFileSync(path, "utf8")];
      }),
  );
}

function roundTrip(dir: string, root: string) {
  const packed = readBotDocument(dir, root);
  expect(packed.errors).toEqual([]);
  const text = botDocumentText(packed.document!);
  const parsed = parseBotDocument(text);
  expect(parsed.errors).toEqual([]);
  const id = dir.split("/").pop() ?? "";
  expect(checkBotDocument(parsed.document!, id)).toEqual([]);
  const outRoot = newRoot();
  const outDir = join(outRoot, "bots", id);
  writeBotFolder(parsed.document!, outDir);
  return { text, outRoot, outDir };
}

describe("a bot as one document", () => {
  it.each(["ecommerce", "finance", "health"])("round-trips the %s bot: the same files, the same bot, the same tests", (id) => {
    const dir = join(REPO, "bots", id);
    const { outRoot, outDir } = roundTrip(dir, REPO);
    expect(parsedFiles(outDir)).toEqual(parsedFiles(dir));
    expect(helpFiles(outDir)).toEqual(helpFiles(dir));
    const original = loadBot(dir, REPO);
    const copy = loadBot(outDir, outRoot);
    expect(copy.errors).toEqual([]);
    expect(copy.bot?.definition).toEqual(original.bot?.definition);
    expect(copy.bot?.training).toEqual(original.bot?.training);
    expect(copy.bot?.knowledge?.indexes).toEqual(original.bot?.knowledge?.indexes);
    const tests = (bot: NonNullable<typeof original.bot>, root: string) => loadConversationTests(bot, root).cases.map(({ test, file }) => ({ test, file }));
    expect(tests(copy.bot!, outRoot)).toEqual(tests(original.bot!, REPO));
  });

  it("round-trips a new bot from the template, in three languages", () => {
    const root = newRoot();
    writeScaffold(root, { id: "demo-bot", locales: ["en", "zh", "es"] });
    const dir = join(root, "bots", "demo-bot");
    const { text, outDir } = roundTrip(dir, root);
    expect(parsedFiles(outDir)).toEqual(parsedFiles(dir));
    // One YAML document with the files under their names, the holdout paraphrases left at home.
    expect(Object.keys(parseYaml(text) as object)).toEqual(["bot", "nlu", "faq", "tests"]);
    expect(text).not.toContain("nlu-holdout");
  });

  it("refuses a bot with problems, naming them as npm run validate does", () => {
    const root = newRoot();
    cpSync(join(REPO, "bots", "finance"), join(root, "bots", "finance"), { recursive: true });
    const dir = join(root, "bots", "finance");
    const bot = readFileSync(join(dir, "bot.yaml"), "utf8");
    writeFileSync(join(dir, "bot.yaml"), bot.replace("response: utter_greet\n", "response: utter_hallo\n"));
    writeFileSync(join(dir, "tests", "extra.yaml"), "tests:\n  - name: x\n    turns:\n      - { user: hi, response: utter_nothing }\n");
    const validate = loadBot(dir, root);
    const tests = loadConversationTests({ ...validate.bot!, dir }, root);
    const packed = readBotDocument(dir, root);
    expect(packed.document).toBeUndefined();
    expect(packed.errors).toEqual([...validate.errors, ...tests.errors]);
    expect(packed.errors).toContain('bots/finance/bot.yaml: rules[1].response: unknown response "utter_hallo"');
    expect(packed.errors).toContain('bots/finance/tests/extra.yaml: tests[0].turns[0]: unknown response "utter_nothing"');
  });

  it("checks the bot's help documents as validate does, and the tests that quote them", () => {
    const root = newRoot();
    cpSync(join(REPO, "bots", "finance"), join(root, "bots", "finance"), { recursive: true });
    const dir = join(root, "bots", "finance");
    rmSync(join(dir, "help", "zh"), { recursive: true });
    writeFileSync(join(dir, "help", "en", "empty.md"), "---\ntitle: Nothing\n---\n");
    const validate = loadBot(dir, root);
    const tests = loadConversationTests({ ...validate.bot!, dir }, root);
    const packed = readBotDocument(dir, root);
    expect(packed.document).toBeUndefined();
    expect(packed.errors).toEqual([...validate.errors, ...tests.errors]);
    expect(packed.errors).toContain('bots/finance/help/zh/: no documents for locale "zh" (the bot declares en, zh)');
    expect(packed.errors).toContain("bots/finance/help/en/empty.md: no text to answer from");
    // A document without its help pages is refused as a folder without its help folder would be.
    const whole = readBotDocument(join(REPO, "bots", "finance"), REPO).document!;
    const { documents: _left, ...withoutHelp } = whole;
    expect(checkBotDocument(withoutHelp, "finance")[0]).toBe("bots/finance/bot.yaml: knowledge.folder: no folder bots/finance/help/");
  });

  it("checks a document it receives as the folder would be checked", () => {
    const packed = readBotDocument(join(REPO, "bots", "health"), REPO);
    const document = structuredClone(packed.document!);
    delete (document.nlu.intents as Record<string, unknown>).greet;
    expect(checkBotDocument(document, "health")).toContain('bots/health/bot.yaml: rules[2].intent: unknown intent "greet" (not in nlu.yaml)');
    expect(checkBotDocument(packed.document!, "finance")).toEqual(['bots/finance/bot.yaml: id: "health" must match the folder name "finance"']);
  });

  it("refuses a document of another shape, or that is not YAML", () => {
    expect(parseBotDocument("bot: {id: x}\n").errors).toEqual(["document: nlu: Invalid input: expected record, received undefined"]);
    expect(parseBotDocument("bot: {}\nnlu: {}\nmodel: {}\n").errors[0]).toMatch(/^document: \(root\): Unrecognized key: "model"/);
    expect(parseBotDocument("bot: {}\nnlu: {}\ntests: { ../../etc/passwd: {} }\n").errors[0]).toMatch(/^document: tests/);
    expect(parseBotDocument("bot: {}\nnlu: {}\ndocuments: { ../en/x.md: text }\n").errors[0]).toMatch(/^document: documents/);
    expect(parseBotDocument("bot: {}\nnlu: {}\ndocuments: { en/../x.md: text }\n").errors[0]).toMatch(/^document: documents/);
    expect(parseBotDocument("bot: [unclosed\n").errors[0]).toMatch(/^document: /);
  });
});
