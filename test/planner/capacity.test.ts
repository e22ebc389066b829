// Every Durable Object class and queue family against Cloudflare's per-object and per-queue limits:
// a traffic that overloads one shard is over at the configured count and names the count it needs,
// computed by hand from the measured costs; an outage sizes the failure path; the committed-config
// reader finds the shard counts a deployment has; and `npm run plan -- --check-deployment` exits
// non-zero with the count needed.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../../devkit/local-stack.ts";
import type { WorkerConfig } from "../../devkit/worker-configs.ts";
import { PlanInputsSchema, type PlanInputs } from "../../shared/schemas/capacity.ts";
import { deploymentOf, committedDeployment } from "../../planner/deployment.ts";
import { readLatency, readPriceBook, readTurnCosts } from "../../planner/files.ts";
import { checkShards, plan } from "../../planner/plan.ts";
import { formatDeploymentCheck } from "../../planner/report.ts";
import { deployment, objectClass, queue, withSample } from "./samples.ts";

const prices = readPriceBook();
const latency = { p99_ms: 40, measured_at: "2026-12-01T00:00:00.000Z" };
const inputs = (overrides: Partial<PlanInputs>): PlanInputs => PlanInputsSchema.parse({ messagesPerSecond: 100, messagesPerConversation: 10, ...overrides });

// Each message: 0.1 request to its bot's directory (coalesced), 0.05 message on the analytics
// queue; a failed message: 2 requests to the dead-letter registry and 12 turn-failure reports.
const costs = withSample(
  (sample) => {
    sample.durable_objects.directory = objectClass({ requests: 0.1, rpc_calls: 0.1 });
    sample.durable_objects.dead_letters = objectClass({});
    sample.queues.analytics = queue({ writes: 0.05, reads: 0.05, deletes: 0.05, message_bytes: 2000, largest_message_bytes: 5000 });
    sample.queues.turn_failures = queue({});
  },
  {
    per_failed_turn: {
      workers: {},
      durable_objects: { dead_letters: objectClass({ requests: 2, rpc_calls: 2 }), conversation: objectClass({ requests: 6 }) },
      queues: { turn_failures: queue({ writes: 12, reads: 12, deletes: 12, message_bytes: 160, largest_message_bytes: 170 }) },
      analytics_data_points: 0,
    },
  },
);
const lineOf = (lines: ReturnType<typeof checkShards>, kind: "object" | "queue", subject: string, check: string, scenario = "steady") =>
  lines.find((line) => line.kind === kind && line.subject === subject && line.check.startsWith(check) && line.scenario === scenario)!;

describe("each object class and queue against its per-object and per-queue limit", () => {
  const steady = plan(inputs({ messagesPerSecond: 100_000, outageShare: 0 }), costs, latency, prices, deployment);

  it("fails a per-bot class whose busiest bot overloads its shards, naming the shards it needs", () => {
    // 100,000 msg/s × 0.1 request = 10,000 requests/s; the busiest of two equal bots takes half,
    // 5,000/s; 800/s (80% of the 1,000/s soft limit) per object → 7 shards per bot (6.25 rounded up).
    const atFour = lineOf(checkShards(steady, { objects: { directory: 4 }, queues: {} }), "object", "directory", "requests/s per object");
    expect(atFour).toMatchObject({ ok: false, shards: 4, shardsNeeded: 7, objects: "2 bots × 4 shards" });
    expect(atFour.load).toBeCloseTo(1250, 9);
    const atSeven = lineOf(checkShards(steady, { objects: { directory: 7 }, queues: {} }), "object", "directory", "requests/s per object");
    expect(atSeven.ok).toBe(true);
    expect(steady.shards.objects.directory).toBe(7);
  });

  it("weights a per-bot class by the busiest bot's share of the mix", () => {
    const skewed = plan(inputs({ messagesPerSecond: 100_000, outageShare: 0, botMix: { shop: 3, bank: 1 } }), costs, latency, prices, deployment);
    // The shop bot has 75%: 7,500 requests/s over 800 per object → 10 shards per bot.
    expect(skewed.shards.objects.directory).toBe(10);
  });

  it("fails a queue family whose messages overload one queue, and sizes it at the limit's headroom", () => {
    // 100,000 × 0.05 = 5,000 messages/s: over 4,000 (80% of 5,000) on one queue, ok on two.
    const lines = checkShards(steady, { objects: {}, queues: { analytics: 1 } });
    expect(lineOf(lines, "queue", "analytics", "messages/s per queue")).toMatchObject({ ok: false, load: 5000, shardsNeeded: 2 });
    expect(lineOf(checkShards(steady, { objects: {}, queues: { analytics: 2 } }), "queue", "analytics", "messages/s per queue").ok).toBe(true);
    // The largest message seen (5,000 bytes) with Queues' 100 bytes of metadata, against 128 KB: no shard count changes it.
    expect(lineOf(lines, "queue", "analytics", "bytes per message")).toMatchObject({ load: 5100, limit: 128_000, shardsNeeded: null, ok: true });
  });

  it("sizes the failure path for an outage: every message failing at the peak", () => {
    const outage = plan(inputs({ messagesPerSecond: 10_000, outageShare: 1 }), costs, latency, prices, deployment);
    // 10,000 failed messages/s × 2 registry requests = 20,000/s over 800 per object → 25 shards.
    expect(outage.shards.objects.dead_letters).toBe(25);
    // × 12 turn-failure reports = 120,000 messages/s over 4,000 per queue → 30 queues.
    expect(outage.shards.queues.turn_failures).toBe(30);
    const atOne = checkShards(outage, { objects: { dead_letters: 1 }, queues: {} });
    expect(lineOf(atOne, "object", "dead_letters", "requests/s per object", "outage")).toMatchObject({ ok: false, load: 20_000, shardsNeeded: 25 });
    expect(lineOf(atOne, "object", "dead_letters", "requests/s per object", "steady")).toMatchObject({ ok: true, load: 0 });
    // Without the outage, nothing fails: one registry object and one queue are enough.
    const calm = plan(inputs({ messagesPerSecond: 10_000, outageShare: 0 }), costs, latency, prices, deployment);
    expect([calm.shards.objects.dead_letters, calm.shards.queues.turn_failures]).toEqual([1, 1]);
  });

  it("says what each short line needs, in the deployment check", () => {
    const check = formatDeploymentCheck(checkShards(steady, { objects: { directory: 4 }, queues: { analytics: 1, intent: 1, dialogue: 1 } }), deployment);
    expect(check.text).toContain("object directory: needs 7 shards per bot, configured 4");
    expect(check.text).toContain("queue analytics: needs 2 shards, configured 1");
    expect(check.text).toContain("queue intent: needs 25 shards, configured 1");
  });
});

describe("a deployment's configured shards", () => {
  const config = (name: string, extra: Record<string, unknown>): WorkerConfig => ({ name, main: "/src/index.ts", compatibility_date: "2026-11-01", ...extra });

  it("counts each queue family's shards per jurisdiction and reads a class's shard var", () => {
    const found = deploymentOf({
      gateway: config("stratus", {
        vars: { STRATUS_DIRECTORY_SHARDS: "8" },
        queues: {
          producers: [{ binding: "ANALYTICS_QUEUE_0", queue: "stratus-analytics" }, { binding: "ANALYTICS_QUEUE_1", queue: "stratus-analytics-1" }],
          consumers: [
            { queue: "stratus-analytics", max_batch_size: 100, max_batch_timeout: 2 },
            { queue: "stratus-analytics-1", max_batch_size: 100, max_batch_timeout: 2 },
            { queue: "stratus-turn-failures-2", max_batch_size: 50, max_batch_timeout: 1 },
          ],
        },
      }),
      intent: config("stratus-intent", {
        queues: {
          consumers: [
            { queue: "stratus-intent", max_batch_size: 50, max_batch_timeout: 0, dead_letter_queue: "stratus-intent-dlq" },
            { queue: "stratus-intent-1", max_batch_size: 50, max_batch_timeout: 0, dead_letter_queue: "stratus-intent-1-dlq" },
            { queue: "stratus-intent-eu", max_batch_size: 50, max_batch_timeout: 0, dead_letter_queue: "stratus-intent-eu-dlq" },
          ],
        },
      }),
    });
    expect(found.queueShards).toMatchObject({ analytics: 2, intent: 2, "intent (eu)": 1, turn_failures: 1 });
    expect(found.consumers.analytics).toEqual({ maxBatchSize: 100, maxBatchTimeoutSeconds: 2 });
    expect(found.deadLettered).toEqual(["intent"]);
    expect(found.objectShards.directory).toBe(8);
    expect(found.sources.objects.directory).toBe("STRATUS_DIRECTORY_SHARDS in gateway");
    // Not configured: one object, as before the class was sharded; the metrics shards are a constant in the code.
    expect(found.objectShards.analytics).toBe(1);
    expect(found.objectShards.metrics).toBeGreaterThan(1);
  });
});

describe("npm run plan -- --check-deployment", () => {
  const run = (...args: string[]) =>
    spawnSync(process.execPath, [join(ROOT, "cli/plan.ts"), ...args], { cwd: ROOT, encoding: "utf8" });

  it("exits non-zero at a traffic the committed shards cannot carry, with the count each short line needs", () => {
    const traffic = { messagesPerSecond: 100_000 };
    const result = run("--messages-per-second", String(traffic.messagesPerSecond), "--check-deployment");
    expect(result.status).toBe(1);
    const expected = plan(PlanInputsSchema.parse(traffic), readTurnCosts(), readLatency(), prices, committedDeployment());
    // The intent queue's need, as the plan computes it from the committed measurements.
    expect(result.stdout).toContain(`queue intent: needs ${expected.shards.queues.intent} shards, configured 1`);
  });

  it("passes at a traffic the committed shards carry", () => {
    const result = run("--messages-per-second", "10", "--check-deployment");
    expect(result.stdout).toContain("Every line is ok at the configured shards.");
    expect(result.status).toBe(0);
  });
});
