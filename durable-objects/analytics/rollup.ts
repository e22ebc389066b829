import { OUT_OF_SCOPE, type AnalyticsReport, type Locale, type RollupFigures, type VersionRollupFigures } from "../../shared/schemas/index.ts";
import { addToBuckets, latencyBucket } from "./latency-histogram.ts";

/** An intent or action name beyond this many in one minute's row is counted under OTHER_NAME: rows stay small. */
export const MAX_NAMES_PER_ROW = 100;
export const OTHER_NAME = "(other)";

export const emptyFigures = (): RollupFigures => ({
  conversations: 0,
  handedOffConversations: 0,
  turns: 0,
  turnsBot: 0,
  turnsPipelineFallback: 0,
  turnsHeld: 0,
  userMessages: 0,
  botMessages: 0,
  agentMessages: 0,
  botFallbacks: 0,
  outOfScope: 0,
  unrecognised: 0,
  handoffsBot: 0,
  handoffsOperator: 0,
  actionCalls: 0,
  actionFailures: 0,
  intents: {},
  actions: {},
  latency: {},
  recommendationsShown: 0,
  recommendationsClicked: 0,
});

export const minuteOf = (at: number): number => Math.floor(at / 60_000);

/** The rows one report changes, by minute and locale (a handoff also changes its conversation's first minute). */
export type RowAt = (minute: number, locale: Locale) => RollupFigures;

/** Whether a turn is one the bot did not understand: the text of such turns is what a bot may keep. */
export function isUnrecognised(fact: { outcome: string; intent?: string | undefined; botFallback: boolean }): boolean {
  return fact.outcome === "bot" && (fact.intent === OUT_OF_SCOPE || fact.botFallback);
}

/**
 * Adds one report's fact to the rows it concerns. Every figure is a count, so rows add up across
 * minutes. A user's conversation is not a minute's figure: it is counted per user and day (user-days.ts).
 */
export function addReport(report: AnalyticsReport, rowAt: RowAt): void {
  const { fact } = report;
  if (fact.kind === "user_conversation") return;
  const row = rowAt(minuteOf(fact.at), fact.locale);
  switch (fact.kind) {
    case "turn": {
      row.turns++;
      row.userMessages++;
      row.botMessages += fact.botReplies;
      if (fact.startsConversation) {
        row.conversations++;
        if (fact.startsHandedOff) row.handedOffConversations++;
      }
      if (fact.outcome === "bot") row.turnsBot++;
      else if (fact.outcome === "fallback") row.turnsPipelineFallback++;
      else row.turnsHeld++;
      const latency = String(latencyBucket(fact.latencyMs));
      row.latency[latency] = (row.latency[latency] ?? 0) + 1;
      if (fact.intent !== undefined) {
        const intent = boundedName(row.intents, fact.intent);
        row.intents[intent] = (row.intents[intent] ?? 0) + 1;
      }
      if (fact.intent === OUT_OF_SCOPE) row.outOfScope++;
      if (fact.botFallback) row.botFallbacks++;
      if (isUnrecognised(fact)) row.unrecognised++;
      for (const call of fact.actions) {
        const action = boundedName(row.actions, call.action);
        const [calls, failures] = row.actions[action] ?? [0, 0];
        row.actions[action] = [calls + 1, failures + (call.failed ? 1 : 0)];
        row.actionCalls++;
        if (call.failed) row.actionFailures++;
      }
      return;
    }
    case "handoff":
      if (fact.by === "bot") row.handoffsBot++;
      else row.handoffsOperator++;
      if (fact.cohort) rowAt(fact.cohort.minute, fact.cohort.locale).handedOffConversations++;
      return;
    case "agent_message":
      row.agentMessages++;
      return;
    case "recommendation":
      row.recommendationsShown += fact.shown;
      row.recommendationsClicked += fact.clicked;
      return;
  }
}

/** The key that makes a report count once: the conversation, and the turn, handoff or message it is about. */
export function reportKey(report: AnalyticsReport): string {
  const { fact } = report;
  const which = fact.kind === "handoff" ? fact.ordinal : fact.kind === "user_conversation" ? fact.userKey : fact.seq;
  return `${report.conversationId}:${fact.kind}:${which}`;
}

function boundedName(counts: Record<string, unknown>, name: string): string {
  if (Object.hasOwn(counts, name)) return name;
  return Object.keys(counts).length < MAX_NAMES_PER_ROW - 1 ? name : OTHER_NAME;
}

/** Adds `from` into `into`, field by field. */
export function addFigures(into: RollupFigures, from: RollupFigures): void {
  for (const key of COUNT_FIELDS) into[key] += from[key];
  for (const [intent, count] of Object.entries(from.intents)) into.intents[intent] = (into.intents[intent] ?? 0) + count;
  for (const [action, [calls, failures]] of Object.entries(from.actions)) {
    const [c, f] = into.actions[action] ?? [0, 0];
    into.actions[action] = [c + calls, f + failures];
  }
  addToBuckets(into.latency, from.latency);
}

type CountField = { [K in keyof RollupFigures]: RollupFigures[K] extends number ? K : never }[keyof RollupFigures];
const COUNT_FIELDS = (Object.keys(emptyFigures()) as (keyof RollupFigures)[]).filter(
  (key): key is CountField => typeof emptyFigures()[key] === "number",
);

/** The figures of a version row (VersionRollupFiguresSchema), all zero. */
export const emptyVersionFigures = (): VersionRollupFigures => ({
  conversations: 0,
  handedOffConversations: 0,
  turns: 0,
  turnsBot: 0,
  botFallbacks: 0,
  outOfScope: 0,
  handoffsBot: 0,
  handoffsOperator: 0,
});

const VERSION_FIELDS = Object.keys(emptyVersionFigures()) as (keyof VersionRollupFigures)[];

/** The version rows one report changes, by minute and locale (its version is the report's). */
export type VersionRowAt = (minute: number, locale: Locale) => VersionRollupFigures;

/**
 * Adds one report's fact to its version's rows (docs/bot-versions.md): the same counting as
 * `addReport`, kept for the figures versions are compared by.
 */
export function addVersionReport(report: AnalyticsReport, rowAt: VersionRowAt): void {
  const scratch = new Map<string, { minute: number; locale: Locale; figures: RollupFigures }>();
  addReport(report, (minute, locale) => {
    const key = `${minute}:${locale}`;
    let row = scratch.get(key);
    if (!row) scratch.set(key, (row = { minute, locale, figures: emptyFigures() }));
    return row.figures;
  });
  for (const { minute, locale, figures } of scratch.values()) {
    const row = rowAt(minute, locale);
    for (const field of VERSION_FIELDS) row[field] += figures[field];
  }
}

/** Adds `from` into `into`, field by field. */
export function addVersionFigures(into: VersionRollupFigures, from: VersionRollupFigures): void {
  for (const field of VERSION_FIELDS) into[field] += from[field];
}
