import { describe, expect, it } from "vitest";
import { FormSchema } from "../../../../shared/schemas/bot.ts";
import { initialDialogueState } from "../../../../shared/schemas/index.ts";
import { stateForVersion } from "../../src/engine/state-for-version.ts";

const form = { name: "return_form", requestedSlot: "order_id", invalidAttempts: 1, confirming: null };
const state = { ...initialDialogueState(), slots: { order_id: "ORD-4820193" }, activeForm: form };

describe("the dialogue state a migrated conversation brings to its new version", () => {
  it("keeps a form the version has, with its slots", () => {
    const returnForm = FormSchema.parse({ slots: [{ slot: "order_id", ask: "utter_ask_order_id" }], then: [{ response: "utter_return_created" }] });
    expect(stateForVersion(state, { forms: { return_form: returnForm } })).toBe(state);
  });

  it("leaves a form the version does not have, and keeps the slots", () => {
    const moved = stateForVersion(state, { forms: {} });
    expect(moved.activeForm).toBeNull();
    expect(moved.slots).toEqual({ order_id: "ORD-4820193" });
  });
});
