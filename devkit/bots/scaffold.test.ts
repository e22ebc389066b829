// `npx stratus init`'s template: valid in every language and combination, refused ids and folders,
// and an NLU that gives each conversation-test turn the intent the test relies on. (That the tests
// pass on the real Workers is test/cli/init-fresh-clone.test.ts.)
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { ConversationTestFileSchema } from "../../shared/schemas/conversation-test.ts";
import type { Locale } from "../../shared/schemas/nlu.ts";
import { validateTrainingData } from "../../shared/schemas/training.ts";
import { loadModel, parse, train } from "../../workers/intent/src/nlu/index.ts";
import { loadConversationTests } from "./conversation-tests.ts";
import { loadBot } from "./load-bots.ts";
import { SCAFFOLD_LOCALES, botIdProblem, localesProblem, scaffoldFiles, writeScaffold } from "./scaffold.ts";

const roots: string[] = [];
const newRoot = () => {
  const root = mkdtempSync(join(tmpdir(), "stratus-scaffold-"));
  roots.push(root);
  return root;
};
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

const COMBINATIONS: Locale[][] = [...SCAFFOLD_LOCALES.map((locale) => [locale]), [...SCAFFOLD_LOCALES], [...SCAFFOLD_LOCALES].reverse()];

describe("the bot template", () => {
  it("is written in English, Chinese and Spanish", () => {
    expect(SCAFFOLD_LOCALES).toEqual(["en", "zh", "es"]);
  });

  it.each(COMBINATIONS.map((locales) => [locales.join("+"), locales] as const))("validates as %s, with its tests", (_, locales) => {
    const root = newRoot();
    const written = writeScaffold(root, { id: "demo-bot", locales });
    expect(written).toEqual(["bots/demo-bot/bot.yaml", "bots/demo-bot/nlu.yaml", "bots/demo-bot/faq.yaml", "bots/demo-bot/nlu-holdout.yaml", "bots/demo-bot/tests/basics.yaml"]);
    const { bot, errors } = loadBot(join(root, "bots", "demo-bot"), root);
    expect(errors).toEqual([]);
    expect(bot?.definition.locales).toEqual(locales);
    expect(bot?.definition.defaultLocale).toBe(locales[0]);
    expect(bot?.definition.name).toBe("Demo bot");
    const tests = loadConversationTests(bot!, root);
    expect(tests.errors).toEqual([]);
    expect(tests.cases).toHaveLength(3 * locales.length);
  });

  it("takes a name, and says it in its greeting", () => {
    const files = scaffoldFiles({ id: "acme", name: "Acme support", locales: ["en"] });
    expect(parseYaml(files["bot.yaml"] ?? "")).toMatchObject({ id: "acme", name: "Acme support" });
    expect(files["bot.yaml"]).toContain("I'm {bot_name}");
  });

  it("refuses a folder that exists, and leaves it as it was", () => {
    const root = newRoot();
    mkdirSync(join(root, "bots", "taken"), { recursive: true });
    writeFileSync(join(root, "bots", "taken", "notes.txt"), "mine");
    expect(() => writeScaffold(root, { id: "taken", locales: ["en"] })).toThrow(/bots\/taken already exists/);
    expect(readFileSync(join(root, "bots", "taken", "notes.txt"), "utf8")).toBe("mine");
    expect(existsSync(join(root, "bots", "taken", "bot.yaml"))).toBe(false);
  });

  it.each(["Demo", "1bot", "demo bot", "a/b", "_private", "", "x".repeat(65)])("refuses the id %j", (id) => {
    expect(botIdProblem(id)).toMatch(/is not a bot id/);
    expect(() => writeScaffold(newRoot(), { id, locales: ["en"] })).toThrow(/is not a bot id/);
  });

  it("refuses languages it has no template for, none, or one twice", () => {
    expect(localesProblem(["fr"])).toBe(`no template for "fr" (the template speaks en, zh, es)`);
    expect(localesProblem([])).toMatch(/at least one/);
    expect(localesProblem(["en", "zh", "en"])).toMatch(/"en" given twice/);
    expect(localesProblem(["zh", "en"])).toBeUndefined();
  });

  it.each(COMBINATIONS.map((locales) => [locales.join("+"), locales] as const))(
    "trains (%s) into a model that gives each test turn the intent the test relies on",
    (_, locales) => {
      const files = scaffoldFiles({ id: "demo-bot", locales });
      const model = loadModel(train(validateTrainingData(parseYaml(files["nlu.yaml"] ?? ""), "nlu.yaml"), { seed: 1, locales }));
      const { tests } = ConversationTestFileSchema.parse(parseYaml(files["tests/basics.yaml"] ?? ""));
      for (const test of tests) {
        const locale = test.locale ?? locales[0] ?? "en";
        const [first, second, third] = test.turns;
        const intentOf = (text: string) => parse(model, text, { locale, timezone: "UTC" }).intent;
        if (first?.intent !== undefined) expect(intentOf(first.user).name, first.user).toBe(first.intent);
        if (third?.intent !== undefined) expect(intentOf(third.user).name, third.user).toBe(third.intent);
        // The FAQ question has no rule: the FAQ answers it, not a rule that matched it by mistake.
        if (second?.responses?.[0] === "faq:opening_hours") expect(intentOf(second.user).name, second.user).toBe("ask_faq");
        if (first?.responses?.[0] === "utter_ask_email") expect(intentOf(first.user).name, first.user).toBe("contact_request");
        // The invalid answer must be neither a request the bot has a rule for nor a cancel, or the
        // form would answer that instead of asking again (a yes and out-of-scope belong to the form).
        if (second?.responses?.[0] === "utter_invalid_email") {
          expect(["affirm", "out_of_scope"], second.user).toContain(intentOf(second.user).name);
        }
        const answer = test.turns[3];
        if (answer?.slots?.email !== undefined) {
          const emails = parse(model, answer.user, { locale, timezone: "UTC" }).entities.filter((entity) => entity.entity === "email");
          expect(emails.map((entity) => entity.value), answer.user).toEqual([answer.slots.email]);
        }
        if (first?.handoff === true) expect(intentOf(first.user).name, first.user).toBe("human_handoff");
      }
    },
  );
});
