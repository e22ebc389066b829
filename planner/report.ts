// The plan as text: the configuration to deploy, every object class and queue against its
// limits, the shards each needs, and the monthly bill; and a deployment's configured shards checked.
import { QUEUE_STAGES, shardQueueName, type QueueStage } from "../shared/queue-shards.ts";
import { JurisdictionSchema } from "../shared/schemas/residency.ts";
import type { CapacityLine, ShardAssignment } from "./capacity.ts";
import { SERVICES } from "./cost-model.ts";
import type { Deployment } from "./deployment.ts";
import type { Plan } from "./plan.ts";
import { objectClassTopology } from "./topology.ts";

const number = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
export const usd = (value: number) => `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
/** A load: whole numbers from 100 up, three significant digits below. */
const load = (value: number) => (value === 0 ? "0" : value >= 100 ? number(value) : value.toLocaleString("en-US", { maximumSignificantDigits: 3 }));
const bytes = (value: number) => (value >= 1e9 ? `${load(value / 1e9)} GB` : value >= 1e6 ? `${load(value / 1e6)} MB` : value >= 1e3 ? `${load(value / 1e3)} kB` : `${load(value)} B`);
/** Whether a class is sharded per bot (its shard count is per bot). */
const perBot = (key: string) => {
  const scaling = objectClassTopology(key).scaling;
  return scaling.kind === "sharded" && scaling.perBot;
};
const percent = (value: number) => `${value.toLocaleString("en-US", { maximumFractionDigits: value < 10 ? 1 : 0 })}%`;

/** The queue names of one turn stage's shards (shard 0 keeps the unsharded name). */
export function shardQueueNames(stage: QueueStage, jurisdiction: string, shards: number): string[] {
  return Array.from({ length: shards }, (_, shard) => shardQueueName(stage, shard, jurisdiction === "global" ? undefined : JurisdictionSchema.parse(jurisdiction)));
}

export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => "  " + row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
}

/** The capacity table's heading: the columns of capacityTable. */
export const CAPACITY_HEADER = ["class / queue", "objects or queues", "check", "scenario", "load per object or queue", "limit", "of limit", "headroom left", "", "shards needed"];

/** One row per line: the load on one object or queue at peak, the published limit, how much of it is used, ok or over. */
export function capacityRow(line: CapacityLine): string[] {
  const show = line.unit === "bytes" ? bytes : load;
  const used = line.limit > 0 ? (100 * line.load) / line.limit : 0;
  const left = line.limit > 0 ? (100 * (line.allowed - line.load)) / line.limit : 0;
  return [
    `${line.kind === "object" ? "object" : "queue"} ${line.subject}`,
    line.objects,
    line.check,
    line.scenario,
    `${show(line.load)}${line.unit === "bytes" ? "" : ` ${line.unit}`}`,
    line.unit === "bytes" ? bytes(line.limit) : number(line.limit),
    percent(used),
    percent(left),
    line.ok ? "ok" : "OVER",
    line.shardsNeeded === null ? "–" : String(line.shardsNeeded),
  ];
}

/** Per class or queue and check, the scenario that loads it most (the one that sets its shards). */
export function worstLines(lines: readonly CapacityLine[]): CapacityLine[] {
  const worst = new Map<string, CapacityLine>();
  for (const line of lines) {
    const key = `${line.kind} ${line.subject} ${line.check}`;
    const seen = worst.get(key);
    if (!seen || line.load / line.allowed > seen.load / seen.allowed) worst.set(key, line);
  }
  return [...worst.values()];
}

export function capacityTable(lines: readonly CapacityLine[]): string[] {
  return table([CAPACITY_HEADER, ...lines.map(capacityRow)]);
}

/** Each sharded class and queue group: the shards it needs, beside what the deployment has configured. */
export function shardLines(needed: ShardAssignment, deployment: Deployment): string[] {
  const rows = [
    ...Object.entries(needed.objects).map(([key, n]) => [`object ${key}`, `${n}${perBot(key) ? " per bot" : ""}`, String(deployment.objectShards[key] ?? 1), deployment.sources.objects[key] ?? "not configured"]),
    ...Object.entries(needed.queues).map(([key, n]) => [`queue ${key}`, String(n), String(deployment.queueShards[key] ?? 0), deployment.sources.queues[key] ?? "not configured"]),
  ].sort(([a], [b]) => a!.localeCompare(b!));
  return table([["sharded class / queue", "shards needed", "configured", "configured in"], ...rows]);
}

export function formatPlan(plan: Plan, sources: { costs: string; prices: string; deployment: string }, deployment: Deployment): string {
  const { inputs, usage, cost } = plan;
  const lines: string[] = [];
  lines.push(
    `Stratus capacity plan: ${number(inputs.messagesPerSecond)} messages/s average, ${number(inputs.peakMessagesPerSecond)} at peak, ` +
      `${number(inputs.messagesPerConversation)} messages per conversation`,
    `  measured costs: ${sources.costs}`,
    `  prices and limits: ${sources.prices}`,
    `  deployment: ${sources.deployment}`,
    plan.context.scenarios.some((s) => s.name === "outage")
      ? `  outage: ${percent(100 * inputs.outageShare)} of the peak's messages fail at a stage (per_failed_turn; --outage-share)`
      : "  outage: not planned for (--outage-share 0, or no per_failed_turn measured)",
    "",
  );
  for (const group of plan.groups) {
    const where =
      group.jurisdiction === "global"
        ? "no jurisdiction"
        : `jurisdiction ${group.jurisdiction}: its own queues, created in it (docs/scaling.md, "Data residency")`;
    lines.push(`Turn queues, ${where} (bots: ${group.bots.join(", ")}; ${number(group.messagesPerSecond, 1)} messages/s, peak ${number(group.peakMessagesPerSecond, 1)})`);
    const stages = Object.entries(group.stages);
    lines.push(
      ...table([
        ["stage", "shards", "max_batch_size", "max_batch_timeout", "mean batch", "peak msg/s per shard", "peak consumers per shard", "batch wait"],
        ...stages.map(([stage, s]) => [
          stage,
          String(s.shards),
          String(s.consumer.maxBatchSize),
          `${s.consumer.maxBatchTimeoutSeconds} s`,
          number(s.expectedBatchSize, 1),
          number(s.peakMessagesPerSecondPerShard, 1),
          number(s.peakConcurrencyPerShard, 2),
          `${number(s.batchWaitMs, 1)} ms`,
        ]),
      ]),
    );
    for (const [stage, s] of stages) {
      if (!(QUEUE_STAGES as readonly string[]).includes(stage)) continue;
      const names = shardQueueNames(stage as QueueStage, group.jurisdiction, s.shards);
      const shown = names.length > 3 ? `${names.slice(0, 2).join(", ")} … ${names.at(-1)}` : names.join(", ");
      lines.push(`  ${stage} queues: ${shown} (each with its "-dlq" dead-letter queue)`);
    }
    lines.push(
      `  p99 round trip: ${number(group.latencyP99Ms, 1)} ms (measured round trip + batch waits; SLO ${number(inputs.latencySloMs)} ms)`,
      `  a shard whose consumer stops fills its backlog after ${number(Math.min(...stages.map(([, s]) => s.stalledShardHoursUntilFull)), 1)} h at peak`,
      "",
    );
  }
  lines.push(
    `Capacity: every Durable Object class and queue against Cloudflare's per-object and per-queue limits, at peak, with the plan's shards`,
    `(the plan uses at most ${percent(100 * inputs.headroom)} of a limit: --headroom; each check in the scenario that loads it most)`,
    ...capacityTable(worstLines(plan.capacity)),
    "",
    "Shards: the fewest that keep every line above ok, beside the committed configs' (npm run plan -- --check-deployment fails while one is short)",
    ...shardLines(plan.shards, deployment),
    "",
    `Consumers of the other queues as configured: ${Object.entries(plan.consumers)
      .filter(([key]) => !plan.groups.some((group) => Object.keys(group.stages).some((stage) => key.startsWith(stage))))
      .map(([key, c]) => `${key} max_batch_size ${c.maxBatchSize}, max_batch_timeout ${c.maxBatchTimeoutSeconds} s`)
      .join("; ")}.`,
    `Consumer concurrency: leave max_concurrency unset (Queues scales each queue's consumers up to 250 by itself).`,
    `Queue message retention: ${plan.queueRetentionDays} days (Queues bills operations, not storage: the longest retention is free).`,
    `Durable Objects: hibernation ${plan.hibernation ? "on" : "off"} (WebSocket Hibernation API; without it the bill would be ${usd(plan.costWithoutHibernation)}).`,
    `  one conversation can take at most ${number(plan.maxMessagesPerSecondPerConversation, 0)} messages/s before its object reaches its request limit.`,
    `Storage: ${number(usage.storedGb, 2)} GB kept (${number(inputs.retentionDays)} days of conversations).`,
    "",
    "Account and invocation limits",
    ...table([
      ["limit", "planned", "allowed", ""],
      ...plan.limits.map((check) => [check.limit, number(check.planned, 2), number(check.allowed), check.ok ? "ok" : "EXCEEDED"]),
    ]),
  );
  if (plan.problems.length > 0) lines.push("", "Cannot be planned as is (no shard count fixes these):", ...plan.problems.map((problem) => `  ${problem}`));
  const sortedEntries = (record: Record<string, number>) => Object.entries(record).filter(([, n]) => n > 0).sort(([, a], [, b]) => b - a);
  lines.push(
    "",
    "Monthly usage",
    ...table([
      ["user messages", number(usage.messages)],
      ["conversations", number(usage.conversations)],
      ["Worker requests", `${number(usage.workerRequests)} (${sortedEntries(usage.requestsBy).map(([by, n]) => `${by} ${number(n)}`).join(", ")})`],
      ["Worker CPU ms", number(usage.workerCpuMs)],
      ["Durable Object requests", `${number(usage.durableObjectRequests)} (${Object.entries(usage.byClass).filter(([, c]) => c.requests > 0).sort(([, a], [, b]) => b.requests - a.requests).map(([key, c]) => `${key} ${number(c.requests)}`).join(", ")})`],
      ["Durable Object GB-s", number(usage.durableObjectGbSeconds)],
      ["SQLite rows read", number(usage.rowsRead)],
      ["SQLite rows written", `${number(usage.rowsWritten)} (${Object.entries(usage.byClass).filter(([, c]) => c.rowsWritten > 0).sort(([, a], [, b]) => b.rowsWritten - a.rowsWritten).map(([key, c]) => `${key} ${number(c.rowsWritten)}`).join(", ")})`],
      ["queue operations", `${number(usage.queueOperations)} (${sortedEntries(usage.operationsByQueue).map(([family, n]) => `${family} ${number(n)}`).join(", ")})`],
      ["Analytics Engine data points", number(usage.analyticsDataPoints)],
    ]),
    "",
    "Cost per month",
    ...table([
      ...SERVICES.map((service) => [service, usd(cost.byService[service])]),
      ["total", usd(cost.total)],
      ["per million messages", usd(cost.perMillionMessages)],
    ]),
  );
  return lines.join("\n");
}

/** A deployment's configured shards against the traffic: the table at those shards, and what each line over needs. */
export function formatDeploymentCheck(lines: readonly CapacityLine[], deployment: Deployment): { text: string; over: CapacityLine[] } {
  const over = lines.filter((line) => !line.ok);
  const needs = new Map<string, { line: CapacityLine; needed: number }>();
  for (const line of over) {
    if (line.shardKey === null || line.shardsNeeded === null) continue;
    const key = `${line.kind} ${line.shardKey}`;
    if ((needs.get(key)?.needed ?? 0) < line.shardsNeeded) needs.set(key, { line, needed: line.shardsNeeded });
  }
  const text = [
    "Deployment check: every class and queue at the shards the committed configs give it",
    ...capacityTable(worstLines(lines)),
    "",
    over.length === 0
      ? "Every line is ok at the configured shards."
      : [
          `${over.length} line${over.length === 1 ? " is" : "s are"} over at the configured shards:`,
          ...[...needs.values()].map(
            ({ line, needed }) =>
              `  ${line.kind} ${line.shardKey}: needs ${needed} shard${needed === 1 ? "" : "s"}${line.kind === "object" && perBot(line.subject) ? " per bot" : ""}, ` +
              `configured ${line.shards ?? 1} (${(line.kind === "object" ? deployment.sources.objects : deployment.sources.queues)[line.shardKey!] ?? "not configured"}; ${line.check}, ${line.scenario})`,
          ),
          ...over.filter((line) => line.shardsNeeded === null).map((line) => `  ${line.kind} ${line.subject}: ${line.check} is over and no shard count changes it`),
        ].join("\n"),
  ];
  return { text: text.join("\n"), over };
}
