// A conversation's stored dialogue state is validated once, by the dialogue queue consumer
// (DialogueQueueMessageSchema → DialogueStateSchema); the engine trusts what it is given.
import { describe, expect, it } from "vitest";
import { DialogueStateSchema } from "../../../shared/schemas/dialogue.ts";

describe("dialogue state", () => {
  it("parses an old state without the newer fields", () => {
    const state = DialogueStateSchema.parse({ slots: {}, activeForm: null, fallbackStreak: 0, lastIntent: null });
    expect(state.handoffOffered).toBe(false);
    expect(state.disclaimerShown).toBe(false);
    expect(state.lastLocale).toBe(null);
  });
});
