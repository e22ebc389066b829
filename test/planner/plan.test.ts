// The planner against cases computed by hand from Cloudflare's price list: the bill of a known
// traffic, the traffic at which one more queue shard is needed, a price change moving the total,
// and the plans that cannot be made.
import { describe, expect, it } from "vitest";
import type { PlanInputs, PriceBook } from "../../shared/schemas/capacity.ts";
import { PlanInputsSchema } from "../../shared/schemas/capacity.ts";
import { readPriceBook } from "../../planner/files.ts";
import { PlanError, plan as makePlan, weightedSample } from "../../planner/plan.ts";
import { shardQueueNames } from "../../planner/report.ts";
import { costs, deployment, stageQueue, withSample } from "./samples.ts";

const prices = readPriceBook();
const latency = { p99_ms: 40, measured_at: "2026-12-01T00:00:00.000Z" };
const plan = (planInputs: PlanInputs, turnCosts = costs, latencyResult = latency, book = prices) => makePlan(planInputs, turnCosts, latencyResult, book, deployment);
const inputs = (overrides: Partial<PlanInputs>): PlanInputs =>
  PlanInputsSchema.parse({ messagesPerSecond: 100, messagesPerConversation: 10, retentionDays: 30, latencySloMs: 1000, ...overrides });


function withPrice(book: PriceBook, name: keyof PriceBook["figures"], value: number): PriceBook {
  return { ...book, figures: { ...book.figures, [name]: { ...book.figures[name], value } } };
}

describe("the monthly bill", () => {
  it("at 100 messages/s matches the bill computed by hand from the price list", () => {
    const result = plan(inputs({}), costs, latency, prices);
    // 100 msg/s × 2,592,000 s = 259,200,000 messages; 10 per conversation = 25,920,000 conversations.
    expect(result.usage.messages).toBe(259_200_000);
    expect(result.usage.conversations).toBe(25_920_000);
    // Budget 1000 − 40 = 960 ms for both batch waits at 100 msg/s per shard: a batch of 25 waits
    // 24/100 s = 240 ms, one of 50 waits 490 ms (two of 50 would be 980 ms: over budget).
    const [group] = result.groups;
    expect(group!.stages.intent!.consumer).toEqual({ maxBatchSize: 25, maxBatchTimeoutSeconds: 1 });
    expect(group!.stages.dialogue!.consumer).toEqual({ maxBatchSize: 50, maxBatchTimeoutSeconds: 1 });
    expect(group!.latencyP99Ms).toBeCloseTo(40 + 240 + 490, 6);

    // Workers: 259.2M gateway + 25.92M creations + 259.2M/25 intent + 259.2M/50 dialogue requests
    // = 300,672,000; CPU 259.2M × (2 + 1 + 1) + 25.92M × 1 = 1,062,720,000 ms.
    const workers = ((300_672_000 - 10_000_000) / 1e6) * 0.3 + ((1_062_720_000 - 30_000_000) / 1e6) * 0.02;
    // Durable Objects: 3 × 259.2M + 25.92M requests; (259.2M × 20 ms + 25.92M × 2 ms) × 0.128 GB.
    const durableObjects = ((803_520_000 - 1_000_000) / 1e6) * 0.15 + ((670_187.52 - 400_000) / 1e6) * 12.5;
    // SQLite: rows read 2.64G (inside 25G); written 5 × 259.2M + 3 × 25.92M; 30 days of
    // conversations of 12,288 + 10 × 1,000 bytes kept = 577.70496 GB.
    const sqlite = ((1_373_760_000 - 50_000_000) / 1e6) * 1 + (577.70496 - 5) * 0.2;
    // Queues: write + read + delete on two stages (900 + 100 bytes is one 64 KB operation each).
    const queues = ((6 * 259_200_000 - 1_000_000) / 1e6) * 0.4;
    const total = workers + durableObjects + sqlite + queues + 5;

    expect(result.cost.byService.workers).toBeCloseTo(workers, 6);
    expect(result.cost.byService.durable_objects).toBeCloseTo(durableObjects, 6);
    expect(result.cost.byService.sqlite_storage).toBeCloseTo(sqlite, 6);
    expect(result.cost.byService.queues).toBeCloseTo(queues, 6);
    expect(result.cost.byService.analytics_engine).toBe(0);
    expect(result.cost.total).toBeCloseTo(total, 6);
    expect(result.cost.total).toBeCloseTo(2296.592336, 5);
    expect(result.cost.perMillionMessages).toBeCloseTo(total / 259.2, 6);
  });

  it("moves by exactly the changed price times the usage when one price changes", () => {
    const before = plan(inputs({}), costs, latency, prices);
    const after = plan(inputs({}), costs, latency, withPrice(prices, "queues.price_per_million_operations", 0.5));
    // 1,554,200,000 billable operations × $0.10 more per million.
    expect(after.cost.total - before.cost.total).toBeCloseTo(155.42, 6);
    expect(after.cost.byService.workers).toBe(before.cost.byService.workers);
  });

  it("costs only the subscription while the traffic stays inside the included usage", () => {
    const tiny = plan(inputs({ messagesPerSecond: 0.001, messagesPerConversation: 10 }));
    expect(tiny.cost.total).toBe(5);
  });

  it("weights each bot's measured cost by its share of the traffic", () => {
    const mixed = plan(inputs({ botMix: { shop: 3, bank: 1 } }));
    const cpuPerMessage = 2 + (0.75 * 1 + 0.25 * 3) + 1;
    expect(mixed.usage.workerCpuMs).toBeCloseTo(259_200_000 * cpuPerMessage + 25_920_000, 0);
    expect(weightedSample([[costs.per_bot.shop!, 3], [costs.per_bot.bank!, 1]]).workers.intent!.cpu_ms).toBe(1.5);
  });
});

describe("queue shards", () => {
  const intentShards = (peak: number, headroom = 0.8, turnCosts = costs) =>
    plan(inputs({ messagesPerSecond: peak, headroom }), turnCosts).shards.queues.intent;

  it("adds a shard once the peak passes 80% of a queue's 5,000 messages per second", () => {
    expect(intentShards(4000)).toBe(1);
    expect(intentShards(4000.5)).toBe(2);
    expect(intentShards(8000)).toBe(2);
    expect(intentShards(8001)).toBe(3);
    expect(intentShards(100_000)).toBe(25);
    expect(intentShards(100_000, 1)).toBe(20);
  });

  it("sizes shards for the peak and splits it evenly", () => {
    const result = plan(inputs({ messagesPerSecond: 3000, peakMessagesPerSecond: 4001 }));
    const { intent, dialogue } = result.groups[0]!.stages;
    expect([intent!.shards, dialogue!.shards]).toEqual([2, 2]);
    expect(intent!.peakMessagesPerSecondPerShard).toBe(2000.5);
    // 2000.5 msg/s × 8 ms per dialogue message = 16 consumers busy at once on each shard.
    expect(dialogue!.peakConcurrencyPerShard).toBeCloseTo(16.004, 6);
  });

  it("adds shards when a slow consumer would need more than 250 concurrent invocations", () => {
    const slow = withSample((s) => (s.queues.dialogue = stageQueue(2000))); // 2 s per message
    // 1,000 msg/s × 2 s = 2,000 busy consumers; 200 (80% of 250) per shard → 10 shards.
    expect(plan(inputs({ messagesPerSecond: 1000 }), slow).shards.queues.dialogue).toBe(10);
  });

  it("gives each jurisdiction its own queues, named after it", () => {
    const result = plan(inputs({ botMix: { shop: 1, bank: 1 }, residency: { bank: "eu" } }));
    expect(result.groups.map((g) => [g.jurisdiction, g.bots, g.messagesPerSecond])).toEqual([
      ["global", ["shop"], 50],
      ["eu", ["bank"], 50],
    ]);
    expect(Object.keys(result.shards.queues).sort()).toEqual(["dialogue", "dialogue (eu)", "intent", "intent (eu)"]);
    expect(result.limits.find((l) => l.limit.startsWith("queues per account"))?.planned).toBe(8);
    expect(shardQueueNames("intent", "eu", 3)).toEqual(["stratus-intent-eu", "stratus-intent-eu-1", "stratus-intent-eu-2"]);
    expect(shardQueueNames("dialogue", "global", 1)).toEqual(["stratus-dialogue"]);
  });
});

describe("plans that cannot be made", () => {
  it("refuses an SLO below the measured round trip", () => {
    expect(() => plan(inputs({ latencySloMs: 30 }))).toThrow(PlanError);
  });

  it("says which limit no shard count can move", () => {
    const chatty = inputs({ messagesPerConversation: 100_000, conversationMinutes: 1 });
    // (100,000 messages × 3 requests + 1 to create it) in a minute = 5,000.02 requests/s to one object.
    const result = plan(chatty);
    expect(result.problems.join("\n")).toMatch(/conversation, requests\/s per object .*: 5000\.02 of 800\.00 allowed/);
    expect(result.capacity.find((line) => line.subject === "conversation" && !line.ok)?.shardsNeeded).toBeNull();
  });

  it("names the bots it has no measurements for", () => {
    expect(() => plan(inputs({ botMix: { travel: 1 } }))).toThrow(/travel.*measured: shop, bank/);
  });

  it("rejects a peak below the average", () => {
    expect(PlanInputsSchema.safeParse({ messagesPerSecond: 10, peakMessagesPerSecond: 5 }).success).toBe(false);
  });
});
