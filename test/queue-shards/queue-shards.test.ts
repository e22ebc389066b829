// Queue shards: which shard a conversation's turns take, and the check `npm run check` runs on the
// three Workers' configs (a producer binding for every consumer shard, and the reverse).
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { queueShardProblems, readCommittedConfigs, withQueueShards, type WorkerConfigs } from "../../devkit/queue-shard-configs.ts";
import { queueShards, sendToShard, shardOf, shardQueueName } from "../../shared/queue-shards.ts";

const ids = Array.from({ length: 4000 }, () => randomUUID().replace(/-/g, ""));

describe("shardOf", () => {
  it("sends a conversation to the same shard every time, on every Worker", () => {
    expect(shardOf("3f2a9c1e8b7d4f60a5e1c2b3d4e5f607", 4)).toBe(shardOf("3f2a9c1e8b7d4f60a5e1c2b3d4e5f607", 4));
    // Fixed values: a change of hash would move every live conversation to another shard.
    expect([1, 2, 3, 4, 8].map((n) => shardOf("3f2a9c1e8b7d4f60a5e1c2b3d4e5f607", n))).toEqual([0, 1, 1, 3, 3]);
  });

  it("spreads conversations evenly over the shards", () => {
    const counts = new Array<number>(4).fill(0);
    for (const id of ids) counts[shardOf(id, 4)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(900); // 1,000 expected of 4,000
  });

  it("moves a conversation from shard s of N only to s or s + N of 2N", () => {
    for (const id of ids.slice(0, 500)) expect([shardOf(id, 3), shardOf(id, 3) + 3]).toContain(shardOf(id, 6));
  });

  it("refuses a stage without shards", () => {
    expect(() => shardOf("abc", 0)).toThrow(/at least one queue shard/);
    expect(() => queueShards({}, "intent")).toThrow(/no INTENT_QUEUE_0 queue binding/);
  });

  it("finds a Worker's shard bindings in order, up to the first missing one", () => {
    const queue = (name: string) => ({ name, send: () => Promise.resolve() });
    const env = { INTENT_QUEUE_0: queue("a"), INTENT_QUEUE_1: queue("b"), INTENT_QUEUE_3: queue("d"), DIALOGUE_QUEUE_0: queue("x") };
    expect(queueShards(env, "intent")).toEqual([env.INTENT_QUEUE_0, env.INTENT_QUEUE_1]);
  });
});

describe("jurisdictions", () => {
  const recording = () => {
    const sent: string[] = [];
    const queue = (name: string) => ({ send: (body: unknown) => { sent.push(`${name}:${String(body)}`); return Promise.resolve(); } });
    return { sent, env: { INTENT_QUEUE_0: queue("global-0"), INTENT_QUEUE_1: queue("global-1"), INTENT_QUEUE_EU_0: queue("eu-0"), INTENT_QUEUE_EU_1: queue("eu-1") } };
  };

  it("sends a conversation kept in the EU through the EU's own queues, sharded the same way", async () => {
    const { sent, env } = recording();
    const hex = "3f2a9c1e8b7d4f60a5e1c2b3d4e5f607";
    await sendToShard(env, "intent", `eu-${hex}`, "eu turn");
    await sendToShard(env, "intent", hex, "plain turn");
    expect(sent).toEqual([`eu-${shardOf(`eu-${hex}`, 2)}:eu turn`, `global-${shardOf(hex, 2)}:plain turn`]);
    expect(shardQueueName("dialogue", 1, "eu")).toBe("stratus-dialogue-eu-1");
  });

  it("never falls back to the unrestricted queues for a jurisdiction without queues", async () => {
    const queue = { send: () => Promise.resolve() };
    await expect(sendToShard({ INTENT_QUEUE_0: queue }, "intent", `eu-${"a".repeat(32)}`, "turn")).rejects.toThrow(
      /no INTENT_QUEUE_EU_0 queue binding: this Worker cannot send conversations kept in jurisdiction "eu"/,
    );
  });

  it("the check refuses a bot's jurisdiction that has no queues, and shards each jurisdiction like the rest", () => {
    const committed = readCommittedConfigs();
    expect(queueShardProblems(committed, undefined, ["eu", "us"])).toEqual([
      'intent stage: a bot keeps its conversations in "us" but wrangler.toml has no INTENT_QUEUE_US_0 producer binding (docs/scaling.md, "Data residency")',
      'dialogue stage: a bot keeps its conversations in "us" but workers/intent/wrangler.toml has no DIALOGUE_QUEUE_US_0 producer binding (docs/scaling.md, "Data residency")',
      'channel outbound queue: a bot keeps its conversations in "us" but wrangler.toml has no CHANNEL_OUTBOUND_QUEUE_US_0 producer binding',
    ]);
    const sharded = withQueueShards(committed, { intent: 2, dialogue: 2 });
    expect(queueShardProblems(sharded, undefined, ["eu"])).toEqual([]);
    const dialogueConsumers = (sharded.dialogue.queues as { consumers: Array<{ queue: string; dead_letter_queue?: string }> }).consumers;
    expect(dialogueConsumers.map((c) => [c.queue, c.dead_letter_queue])).toEqual(
      expect.arrayContaining([["stratus-dialogue-eu-1", "stratus-dialogue-eu-1-dlq"]]),
    );
  });
});

describe("the configs' agreement on shards", () => {
  const committed = readCommittedConfigs();
  const queues = (configs: WorkerConfigs, worker: keyof WorkerConfigs) =>
    configs[worker].queues as { producers: Array<{ binding: string; queue: string }>; consumers: Array<{ queue: string; dead_letter_queue?: string }> };

  it("holds for the committed configs and for any shard counts the local stack writes", () => {
    expect(queueShardProblems(committed)).toEqual([]);
    const sharded = withQueueShards(committed, { intent: 3, dialogue: 2 });
    expect(queueShardProblems(sharded)).toEqual([]);
    // The shard bindings replace the committed ones, in each group (the EU's too), and the report
    // queues (analytics here) get the local stack's two shards.
    expect(queues(sharded, "gateway").producers.map((p) => `${p.binding}=${p.queue}`).toSorted()).toEqual([
      "ANALYTICS_QUEUE_0=stratus-analytics",
      "ANALYTICS_QUEUE_1=stratus-analytics-1",
      "CHANNEL_OUTBOUND_QUEUE_0=stratus-channel-outbound",
      "CHANNEL_OUTBOUND_QUEUE_EU_0=stratus-channel-outbound-eu",
      "INTENT_QUEUE_0=stratus-intent",
      "INTENT_QUEUE_1=stratus-intent-1",
      "INTENT_QUEUE_2=stratus-intent-2",
      "INTENT_QUEUE_EU_0=stratus-intent-eu",
      "INTENT_QUEUE_EU_1=stratus-intent-eu-1",
      "INTENT_QUEUE_EU_2=stratus-intent-eu-2",
    ]);
    for (const worker of ["dialogue", "intent"] as const) {
      expect(queues(sharded, worker).producers.map((p) => p.binding)).toEqual(expect.arrayContaining(["TURN_FAILURES_QUEUE_0", "TURN_FAILURES_QUEUE_1"]));
    }
    expect(queues(sharded, "gateway").consumers.map((c) => c.queue)).toEqual(
      expect.arrayContaining(["stratus-analytics", "stratus-analytics-1", "stratus-turn-failures", "stratus-turn-failures-1"]),
    );
    const intentConsumers = queues(sharded, "intent").consumers;
    expect(intentConsumers.map((c) => [c.queue, c.dead_letter_queue])).toEqual([
      ["stratus-intent", "stratus-intent-dlq"],
      ["stratus-intent-1", "stratus-intent-1-dlq"],
      ["stratus-intent-2", "stratus-intent-2-dlq"],
      ["stratus-intent-eu", "stratus-intent-eu-dlq"],
      ["stratus-intent-eu-1", "stratus-intent-eu-1-dlq"],
      ["stratus-intent-eu-2", "stratus-intent-eu-2-dlq"],
    ]);
    // Each shard is consumed as the committed one is (batch size, timeout, retries).
    expect(intentConsumers[2]).toEqual({ ...queues(committed, "intent").consumers[0], queue: "stratus-intent-2", dead_letter_queue: "stratus-intent-2-dlq" });
    expect(queues(sharded, "gateway").consumers.map((c) => c.queue)).toEqual(
      expect.arrayContaining(["stratus-intent-2-dlq", "stratus-dialogue-1-dlq"]),
    );
  });

  it("names a shard that is sent to but not consumed", () => {
    const broken = withQueueShards(committed, { intent: 2, dialogue: 1 });
    queues(broken, "intent").consumers = queues(broken, "intent").consumers.filter((c) => c.queue !== shardQueueName("intent", 1));
    expect(queueShardProblems(broken)).toEqual([
      'intent stage: wrangler.toml sends to "stratus-intent-1" but workers/intent/wrangler.toml does not consume it',
    ]);
  });

  it("names a report queue whose producers disagree on its shards, and a report shard nobody consumes", () => {
    const broken = withQueueShards(committed, { intent: 1, dialogue: 1 }, 2);
    queues(broken, "dialogue").producers = queues(broken, "dialogue").producers.filter((p) => p.binding !== "ANALYTICS_QUEUE_1");
    queues(broken, "gateway").consumers = queues(broken, "gateway").consumers.filter((c) => c.queue !== "stratus-turn-failures-1");
    expect(queueShardProblems(broken)).toEqual([
      "analytics queue: its producers disagree on the shard count (wrangler.toml 2, workers/dialogue/wrangler.toml 1)",
      'turn-failures queue: "stratus-turn-failures-1" is sent to but wrangler.toml does not consume it',
    ]);
  });

  it("names a shard that is consumed but has no producer binding", () => {
    const broken = withQueueShards(committed, { intent: 1, dialogue: 2 });
    queues(broken, "intent").producers = queues(broken, "intent").producers.filter((p) => p.binding !== "DIALOGUE_QUEUE_1");
    expect(queueShardProblems(broken)).toEqual([
      'dialogue stage: workers/dialogue/wrangler.toml consumes "stratus-dialogue-1" but workers/intent/wrangler.toml has no producer binding for it',
      'dialogue stage: wrangler.toml consumes "stratus-dialogue-1-dlq", the dead-letter queue of a shard nobody sends to',
    ]);
  });

  it("names a wrong dead-letter queue, a gap in the bindings and a missing dead-letter consumer", () => {
    const broken = withQueueShards(committed, { intent: 3, dialogue: 1 });
    queues(broken, "intent").consumers[1]!.dead_letter_queue = "stratus-intent-dlq";
    queues(broken, "gateway").producers = queues(broken, "gateway").producers.map((p) => (p.binding === "INTENT_QUEUE_2" ? { ...p, binding: "INTENT_QUEUE_7" } : p));
    queues(broken, "gateway").consumers = queues(broken, "gateway").consumers.filter((c) => c.queue !== "stratus-intent-2-dlq");
    expect(queueShardProblems(broken)).toEqual([
      "intent stage: wrangler.toml has 3 shard bindings but none named INTENT_QUEUE_2",
      'intent stage: workers/intent/wrangler.toml consumes "stratus-intent-1" with dead_letter_queue "stratus-intent-dlq", not "stratus-intent-1-dlq"',
      'intent stage: wrangler.toml does not consume "stratus-intent-2-dlq", the dead-letter queue of "stratus-intent-2"',
    ]);
  });

  it("names an outbound channel queue nobody consumes, one without its dead-letter queue or the sender's retry budget, and one nobody sends to", () => {
    const broken = structuredClone(committed);
    const gateway = queues(broken, "gateway");
    gateway.producers.push({ binding: "CHANNEL_OUTBOUND_QUEUE_1", queue: "stratus-channel-outbound-1" });
    gateway.consumers = gateway.consumers
      .filter((c) => c.queue !== "stratus-channel-outbound-eu-dlq")
      .map((c) => (c.queue === "stratus-channel-outbound" ? { ...c, max_retries: 3 } : c));
    gateway.consumers.push({ queue: "stratus-channel-outbound-eu-4", dead_letter_queue: "stratus-channel-outbound-eu-4-dlq" });
    expect(queueShardProblems(broken)).toEqual([
      'channel outbound queue: wrangler.toml consumes "stratus-channel-outbound" with max_retries 3, not 100 (the sender\'s budget)',
      'channel outbound queue: "stratus-channel-outbound-1" is sent to but wrangler.toml does not consume it',
      'channel outbound queue: wrangler.toml does not consume "stratus-channel-outbound-1-dlq", the dead-letter queue of "stratus-channel-outbound-1"',
      'channel outbound queue (eu): wrangler.toml does not consume "stratus-channel-outbound-eu-dlq", the dead-letter queue of "stratus-channel-outbound-eu"',
      'channel outbound queue: wrangler.toml consumes "stratus-channel-outbound-eu-4" but nobody sends to "stratus-channel-outbound-eu-4"',
    ]);
  });
});
