// `npm run bench:load [-- --conversations 200 --messages 10 --think-ms 2000 --http --mix … --saturation-s 15]`
// The whole system on workerd (one `wrangler dev`, state persisted, two queue shards per stage)
// beside a bare hello Worker on the same runtime, driven by the same client (bench/load-client.ts):
//   1. saturation: S conversations sending back to back (no think time) for a fixed time, against
//      the bare Worker, then against the pipeline: messages per second of each and their ratio;
//   2. load: C conversations, M messages each, an exponential think time between messages
//      (≈ C / think messages per second offered): reply latency p50/p95/p99 (send → bot reply
//      received on the socket), where a turn's time goes stage by stage (the turn's own timestamps,
//      from the stratus_turn_stage_duration_seconds histogram), and lost, duplicated and
//      out-of-order replies (each conversation's transcript against what its client sent, and the
//      frames as they arrived).
// Writes bench/results/load.{md,json} (load-http.{md,json} with --http). Exits 1 if anything was lost, duplicated or reordered.
import { SingleBar } from "cli-progress";
import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { IsolateProfiler, findWorkerInspectorTargets } from "./cpu-profiler.ts";
import { persistRoot, startBareWorker, startPipeline, type StackVars } from "./load-stack.ts";
import type { Transport } from "./load-client.ts";
import { checkPhase, clientFigures, clientStages, numberOption, parseMix, runPhase, scrapeMetrics, settle, SHARED_LOAD_OPTIONS, stageMeans, type Checks, type PhaseFigures } from "./load-run.ts";
import { machineDescription, writeBenchResults } from "./results-files.ts";
import { round } from "./stats.ts";

const { values } = parseArgs({
  options: {
    ...SHARED_LOAD_OPTIONS,
    conversations: { type: "string", default: "200" },
    "saturation-conversations": { type: "string", default: "50" },
    "saturation-s": { type: "string", default: "15" },
    profile: { type: "boolean", default: false },
    "queue-shards": { type: "string" },
    /** A var for one Worker or all of them, repeatable: --var dialogue:FOO=1, --var all:STRATUS_METRICS=off. */
    var: { type: "string", multiple: true, default: [] },
  },
});
const conversations = numberOption("conversations", values.conversations, 1);
const messages = numberOption("messages", values.messages, 1);
const thinkMs = numberOption("think-ms", values["think-ms"], 0);
const saturationConversations = numberOption("saturation-conversations", values["saturation-conversations"], 1);
const saturationMs = numberOption("saturation-s", values["saturation-s"], 0) * 1000;
const mix = parseMix(values.mix);
const transport: Transport = values.http ? "http" : "websocket";

function progress(label: string, total: number): SingleBar {
  const bar = new SingleBar({ format: `${label.padEnd(22)} [{bar}] {value}/{total} replies | {duration}s`, hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 5_000 });
  bar.start(total, 0);
  return bar;
}

const persistDir = mkdtempSync(join(values["persist-dir"] ?? persistRoot(), "stratus-load-"));
const bare = await startBareWorker(persistDir);
const vars: StackVars = {};
for (const spec of values.var) {
  const match = /^(gateway|intent|dialogue|all):([A-Z][A-Z0-9_]*)=(.*)$/.exec(spec);
  if (!match) throw new Error(`--var ${spec}: expected <gateway|intent|dialogue|all>:NAME=value`);
  const [, worker = "", name = "", value = ""] = match;
  for (const one of worker === "all" ? (["gateway", "intent", "dialogue"] as const) : ([worker] as ("gateway" | "intent" | "dialogue")[])) {
    vars[one] = { ...vars[one], [name]: value };
  }
}
const pipeline = await startPipeline({
  vars, persistDir: join(persistDir, "pipeline"), inspector: values.profile, ...(values["queue-shards"] ? { queueShards: numberOption("queue-shards", values["queue-shards"], 1) } : {}) });

/** CPU profiles of every isolate of the pipeline (--profile): ms per answered message, and each isolate's hottest functions. */
interface IsolateCpu {
  isolate: string;
  cpu_ms_per_message: number;
  hot: { name: string; at: string; ms_per_message: number }[];
}
async function profiled<T extends { answered: number }>(work: () => Promise<T>): Promise<{ figures: T; cpu: IsolateCpu[] }> {
  if (!values.profile) return { figures: await work(), cpu: [] };
  const targets = (await findWorkerInspectorTargets(pipeline.pid())).filter((target) => target.id.startsWith("core:user:"));
  const profilers = await Promise.all(targets.map(async (target) => ({ isolate: target.id.slice("core:user:".length), profiler: await IsolateProfiler.connect(target) })));
  for (const { profiler } of profilers) await profiler.start();
  const figures = await work();
  const cpu: IsolateCpu[] = [];
  for (const { isolate, profiler } of profilers) {
    const { cpuMs, hot } = await profiler.stopWithHotFunctions(40);
    profiler.close();
    const per = (ms: number) => round(ms / Math.max(1, figures.answered), 3);
    cpu.push({ isolate, cpu_ms_per_message: per(cpuMs), hot: hot.map((f) => ({ name: f.name, at: f.at, ms_per_message: per(f.selfMs) })) });
  }
  return { figures, cpu: cpu.sort((a, b) => b.cpu_ms_per_message - a.cpu_ms_per_message) };
}
try {
  const saturation: Partial<Record<"bare" | "pipeline", PhaseFigures>> = {};
  let cpu: IsolateCpu[] = [];
  if (saturationMs > 0) {
    for (const [name, base] of [["bare", bare.url], ["pipeline", pipeline.url]] as const) {
      const estimate = Math.round((name === "bare" ? 1_000 : 100) * (saturationMs / 1000));
      const bar = progress(`saturation: ${name}`, estimate);
      const run = () =>
        runPhase({ base, conversations: saturationConversations, durationMs: saturationMs, thinkMs: 0, transport, mix, replyTimeoutMs: 30_000, label: `sat-${name}`, onReply: () => bar.increment() }).then((phase) => {
          for (const driver of phase.drivers) driver.close();
          return clientFigures(phase);
        });
      const measured = name === "pipeline" ? await profiled(run) : { figures: await run(), cpu: [] };
      bar.stop();
      saturation[name] = measured.figures;
      if (name === "pipeline") cpu = measured.cpu;
    }
  }
  await bare.stop();

  const bar = progress(`load: ${conversations} conversations`, conversations * messages);
  const before = await scrapeMetrics(pipeline.url);
  const phase = await runPhase({ base: pipeline.url, conversations, messages, thinkMs, transport, mix, replyTimeoutMs: 30_000, label: "load", onReply: () => bar.increment() });
  bar.stop();
  await settle(phase, 30_000);
  await new Promise((resolve) => setTimeout(resolve, 2_500)); // the last metric deltas reach the aggregator
  const stages = stageMeans(before, await scrapeMetrics(pipeline.url));
  const load = clientFigures(phase);
  const checks: Checks = await checkPhase(phase, pipeline.url);
  const client = clientStages(phase);

  const ratio = saturation.bare && saturation.pipeline ? round(saturation.pipeline.messages_per_s / saturation.bare.messages_per_s, 3) : Number.NaN;
  const result = {
    transport,
    mix: values.mix,
    persisted_to: persistDir,
    saturation: { conversations: saturationConversations, seconds: saturationMs / 1000, bare: saturation.bare, pipeline: saturation.pipeline, pipeline_to_bare_ratio: ratio },
    load: { think_ms_mean: thinkMs, offered_messages_per_s: thinkMs > 0 ? round(conversations / (thinkMs / 1000)) : null, ...load },
    stages_ms_mean: { send_to_stored: client.stored_ms, ...stages, delivery: client.delivery_ms },
    checks,
    ...(values.profile ? { cpu_profile_saturation: cpu } : {}),
    targets: { ratio_at_least: 1 / 3, p99_ms_at_most: 100, lost_duplicated_out_of_order: 0 },
    machine: machineDescription(),
    measured_at: new Date().toISOString(),
  };
  const sat = (f: PhaseFigures | undefined) => (f ? `${f.messages_per_s} msg/s (p50 ${f.p50_ms} ms, p99 ${f.p99_ms} ms)` : "not run");
  const stageRows = Object.entries(result.stages_ms_mean).map(([stage, ms]) => `| ${stage} | ${ms} |`).join("\n");
  writeBenchResults(
    transport === "http" ? "load-http" : "load",
    result,
    `# Load (local workerd)\n\n` +
      `One \`wrangler dev\` process (workerd) running the gateway with the conversation Durable Objects, the intent, dialogue and metrics Workers, ` +
      `two queue shards per stage and state persisted to \`${persistDir}\`${persistDir.startsWith("/dev/shm") ? " (a tmpfs: see persistRoot in bench/load-stack.ts)" : ""}; the client (bench/load-client.ts, ${transport === "http" ? "POST …/messages?wait" : "the conversation WebSocket"}) in another process on the same machine. ` +
      `Rate limits raised for the run (one address drives every conversation). Bot and locale mix: \`${values.mix}\`.\n\n` +
      `## Saturation (${saturationConversations} conversations, no think time, ${saturationMs / 1000} s each)\n\n` +
      `| target | throughput |\n|---|---|\n| bare hello Worker | ${sat(saturation.bare)} |\n| pipeline | ${sat(saturation.pipeline)} |\n\n` +
      `Pipeline / bare: **${ratio}** (target ≥ 0.333).\n\n` +
      `## Load (${conversations} conversations × ${messages} messages, mean think time ${thinkMs} ms ≈ ${result.load.offered_messages_per_s ?? "—"} msg/s offered)\n\n` +
      `| msg/s | p50 | p95 | p99 | max | lost | duplicated | out of order | fallbacks |\n|---|---|---|---|---|---|---|---|---|\n` +
      `| ${load.messages_per_s} | ${load.p50_ms} ms | ${load.p95_ms} ms | ${load.p99_ms} ms | ${load.max_ms} ms | ${checks.lost} | ${checks.duplicated} | ${checks.outOfOrder} | ${checks.fallbacks} |\n\n` +
      `On the wire: ${checks.duplicateFrames} duplicate frames, ${checks.outOfOrderFrames} out of order, ${checks.gaps} gaps, ${checks.reconnects} reconnects. Target p99 ≤ 100 ms.\n\n` +
      `### Where a turn's time goes (mean ms per turn)\n\n| stage | ms |\n|---|---|\n${stageRows}\n\n` +
      `send_to_stored: client send → stored user message back on the socket (gateway/object, storage write included); conversation → return: the turn's own ` +
      `timestamps (shared/metrics/stage-timings.ts; queue waits include the consumers' batch timeout); delivery: reply written by the object → received by the client.\n\n` +
      (cpu.length
        ? `### CPU per answered message in the saturation run, by isolate (V8 profiles through workerd's inspector)\n\n` +
          cpu.map((one) => `- **${one.isolate}**: ${one.cpu_ms_per_message} ms — ${one.hot.slice(0, 6).map((f) => `${f.name} ${f.ms_per_message}`).join(", ")}`).join("\n") +
          `\n\n`
        : "") +
      `Machine: ${result.machine}. Measured ${result.measured_at}. Client, runtime and demo backends share the machine's cores: this measures the local ` +
      `runtime's ceiling and correctness under concurrency, not Cloudflare's capacity.\n`,
    "markdown",
  );
  const bad = checks.lost + checks.duplicated + checks.outOfOrder + checks.duplicateFrames + checks.outOfOrderFrames;
  if (bad > 0) process.exitCode = 1;
  for (const driver of phase.drivers) driver.close();
} finally {
  await bare.stop().catch(() => undefined);
  await pipeline.close();
  rmSync(persistDir, { recursive: true, force: true });
}
