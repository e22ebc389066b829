/**
 * Every metric Stratus exports, in one table: its name, help text, type, labels (each with the
 * bounded set its values come from) and, for histograms, the bucket bounds. The recorders, the
 * aggregating Durable Object, the `/metrics` writer, the Grafana dashboard and the alert rules'
 * tests all read this table, so a metric is renamed or relabelled in one place.
 *
 * Names follow Prometheus conventions: `stratus_` prefix, base units (`_seconds`), `_total` for
 * counters, `_ratio` for a 0–1 quantity. A label's values are bounded (label-domains.ts): bot ids
 * from the deployment's catalog, a bot's own locales, intents, actions and forms, route templates,
 * status codes, and fixed lists — never ids, text, tokens or user data.
 */
import { RATE_LIMITERS, limiterLabel, type RateLimiterName } from "../rate-limits.ts";
import { ActionCallOutcomeSchema } from "../schemas/dialogue.ts";
import {
  actionOf,
  botId,
  formOf,
  httpStatus,
  intentOf,
  localeOf,
  methodOf,
  oneOf,
  routeTemplate,
  type LabelDomain,
} from "./label-domains.ts";

/** Seconds: a turn takes milliseconds locally and can take up to the 30 s long-poll. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as const;
/** Intent confidence, 0–1. */
export const CONFIDENCE_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1] as const;

type Labels = Record<string, LabelDomain>;

interface MetricShape<Type extends "counter" | "gauge" | "histogram", L extends Labels> {
  type: Type;
  help: string;
  labels: L;
}
export type CounterDefinition<L extends Labels = Labels> = MetricShape<"counter", L>;
/** Gauges here are sums of deltas (+1 on open, −1 on close) from every isolate. */
export type GaugeDefinition<L extends Labels = Labels> = MetricShape<"gauge", L>;
export interface HistogramDefinition<L extends Labels = Labels> extends MetricShape<"histogram", L> {
  /** Upper bounds, ascending; `+Inf` is implied. */
  buckets: readonly number[];
}
export type MetricDefinition = CounterDefinition | GaugeDefinition | HistogramDefinition;

const counter = <const L extends Labels>(help: string, labels: L): CounterDefinition<L> => ({ type: "counter", help, labels });
const gauge = <const L extends Labels>(help: string, labels: L): GaugeDefinition<L> => ({ type: "gauge", help, labels });
const histogram = <const L extends Labels>(help: string, labels: L, buckets: readonly number[]): HistogramDefinition<L> => ({
  type: "histogram",
  help,
  labels,
  buckets,
});

/** Stages of a turn, in order (stage-timings.ts says how each one is measured). */
export const TURN_STAGES = ["conversation", "intent_queue", "nlu", "dialogue_queue", "dialogue", "return"] as const;
export const TURN_OUTCOMES = ["answered", "fallback", "held"] as const;
export const QUEUES = ["intent", "dialogue"] as const;
/** What a development build's fault injection did to a delivery (shared/fault-injection.ts). */
export const INJECTED_FAULT_KINDS = ["throw", "stall", "duplicate"] as const;

export const METRICS = {
  // Gateway.
  stratus_http_requests_total: counter("HTTP requests the gateway answered, by route template, method and status code.", {
    route: routeTemplate(),
    method: methodOf("route"),
    status: httpStatus(),
  }),
  stratus_http_request_duration_seconds: histogram(
    "Time the gateway took to answer an HTTP request (a ?wait= long-poll included).",
    { route: routeTemplate(), method: methodOf("route") },
    LATENCY_BUCKETS,
  ),
  stratus_rate_limited_total: counter("Requests, WebSocket frames and LLM fallback calls refused by a rate limit.", {
    channel: oneOf(["http", "websocket", "pipeline"]),
    limiter: oneOf(Object.keys(RATE_LIMITERS).map((name) => limiterLabel(name as RateLimiterName))),
  }),
  stratus_dead_letters_total: counter("Turns a queue gave up on after its retries (consumed by the gateway).", {
    queue: oneOf(QUEUES),
  }),
  stratus_reports_lost_total: counter(
    "Analytics reports and directory entries that could not be sent to the analytics queue after three tries (the turn itself is answered).",
    { kind: oneOf(["report", "entry"]) },
  ),

  // Conversation Durable Object: one count per turn, when the turn closes.
  stratus_messages_total: counter("Messages written to transcripts, by bot, locale and role.", {
    bot: botId(),
    locale: localeOf("bot"),
    role: oneOf(["user", "bot", "agent"]),
  }),
  stratus_turns_total: counter(
    "Turns closed: answered by the bot, answered with the pipeline fallback, or held for a human operator.",
    { bot: botId(), locale: localeOf("bot"), outcome: oneOf(TURN_OUTCOMES) },
  ),
  stratus_turn_duration_seconds: histogram(
    "End to end: from the user message being stored to its turn closing, every attempt included.",
    { bot: botId(), outcome: oneOf(TURN_OUTCOMES) },
    LATENCY_BUCKETS,
  ),
  stratus_turn_stage_duration_seconds: histogram(
    "Time a bot-answered turn spent in each stage of the pipeline (cross-machine stages include clock skew).",
    { bot: botId(), stage: oneOf(TURN_STAGES) },
    LATENCY_BUCKETS,
  ),
  stratus_intents_total: counter("Intents of bot-answered turns, out_of_scope included.", {
    bot: botId(),
    locale: localeOf("bot"),
    intent: intentOf("bot"),
  }),
  stratus_intent_confidence_ratio: histogram(
    "Confidence of the best intent of bot-answered turns.",
    { bot: botId(), locale: localeOf("bot") },
    CONFIDENCE_BUCKETS,
  ),
  stratus_bot_fallbacks_total: counter("Turns the bot did not understand (its fallback answered).", {
    bot: botId(),
    locale: localeOf("bot"),
  }),
  stratus_handoffs_total: counter("Conversations handed to a human: by the bot, or by an operator.", {
    bot: botId(),
    trigger: oneOf(["bot", "operator"]),
  }),
  stratus_forms_total: counter("Forms that ended in a turn: completed, or cancelled.", {
    bot: botId(),
    form: formOf("bot"),
    outcome: oneOf(["completed", "cancelled"]),
  }),
  stratus_action_calls_total: counter(
    "Backend action calls of bot-answered turns, by outcome: matched (one of the action's outcomes handled the answer), unmatched, badJson, failed (timeout or network error, after retries), notSent (an env var missing).",
    { bot: botId(), action: actionOf("bot"), outcome: oneOf(ActionCallOutcomeSchema.options) },
  ),
  stratus_action_duration_seconds: histogram(
    "Duration of backend action calls, retries included.",
    { bot: botId(), action: actionOf("bot") },
    LATENCY_BUCKETS,
  ),
  stratus_turn_dispatches_total: counter(
    "Turns sent to the intent queue: for a new message, again after the watchdog or a dead letter, or replayed by an operator.",
    { bot: botId(), cause: oneOf(["message", "watchdog", "dead_letter", "replay"]) },
  ),
  stratus_turn_dispatch_failures_total: counter("Turns the conversation could not send to the intent queue (the watchdog sends them again).", {
    bot: botId(),
  }),
  stratus_pipeline_fallbacks_total: counter(
    "Turns answered with the pipeline fallback after their last attempt, by what ended the last attempt.",
    { bot: botId(), cause: oneOf(["watchdog", "dead_letter", "replay"]) },
  ),
  stratus_turn_results_dropped_total: counter(
    "Dialogue results the conversation did not apply: a duplicate delivery, a late result for a held or answered turn.",
    { bot: botId(), reason: oneOf(["already_answered", "held", "unknown_turn"]) },
  ),
  stratus_websockets_open: gauge("Client WebSockets open now (opened minus closed).", { bot: botId() }),

  // Queue consumers (intent and dialogue Workers).
  stratus_queue_messages_total: counter(
    "Queue messages handled by a consumer: acked, retried after a failure, or retried as unreadable.",
    { queue: oneOf(QUEUES), result: oneOf(["acked", "retried", "invalid"]) },
  ),
  // Compiled out of deploy bundles with the rest of the fault code: 0 in a deployment.
  stratus_injected_faults_total: counter(
    "Faults a development build injected on purpose (FAULT_INJECTION on): a delivery that threw, a delivery that stalled, a message sent on twice, by the stage it hit.",
    { stage: oneOf(QUEUES), kind: oneOf(INJECTED_FAULT_KINDS) },
  ),

  // The aggregating Durable Object's own bookkeeping.
  stratus_metrics_flushes_total: counter(
    "Metric flushes from isolates: applied, or ignored as an already-applied retry.",
    { result: oneOf(["applied", "duplicate"]) },
  ),
  stratus_metrics_series_dropped_total: counter(
    "Series of a flush the aggregator could not use: a metric or layout it does not know (a deploy in progress).",
    { reason: oneOf(["unknown_metric", "malformed"]) },
  ),
} as const satisfies Record<string, MetricDefinition>;

export type Catalogue = typeof METRICS;
export type MetricName = keyof Catalogue;
type NamesOfType<T extends MetricDefinition["type"]> = {
  [N in MetricName]: Catalogue[N]["type"] extends T ? N : never;
}[MetricName];
export type CounterName = NamesOfType<"counter">;
export type GaugeName = NamesOfType<"gauge">;
export type HistogramName = NamesOfType<"histogram">;
/** The labels a metric takes, each as a string (values outside its domain are folded into `other`). */
export type LabelsOf<N extends MetricName> = { [L in keyof Catalogue[N]["labels"]]: string };

export const METRIC_NAMES = Object.keys(METRICS) as MetricName[];

export function metricDefinition(name: string): MetricDefinition | undefined {
  return Object.hasOwn(METRICS, name) ? METRICS[name as MetricName] : undefined;
}

/** A metric's label names in the order its series store their values. */
export function labelNames(definition: MetricDefinition): string[] {
  return Object.keys(definition.labels);
}
