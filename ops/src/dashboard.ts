/**
 * The Grafana dashboard for a Stratus deployment, built with Grafana's Foundation SDK from the
 * panel list below. `npm run ops:build` writes it to ops/grafana/stratus-dashboard.json (import it
 * in Grafana, or provision it). The real-Prometheus test runs every panel query against a live
 * stack, and the preview image in docs/operations.md is drawn from the same queries.
 */
import { DashboardBuilder, DatasourceVariableBuilder, QueryVariableBuilder, RowBuilder } from "@grafana/grafana-foundation-sdk/dashboard";
import { DataqueryBuilder } from "@grafana/grafana-foundation-sdk/prometheus";
import { PanelBuilder } from "@grafana/grafana-foundation-sdk/timeseries";
import {
  LegendDisplayMode,
  LegendPlacement,
  StackingConfigBuilder,
  StackingMode,
  VizLegendOptionsBuilder,
} from "@grafana/grafana-foundation-sdk/common";
import { bucket, counter, gauge, histogramCount, histogramSum } from "./metric-names.ts";

export interface PanelQuery {
  expr: string;
  legend: string;
}

export interface DashboardPanel {
  title: string;
  description: string;
  /** A Grafana unit id: cps (counts/s), s, percentunit, short. */
  unit: string;
  stacked?: boolean;
  queries: PanelQuery[];
}

export interface DashboardRow {
  title: string;
  panels: DashboardPanel[];
}

/** Grafana's own variables in the queries: the bot selection, and the rate window Grafana picks. */
export const BOT = '$bot';
export const RATE_WINDOW = "$__rate_interval";

/** A panel query as Grafana sends it with "All" bots chosen and a given rate window (the tests, the preview). */
export const grafanaQuery = (expr: string, rateWindow = "1m"): string => expr.replaceAll(BOT, ".*").replaceAll(RATE_WINDOW, rateWindow);

const bots = `bot=~"${BOT}"`;
const rate = (series: string): string => `rate(${series}[${RATE_WINDOW}])`;
const quantile = (q: number, histogram: string, by: string, selector = `{${bots}}`): string =>
  `histogram_quantile(${q}, sum by (${by}) (${rate(`${histogram}${selector}`)}))`;

const turns = counter("stratus_turns_total");
const intents = counter("stratus_intents_total");

export const DASHBOARD_ROWS: DashboardRow[] = [
  {
    title: "Traffic",
    panels: [
      {
        title: "Turns by outcome",
        description: "Turns closed per second: answered by the bot, answered with the pipeline fallback, or held for a human.",
        unit: "cps",
        stacked: true,
        queries: [{ expr: `sum by (outcome) (${rate(`${turns}{${bots}}`)})`, legend: "{{outcome}}" }],
      },
      {
        title: "Messages by role",
        description: "Messages written to transcripts per second: users, the bot, human agents.",
        unit: "cps",
        queries: [{ expr: `sum by (role) (${rate(`${counter("stratus_messages_total")}{${bots}}`)})`, legend: "{{role}}" }],
      },
      {
        title: "HTTP requests by route",
        description: "Gateway requests per second by route template and status code.",
        unit: "reqps",
        queries: [{ expr: `sum by (route, status) (${rate(counter("stratus_http_requests_total"))})`, legend: "{{route}} {{status}}" }],
      },
      {
        title: "Open WebSockets",
        description: "Client WebSockets open now, by bot.",
        unit: "short",
        queries: [{ expr: `sum by (bot) (${gauge("stratus_websockets_open")}{${bots}})`, legend: "{{bot}}" }],
      },
    ],
  },
  {
    title: "Latency",
    panels: [
      {
        title: "Turn latency, end to end",
        description: "From the user message being stored to the bot's answer, every attempt included.",
        unit: "s",
        queries: [0.5, 0.95, 0.99].map((q) => ({
          expr: quantile(q, bucket("stratus_turn_duration_seconds"), "le", `{${bots},outcome="answered"}`),
          legend: `p${q * 100}`,
        })),
      },
      {
        title: "Latency per stage (p95)",
        description:
          "conversation: waiting behind the conversation's earlier turns; intent_queue / dialogue_queue: time in each queue; nlu; dialogue (backend actions included); return: back to the conversation. Queue and return stages subtract two machines' clocks.",
        unit: "s",
        queries: [{ expr: quantile(0.95, bucket("stratus_turn_stage_duration_seconds"), "le, stage"), legend: "{{stage}}" }],
      },
      {
        title: "Mean time per stage",
        description: "Where a turn's time goes on average, stage by stage (stacked: the total is the mean turn).",
        unit: "s",
        stacked: true,
        queries: [
          {
            expr: `sum by (stage) (${rate(`${histogramSum("stratus_turn_stage_duration_seconds")}{${bots}}`)}) / sum by (stage) (${rate(`${histogramCount("stratus_turn_stage_duration_seconds")}{${bots}}`)})`,
            legend: "{{stage}}",
          },
        ],
      },
      {
        title: "HTTP latency by route (p99)",
        description: "A long-poll (?wait=) counts the wait: POST …/messages?wait= includes the bot's answer.",
        unit: "s",
        queries: [{ expr: quantile(0.99, bucket("stratus_http_request_duration_seconds"), "le, route", ""), legend: "{{route}}" }],
      },
    ],
  },
  {
    title: "Understanding",
    panels: [
      {
        title: "Intent mix",
        description: "Intents of bot-answered turns per second, out_of_scope included.",
        unit: "cps",
        stacked: true,
        queries: [{ expr: `sum by (intent) (${rate(`${intents}{${bots}}`)})`, legend: "{{intent}}" }],
      },
      {
        title: "Out-of-scope rate",
        description: "Share of turns whose message the bot's model found out of scope.",
        unit: "percentunit",
        queries: [
          {
            expr: `sum by (bot) (${rate(`${intents}{${bots},intent="out_of_scope"}`)}) / sum by (bot) (${rate(`${intents}{${bots}}`)})`,
            legend: "{{bot}}",
          },
        ],
      },
      {
        title: "Intent confidence",
        description: "Median and 10th percentile of the best intent's confidence.",
        unit: "percentunit",
        queries: [0.5, 0.1].map((q) => ({
          expr: quantile(q, bucket("stratus_intent_confidence_ratio"), "le"),
          legend: q === 0.5 ? "median" : "p10",
        })),
      },
    ],
  },
  {
    title: "Outcomes",
    panels: [
      {
        title: "Fallback and handoff rates",
        description: "Bot fallbacks (not understood) and handoffs to a human, as a share of bot-answered turns.",
        unit: "percentunit",
        queries: [
          {
            expr: `sum(${rate(`${counter("stratus_bot_fallbacks_total")}{${bots}}`)}) / sum(${rate(`${turns}{${bots},outcome="answered"}`)})`,
            legend: "fallback",
          },
          {
            expr: `sum(${rate(`${counter("stratus_handoffs_total")}{${bots}}`)}) / sum(${rate(`${turns}{${bots},outcome="answered"}`)})`,
            legend: "handoff",
          },
        ],
      },
      {
        title: "Forms",
        description: "Forms completed and cancelled per second.",
        unit: "cps",
        queries: [{ expr: `sum by (form, outcome) (${rate(`${counter("stratus_forms_total")}{${bots}}`)})`, legend: "{{form}} {{outcome}}" }],
      },
      {
        title: "Backend action calls",
        description: "Calls to the bots' backends per second by outcome: matched is a handled answer; the rest said the action's onError.",
        unit: "cps",
        queries: [{ expr: `sum by (action, outcome) (${rate(`${counter("stratus_action_calls_total")}{${bots}}`)})`, legend: "{{action}} {{outcome}}" }],
      },
      {
        title: "Backend action duration (p95)",
        description: "Time a backend action call took, retries included.",
        unit: "s",
        queries: [{ expr: quantile(0.95, bucket("stratus_action_duration_seconds"), "le, action"), legend: "{{action}}" }],
      },
    ],
  },
  {
    title: "Errors and reliability",
    panels: [
      {
        title: "HTTP errors by status",
        description: "4xx: clients' mistakes (bad input, wrong token, rate limits); 5xx: the gateway's.",
        unit: "reqps",
        queries: [{ expr: `sum by (status) (${rate(`${counter("stratus_http_requests_total")}{status=~"[45].."}`)})`, legend: "{{status}}" }],
      },
      {
        title: "Queue retries",
        description: "Queue messages a consumer failed (retried) or could not read, per second.",
        unit: "cps",
        queries: [{ expr: `sum by (queue, result) (${rate(`${counter("stratus_queue_messages_total")}{result!="acked"}`)})`, legend: "{{queue}} {{result}}" }],
      },
      {
        title: "Dead letters",
        description: "Turns a queue gave up on after its retries.",
        unit: "cps",
        queries: [{ expr: `sum by (queue) (${rate(counter("stratus_dead_letters_total"))})`, legend: "{{queue}}" }],
      },
      {
        title: "Re-dispatches and pipeline fallbacks",
        description: "Turns sent again by the watchdog or after a dead letter, and turns answered with the pipeline's apology.",
        unit: "cps",
        queries: [
          { expr: `sum by (cause) (${rate(`${counter("stratus_turn_dispatches_total")}{${bots},cause!="message"}`)})`, legend: "re-dispatch: {{cause}}" },
          { expr: `sum by (cause) (${rate(`${counter("stratus_pipeline_fallbacks_total")}{${bots}}`)})`, legend: "fallback: {{cause}}" },
        ],
      },
      {
        title: "Duplicate and late results",
        description: "Dialogue results not applied: a queue's duplicate delivery, or a result for a turn already answered or held.",
        unit: "cps",
        queries: [{ expr: `sum by (reason) (${rate(`${counter("stratus_turn_results_dropped_total")}{${bots}}`)})`, legend: "{{reason}}" }],
      },
      {
        title: "Rate-limited requests",
        description: "Requests and WebSocket frames refused by a rate limit.",
        unit: "cps",
        queries: [{ expr: `sum by (channel, limiter) (${rate(counter("stratus_rate_limited_total"))})`, legend: "{{channel}} {{limiter}}" }],
      },
    ],
  },
];

export const DASHBOARD_UID = "stratus-overview";

/** The dashboard as Grafana's JSON model. */
export function buildDashboard(): unknown {
  const datasource = { type: "prometheus", uid: "${datasource}" };
  const dashboard = new DashboardBuilder("Stratus")
    .uid(DASHBOARD_UID)
    .description("A Stratus deployment: traffic, latency per stage, understanding, outcomes, errors. Generated by ops/src/dashboard.ts.")
    .tags(["stratus", "chatbot"])
    .refresh("30s")
    .time({ from: "now-3h", to: "now" })
    .timezone("browser")
    .withVariable(new DatasourceVariableBuilder("datasource").label("Prometheus").type("prometheus"))
    .withVariable(
      new QueryVariableBuilder("bot")
        .label("Bot")
        .datasource(datasource)
        .query(`label_values(${turns}, bot)`)
        .multi(true)
        .includeAll(true)
        .allValue(".*"),
    );
  let id = 0;
  for (const row of DASHBOARD_ROWS) {
    dashboard.withRow(new RowBuilder(row.title).id(++id));
    // Four panels to a line, or three.
    const width = row.panels.length % 4 === 0 ? 6 : 8;
    for (const panel of row.panels) {
      const builder = new PanelBuilder()
        .id(++id)
        .title(panel.title)
        .description(panel.description)
        .unit(panel.unit)
        .datasource(datasource)
        .min(0)
        .legend(new VizLegendOptionsBuilder().showLegend(true).displayMode(LegendDisplayMode.List).placement(LegendPlacement.Bottom))
        .span(width)
        .height(8);
      if (panel.stacked) builder.stacking(new StackingConfigBuilder().mode(StackingMode.Normal));
      panel.queries.forEach((query, index) => {
        builder.withTarget(
          new DataqueryBuilder()
            .expr(query.expr)
            .legendFormat(query.legend)
            .refId(String.fromCharCode(65 + index))
            .datasource(datasource),
        );
      });
      dashboard.withPanel(builder);
    }
  }
  return dashboard.build();
}

export const dashboardJson = (): string => `${JSON.stringify(buildDashboard(), null, 2)}\n`;
