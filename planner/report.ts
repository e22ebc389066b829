// The plan as text: the configuration to deploy, the limits it keeps, and the monthly bill.
import { shardQueueName } from "../shared/queue-shards.ts";
import { JurisdictionSchema } from "../shared/schemas/residency.ts";
import { SERVICES, STAGES, type Stage } from "./cost-model.ts";
import type { Plan } from "./plan.ts";

const number = (value: number, digits = 0) => value.toLocaleString("en-US", { maximumFractionDigits: digits, minimumFractionDigits: 0 });
export const usd = (value: number) => `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

/** The queue names of one stage's shards (shard 0 keeps the unsharded name). */
export function shardQueueNames(stage: Stage, jurisdiction: string, shards: number): string[] {
  return Array.from({ length: shards }, (_, shard) => shardQueueName(stage, shard, jurisdiction === "global" ? undefined : JurisdictionSchema.parse(jurisdiction)));
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => "  " + row.map((cell, column) => cell.padEnd(widths[column]!)).join("  ").trimEnd());
}

export function formatPlan(plan: Plan, sources: { costs: string; prices: string }): string {
  const { inputs, usage, cost } = plan;
  const lines: string[] = [];
  lines.push(
    `Stratus capacity plan: ${number(inputs.messagesPerSecond)} messages/s average, ${number(inputs.peakMessagesPerSecond)} at peak, ` +
      `${number(inputs.messagesPerConversation)} messages per conversation`,
    `  measured per-turn costs: ${sources.costs}`,
    `  prices and limits: ${sources.prices}`,
    "",
  );
  for (const group of plan.groups) {
    const where =
      group.jurisdiction === "global"
        ? "no jurisdiction"
        : `jurisdiction ${group.jurisdiction}: its own queues, created in it; Stratus does not route to them yet, see docs/scaling.md`;
    lines.push(`Queues, ${where} (bots: ${group.bots.join(", ")}; ${number(group.messagesPerSecond, 1)} messages/s, peak ${number(group.peakMessagesPerSecond, 1)})`);
    lines.push(
      ...table([
        ["stage", "shards", "max_batch_size", "max_batch_timeout", "mean batch", "peak msg/s per shard", "peak consumers per shard", "batch wait"],
        ...STAGES.map((stage) => {
          const s = group.stages[stage];
          return [
            stage,
            String(s.shards),
            String(s.consumer.maxBatchSize),
            `${s.consumer.maxBatchTimeoutSeconds} s`,
            number(s.expectedBatchSize, 1),
            number(s.peakMessagesPerSecondPerShard, 1),
            number(s.peakConcurrencyPerShard, 2),
            `${number(s.batchWaitMs, 1)} ms`,
          ];
        }),
      ]),
    );
    for (const stage of STAGES) {
      const names = shardQueueNames(stage, group.jurisdiction, group.stages[stage].shards);
      const shown = names.length > 3 ? `${names.slice(0, 2).join(", ")} … ${names.at(-1)}` : names.join(", ");
      lines.push(`  ${stage} queues: ${shown} (each with its "-dlq" dead-letter queue, max_retries 3)`);
    }
    lines.push(
      `  p99 round trip: ${number(group.latencyP99Ms, 1)} ms (measured round trip + batch waits; SLO ${number(inputs.latencySloMs)} ms)`,
      `  a shard whose consumer stops fills its backlog after ${number(Math.min(...STAGES.map((s) => group.stages[s].stalledShardHoursUntilFull)), 1)} h at peak`,
      "",
    );
  }
  lines.push(
    `Consumer concurrency: leave max_concurrency unset (Queues scales each shard's consumers up to 250 by itself).`,
    `Queue message retention: ${plan.queueRetentionDays} days (Queues bills operations, not storage: the longest retention is free).`,
    `Durable Objects: hibernation ${plan.hibernation ? "on" : "off"} (WebSocket Hibernation API; without it the bill would be ${usd(plan.costWithoutHibernation)}).`,
    `  one conversation can take at most ${number(plan.maxMessagesPerSecondPerConversation, 0)} messages/s before its object reaches its request limit.`,
    `Storage: ${number(usage.storedGb, 2)} GB kept (${number(inputs.retentionDays)} days of conversations); ` +
      `${number(usage.storedGb * (30 / inputs.retentionDays), 2)} GB written per month.`,
    "",
    "Limits (peak traffic against Cloudflare's published limits)",
    ...table([
      ["limit", "planned", "allowed", ""],
      ...plan.limits.map((check) => [check.limit, number(check.planned, 2), number(check.allowed), check.ok ? "ok" : "EXCEEDED"]),
    ]),
    "",
    "Monthly usage",
    ...table([
      ["user messages", number(usage.messages)],
      ["conversations", number(usage.conversations)],
      [
        "Worker requests",
        `${number(usage.workerRequests)} (gateway ${number(usage.requestsByStage.gateway)}, intent ${number(usage.requestsByStage.intent)}, ` +
          `dialogue ${number(usage.requestsByStage.dialogue)}, dead letters ${number(usage.requestsByStage.dead_letters)})`,
      ],
      ["Worker CPU ms", number(usage.workerCpuMs)],
      ["Durable Object requests", number(usage.durableObjectRequests)],
      ["Durable Object GB-s", number(usage.durableObjectGbSeconds)],
      ["SQLite rows read", number(usage.rowsRead)],
      ["SQLite rows written", number(usage.rowsWritten)],
      ["queue operations", number(usage.queueOperations)],
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
