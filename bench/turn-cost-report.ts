// bench/results/turn-cost.md: the figures of turn-cost.json as tables a person reads — per Worker,
// per Durable Object class and per queue family, for a steady message, a new conversation and a
// failed turn; each bot alone; the Workers' hottest functions.
import type { TurnCostResult, TurnCostSample } from "../shared/schemas/capacity.ts";

const fixed = (value: number, digits = 2): string => {
  if (value === 0) return "0";
  const text = value.toFixed(digits);
  return Number(text) === 0 ? `<${(10 ** -digits).toFixed(digits)}` : String(Number(text));
};
const table = (header: string[], rows: string[][]): string[] => [
  `| ${header.join(" | ")} |`,
  `|${header.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`,
  ...rows.map((row) => `| ${row.join(" | ")} |`),
];
const sorted = <T>(record: Record<string, T>) => Object.entries(record).sort(([a], [b]) => a.localeCompare(b));

/** The three tables of one sample: Workers, Durable Object classes, queue families. */
export function sampleTables(sample: TurnCostSample): string[] {
  return [
    ...table(
      ["Worker", "invocations", "of which", "CPU ms", "subrequests (sends, object calls, fetches)", "wall ms per consumer invocation"],
      sorted(sample.workers).map(([name, w]) => [
        name,
        fixed(w.invocations),
        sorted(w.invocations_by_event)
          .filter(([, n]) => n > 0)
          .map(([event, n]) => `${event} ${fixed(n)}`)
          .join(", ") || "–",
        fixed(w.cpu_ms),
        `${fixed(w.subrequests)} (${fixed(w.queue_sends)}, ${fixed(w.object_calls)}, ${fixed(w.fetches)})`,
        w.wall_ms_per_invocation > 0 ? fixed(w.wall_ms_per_invocation, 1) : "–",
      ]),
    ),
    "",
    ...table(
      ["Durable Object class", "requests", "RPC / fetch / alarm / WebSocket msgs", "rows read", "rows written", "of which setAlarm", "active ms", "stored bytes (net)", "subrequests"],
      sorted(sample.durable_objects).map(([key, o]) => [
        key,
        fixed(o.requests),
        `${fixed(o.rpc_calls)} / ${fixed(o.fetches)} / ${fixed(o.alarm_invocations)} / ${fixed(o.websocket_messages)}`,
        fixed(o.rows_read),
        fixed(o.rows_written),
        fixed(o.alarms_set),
        fixed(o.active_ms, 1),
        `${fixed(o.stored_bytes, 0)} (${fixed(o.stored_bytes_net, 0)})`,
        fixed(o.subrequests),
      ]),
    ),
    "",
    ...table(
      ["queue family", "writes", "reads", "deletes", "retries", "dead letters", "bytes per message (largest)", "consumer invocations"],
      sorted(sample.queues).map(([key, q]) => [
        key,
        fixed(q.writes),
        fixed(q.reads),
        fixed(q.deletes),
        fixed(q.retries),
        fixed(q.dead_letters),
        `${fixed(q.message_bytes, 0)} (${fixed(q.largest_message_bytes, 0)})`,
        fixed(q.consumer_invocations),
      ]),
    ),
    "",
    `Analytics Engine data points: ${fixed(sample.analytics_data_points)}.`,
  ];
}

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** Totals over classes, queues and Workers: the one-line view of a sample. */
export function sampleSummary(sample: TurnCostSample) {
  const objects = Object.values(sample.durable_objects);
  const queues = Object.values(sample.queues);
  return {
    cpuMs: sum(Object.values(sample.workers).map((w) => w.cpu_ms)),
    objectRequests: sum(objects.map((o) => o.requests)),
    rowsWritten: sum(objects.map((o) => o.rows_written)),
    rowsRead: sum(objects.map((o) => o.rows_read)),
    queueOperations: sum(queues.map((q) => q.writes + q.reads + q.deletes)),
    storedBytes: sum(objects.map((o) => o.stored_bytes)),
    storedBytesNet: sum(objects.map((o) => o.stored_bytes_net)),
  };
}

export function turnCostMarkdown(result: TurnCostResult): string {
  const t = result.traffic;
  const summary = sampleSummary(result.per_turn);
  const lines = [
    "# What one turn costs on Cloudflare's meters (local workerd)",
    "",
    `Measured ${result.measured_at} on ${result.machine} by \`npm run bench:turn-cost\`: ${t.conversations_at_once} conversations at once ` +
      `(${t.bots.join(", ")}), ${t.turns_per_conversation} messages each ${t.transport === "http" ? "(POST …/messages?wait)" : "(over the conversation's WebSocket)"}, ${t.think_ms.min}–${t.think_ms.max} ms between an answer and the ` +
      `next message, watchdog ${t.watchdog_ms} ms, turn queues' consumers waiting up to ${t.stage_batch_timeout_s} s for a batch; ` +
      `${fixed(t.turns_per_second, 1)} steady messages/s. Mean messages per consumer batch: ` +
      (sorted(t.mean_batch)
        .map(([key, n]) => `${key} ${fixed(n)}`)
        .join(", ") || "none") +
      ".",
    "",
    `${result.note} Durable Object active_ms: ${t.active_ms_from}.`,
    "",
    ...(t.think_ms.max < t.watchdog_ms
      ? [
          `Pauses are shorter than the watchdog: an alarm armed at each dispatch and moved by the next fires once per conversation ` +
            `here (after its last message), where at people's pace it would fire after every message; alarms_set (setAlarm calls, in rows ` +
            `written) shows what each message arms.`,
          "",
        ]
      : []),
    result.bytes_note,
    "",
    `**Per steady message, everything counted:** ${fixed(summary.objectRequests)} Durable Object requests, ${fixed(summary.rowsWritten)} rows ` +
      `written, ${fixed(summary.rowsRead)} read, ${fixed(summary.queueOperations)} queue operations, ${fixed(summary.cpuMs)} ms CPU in all ` +
      `Workers, ${fixed(summary.storedBytes, 0)} bytes stored.`,
    "",
    `## Per user message (steady state: ${result.turns} messages from the second of each conversation on)`,
    "",
    ...sampleTables(result.per_turn),
    "",
    `## Per new conversation (its creation and first message, less one steady message; ${result.conversations} conversations)`,
    "",
    ...sampleTables(result.per_conversation),
  ];
  if (result.per_failed_turn) {
    lines.push(
      "",
      `## Per failed turn (${t.failed_turns} messages whose every intent delivery fails: retries, dead letters, re-dispatches, the fallback)`,
      "",
      ...sampleTables(result.per_failed_turn),
    );
  }
  lines.push(
    "",
    "## Each bot alone, per steady message",
    "",
    ...table(
      ["bot", "CPU ms (all Workers)", "object requests", "rows written", "rows read", "queue operations", "stored bytes"],
      sorted(result.per_bot).map(([bot, sample]) => {
        const s = sampleSummary(sample);
        return [bot, fixed(s.cpuMs), fixed(s.objectRequests), fixed(s.rowsWritten), fixed(s.rowsRead), fixed(s.queueOperations), fixed(s.storedBytes, 0)];
      }),
    ),
    "",
    "## Where each Worker's CPU goes (steady messages of all bots; own time of a function, per message)",
  );
  for (const [worker, profile] of sorted(result.cpu_profile)) {
    lines.push(
      "",
      `### ${worker}: ${fixed(profile.cpu_ms)} ms per message (the meters' own ${fixed(profile.meter_ms)} ms left out)`,
      "",
      ...table(
        ["module", "ms per message", "share"],
        profile.modules.map((m) => [`\`${m.module}\``, fixed(m.self_ms, 3), `${fixed(100 * m.share, 1)}%`]),
      ),
      "",
      ...table(
        ["function", "where", "ms per message", "share"],
        profile.top.map((f) => [`\`${f.name}\``, `\`${f.at}\``, fixed(f.self_ms, 3), `${fixed(100 * f.share, 1)}%`]),
      ),
    );
  }
  lines.push("");
  return lines.join("\n");
}
