// The held-out dialogue set (bench/dialogue-holdout/) is readable, large and varied enough, kept
// apart from the conversation tests, and scored the way `npm run bench:dialogue` reports it.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { groupScores, loadHoldoutConversations, tally, type ConversationScore } from "../../../devkit/bots/dialogue-holdout.ts";
import { loadConversationTests } from "../../../devkit/bots/conversation-tests.ts";
import { loadBots } from "../../../devkit/bots/load-bots.ts";
import { ROOT } from "./engine/helpers.ts";

describe("the held-out dialogue set", () => {
  const { bots } = loadBots(ROOT);
  const load = loadHoldoutConversations(bots, ROOT);

  it("has at least 60 valid conversations over the three bots and all their languages", () => {
    expect(load.errors).toEqual([]);
    expect(load.cases.length).toBeGreaterThanOrEqual(60);
    const botLanguages = new Set(load.cases.map((holdout) => `${holdout.botId}/${holdout.conversation.language}`));
    expect([...botLanguages].sort()).toEqual(["ecommerce/en", "ecommerce/es", "ecommerce/zh", "finance/en", "finance/zh", "health/en", "health/zh"]);
    // Unhappy paths: every conversation names at least one, and the kinds the issue asks for are there.
    const paths = new Set(load.cases.flatMap((holdout) => holdout.conversation.tags));
    for (const path of ["digression", "correction", "free-words", "mixed-language", "typo", "cancel", "change-of-mind"]) expect(paths).toContain(path);
  });

  it("shares no conversation with the bots' conversation tests", () => {
    const tested = new Set(bots.flatMap((bot) => loadConversationTests(bot, ROOT).cases.flatMap((testCase) => testCase.test.turns.map((turn) => turn.user))));
    const heldOut = load.cases.map((holdout) => holdout.conversation.turns.map((turn) => turn.user).join(" / "));
    const copied = load.cases.filter((holdout) => holdout.conversation.turns.length > 1 && holdout.conversation.turns.every((turn) => tested.has(turn.user)));
    expect(copied.map((holdout) => holdout.conversation.name)).toEqual([]);
    expect(heldOut.length).toBe(load.cases.length);
  });

  it("reports a file's problems, and names it expects that a bot lacks only as warnings", () => {
    const root = mkdtempSync(join(tmpdir(), "holdout-"));
    try {
      mkdirSync(join(root, "bench/dialogue-holdout/ecommerce"), { recursive: true });
      mkdirSync(join(root, "bench/dialogue-holdout/nobot"), { recursive: true });
      writeFileSync(
        join(root, "bench/dialogue-holdout/ecommerce/a.yaml"),
        [
          "conversations:",
          "  - name: later",
          "    language: en",
          "    tags: [digression]",
          "    turns:",
          "      - { user: hi, responses: [utter_not_yet] }",
          "  - name: handoff too early",
          "    language: en",
          "    tags: [fallback]",
          "    turns:",
          "      - { user: human please, handoff: true }",
          "      - { user: hello }",
        ].join("\n"),
      );
      writeFileSync(join(root, "bench/dialogue-holdout/ecommerce/b.yaml"), "conversations:\n  - name: x\n    language: en\n    tags: [sadness]\n    turns: [{ user: hi }]\n");
      const result = loadHoldoutConversations(bots, root);
      expect(result.warnings).toEqual(['bench/dialogue-holdout/ecommerce/a.yaml: conversations[0].turns[0]: unknown response "utter_not_yet"']);
      expect(result.errors).toEqual([
        "bench/dialogue-holdout/ecommerce/a.yaml: conversations[1].turns[0].handoff: a handoff must be the test's last turn",
        expect.stringMatching(/^bench\/dialogue-holdout\/ecommerce\/b\.yaml: conversations\[0\]\.tags\[0\]: /),
        'bench/dialogue-holdout/nobot: no bot "nobot" in bots/',
      ]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe("holdout scores", () => {
  const score = (botId: string, language: "en" | "zh", tags: ConversationScore["tags"], turns: boolean[]): ConversationScore => ({
    botId,
    file: "f.yaml",
    name: `${botId} ${language}`,
    language,
    tags,
    right: turns.every(Boolean),
    turns: turns.map((right) => ({ user: "u", right, problems: right ? [] : ["wrong"] })),
  });
  const scores = [
    score("ecommerce", "en", ["digression"], [true, true]),
    score("ecommerce", "en", ["digression", "typo"], [true, false, true]),
    score("health", "zh", ["typo"], [true]),
  ];

  it("counts conversations fully right and turns right", () => {
    expect(tally(scores)).toEqual({ conversations: 3, conversationsRight: 2, turns: 6, turnsRight: 5 });
  });

  it("groups by bot and language, and by every path a conversation walks", () => {
    const byBot = groupScores(scores, (s) => [`${s.botId}/${s.language}`]);
    expect(Object.fromEntries(byBot)).toEqual({
      "ecommerce/en": { conversations: 2, conversationsRight: 1, turns: 5, turnsRight: 4 },
      "health/zh": { conversations: 1, conversationsRight: 1, turns: 1, turnsRight: 1 },
    });
    const byPath = groupScores(scores, (s) => s.tags);
    expect(byPath.get("typo")).toEqual({ conversations: 2, conversationsRight: 1, turns: 4, turnsRight: 3 });
    expect(byPath.get("digression")?.conversations).toBe(2);
  });
});
