// `npm run plan -- --messages-per-second 5000 [--peak 12000] [--messages-per-conversation 8]
//   [--conversation-minutes 10] [--bot-mix ecommerce=0.6,finance=0.3,health=0.1]
//   [--residency finance=eu] [--retention-days 30] [--latency-slo-ms 1000]
//   [--websocket-share 0] [--headroom 0.8] [--outage-share 1] [--check-deployment] [--json]
//   [--chart FILE.svg]`
// The capacity and cost planner: the cheapest configuration that keeps the SLO and every
// Cloudflare limit, and its monthly bill per service, from the measured per-turn costs
// (bench/results/turn-cost.json) and Cloudflare's prices (planner/cloudflare-prices.json). With
// --chart it writes the cost-versus-traffic chart for 10 to 100,000 messages per second (the one
// in the docs is `npm run plan:docs`'s, like the plan files it cites). A bot whose bot.yaml
// has a residency jurisdiction (generated/catalog.json) is planned in that jurisdiction unless
// --residency says otherwise. Every Durable Object class and queue family is checked against
// Cloudflare's per-object and per-queue limits, with the shards each needs; --check-deployment
// checks the shards the committed configs have instead, and exits 1 when one is short.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { parseArgs } from "node:util";
import { PlanInputsSchema } from "../shared/schemas/capacity.ts";
import { BotCatalogSchema } from "../shared/schemas/catalog.ts";
import { describeZodError } from "../shared/zod-issues.ts";
import { costChartSvg, trafficSweep } from "../planner/chart.ts";
import { committedDeployment } from "../planner/deployment.ts";
import { planSources, readLatency, readPriceBook, readTurnCosts } from "../planner/files.ts";
import { PlanError, checkShards, plan } from "../planner/plan.ts";
import { formatDeploymentCheck, formatPlan } from "../planner/report.ts";

const { values } = parseArgs({
  options: {
    "messages-per-second": { type: "string" },
    peak: { type: "string" },
    "messages-per-conversation": { type: "string" },
    "conversation-minutes": { type: "string" },
    "bot-mix": { type: "string" },
    residency: { type: "string" },
    "retention-days": { type: "string" },
    "latency-slo-ms": { type: "string" },
    "websocket-share": { type: "string" },
    headroom: { type: "string" },
    "outage-share": { type: "string" },
    "check-deployment": { type: "boolean", default: false },
    json: { type: "boolean", default: false },
    chart: { type: "string" },
  },
});

/** `a=1,b=2` → { a: "1", b: "2" }. */
const pairs = (text: string | undefined): Record<string, string> =>
  Object.fromEntries((text ?? "").split(",").filter(Boolean).map((pair) => pair.split("=", 2).map((part) => part.trim()) as [string, string]));
const optionalNumber = (text: string | undefined) => (text === undefined ? undefined : Number(text));

function fail(message: string): never {
  console.error(`npm run plan: ${message}`);
  process.exit(1);
}

if (values["messages-per-second"] === undefined) fail("--messages-per-second is required (average user messages per second)");
const botMix = Object.fromEntries(Object.entries(pairs(values["bot-mix"])).map(([bot, share]) => [bot, Number(share)]));
/** The jurisdictions the bots' definitions ask for (npm run build:bots), for the bots in the mix. */
function botResidency(): Record<string, string> {
  const catalogPath = "generated/catalog.json";
  if (!existsSync(catalogPath)) return {};
  const catalog = BotCatalogSchema.parse(JSON.parse(readFileSync(catalogPath, "utf8")));
  return Object.fromEntries(catalog.bots.filter((bot) => bot.jurisdiction && bot.id in botMix).map((bot) => [bot.id, bot.jurisdiction!]));
}
const parsed = PlanInputsSchema.safeParse({
  messagesPerSecond: Number(values["messages-per-second"]),
  peakMessagesPerSecond: optionalNumber(values.peak),
  messagesPerConversation: optionalNumber(values["messages-per-conversation"]),
  conversationMinutes: optionalNumber(values["conversation-minutes"]),
  botMix,
  residency: { ...botResidency(), ...pairs(values.residency) },
  retentionDays: optionalNumber(values["retention-days"]),
  latencySloMs: optionalNumber(values["latency-slo-ms"]),
  websocketShare: optionalNumber(values["websocket-share"]),
  headroom: optionalNumber(values.headroom),
  outageShare: optionalNumber(values["outage-share"]),
});
if (!parsed.success) fail(describeZodError(parsed.error));
const inputs = parsed.data;

try {
  const prices = readPriceBook();
  const costs = readTurnCosts();
  const latency = readLatency();
  const deployment = committedDeployment();
  const result = plan(inputs, costs, latency, prices, deployment);
  const sources = planSources(costs, prices);
  console.log(values.json ? JSON.stringify({ ...result, context: undefined }, null, 2) : formatPlan(result, sources, deployment));

  if (values.chart) {
    // The same inputs at every traffic from 10 to 100,000 messages per second (the peak scaled alike).
    const peakRatio = inputs.peakMessagesPerSecond / inputs.messagesPerSecond;
    const points = trafficSweep(10, 100_000).map((messagesPerSecond) => ({
      messagesPerSecond,
      plan: plan({ ...inputs, messagesPerSecond, peakMessagesPerSecond: messagesPerSecond * peakRatio }, costs, latency, prices, deployment),
    }));
    const subtitle =
      `${inputs.messagesPerConversation} messages per conversation, peak ${peakRatio}× average, p99 SLO ${inputs.latencySloMs} ms, ` +
      `${inputs.retentionDays}-day retention; per-turn costs measured ${costs.measured_at.slice(0, 10)}`;
    mkdirSync(dirname(values.chart), { recursive: true });
    writeFileSync(values.chart, costChartSvg(points, subtitle));
    if (!values.json) console.log(`\nchart: ${values.chart} (10 to 100,000 messages per second)`);
  }

  let failed = result.problems.length > 0;
  if (values["check-deployment"]) {
    const check = formatDeploymentCheck(checkShards(result, { objects: deployment.objectShards, queues: deployment.queueShards }), deployment);
    console.log(`\n${check.text}`);
    failed ||= check.over.length > 0;
  }
  if (failed) process.exit(1);
} catch (error) {
  if (error instanceof PlanError || error instanceof Error) fail(error.message);
  throw error;
}
