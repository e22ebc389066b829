// bench:turn-cost's accounting, from the invocations the tail Worker posts to the figures in
// turn-cost.json: each class's requests and rows, queue writes by binding under their family,
// dead letters, database growth raw and net, and what a new conversation adds.
import { describe, expect, it } from "vitest";
import type { WorkerConfig } from "../devkit/worker-configs.ts";
import { hostedObjectClasses } from "./metered-entries.ts";
import { ObjectLedger, meterContext, mergeTotals, perUnit, phaseTotals, subtractTotals, type Invocation } from "./turn-cost-meters.ts";

const config = (name: string, extra: Record<string, unknown>): WorkerConfig => ({ name, main: `/src/${name}.ts`, compatibility_date: "2026-11-01", ...extra });
const configs = {
  gateway: config("stratus", {
    durable_objects: {
      bindings: [
        { name: "CONVERSATIONS", class_name: "ConversationDurableObject" },
        { name: "DEAD_LETTERS", class_name: "DeadLetterRegistry" },
        { name: "METRICS", class_name: "MetricsAggregatorDurableObject", script_name: "stratus-metrics" },
      ],
    },
    queues: {
      producers: [
        { binding: "INTENT_QUEUE_0", queue: "stratus-intent" },
        { binding: "INTENT_QUEUE_1", queue: "stratus-intent-1" },
        { binding: "INTENT_QUEUE_EU_0", queue: "stratus-intent-eu" },
      ],
      consumers: [{ queue: "stratus-intent-dlq" }],
    },
  }),
  intent: config("stratus-intent", { queues: { consumers: [{ queue: "stratus-intent" }, { queue: "stratus-intent-1" }, { queue: "stratus-intent-eu" }] } }),
  metrics: config("stratus-metrics", { durable_objects: { bindings: [{ name: "METRICS", class_name: "MetricsAggregatorDurableObject" }] } }),
};
const context = meterContext(configs, hostedObjectClasses);

const line = (fields: Record<string, unknown>) => ["[stratus]", JSON.stringify({ event: "bench_meter", ...fields })];
const objectCall = (className: string, id: string, event: Invocation["event"], ...lines: Record<string, unknown>[]): Invocation => ({
  scriptName: null,
  executionModel: "durableObject",
  entrypoint: className,
  durableObjectId: id,
  event,
  outcome: "ok",
  logs: lines.map((fields) => line({ kind: "object", owner: className, id, ...fields })),
});
const stateless = (event: Invocation["event"], prefix: string, ...lines: Record<string, unknown>[]): Invocation => ({
  scriptName: null,
  executionModel: "stateless",
  entrypoint: null,
  durableObjectId: null,
  event,
  outcome: "ok",
  logs: lines.map((fields) => [`[${prefix}]`, JSON.stringify({ event: "bench_meter", ...fields })]),
});

describe("bench:turn-cost's accounting", () => {
  it("counts each class's billed requests and rows, setAlarm as a row written", () => {
    const ledger = new ObjectLedger();
    const totals = phaseTotals(
      [
        objectCall("ConversationDurableObject", "a", { rpcMethod: "appendUserTurn" }, { rowsRead: 5, rowsWritten: 3, alarmsSet: 1, databaseBytes: 8192, activeMs: 4 }),
        objectCall("ConversationDurableObject", "a", { scheduledTime: 1 }, { rowsRead: 2, databaseBytes: 8192 }),
        objectCall("ConversationDurableObject", "a", { getWebSocketEvent: { webSocketEventType: "message" } }, { websocketMessages: 1, rowsWritten: 2, databaseBytes: 8192 }),
      ],
      context,
      ledger,
    );
    const sample = perUnit(totals, 1, context);
    const conversation = sample.durable_objects.conversation!;
    expect(conversation.requests).toBeCloseTo(1 + 1 + 1 / 20, 9);
    expect([conversation.rpc_calls, conversation.alarm_invocations, conversation.websocket_messages]).toEqual([1, 1, 1]);
    expect([conversation.rows_read, conversation.rows_written, conversation.alarms_set]).toEqual([7, 6, 1]);
    // A class the configs host but nothing called still shows, with zeros; so does a class hosted elsewhere.
    expect(sample.durable_objects.dead_letters?.requests).toBe(0);
    expect(sample.durable_objects.metrics?.requests).toBe(0);
  });

  it("files queue writes by binding under their family, whatever the shard or jurisdiction, and counts deliveries' fates", () => {
    const totals = phaseTotals(
      [
        objectCall("ConversationDurableObject", "a", { rpcMethod: "appendUserTurn" }, {
          sends: { INTENT_QUEUE_0: { calls: 1, messages: 1, bytes: 600, largest: 600 }, INTENT_QUEUE_EU_0: { calls: 1, messages: 1, bytes: 400, largest: 400 } },
          objectCalls: 1,
        }),
        objectCall("ConversationDurableObject", "b", { rpcMethod: "appendUserTurn" }, { sends: { INTENT_QUEUE_1: { calls: 1, messages: 2, bytes: 1000, largest: 500 } } }),
        stateless({ queue: "stratus-intent", batchSize: 3 }, "stratus-intent", { kind: "delivery", queue: "stratus-intent", messages: 3, acked: 2, retried: 1, redelivered: 1 }),
      ],
      context,
      new ObjectLedger(),
    );
    const sample = perUnit(totals, 2, context);
    expect(sample.queues.intent).toMatchObject({ writes: 2, bytes_written: 1000, message_bytes: 500, largest_message_bytes: 600, send_calls: 1.5, reads: 1.5, deletes: 1, retries: 0.5 });
    expect(sample.workers.intent).toMatchObject({ invocations: 0.5, invocations_by_event: { queue: 0.5 } });
    expect(sample.durable_objects.conversation?.subrequests).toBe(2); // three sends and one object call, over two messages
  });

  it("counts a message moved to a dead-letter queue as a dead letter of its family and a write of the dead-letter queue", () => {
    const totals = phaseTotals(
      [stateless({ queue: "stratus-intent-dlq", batchSize: 2 }, "stratus", { kind: "delivery", queue: "stratus-intent-dlq", messages: 2, acked: 2, retried: 0, redelivered: 0 })],
      context,
      new ObjectLedger(),
    );
    const sample = perUnit(totals, 1, context);
    expect(sample.queues.intent?.dead_letters).toBe(2);
    expect(sample.queues.dead_letter_queues).toMatchObject({ writes: 2, reads: 2, deletes: 2 });
    expect(sample.workers.gateway?.invocations).toBe(1);
  });

  it("measures stored bytes from each object's last size: a new object from 0 (raw) or from workerd's empty page (net)", () => {
    const ledger = new ObjectLedger();
    const first = perUnit(phaseTotals([objectCall("ConversationDurableObject", "a", { rpcMethod: "create" }, { databaseBytes: 12_288 })], context, ledger), 1, context);
    expect(first.durable_objects.conversation).toMatchObject({ stored_bytes: 12_288, stored_bytes_net: 8192 });
    const next = perUnit(
      phaseTotals(
        [
          objectCall("ConversationDurableObject", "a", { rpcMethod: "appendUserTurn" }, { databaseBytes: 16_384 }),
          objectCall("ConversationDurableObject", "a", { rpcMethod: "applyDialogueResult" }, { databaseBytes: 20_480 }),
        ],
        context,
        ledger,
      ),
      2,
      context,
    );
    expect(next.durable_objects.conversation).toMatchObject({ stored_bytes: 4096, stored_bytes_net: 4096 });
  });

  it("gives what a new conversation adds: its phases less its messages at the steady rate, never below zero", () => {
    const ledger = new ObjectLedger();
    const creation = phaseTotals([objectCall("ConversationDurableObject", "a", { rpcMethod: "create" }, { rowsWritten: 6 })], context, ledger);
    const first = phaseTotals([objectCall("ConversationDurableObject", "a", { rpcMethod: "appendUserTurn" }, { rowsWritten: 5, alarmsSet: 1 })], context, ledger);
    const steady = phaseTotals(
      [
        objectCall("ConversationDurableObject", "a", { rpcMethod: "appendUserTurn" }, { rowsWritten: 3 }),
        objectCall("ConversationDurableObject", "a", { rpcMethod: "appendUserTurn" }, { rowsWritten: 3, rowsRead: 9 }),
      ],
      context,
      ledger,
    );
    const added = perUnit(subtractTotals(mergeTotals([creation, first]), steady, 1 / 2), 1, context);
    expect(added.durable_objects.conversation).toMatchObject({ rows_written: 6 + 6 - 3, rpc_calls: 1, rows_read: 0 });
  });
});
