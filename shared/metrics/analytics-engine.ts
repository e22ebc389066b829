/**
 * Optional, production only: every closed turn also written as one Workers Analytics Engine data
 * point, when the gateway has an Analytics Engine dataset bound as STRATUS_ANALYTICS. Writing is
 * fire-and-forget (no subrequest, nothing awaited). Locally Analytics Engine stores nothing, so
 * the aggregated Prometheus path is what runs and is tested; this module only shapes the point.
 *
 * Layout (query it with Analytics Engine's SQL API):
 *   index1  bot
 *   blob1…7 bot, locale, outcome, intent, pipeline fallback cause, "fallback" if the bot fell back,
 *           "handoff" if it handed off ("" when not)
 *   double1 end-to-end ms, double2 confidence, double3…8 ms in the stages conversation,
 *           intent_queue, nlu, dialogue_queue, dialogue, return (−1 when unknown), double9 replies,
 *           double10 attempts, double11 backend action calls, double12 of them not matched
 */
import { z } from "zod";
import { definePlatformEnv, envParser } from "../env.ts";
import { TURN_STAGES } from "./catalogue.ts";
import { botId, foldLabel, intentOf, localeOf, type LabelBounds } from "./label-domains.ts";
import type { TurnFacts } from "./turn-facts.ts";

const isDataset = (value: unknown): value is AnalyticsEngineDataset =>
  typeof value === "object" && value !== null && typeof (value as { writeDataPoint?: unknown }).writeDataPoint === "function";

const AnalyticsConfigSchema = definePlatformEnv({
  STRATUS_ANALYTICS: z.custom<AnalyticsEngineDataset>(isDataset, "not an Analytics Engine dataset binding").optional(),
});
const analyticsConfig = envParser(AnalyticsConfigSchema);

/** The Analytics Engine dataset bound as STRATUS_ANALYTICS, if any. */
export const turnAnalyticsDataset = (env: object): AnalyticsEngineDataset | undefined => analyticsConfig(env).STRATUS_ANALYTICS;

export function turnDataPoint(facts: TurnFacts, bounds: LabelBounds): AnalyticsEngineDataPoint {
  const labels = { bot: facts.bot, locale: facts.locale, intent: facts.intent ?? "" };
  const bot = foldLabel(botId(), facts.bot, labels, bounds);
  const actions = facts.decision?.actions ?? [];
  return {
    indexes: [bot],
    blobs: [
      bot,
      foldLabel(localeOf("bot"), facts.locale, labels, bounds),
      facts.outcome,
      facts.intent === undefined ? "" : foldLabel(intentOf("bot"), facts.intent, labels, bounds),
      facts.fallbackCause ?? "",
      facts.decision?.fallback ? "fallback" : "",
      facts.handoff ? "handoff" : "",
    ],
    doubles: [
      facts.durationMs ?? -1,
      facts.confidence ?? -1,
      ...TURN_STAGES.map((stage) => facts.stages?.[stage] ?? -1),
      facts.replies,
      facts.attempts,
      actions.length,
      actions.filter((call) => call.outcome !== "matched").length,
    ],
  };
}
