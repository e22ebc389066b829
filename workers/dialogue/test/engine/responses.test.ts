import { describe, expect, it } from "vitest";
import { initialDialogueState } from "../../../../shared/schemas/dialogue.ts";
import { decideTurn, loadBot } from "../../src/engine/index.ts";
import { Conversation, nlu } from "./helpers.ts";

const bot = loadBot({
  id: "tiny",
  name: "Tiny",
  locales: ["en", "zh"],
  defaultLocale: "en",
  responses: {
    utter_greet: { en: ["one", "two", "three", "four"], zh: "你好" },
    utter_only_en: { en: "English only {missing_slot}." },
    utter_rephrase: { en: "Say again?", zh: "再说一遍？" },
    utter_offer: { en: "A person?", zh: "转人工？" },
    utter_declined: { en: "Okay.", zh: "好的。" },
    utter_handoff: { en: "Connecting.", zh: "正在转接。" },
  },
  rules: [
    { intent: "greet", response: "utter_greet" },
    { intent: "english", response: "utter_only_en" },
  ],
  fallback: { rephrase: "utter_rephrase", offerHuman: "utter_offer", declined: "utter_declined" },
  handoff: { response: "utter_handoff" },
});
const deps = { fetch: () => Promise.reject(new Error("no network in this test")), env: {} };

const turn = (conversationId: string, seq: number, locale: "en" | "zh" = "en") =>
  decideTurn(
    bot,
    {
      conversationId,
      seq,
      text: "hi",
      nlu: nlu("greet", [], locale),
      state: initialDialogueState(),
      timezone: "UTC",
    },
    deps,
  );

describe("responses", () => {
  it("a re-delivered turn gets the same variation; different turns get different ones", async () => {
    const first = await turn("a".repeat(32), 3);
    const again = await turn("a".repeat(32), 3);
    expect(again.replies).toEqual(first.replies);
    const seen = new Set<string>();
    for (let seq = 1; seq <= 40; seq++) seen.add((await turn("a".repeat(32), seq)).replies[0]?.text ?? "");
    expect(seen.size).toBeGreaterThan(2);
  });

  it("replies in the turn's locale, falling back to the default locale", async () => {
    expect((await turn("b".repeat(32), 1, "zh")).replies[0]?.text).toBe("你好");
    const conversation = new Conversation(bot, deps);
    const decision = await conversation.say("说英语", nlu("english", [], "zh"));
    expect(decision.replies[0]?.text).toBe("English only .");
  });

  it("does not change the state object it was given", async () => {
    const state = initialDialogueState();
    const before = structuredClone(state);
    await decideTurn(
      bot,
      { conversationId: "c", seq: 1, text: "??", nlu: nlu("out_of_scope"), state, timezone: "UTC" },
      deps,
    );
    expect(state).toEqual(before);
  });

  it("keeps the conversation's language for a message with no words of its own", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("你好", nlu("greet", [], "zh"));
    // The NLU could not place "42" in a language: it says so, and names the bot's default.
    const decision = await conversation.say("42", { ...nlu("out_of_scope", [], "en"), localeEvidence: "none" });
    expect(decision.replies[0]?.text).toBe("再说一遍？");
  });

  it("answers in the language the NLU detected, even after another language", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("你好", nlu("greet", [], "zh"));
    const decision = await conversation.say("say that again", { ...nlu("out_of_scope", [], "en"), localeEvidence: "detected" });
    expect(decision.replies[0]?.text).toBe("Say again?");
  });
});
