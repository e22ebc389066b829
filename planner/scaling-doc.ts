// docs/scaling.md and the plan files it cites (docs/plans/*.txt, docs/images/cost-vs-traffic.svg),
// written by `npm run plan:docs` from the planner and the bench's measurements alone: every figure
// in the page points at the line it comes from — a field of bench/results/turn-cost.json, a figure
// of planner/cloudflare-prices.json, or a line of a plan file. test/planner/scaling-doc.test.ts
// checks that the committed files are what this writes.
import { PlanInputsSchema, type LatencyResult, type PlanInputs, type PriceBook, type PriceFigureName, type TurnCostResult, type TurnCostSample } from "../shared/schemas/capacity.ts";
import type { CapacityLine } from "./capacity.ts";
import { costChartSvg, trafficSweep } from "./chart.ts";
import { SERVICES } from "./cost-model.ts";
import type { Deployment } from "./deployment.ts";
import { planSources } from "./files.ts";
import { checkShards, plan, type Plan } from "./plan.ts";
import { capacityRow, formatDeploymentCheck, formatPlan, usd, worstLines } from "./report.ts";
import { OBJECT_CLASSES } from "./topology.ts";

export interface DocSources {
  costs: TurnCostResult;
  prices: PriceBook;
  latency: LatencyResult;
  deployment: Deployment;
}

/** The plans the page cites, each a file of `npm run plan`'s output for the options given. */
export const PLAN_RUNS: ReadonlyArray<{ file: string; command: string; inputs: Partial<PlanInputs> }> = [
  { file: "docs/plans/plan-100.txt", command: "npm run plan -- --messages-per-second 100", inputs: { messagesPerSecond: 100 } },
  { file: "docs/plans/plan-5000.txt", command: "npm run plan -- --messages-per-second 5000", inputs: { messagesPerSecond: 5000 } },
  { file: "docs/plans/plan-100000.txt", command: "npm run plan -- --messages-per-second 100000", inputs: { messagesPerSecond: 100_000 } },
  {
    file: "docs/plans/plan-100000-peak-200000.txt",
    command: "npm run plan -- --messages-per-second 100000 --peak 200000",
    inputs: { messagesPerSecond: 100_000, peakMessagesPerSecond: 200_000 },
  },
];
/** The committed deployment checked against 100,000 messages per second. */
export const CHECK_RUN = { file: "docs/plans/check-100000.txt", command: "npm run plan -- --messages-per-second 100000 --check-deployment", inputs: { messagesPerSecond: 100_000 } };
export const CHART_FILE = "docs/images/cost-vs-traffic.svg";
export const SCALING_DOC = "docs/scaling.md";

const number = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
const small = (value: number) => (value === 0 ? "0" : value >= 100 ? number(value) : value.toLocaleString("en-US", { maximumSignificantDigits: 3 }));

/** A file of text and a way to cite its lines. */
class Cited {
  readonly lines: string[];
  readonly path: string;
  readonly text: string;
  // No parameter properties: Node runs this file by stripping types.
  constructor(path: string, text: string) {
    this.path = path;
    this.text = text;
    this.lines = text.split("\n");
  }

  /** The 1-based number of the first line holding every one of `parts`, after line `from`. */
  lineOf(parts: readonly string[], from = 0): number {
    const index = this.lines.findIndex((line, i) => i >= from && parts.every((part) => line.includes(part)));
    if (index < 0) throw new Error(`${this.path} has no line with ${parts.map((p) => JSON.stringify(p)).join(" and ")}`);
    return index + 1;
  }

  /** A markdown link from docs/ to the line: [`plan-100.txt` line 12](plans/plan-100.txt#L12). */
  link(parts: readonly string[], from = 0): string {
    const line = this.lineOf(parts, from);
    return `[\`${this.path.replace(/^docs\//, "")}\` line ${line}](${this.path.replace(/^docs\//, "")}#L${line})`;
  }

  /** Lines first..last (1-based) as a range link. */
  range(first: number, last: number): string {
    return `[\`${this.path.replace(/^docs\//, "")}\` lines ${first}–${last}](${this.path.replace(/^docs\//, "")}#L${first}-L${last})`;
  }
}

/** `bench/results/turn-cost.json#per_turn.durable_objects.conversation.rows_written`, as a link from docs/. */
const jsonRef = (path: string) => `[\`turn-cost.json#${path}\`](../bench/results/turn-cost.json)`;
const priceRef = (name: PriceFigureName) => `[\`${name}\`](../planner/cloudflare-prices.json)`;

interface Generated {
  plans: Array<{ run: (typeof PLAN_RUNS)[number]; plan: Plan; file: Cited }>;
  check: { file: Cited; over: CapacityLine[] };
}

/** Every file `npm run plan:docs` writes, path → content. */
export function scalingDocuments(sources: DocSources): Record<string, string> {
  const { costs, prices, latency, deployment } = sources;
  const headings = planSources(costs, prices);
  const run = (inputs: Partial<PlanInputs>) => plan(PlanInputsSchema.parse(inputs), costs, latency, prices, deployment);
  const generated: Generated = {
    plans: PLAN_RUNS.map((planRun) => {
      const result = run(planRun.inputs);
      return { run: planRun, plan: result, file: new Cited(planRun.file, formatPlan(result, headings, deployment) + "\n") };
    }),
    check: (() => {
      const result = run(CHECK_RUN.inputs);
      const check = formatDeploymentCheck(checkShards(result, { objects: deployment.objectShards, queues: deployment.queueShards }), deployment);
      return { file: new Cited(CHECK_RUN.file, check.text + "\n"), over: check.over };
    })(),
  };
  const defaults = PlanInputsSchema.parse({ messagesPerSecond: 100_000 });
  const chartInputs = PLAN_RUNS[2]!.inputs;
  const points = trafficSweep(10, 100_000).map((messagesPerSecond) => ({ messagesPerSecond, plan: run({ ...chartInputs, messagesPerSecond, peakMessagesPerSecond: messagesPerSecond }) }));
  const subtitle =
    `${defaults.messagesPerConversation} messages per conversation, peak 1× average, p99 SLO ${defaults.latencySloMs} ms, ` +
    `${defaults.retentionDays}-day retention; per-turn costs measured ${costs.measured_at.slice(0, 10)}`;
  const files: Record<string, string> = {};
  for (const { run: planRun, file } of generated.plans) files[planRun.file] = file.text;
  files[CHECK_RUN.file] = generated.check.file.text;
  files[CHART_FILE] = costChartSvg(points, subtitle);
  files[SCALING_DOC] = scalingMarkdown(sources, generated, defaults);
  return files;
}

function sampleRows(sample: TurnCostSample, path: string): string[] {
  const rows: string[] = [
    "| what | source | requests | rows read | rows written (setAlarm in it) | stored bytes (net) |",
    "|---|---|---:|---:|---:|---:|",
  ];
  for (const [key, o] of Object.entries(sample.durable_objects).sort(([a], [b]) => a.localeCompare(b))) {
    rows.push(
      `| object class \`${key}\` | ${jsonRef(`${path}.durable_objects.${key}`)} | ${small(o.requests)} | ${small(o.rows_read)} | ` +
        `${small(o.rows_written)} (${small(o.alarms_set)}) | ${small(o.stored_bytes)} (${small(o.stored_bytes_net)}) |`,
    );
  }
  rows.push("", "| what | source | writes | reads | deletes | retries | dead letters | bytes per message |", "|---|---|---:|---:|---:|---:|---:|---:|");
  for (const [key, q] of Object.entries(sample.queues).sort(([a], [b]) => a.localeCompare(b))) {
    rows.push(
      `| queue family \`${key}\` | ${jsonRef(`${path}.queues.${key}`)} | ${small(q.writes)} | ${small(q.reads)} | ${small(q.deletes)} | ` +
        `${small(q.retries)} | ${small(q.dead_letters)} | ${small(q.message_bytes)} |`,
    );
  }
  rows.push("", "| what | source | invocations | CPU ms | subrequests |", "|---|---|---:|---:|---:|");
  for (const [name, w] of Object.entries(sample.workers).sort(([a], [b]) => a.localeCompare(b))) {
    rows.push(`| Worker \`${name}\` | ${jsonRef(`${path}.workers.${name}`)} | ${small(w.invocations)} | ${small(w.cpu_ms)} | ${small(w.subrequests)} |`);
  }
  return rows;
}

function scalingMarkdown(sources: DocSources, generated: Generated, defaults: PlanInputs): string {
  const { costs, prices, deployment } = sources;
  const t = costs.traffic;
  const price = (name: PriceFigureName) => prices.figures[name];
  const plan100k = generated.plans[2]!;
  const [p100, p5000, , peak] = generated.plans;
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  const turn = costs.per_turn;
  const perMessage = {
    requests: sum(Object.values(turn.durable_objects).map((o) => o.requests)),
    rowsWritten: sum(Object.values(turn.durable_objects).map((o) => o.rows_written)),
    operations: sum(Object.values(turn.queues).map((q) => q.writes + q.reads + q.deletes)),
    cpu: sum(Object.values(turn.workers).map((w) => w.cpu_ms)),
  };
  const costRows = generated.plans.slice(0, 3).map(({ run, plan: p, file }) => {
    const services = [...SERVICES].filter((s) => s !== "subscription").sort((a, b) => p.cost.byService[b] - p.cost.byService[a]);
    const top = services[0]!;
    const intent = p.groups[0]?.stages.intent?.shards ?? 1;
    return (
      `| ${number(run.inputs.messagesPerSecond ?? 0)} messages/s | ${intent} (${file.link(["intent", `${intent}  `], file.lineOf(["stage", "shards"]) - 1)}) | ` +
      `${usd(p.cost.total)} (${file.link(["total", usd(p.cost.total)])}) | ${usd(p.cost.perMillionMessages)} (${file.link(["per million messages"])}) | ` +
      `${top.replace(/_/g, " ")} ${usd(p.cost.byService[top])} (${file.link([top, usd(p.cost.byService[top])], file.lineOf(["Cost per month"]))}) |`
    );
  });
  const capacityStart = plan100k.file.lineOf(["Capacity: every Durable Object class"]);
  const capacityEnd = plan100k.file.lineOf(["Shards: the fewest"]) - 2;
  const shardsStart = plan100k.file.lineOf(["Shards: the fewest"]);
  const shardsEnd = plan100k.file.lineOf(["Consumers of the other queues"]) - 2;
  const check = generated.check;
  const checkFirstOver = check.over.length > 0 ? check.file.lineOf([`${check.over.length} line`]) : check.file.lineOf(["Every line is ok"]);
  const sharded = Object.entries(OBJECT_CLASSES).filter(([, c]) => c.scaling.kind === "sharded");
  const limitsUsed: PriceFigureName[] = [
    "durable_objects.requests_per_second_per_object_limit",
    "durable_objects.storage_per_object_limit_bytes",
    "queues.messages_per_second_per_queue_limit",
    "queues.concurrent_consumers_per_queue_limit",
    "queues.max_batch_size_limit",
    "queues.max_message_bytes_limit",
    "queues.backlog_bytes_per_queue_limit",
    "queues.queues_per_account_limit",
  ];
  const intentLine = (p: (typeof generated.plans)[number]) => {
    const shards = p.plan.groups[0]?.stages.intent?.shards ?? 1;
    return `${shards} intent shard${shards === 1 ? "" : "s"} (${p.file.link(["intent ", "queues:"])})`;
  };
  const worst100k = worstLines(plan100k.plan.capacity);
  const capacityTable = [
    "| class / queue | objects or queues | check | scenario | load per object or queue | limit | of limit | | shards needed |",
    "|---|---|---|---|---:|---:|---:|---|---:|",
    ...worst100k.map((line) => {
      const [subject, objects, what, scenario, load, limit, used, , ok, needed] = capacityRow(line);
      return `| ${subject} | ${objects} | ${what} | ${scenario} | ${load} | ${limit} | ${used} | ${ok} | ${needed} |`;
    }),
  ];

  return [
    "# Scaling Stratus to 100,000 messages per second",
    "",
    "<!-- Written by `npm run plan:docs` (planner/scaling-doc.ts) from the planner and bench/results/turn-cost.json; edit those, not this file. -->",
    "",
    "This is the plan for running Stratus at 10 to 100,000 user messages per second on Cloudflare: what a",
    "message costs on every meter, how each Durable Object class and each queue spreads its load and how",
    "many shards it needs, what grows by itself and what an operator configures, the caps that remain,",
    "what happens when a part falls behind, and how to change the configuration without losing or",
    "reordering a turn. No figure here is written by hand: each points at the line it comes from, and",
    "`npm run plan:docs` writes this page again after a new bench run (a test fails while it is stale).",
    "",
    "## Where the figures come from",
    "",
    `- **Measured costs**: \`npm run bench:turn-cost\` → [\`bench/results/turn-cost.md\`](../bench/results/turn-cost.md) and ` +
      `[\`turn-cost.json\`](../bench/results/turn-cost.json), which the planner reads. Measured ${costs.measured_at} on ${costs.machine}: ` +
      `${t.conversations_at_once} conversations at once (${t.bots.join(", ")}), ${t.turns_per_conversation} messages each over ` +
      `${t.transport === "http" ? "`POST …/messages?wait`" : "the conversation's WebSocket"}, ${t.think_ms.min}–${t.think_ms.max} ms between an ` +
      `answer and the next message, the turn queues' consumers waiting up to ${t.stage_batch_timeout_s} s for a batch ` +
      `(${jsonRef("traffic")}). Counts (invocations, requests, rows, operations, bytes) do not depend on the machine; CPU and time ` +
      `figures do, and a shared machine inflates them.`,
    `- **Cloudflare's prices and limits**: [\`planner/cloudflare-prices.json\`](../planner/cloudflare-prices.json), one entry per figure ` +
      `with the documentation page it was read from and the date (${[...new Set(Object.values(prices.figures).map((f) => f.read))].join(", ")}).`,
    `- **What the deployment configures**: the committed \`wrangler.toml\` files (queue shards and consumers) and the shard vars ` +
      `of the sharded classes (planner/deployment.ts, planner/topology.ts).`,
    `- **Planner runs**: ${generated.plans.map(({ run }) => `\`${run.command}\` → [\`${run.file.replace("docs/", "")}\`](${run.file.replace("docs/", "")})`).join("; ")}; ` +
      `and the committed deployment checked at 100,000 messages/s: \`${CHECK_RUN.command}\` → [\`${CHECK_RUN.file.replace("docs/", "")}\`](${CHECK_RUN.file.replace("docs/", "")}). ` +
      `Unless an option says otherwise they assume ${defaults.messagesPerConversation} messages per conversation, a peak equal to the average, a p99 ` +
      `SLO of ${number(defaults.latencySloMs)} ms, ${defaults.retentionDays} days of transcript retention, HTTP clients, ${number(100 * defaults.headroom)}% of ` +
      `each limit used at most (\`--headroom\`) and an outage in which ${number(100 * defaults.outageShare)}% of the peak's messages fail at a stage (\`--outage-share\`).`,
    "",
    "![Monthly cost versus traffic](images/cost-vs-traffic.svg)",
    "",
    "## What one message costs",
    "",
    `Per steady message (a conversation's second message on), every class, queue and Worker counted: ${small(perMessage.requests)} Durable ` +
      `Object requests, ${small(perMessage.rowsWritten)} SQLite rows written, ${small(perMessage.operations)} queue operations and ` +
      `${small(perMessage.cpu)} ms of CPU in all Workers (${jsonRef("per_turn")}). Per class, queue family and Worker:`,
    "",
    ...sampleRows(turn, "per_turn"),
    "",
    `What a new conversation adds to its messages (its creation and first message, less one steady message) is ${jsonRef("per_conversation")}; ` +
      (costs.per_failed_turn
        ? `a message whose every delivery to a stage fails — the retries, the dead letters, the re-dispatches and the fallback answer — is ` +
          `${jsonRef("per_failed_turn")}: ${small(sum(Object.values(costs.per_failed_turn.durable_objects).map((o) => o.requests)))} object requests and ` +
          `${small(sum(Object.values(costs.per_failed_turn.queues).map((q) => q.writes)))} queue writes per failed message, what the outage lines below are sized on.`
        : "no failed turn was measured, so the plan leaves outages out."),
    "",
    "## The cost model",
    "",
    "The bill is Σ C_i(Q_i) over Cloudflare's services i: each service's usage Q_i is the traffic times what one message, one new",
    "conversation and one failed turn use on that service's meters, as the bench measured them, for every Worker, Durable Object",
    "class and queue family; C_i is the service's published price list with its included amounts",
    "([`planner/cost-model.ts`](../planner/cost-model.ts)). Configuration moves few terms: the queue consumer invocations (Worker",
    "requests, fewer as batches grow) and the storage of classes whose size does not grow with traffic.",
    "",
    "| traffic (average = peak) | intent shards | monthly total | per million messages | largest service |",
    "|---|---|---|---|---|",
    ...costRows,
    "",
    `Rows written by class and queue operations by family are on each plan's "Monthly usage" lines (${plan100k.file.link(["SQLite rows written"])}, ` +
      `${plan100k.file.link(["queue operations"])}).`,
    "",
    "## Every object class and queue against its limit",
    "",
    "Each Durable Object class and each queue family is checked against Cloudflare's per-object and per-queue limits",
    `([\`planner/capacity.ts\`](../planner/capacity.ts)), in the steady traffic and in an outage, with how its load spreads`,
    `([\`planner/topology.ts\`](../planner/topology.ts)): one conversation object per conversation (the busiest carries one conversation`,
    `at its pace), ${sharded.map(([key, c]) => `\`${key}\` ${c.scaling.kind === "sharded" && c.scaling.perBot ? "per bot × shards" : "over shards"}`).join(", ")}, `,
    "and every queue family over its shards (the turn stages per jurisdiction). A sharded object is also checked for its busy time:",
    "one object runs one call at a time, so its active time (CPU and storage waits together: an upper bound on its CPU) cannot pass",
    "1,000 ms per second. Cloudflare's limits, as read:",
    "",
    "| limit | value | figure |",
    "|---|---:|---|",
    ...limitsUsed.map((name) => `| ${price(name).unit} | ${number(price(name).value)} | ${priceRef(name)} ([source](${price(name).source}), read ${price(name).read}) |`),
    "",
    `At 100,000 messages/s (${plan100k.file.range(capacityStart, capacityEnd)}), each check in the scenario that loads it most, with the shards the plan gives it:`,
    "",
    ...capacityTable,
    "",
    `The shards each sharded class and queue needs, beside what the committed configs have, are ${plan100k.file.range(shardsStart, shardsEnd)}. ` +
      `\`npm run plan -- --check-deployment\` evaluates the same lines at the configured counts and exits non-zero with the count each short ` +
      `line needs: at 100,000 messages/s the committed configs have ${check.over.length} line${check.over.length === 1 ? "" : "s"} over ` +
      `(${check.file.link(check.over.length > 0 ? [`${check.over.length} line`] : ["Every line is ok"], checkFirstOver - 1)}).` +
      (plan100k.plan.problems.length > 0
        ? ` No shard count fixes ${plan100k.plan.problems.length} line${plan100k.plan.problems.length === 1 ? "" : "s"}: ${plan100k.file.link(["Cannot be planned as is"])}.`
        : " Every line can be made ok by its shard count."),
    "",
    "Where a shard count is set (what the planner reads, planner/deployment.ts): " +
      sharded
        .map(([key, c]) => `\`${key}\`: ${c.shardVar ? `the var \`${c.shardVar}\`, ` : ""}now ${deployment.objectShards[key] ?? 1} (${deployment.sources.objects[key] ?? "not set"})`)
        .join("; ") +
      `; a queue family: the number of its queues in the Workers' configs (\`npm run check\` verifies the turn stages' agree).`,
    "",
    "Two readings of the outage lines and the per-batch work: a figure the bench measured at its batch sizes (" +
      `${Object.entries(t.mean_batch).map(([key, n]) => `${key} ${small(n)}`).join(", ")} messages per consumer invocation, ${jsonRef("traffic.mean_batch")}) ` +
      "is counted per message as measured, so work done once per batch (a metric flush, a coalesced directory or analytics update) is an upper " +
      "bound where production's batches are larger; and the outage sizes every line for the chosen share of the peak failing at once, which " +
      "mostly matters to the failure path (the dead-letter registry, the turn-failure reports, the dead-letter queues) and to the turn stages' " +
      "re-dispatches.",
    "",
    "## What scales by itself",
    "",
    "- **Conversation Durable Objects.** One object per conversation; Cloudflare places and runs as many as there are conversations. Traffic",
    `  spread over millions of conversations never meets a per-object limit: the \`conversation\` line above is the busiest ordinary conversation's`,
    `  rate against the ${number(price("durable_objects.requests_per_second_per_object_limit").value)} requests/s soft limit (${priceRef("durable_objects.requests_per_second_per_object_limit")}).`,
    "- **Worker isolates.** The Workers are stateless; Cloudflare runs as many isolates as requests need.",
    `- **Queue consumers within a shard.** Queues scales each queue's consumers up to ${number(price("queues.concurrent_consumers_per_queue_limit").value)} concurrent ` +
      `invocations (${priceRef("queues.concurrent_consumers_per_queue_limit")}); the "concurrent consumer invocations per queue" lines are that concurrency at peak ` +
      `(Little's law: messages per second × the measured wall time per message), so \`max_concurrency\` stays unset.`,
    "",
    "## What needs configuration",
    "",
    `- **Queue shards per family.** One queue carries at most ${number(price("queues.messages_per_second_per_queue_limit").value)} messages per second ` +
      `(${priceRef("queues.messages_per_second_per_queue_limit")}). Each family is split into N queues; a conversation's messages always take the queue of a ` +
      `stable hash of its id ([\`shared/queue-shards.ts\`](../shared/queue-shards.ts)). The turn stages' shards: ${intentLine(p100!)} at 100 messages/s, ` +
      `${intentLine(p5000!)} at 5,000, ${intentLine(plan100k)} at 100,000, ${intentLine(peak!)} for a 200,000 peak; the step where one more shard ` +
      "is needed is unit-tested (`test/planner/plan.test.ts`).",
    "- **Shards of the shared objects.** A class every conversation writes to (a bot's directory and analytics, the dead-letter registry, the",
    "  metrics aggregator) is split over shards so that no object takes more than its request limit or stores more than its",
    `  ${number(price("durable_objects.storage_per_object_limit_bytes").value / 1e9)} GB (${priceRef("durable_objects.storage_per_object_limit_bytes")}); the shards needed are in the table above.`,
    "- **Batch size and timeout.** Larger batches mean fewer consumer invocations; a timeout makes a message wait for its batch. The",
    "  planner picks per turn stage the setting with the fewest invocations whose waits, added to the measured round trip",
    "  (`bench/results/latency.json`), stay inside the SLO; its \"batch wait\" column and \"p99 round trip\" line show the result",
    `  (${plan100k.file.link(["p99 round trip"])}). The other families keep their committed settings.`,
    "- **Retention.** Queues bill operations, not storage, so each queue keeps messages for the longest retention Cloudflare allows",
    `  (${number(price("queues.max_retention_days_limit").value)} days, ${priceRef("queues.max_retention_days_limit")}). Transcript retention (\`--retention-days\`) decides the stored gigabytes`,
    "  the planner bills; a deployment's `STRATUS_RETENTION_DAYS` (default 30) is what deletes them (docs/architecture.md, \"Storage\").",
    "- **Hibernation.** The conversation object uses the WebSocket Hibernation API, so an idle conversation with an open WebSocket is",
    `  not billed for duration; the planner prints what the bill would be without it (${plan100k.file.link(["Durable Objects: hibernation"])}).`,
    "- **Data residency.** A bot with `residency: { jurisdiction: eu }` in its `bot.yaml` ([bots.md](bots.md#data-residency)) keeps its",
    "  conversation objects in that jurisdiction, and its turns take that jurisdiction's own queues (`INTENT_QUEUE_EU_<i>` →",
    "  `stratus-intent-eu`…), sharded the same way; the planner gives each jurisdiction its own traffic group (`--residency bot=eu`, or",
    "  read from the bot files) and `npm run check` refuses a bot's jurisdiction without its queues.",
    "",
    "To deploy N shards of a turn stage, list N producer bindings `INTENT_QUEUE_0 … INTENT_QUEUE_{N-1}` (queues `stratus-intent`,",
    "`stratus-intent-1`, …) in `wrangler.toml`, the same N consumers (each with its `-dlq` dead-letter queue) in",
    "`workers/intent/wrangler.toml` and their dead-letter consumers in `wrangler.toml`; likewise `DIALOGUE_QUEUE_<i>` in the intent",
    "Worker's config and the dialogue consumers. Shard 0 keeps the unsharded queue's name, so N = 1 is the deployment that existed",
    "before shards. `npm run check` fails with a sentence per disagreement; the dev stack and the tests run 2 shards per stage from",
    "configs generated from the committed ones ([`devkit/queue-shard-configs.ts`](../devkit/queue-shard-configs.ts)).",
    "",
    "## The caps that remain",
    "",
    `- **One very busy conversation.** All of a conversation's messages go through its one object: the planner prints the resulting ceiling ` +
      `(${plan100k.file.link(["one conversation can take at most"])}). The object keeps one turn in flight, so one conversation is answered no ` +
      "faster than one pipeline round trip per message. Neither matters for people typing; an integration that pushes a machine-generated " +
      "stream into one conversation would meet them and should spread it over conversations.",
    `- **Account limits.** ${number(price("queues.queues_per_account_limit").value)} queues per account (each shard and its dead-letter queue count: ` +
      `${plan100k.file.link(["queues per account"])}) and Cloudflare's Workers limits per invocation (CPU, subrequests: the planner checks a full ` +
      "batch against them).",
    `- **Per-queue backlog.** A queue holds at most ${number(price("queues.backlog_bytes_per_queue_limit").value / 1e9)} GB of messages; the planner prints ` +
      `how long a shard whose consumer has stopped can keep taking messages at peak (${plan100k.file.link(["fills its backlog after"])}).`,
    "",
    "## When a shard's consumer falls behind",
    "",
    "Queues scales a shard's consumers with its backlog. If a consumer keeps failing (a bug, a backend down), each message is retried",
    "`max_retries` times and then moved to the shard's dead-letter queue; the gateway consumes every dead-letter queue and tells the",
    "conversation, which re-dispatches the turn or answers with the bot's fallback (`test/pipeline/failures.test.ts`). If a consumer",
    "stops altogether, its shard's messages wait (up to the retention, up to the backlog limit); the conversation's watchdog",
    "re-dispatches each turn after `TURN_TIMEOUT_MS` — to the same shard, as the hash has not changed — and after `MAX_TURN_ATTEMPTS`",
    "answers with the fallback, so no user waits forever. Only the conversations hashed to that shard are affected, each keeping its",
    `order. What such an outage costs per failed message is ${costs.per_failed_turn ? jsonRef("per_failed_turn") : "not measured"}; the outage lines above size the failure path for it.`,
    "",
    "## Resizing: from N to 2N shards",
    "",
    "Per-conversation order does not depend on the shard: a conversation sends its next turn only once the previous one is answered",
    "(the turn scheduler keeps one turn in flight). So changing N cannot reorder a conversation: its turn in flight finishes on the old",
    "shard, its next turn goes to the new one. With the hash modulo N, a conversation on shard s of N lands on s or s + N of 2N",
    "(unit-tested in `test/queue-shards/queue-shards.test.ts`). The procedure:",
    "",
    "1. Create the new queues and their dead-letter queues (`stratus-intent-N` … `stratus-intent-{2N-1}`, each with `-dlq`; the same for",
    "   dialogue).",
    "2. Add the consumers first: deploy the dialogue Worker consuming all 2N dialogue shards, then the intent Worker consuming all 2N",
    "   intent shards and producing to 2N dialogue shards, then the gateway producing to 2N intent shards and consuming all 4N dead-letter",
    "   queues (`npm run check` verifies the three configs agree before any deploy).",
    "3. Keep the old shards' consumers: messages already in them are consumed as before. A message sent to a new shard before its",
    "   consumer exists waits in the queue and is consumed once it does.",
    "",
    "Going down (2N to N) is the reverse and needs one more step: stop producing to the shards that go away, wait until their backlogs",
    "are empty (Queues' backlog metric), then remove their consumers. `test/pipeline/shard-resize.test.ts` does this locally: `wrangler",
    "dev` with 2 shards per stage is stopped with turns in flight and comes back over the same state with 4; every message is then",
    "answered exactly once, in order.",
    "",
    "## How the costs are measured",
    "",
    "`npm run bench:turn-cost` runs every Worker of the committed configs under `wrangler dev`, each from an entry it generates",
    "([`bench/metered-entries.ts`](../bench/metered-entries.ts)) that wraps every Durable Object class the Worker hosts and every binding it",
    "has ([`bench/workers/meter.ts`](../bench/workers/meter.ts)), so a class or a queue added later is metered without a change to the bench:",
    "each object's SQL cursors report their own `rowsRead`/`rowsWritten`, `setAlarm()` and key-value calls are counted as the rows",
    "Cloudflare bills for them, the time with at least one call running is its active (billed) duration, its database size",
    "(`ctx.storage.sql.databaseSize`) is read after each call; every queue send is counted per binding with its bytes, every delivery with",
    "its acks and retries; Durable Object calls and fetches are counted as subrequests. A tail Worker posts every invocation to the bench,",
    "which files the figures under one key per class and per queue family ([`shared/capacity-keys.ts`](../shared/capacity-keys.ts)). CPU",
    "time comes from V8's CPU profile of each Worker's isolate (workerd reports `cpuTime = 0` locally), the meters' own work left out.",
    "Durable Object active time comes from a second run with the committed consumers: a call that waits for its turn's answer",
    "(`POST …?wait`) is held for the round trip, which a local batch wait would lengthen far past production's. Not measured locally",
    "and so not in the plan: Cloudflare's own network latency, and the chat page's static assets (free).",
    "",
  ].join("\n");
}
