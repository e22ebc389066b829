// Hand-made per-message costs for the planner's tests, in turn-cost.json's shape: every figure
// chosen so a bill or a shard count can be computed by hand.
import type { ObjectClassMeter, QueueMeter, TurnCostResult, TurnCostSample, WorkerMeter } from "../../shared/schemas/capacity.ts";
import type { Deployment } from "../../planner/deployment.ts";

export const worker = (invocations: number, cpu_ms: number, subrequests: number, byEvent: Record<string, number> = {}): WorkerMeter => ({
  invocations,
  invocations_by_event: byEvent,
  cpu_ms,
  subrequests,
  queue_sends: 0,
  object_calls: subrequests,
  fetches: 0,
  wall_ms_per_invocation: 0,
});

export const objectClass = (fields: Partial<ObjectClassMeter>): ObjectClassMeter => ({
  requests: 0,
  rpc_calls: 0,
  fetches: 0,
  alarm_invocations: 0,
  websocket_messages: 0,
  active_ms: 0,
  rows_read: 0,
  rows_written: 0,
  alarms_set: 0,
  stored_bytes: 0,
  stored_bytes_net: 0,
  largest_object_bytes: 0,
  subrequests: 0,
  ...fields,
});

export const queue = (fields: Partial<QueueMeter>): QueueMeter => ({
  writes: 0,
  reads: 0,
  deletes: 0,
  retries: 0,
  dead_letters: 0,
  bytes_written: 0,
  message_bytes: 0,
  largest_message_bytes: 0,
  send_calls: 0,
  consumer_invocations: 0,
  wall_ms_per_invocation: 0,
  ...fields,
});

/** A turn stage's queue: one write, read and delete per message of 900 bytes, consumed one message per invocation taking `wallMs`. */
export const stageQueue = (wallMs: number): QueueMeter =>
  queue({ writes: 1, reads: 1, deletes: 1, bytes_written: 900, message_bytes: 900, largest_message_bytes: 900, send_calls: 1, consumer_invocations: 1, wall_ms_per_invocation: wallMs });

/** A steady message: the gateway (CPU 2 ms), its conversation object (3 requests, 5 rows written), two turn stages. */
export const sample: TurnCostSample = {
  workers: { gateway: worker(1, 2, 2, { fetch: 1 }), intent: worker(1, 1, 1, { queue: 1 }), dialogue: worker(1, 1, 1, { queue: 1 }) },
  durable_objects: { conversation: objectClass({ requests: 3, rpc_calls: 2, alarm_invocations: 1, active_ms: 20, rows_read: 10, rows_written: 5, stored_bytes: 1000 }) },
  queues: { intent: stageQueue(4), dialogue: stageQueue(8) },
  analytics_data_points: 0,
};

export const costs: TurnCostResult = {
  measured_at: "2026-12-01T00:00:00.000Z",
  machine: "test",
  note: "hand-made figures",
  bytes_note: "hand-made figures",
  traffic: {
    transport: "http",
    bots: ["shop", "bank"],
    conversations_at_once: 10,
    turns_per_conversation: 11,
    think_ms: { min: 400, max: 600 },
    watchdog_ms: 5000,
    stage_batch_timeout_s: 1,
    turns_per_second: 10,
    mean_batch: {},
    failed_turns: 0,
    active_ms_from: "this run",
  },
  turns: 100,
  conversations: 10,
  per_turn: sample,
  per_bot: { shop: sample, bank: { ...sample, workers: { ...sample.workers, intent: worker(1, 3, 1, { queue: 1 }) } } },
  per_conversation: {
    workers: { gateway: worker(1, 1, 1, { fetch: 1 }) },
    durable_objects: { conversation: objectClass({ requests: 1, rpc_calls: 1, active_ms: 2, rows_read: 2, rows_written: 3, stored_bytes: 12_288 }) },
    queues: {},
    analytics_data_points: 0,
  },
  cpu_profile: {},
};

/** A deployment with one queue per turn stage, each with its dead-letter queue, and nothing else sharded. */
export const deployment: Deployment = {
  consumers: { intent: { maxBatchSize: 50, maxBatchTimeoutSeconds: 0 }, dialogue: { maxBatchSize: 50, maxBatchTimeoutSeconds: 0 } },
  queueShards: { intent: 1, dialogue: 1 },
  objectShards: {},
  sources: { objects: {}, queues: {} },
  deadLettered: ["intent", "dialogue"],
};

/** The costs with more measured: `patch` edits a copy of every sample (per_turn and each bot's). */
export function withSample(patch: (sample: TurnCostSample) => void, extra: Partial<TurnCostResult> = {}): TurnCostResult {
  const copy = structuredClone({ ...costs, ...extra });
  patch(copy.per_turn);
  for (const bot of Object.values(copy.per_bot)) patch(bot);
  return copy;
}
