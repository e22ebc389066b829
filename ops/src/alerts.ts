/**
 * Alert rules for a Stratus deployment, and the `promtool test rules` cases that prove each one:
 * it fires on the failure it is named after, and stays quiet on healthy traffic. `npm run ops:build`
 * writes them to ops/prometheus/alerts.yml and alerts.test.yml; the tests check those files are
 * up to date and run promtool on them.
 */
import { LATENCY_BUCKETS, type LabelsOf, type MetricName } from "../../shared/metrics/catalogue.ts";
import { bucket, counter } from "./metric-names.ts";

/** The turn latency objective: 99% of bot answers within this many seconds, end to end. */
export const TURN_LATENCY_SLO_SECONDS = 2.5;

export interface AlertRule {
  alert: string;
  expr: string;
  for?: string;
  severity: "critical" | "warning";
  summary: string;
  /** May use `{{ $labels.NAME }}` for labels the expression keeps. */
  description: string;
}

export interface InputSeries {
  series: string;
  values: string;
}

export interface AlertCase {
  /** What the case shows, e.g. "fires when half the turns fall back". */
  name: string;
  input: InputSeries[];
  /** When to look, and the labels of every alert expected to fire then (none: quiet). */
  evalTime: string;
  firing: Record<string, string>[];
}

/** One input series of a test: a catalogue metric with all its labels, values in promtool's notation. */
export function series<N extends MetricName>(name: N, labels: LabelsOf<N>, values: string): InputSeries {
  return { series: `${name}${selector(labels)}`, values };
}

/** A histogram's `_bucket` series: `values(le)` gives each bucket's cumulative values. */
export function histogramBuckets<N extends Extract<MetricName, `${string}_seconds`>>(
  name: N,
  labels: LabelsOf<N>,
  values: (le: number) => string,
): InputSeries[] {
  return [...LATENCY_BUCKETS, Infinity].map((le) => ({
    series: `${name}_bucket${selector({ ...labels, le: le === Infinity ? "+Inf" : String(le) })}`,
    values: values(le),
  }));
}

const selector = (labels: Record<string, string>): string =>
  `{${Object.entries(labels)
    .map(([name, value]) => `${name}="${value}"`)
    .join(",")}}`;

const turns = counter("stratus_turns_total");
const intents = counter("stratus_intents_total");
const outOfScopeRatio = (window: string): string =>
  `(sum by (bot) (rate(${intents}{intent="out_of_scope"}[${window}])) / sum by (bot) (rate(${intents}[${window}])))`;
const http = counter("stratus_http_requests_total");
const actions = counter("stratus_action_calls_total");

export const ALERT_RULES: AlertRule[] = [
  {
    alert: "StratusTurnLatencyOverSLO",
    expr: `histogram_quantile(0.99, sum by (bot, le) (rate(${bucket("stratus_turn_duration_seconds")}{outcome="answered"}[5m]))) > ${TURN_LATENCY_SLO_SECONDS}`,
    for: "10m",
    severity: "critical",
    summary: "Turn latency p99 over the SLO",
    description: `p99 of {{ $labels.bot }}'s bot-answered turns, end to end, has been over ${TURN_LATENCY_SLO_SECONDS} s for 10 minutes. The per-stage latency panels show which stage is slow.`,
  },
  {
    alert: "StratusBotFallbackRateHigh",
    expr:
      `sum by (bot) (rate(${counter("stratus_bot_fallbacks_total")}[15m])) / sum by (bot) (rate(${turns}{outcome="answered"}[15m])) > 0.25` +
      ` and sum by (bot) (increase(${turns}{outcome="answered"}[15m])) >= 20`,
    for: "15m",
    severity: "warning",
    summary: "The bot does not understand many messages",
    description: "More than a quarter of {{ $labels.bot }}'s turns end in its fallback answer: check the intent mix and the NLU training data.",
  },
  {
    alert: "StratusOutOfScopeRateJump",
    expr: `${outOfScopeRatio("30m")} > 2 * ${outOfScopeRatio("1d")} and ${outOfScopeRatio("30m")} > 0.1`,
    for: "15m",
    severity: "warning",
    summary: "Out-of-scope messages jumped",
    description: "The share of {{ $labels.bot }}'s messages understood as out_of_scope over the last 30 minutes is more than twice that of the last day: a new topic, a broken client, or a model regression.",
  },
  {
    alert: "StratusDeadLettersGrowing",
    expr: `sum by (queue) (increase(${counter("stratus_dead_letters_total")}[10m])) > 0`,
    for: "5m",
    severity: "warning",
    summary: "Turns are dead-lettered",
    description: "The {{ $labels.queue }} queue keeps giving up on turns after its retries: its consumer is failing. Users get the watchdog's retries and then the pipeline fallback.",
  },
  {
    alert: "StratusPipelineFallbacks",
    expr: `sum by (bot) (increase(${counter("stratus_pipeline_fallbacks_total")}[10m])) > 0`,
    severity: "warning",
    summary: "Users got the pipeline's apology",
    description: "Turns of {{ $labels.bot }} were answered with the pipeline fallback (\"having trouble answering\") after every attempt failed.",
  },
  {
    alert: "StratusHttp5xxRateHigh",
    expr: `sum(rate(${http}{status=~"5.."}[5m])) / sum(rate(${http}[5m])) > 0.01`,
    for: "5m",
    severity: "critical",
    summary: "The gateway answers with server errors",
    description: "More than 1% of the gateway's HTTP responses have been 5xx for 5 minutes.",
  },
  {
    alert: "StratusBackendActionErrors",
    expr:
      `sum by (bot, action) (rate(${actions}{outcome!="matched"}[10m])) / sum by (bot, action) (rate(${actions}[10m])) > 0.1`,
    for: "10m",
    severity: "warning",
    summary: "A bot's backend action is failing",
    description: "More than 10% of {{ $labels.bot }}'s {{ $labels.action }} calls fail (no matching outcome, bad JSON, timeout or not sent): the business backend may be down.",
  },
  {
    alert: "StratusNoTraffic",
    expr: `sum(increase(${counter("stratus_messages_total")}{role="user"}[30m])) == 0 or absent(${counter("stratus_messages_total")})`,
    for: "10m",
    severity: "warning",
    summary: "No user messages at all",
    description: "No user message has reached any bot for 40 minutes: clients may not reach the gateway.",
  },
  {
    alert: "StratusScrapeFailing",
    expr: `up{job="stratus"} == 0`,
    for: "5m",
    severity: "critical",
    summary: "Prometheus cannot scrape the gateway",
    description: "GET /metrics on {{ $labels.instance }} has failed for 5 minutes (gateway down, or a wrong METRICS_TOKEN).",
  },
];

const ecommerce = { bot: "ecommerce" };

/** Every alert's cases: at least one where it fires and one where it stays quiet. */
export const ALERT_CASES: Record<string, AlertCase[]> = {
  StratusTurnLatencyOverSLO: [
    {
      name: "fires when every answer takes 2.5–5 s",
      input: histogramBuckets("stratus_turn_duration_seconds", { ...ecommerce, outcome: "answered" }, (le) => (le >= 5 ? "0+10x30" : "0x30")),
      evalTime: "20m",
      firing: [ecommerce],
    },
    {
      name: "quiet when answers take under half a second",
      input: histogramBuckets("stratus_turn_duration_seconds", { ...ecommerce, outcome: "answered" }, (le) => (le >= 0.5 ? "0+10x30" : "0x30")),
      evalTime: "20m",
      firing: [],
    },
  ],
  StratusBotFallbackRateHigh: [
    {
      name: "fires when half the turns fall back",
      input: [
        series("stratus_turns_total", { ...ecommerce, locale: "en", outcome: "answered" }, "0+10x60"),
        series("stratus_bot_fallbacks_total", { ...ecommerce, locale: "en" }, "0+5x60"),
      ],
      evalTime: "40m",
      firing: [ecommerce],
    },
    {
      name: "quiet at a tenth",
      input: [
        series("stratus_turns_total", { ...ecommerce, locale: "en", outcome: "answered" }, "0+10x60"),
        series("stratus_bot_fallbacks_total", { ...ecommerce, locale: "en" }, "0+1x60"),
      ],
      evalTime: "40m",
      firing: [],
    },
  ],
  StratusOutOfScopeRateJump: [
    {
      name: "fires when out-of-scope goes from 5% to a third",
      input: [
        series("stratus_intents_total", { ...ecommerce, locale: "en", intent: "greet" }, "0+95x1500"),
        series("stratus_intents_total", { ...ecommerce, locale: "en", intent: "out_of_scope" }, "0+5x1440 7250+50x60"),
      ],
      evalTime: "1d1h",
      firing: [ecommerce],
    },
    {
      name: "quiet while it stays at 5%",
      input: [
        series("stratus_intents_total", { ...ecommerce, locale: "en", intent: "greet" }, "0+95x1500"),
        series("stratus_intents_total", { ...ecommerce, locale: "en", intent: "out_of_scope" }, "0+5x1500"),
      ],
      evalTime: "1d1h",
      firing: [],
    },
  ],
  StratusDeadLettersGrowing: [
    {
      name: "fires while turns keep being dead-lettered",
      input: [series("stratus_dead_letters_total", { queue: "intent" }, "0+1x30")],
      evalTime: "20m",
      firing: [{ queue: "intent" }],
    },
    {
      name: "quiet with no dead letter",
      input: [series("stratus_dead_letters_total", { queue: "intent" }, "0x30")],
      evalTime: "20m",
      firing: [],
    },
  ],
  StratusPipelineFallbacks: [
    {
      name: "fires at once on one fallback",
      input: [series("stratus_pipeline_fallbacks_total", { ...ecommerce, cause: "watchdog" }, "0x5 1x25")],
      evalTime: "7m",
      firing: [ecommerce],
    },
    {
      name: "quiet ten minutes after it",
      input: [series("stratus_pipeline_fallbacks_total", { ...ecommerce, cause: "watchdog" }, "0x5 1x25")],
      evalTime: "20m",
      firing: [],
    },
  ],
  StratusHttp5xxRateHigh: [
    {
      name: "fires at 5% server errors",
      input: [
        series("stratus_http_requests_total", { route: "/v1/conversations/:id/messages", method: "POST", status: "200" }, "0+95x30"),
        series("stratus_http_requests_total", { route: "/v1/conversations/:id/messages", method: "POST", status: "500" }, "0+5x30"),
      ],
      evalTime: "15m",
      firing: [{}],
    },
    {
      name: "quiet when only clients err (4xx)",
      input: [
        series("stratus_http_requests_total", { route: "/v1/conversations/:id/messages", method: "POST", status: "200" }, "0+95x30"),
        series("stratus_http_requests_total", { route: "/v1/conversations/:id/messages", method: "POST", status: "400" }, "0+5x30"),
      ],
      evalTime: "15m",
      firing: [],
    },
  ],
  StratusBackendActionErrors: [
    {
      name: "fires when a third of the calls time out",
      input: [
        series("stratus_action_calls_total", { ...ecommerce, action: "lookup_order", outcome: "matched" }, "0+10x30"),
        series("stratus_action_calls_total", { ...ecommerce, action: "lookup_order", outcome: "failed" }, "0+5x30"),
      ],
      evalTime: "20m",
      firing: [{ ...ecommerce, action: "lookup_order" }],
    },
    {
      name: "quiet when every call is handled",
      input: [
        series("stratus_action_calls_total", { ...ecommerce, action: "lookup_order", outcome: "matched" }, "0+10x30"),
        series("stratus_action_calls_total", { ...ecommerce, action: "lookup_order", outcome: "failed" }, "0x30"),
      ],
      evalTime: "20m",
      firing: [],
    },
  ],
  StratusNoTraffic: [
    {
      name: "fires when the user message count stands still",
      input: [series("stratus_messages_total", { ...ecommerce, locale: "en", role: "user" }, "5x60")],
      evalTime: "50m",
      firing: [{}],
    },
    {
      name: "fires when there are no message series at all",
      input: [{ series: 'up{job="stratus",instance="gateway"}', values: "1x60" }],
      evalTime: "15m",
      firing: [{}],
    },
    {
      name: "quiet while users write",
      input: [series("stratus_messages_total", { ...ecommerce, locale: "en", role: "user" }, "0+1x60")],
      evalTime: "50m",
      firing: [],
    },
  ],
  StratusScrapeFailing: [
    {
      name: "fires when the scrape fails for 5 minutes",
      input: [{ series: 'up{job="stratus",instance="gateway"}', values: "1x5 0x20" }],
      evalTime: "15m",
      firing: [{ job: "stratus", instance: "gateway" }],
    },
    {
      name: "quiet while it succeeds",
      input: [{ series: 'up{job="stratus",instance="gateway"}', values: "1x20" }],
      evalTime: "15m",
      firing: [],
    },
  ],
};
