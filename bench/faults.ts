// `npm run bench:faults [-- --conversations 50 --messages 10 --think-ms 2000 --fault-rate 0.2 --stall-share 0.25 --http]`
// The load of bench:load with faults: the intent and dialogue consumers throw or stall (longer than
// the conversation's watchdog) on a share of their deliveries — the development-only fault switch
// (shared/fault-injection.ts), which production bundles do not contain — and once, when half of
// the messages are answered, the runtime (wrangler and workerd) is killed with SIGKILL and started
// again on the same port and the same persisted state while the clients reconnect and send their
// unanswered messages again with the same clientMessageId. After recovery it counts lost,
// duplicated and out-of-order replies (all must be 0), retries, dead letters, watchdog
// re-dispatches and fallback answers, and the recovery time after the kill.
// Writes bench/results/faults.{md,json}. Exits 1 if anything was lost, duplicated or reordered.
import { SingleBar } from "cli-progress";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { persistRoot, startPipeline } from "./load-stack.ts";
import type { Transport } from "./load-client.ts";
import { checkPhase, clientFigures, counterDelta, numberOption, parseMix, runPhase, scrapeMetrics, settle, SHARED_LOAD_OPTIONS } from "./load-run.ts";
import { machineDescription, writeBenchResults } from "./results-files.ts";
import { round } from "./stats.ts";

const { values } = parseArgs({
  options: {
    ...SHARED_LOAD_OPTIONS,
    conversations: { type: "string", default: "50" },
    "fault-rate": { type: "string", default: "0.2" },
    "stall-share": { type: "string", default: "0.25" },
    "watchdog-ms": { type: "string", default: "3000" },
    "no-kill": { type: "boolean", default: false },
  },
});
const conversations = numberOption("conversations", values.conversations, 1);
const messages = numberOption("messages", values.messages, 1);
const thinkMs = numberOption("think-ms", values["think-ms"], 0);
const faultRate = numberOption("fault-rate", values["fault-rate"], 0, 1);
const stallShare = numberOption("stall-share", values["stall-share"], 0, 1);
const watchdogMs = numberOption("watchdog-ms", values["watchdog-ms"], 500);
const stallMs = watchdogMs + 1_000; // longer than the watchdog: the turn is sent again while the first delivery still runs
const mix = parseMix(values.mix);
const transport: Transport = values.http ? "http" : "websocket";

const faultVars = {
  FAULT_INJECTION: "on",
  FAULT_THROW_RATE: String(faultRate * (1 - stallShare)),
  FAULT_STALL_RATE: String(faultRate * stallShare),
  FAULT_STALL_MS: String(stallMs),
};
const persistDir = mkdtempSync(join(values["persist-dir"] ?? persistRoot(), "stratus-faults-"));
const pipeline = await startPipeline({
  persistDir,
  vars: { gateway: { TURN_TIMEOUT_MS: String(watchdogMs) }, intent: faultVars, dialogue: faultVars },
});
try {
  const before = await scrapeMetrics(pipeline.url);
  const total = conversations * messages;
  const bar = new SingleBar({ format: `faults: ${conversations} conversations [{bar}] {value}/{total} replies | {duration}s | {event}`, hideCursor: true, noTTYOutput: true, notTTYSchedule: 5_000 });
  bar.start(total, 0, { event: "" });

  let answered = 0;
  let killedAt: number | undefined;
  let restartedAt: number | undefined;
  let firstReplyAfterRestart: number | undefined;
  let restart: Promise<void> | undefined;
  const onReply = () => {
    answered++;
    const now = performance.now();
    bar.increment();
    if (restartedAt !== undefined && firstReplyAfterRestart === undefined) firstReplyAfterRestart = now;
    if (!values["no-kill"] && killedAt === undefined && answered >= total / 2) {
      killedAt = now;
      bar.update({ event: "SIGKILL" });
      pipeline.kill();
      restart = pipeline.restart().then(() => {
        restartedAt = performance.now();
        bar.update({ event: "restarted" });
      });
    }
  };
  const phase = await runPhase({ base: pipeline.url, conversations, messages, thinkMs, transport, mix, replyTimeoutMs: 120_000, label: "faults", onReply });
  await restart;
  bar.stop();
  // Turns in their last retries or dead-lettered: give the watchdog and the dead-letter path time to answer.
  await settle(phase, 120_000);
  const allAnsweredAt = Math.max(...phase.drivers.flatMap((driver) => [...driver.sent.values()].map((m) => m.answeredAt ?? Number.POSITIVE_INFINITY)));
  await new Promise((resolve) => setTimeout(resolve, 2_500)); // the last metric deltas reach the aggregator
  const after = await scrapeMetrics(pipeline.url);
  const checks = await checkPhase(phase, pipeline.url);
  const figures = clientFigures(phase);

  // Messages sent before the kill and answered after it: what the kill interrupted.
  const interrupted = phase.drivers.flatMap((driver) =>
    [...driver.sent.values()].filter((m) => killedAt !== undefined && m.sentAt < killedAt && (m.answeredAt ?? Number.POSITIVE_INFINITY) > killedAt),
  );
  const lastInterruptedAnswer = Math.max(...interrupted.map((m) => m.answeredAt ?? Number.POSITIVE_INFINITY));
  const metric = (name: string, where?: (labels: Record<string, string>) => boolean) => counterDelta(before, after, name, where);
  const result = {
    transport,
    persisted_to: persistDir,
    messages_per_conversation: messages,
    think_ms_mean: thinkMs,
    faults: { rate_per_delivery: faultRate, throw_rate: Number(faultVars.FAULT_THROW_RATE), stall_rate: Number(faultVars.FAULT_STALL_RATE), stall_ms: stallMs, watchdog_ms: watchdogMs },
    ...figures,
    lost: checks.lost,
    duplicated: checks.duplicated,
    out_of_order: checks.outOfOrder,
    fallback_answers: checks.fallbacks,
    wire: { duplicate_frames: checks.duplicateFrames, out_of_order_frames: checks.outOfOrderFrames, gaps: checks.gaps, reconnects: checks.reconnects, failed_requests: checks.failedRequests, messages_sent_again: checks.resent },
    // From /metrics: counts the isolates had not flushed when they were killed are missing (lower bounds).
    pipeline_counters: {
      injected_faults: metric("stratus_injected_faults_total"),
      queue_retries: metric("stratus_queue_messages_total", (l) => l.result === "retried"),
      dead_letters: metric("stratus_dead_letters_total"),
      watchdog_redispatches: metric("stratus_turn_dispatches_total", (l) => l.cause === "watchdog"),
      dead_letter_redispatches: metric("stratus_turn_dispatches_total", (l) => l.cause === "dead_letter"),
      pipeline_fallbacks: metric("stratus_pipeline_fallbacks_total"),
      late_results_dropped: metric("stratus_turn_results_dropped_total"),
    },
    kill: killedAt === undefined
      ? null
      : {
          runtime_back_after_ms: restartedAt === undefined ? null : round(restartedAt - killedAt),
          first_reply_after_kill_ms: firstReplyAfterRestart === undefined ? null : round(firstReplyAfterRestart - killedAt),
          interrupted_messages: interrupted.length,
          all_interrupted_answered_after_ms: Number.isFinite(lastInterruptedAnswer) ? round(lastInterruptedAnswer - killedAt) : null,
        },
    all_answered: Number.isFinite(allAnsweredAt),
    machine: machineDescription(),
    measured_at: new Date().toISOString(),
  };
  const c = result.pipeline_counters;
  const k = result.kill;
  writeBenchResults(
    "faults",
    result,
    `# Faults and a killed runtime (local workerd)\n\n` +
      `${conversations} conversations × ${messages} messages over ${transport === "http" ? "POST …/messages?wait" : "the conversation WebSocket"}, mean think time ${thinkMs} ms, ` +
      `state persisted to \`${persistDir}\`, two queue shards per stage. The intent and dialogue consumers fail ${faultRate * 100}% of their deliveries: ` +
      `${round(result.faults.throw_rate * 100)}% throw (the queue retries), ${round(result.faults.stall_rate * 100)}% stall ${stallMs} ms, longer than the ${watchdogMs} ms watchdog ` +
      `(the turn is sent again; the late result must be dropped). ` +
      (k ? `When half the messages were answered, wrangler and workerd were killed with SIGKILL and started again on the same port and state; the clients reconnected and sent their unanswered messages again with the same clientMessageId.` : `No kill (--no-kill).`) +
      `\n\n| answered | lost | duplicated | out of order | fallback answers | p50 | p99 | max |\n|---|---|---|---|---|---|---|---|\n` +
      `| ${figures.answered}/${figures.messages_sent} | ${checks.lost} | ${checks.duplicated} | ${checks.outOfOrder} | ${checks.fallbacks} | ${figures.p50_ms} ms | ${figures.p99_ms} ms | ${figures.max_ms} ms |\n\n` +
      `Pipeline (from /metrics; lower bounds, the killed isolates' unflushed counts are lost): ${c.injected_faults} faults injected, ${c.queue_retries} queue retries, ` +
      `${c.dead_letters} dead letters, ${c.watchdog_redispatches} watchdog re-dispatches, ${c.dead_letter_redispatches} re-dispatches after a dead letter, ` +
      `${c.pipeline_fallbacks} pipeline fallbacks, ${c.late_results_dropped} late or duplicate results dropped.\n\n` +
      (k
        ? `Recovery: runtime answering again ${k.runtime_back_after_ms} ms after the kill; first reply ${k.first_reply_after_kill_ms} ms after it; ` +
          `the ${k.interrupted_messages} messages in flight at the kill all answered ${k.all_interrupted_answered_after_ms} ms after it ` +
          `(their turns come back with the watchdog alarm the object stored, ${watchdogMs} ms).\n\n`
        : "") +
      `On the wire: ${checks.duplicateFrames} duplicate frames, ${checks.outOfOrderFrames} out of order, ${checks.reconnects} reconnects, ${checks.resent} messages sent again.\n\n` +
      `Machine: ${result.machine}. Measured ${result.measured_at}. Locally each queue delivers one batch at a time (Miniflare's broker), so a stalled ` +
      `delivery holds its whole batch; Cloudflare runs a queue's batches concurrently.\n`,
    "markdown",
  );
  if (checks.lost + checks.duplicated + checks.outOfOrder + checks.duplicateFrames + checks.outOfOrderFrames > 0 || !result.all_answered) process.exitCode = 1;
  for (const driver of phase.drivers) driver.close();
} finally {
  await pipeline.close();
  rmSync(persistDir, { recursive: true, force: true });
}
