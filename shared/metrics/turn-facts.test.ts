import { describe, expect, it } from "vitest";
import { labelBounds } from "./label-domains.ts";
import { MetricsRecorder } from "./recorder.ts";
import { stageDurations } from "./stage-timings.ts";
import { recordTurnFacts, type TurnFacts } from "./turn-facts.ts";

const bounds = labelBounds({
  shop: { locales: ["en"], intents: ["order_status"], actions: ["lookup_order"], forms: ["order_form"] },
});

describe("stageDurations", () => {
  it("gives each stage whose two ends the turn carries, a negative (clock skew) as 0", () => {
    const stages = stageDurations(
      { dispatchedAt: 1_000, intentStartedAt: 1_004, intentEndedAt: 1_005, dialogueStartedAt: 1_003, dialogueEndedAt: 1_020 },
      { openedAt: 990, appliedAt: 1_022 },
    );
    expect(stages).toEqual({ conversation: 10, intent_queue: 4, nlu: 1, dialogue_queue: 0, dialogue: 17, return: 2 });
  });

  it("leaves out the stages of a turn from a version without timestamps", () => {
    expect(stageDurations({ dispatchedAt: 1_000 }, { openedAt: null, appliedAt: 1_050 })).toEqual({});
  });
});

describe("recordTurnFacts", () => {
  const answered: TurnFacts = {
    bot: "shop",
    locale: "en",
    outcome: "answered",
    replies: 2,
    attempts: 1,
    durationMs: 40,
    intent: "order_status",
    confidence: 0.93,
    stages: { nlu: 1, dialogue: 20 },
    decision: {
      fallback: false,
      forms: [{ form: "order_form", outcome: "completed" }],
      actions: [{ action: "lookup_order", outcome: "failed", durationMs: 2000 }],
    },
    handoff: false,
  };

  it("counts a bot-answered turn once in every metric it adds to", () => {
    const recorder = new MetricsRecorder(bounds);
    recordTurnFacts(recorder, answered);
    const series = Object.fromEntries(recorder.take().map((one) => [`${one.metric}${JSON.stringify(one.labels)}`, "value" in one ? one.value : one.count]));
    expect(series).toEqual({
      'stratus_turns_total["shop","en","answered"]': 1,
      'stratus_messages_total["shop","en","user"]': 1,
      'stratus_messages_total["shop","en","bot"]': 2,
      'stratus_turn_duration_seconds["shop","answered"]': 1,
      'stratus_intents_total["shop","en","order_status"]': 1,
      'stratus_intent_confidence_ratio["shop","en"]': 1,
      'stratus_turn_stage_duration_seconds["shop","nlu"]': 1,
      'stratus_turn_stage_duration_seconds["shop","dialogue"]': 1,
      'stratus_forms_total["shop","order_form","completed"]': 1,
      'stratus_action_calls_total["shop","lookup_order","failed"]': 1,
      'stratus_action_duration_seconds["shop","lookup_order"]': 1,
    });
  });

  it("counts a pipeline fallback by its cause, and a bot's fallback and handoff", () => {
    const recorder = new MetricsRecorder(bounds);
    recordTurnFacts(recorder, { bot: "shop", locale: "unknown", outcome: "fallback", replies: 1, attempts: 3, durationMs: 45_000, fallbackCause: "watchdog" });
    recordTurnFacts(recorder, { ...answered, decision: { fallback: true, forms: [], actions: [] }, handoff: true });
    const names = recorder.take().map((one) => `${one.metric}${JSON.stringify(one.labels)}`);
    expect(names).toContain('stratus_pipeline_fallbacks_total["shop","watchdog"]');
    expect(names).toContain('stratus_turns_total["shop","unknown","fallback"]');
    expect(names).toContain('stratus_bot_fallbacks_total["shop","en"]');
    expect(names).toContain('stratus_handoffs_total["shop","bot"]');
  });
});
