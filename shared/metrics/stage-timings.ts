/**
 * A turn's time in each stage of the pipeline, from the timestamps it carried (TurnTimingsSchema):
 *
 *   conversation    message stored → dispatched        waiting behind the conversation's earlier
 *                                                      turns, and any earlier failed attempt
 *   intent_queue    dispatched → intent Worker starts  the intent queue
 *   nlu             intent Worker starts → ends        NLU
 *   dialogue_queue  intent Worker ends → dialogue starts  the dialogue queue
 *   dialogue        dialogue Worker starts → ends      rules, forms, backend actions
 *   return          dialogue Worker ends → applied     the RPC back to the conversation
 *
 * What the figures mean in production: `conversation`, `nlu` and `dialogue` subtract two readings
 * of one machine's clock; `intent_queue`, `dialogue_queue` and `return` subtract readings of two
 * machines' clocks, so they carry the skew between them (NTP-synchronised, typically well under the
 * queues' own latency, but not guaranteed): a negative difference is counted as 0. Workers' clocks
 * also advance only across I/O (a Spectre mitigation), so pure CPU work such as NLU reads as ~0 in
 * production (its CPU time is in Workers' own CPU-time metrics); locally, workerd's clock may
 * advance during CPU work too. The end-to-end duration (stored → closed) reads one clock, the object's.
 */
import type { TurnTimings } from "../schemas/queue.ts";
import type { TURN_STAGES } from "./catalogue.ts";

export type TurnStage = (typeof TURN_STAGES)[number];

/** Milliseconds per stage, for the stages whose two ends the turn carries. */
export function stageDurations(timings: TurnTimings, turn: { openedAt: number | null; appliedAt: number }): Partial<Record<TurnStage, number>> {
  const between = (start: number | null | undefined, end: number | null | undefined): number | undefined =>
    start === undefined || start === null || end === undefined || end === null ? undefined : Math.max(0, end - start);
  const stages: Partial<Record<TurnStage, number | undefined>> = {
    conversation: between(turn.openedAt, timings.dispatchedAt),
    intent_queue: between(timings.dispatchedAt, timings.intentStartedAt),
    nlu: between(timings.intentStartedAt, timings.intentEndedAt),
    dialogue_queue: between(timings.intentEndedAt, timings.dialogueStartedAt),
    dialogue: between(timings.dialogueStartedAt, timings.dialogueEndedAt),
    return: between(timings.dialogueEndedAt, turn.appliedAt),
  };
  const known: Partial<Record<TurnStage, number>> = {};
  for (const [stage, ms] of Object.entries(stages) as [TurnStage, number | undefined][]) if (ms !== undefined) known[stage] = ms;
  return known;
}
