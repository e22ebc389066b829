// `npm run bench:load [-- --conversations 200 --messages 10 --think-ms 2000 --http --mix … --saturation-s 15 --back-to-back]`
// The whole system on workerd (one `wrangler dev`, state persisted, two queue shards per stage)
// beside the systems it is measured against, each on its own `wrangler dev` and driven by the same
// client (bench/load-client.ts):
//   1. saturation: S conversations sending back to back (no think time) for a fixed time against
//      each arm — the bare hello Worker (the runtime's ceiling), the pipeline, the in-process arm
//      (the same gateway and conversation object answering with NLU and dialogue in the object's
//      request: no queue hop) and a rule-based bot on Cloudflare's agents SDK — messages per second
//      of each and its ratio to the bare Worker; pipeline / in-process is what the queues cost;
//   2. load: C conversations, M messages each, an exponential think time between messages
//      (≈ C / think messages per second offered): reply latency p50/p95/p99 (send → bot reply
//      received on the socket), where a turn's time goes stage by stage (the turn's own timestamps,
//      from the stratus_turn_stage_duration_seconds histogram), and lost, duplicated and
//      out-of-order replies (each conversation's transcript against what its client sent, and the
//      frames as they arrived);
//   3. a user's first try: the stack `npm run dev` starts (its configs and defaults: committed rate
//      limits, wrangler's local trace collector off as there, state on disk), 10 conversations sending
//      back-to-back POST …/messages?wait: turns per second and p50 of Stratus, of the agents-SDK bot
//      and of the bare Worker, run the same way (`--back-to-back` runs this part alone).
// Writes bench/results/load.{md,json} (load-http.{md,json} with --http; load-first-try.{md,json}
// with --back-to-back). Exits 1 if anything was lost, duplicated or reordered.
import { SingleBar } from "cli-progress";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../devkit/local-stack.ts";
import { IsolateProfiler, findWorkerInspectorTargets } from "./cpu-profiler.ts";
import { persistRoot, startAgentsBot, startBareWorker, startPipeline, type Pipeline, type RunningStack, type StackVars } from "./load-stack.ts";
import type { Transport } from "./load-client.ts";
import { ARMS, FIRST_TRY_ARMS, loadReport, type Arm, type ArmRun, type FirstTryArm, type IsolateCpu, type LoadResult } from "./load-report.ts";
import { checkPhase, clientFigures, clientStages, numberOption, parseMix, runPhase, scrapeMetrics, settle, SHARED_LOAD_OPTIONS, stageMeans, type Checks, type Phase } from "./load-run.ts";
import { machineDescription, writeBenchResults } from "./results-files.ts";
import { round } from "./stats.ts";

const { values } = parseArgs({
  options: {
    ...SHARED_LOAD_OPTIONS,
    /** Conversations of the load phase (0: no load phase). */
    conversations: { type: "string", default: "200" },
    "saturation-conversations": { type: "string", default: "50" },
    "saturation-s": { type: "string", default: "15" },
    /** The saturation arms, comma-separated, in the order they run. */
    arms: { type: "string", default: ARMS.join(",") },
    /** The user's-first-try comparison: conversations and messages each (0 messages: not run). */
    "first-try-conversations": { type: "string", default: "10" },
    "first-try-messages": { type: "string", default: "25" },
    /** Only the user's-first-try comparison (into load-first-try.{md,json}). */
    "back-to-back": { type: "boolean", default: false },
    profile: { type: "boolean", default: false },
    "queue-shards": { type: "string" },
    /** A var for one Worker or all of them, repeatable: --var dialogue:FOO=1, --var all:STRATUS_METRICS=off. */
    var: { type: "string", multiple: true, default: [] },
  },
});
const backToBackOnly = values["back-to-back"];
const conversations = backToBackOnly ? 0 : numberOption("conversations", values.conversations, 0);
const messages = numberOption("messages", values.messages, 1);
const thinkMs = numberOption("think-ms", values["think-ms"], 0);
const saturationConversations = numberOption("saturation-conversations", values["saturation-conversations"], 1);
const saturationMs = backToBackOnly ? 0 : numberOption("saturation-s", values["saturation-s"], 0) * 1000;
const firstTryConversations = numberOption("first-try-conversations", values["first-try-conversations"], 1);
const firstTryMessages = numberOption("first-try-messages", values["first-try-messages"], 0);
const mix = parseMix(values.mix);
const transport: Transport = values.http ? "http" : "websocket";
const arms = values.arms.split(",").map((name) => {
  if (!(ARMS as readonly string[]).includes(name)) throw new Error(`--arms: "${name}" is not one of ${ARMS.join(", ")}`);
  return name as Arm;
});
const vars: StackVars = {};
for (const spec of values.var) {
  const match = /^(gateway|intent|dialogue|all):([A-Z][A-Z0-9_]*)=(.*)$/.exec(spec);
  if (!match) throw new Error(`--var ${spec}: expected <gateway|intent|dialogue|all>:NAME=value`);
  const [, worker = "", name = "", value = ""] = match;
  for (const one of worker === "all" ? (["gateway", "intent", "dialogue"] as const) : ([worker] as ("gateway" | "intent" | "dialogue")[])) {
    vars[one] = { ...vars[one], [name]: value };
  }
}

function progress(label: string, total: number): SingleBar {
  const bar = new SingleBar({ format: `${label.padEnd(28)} [{bar}] {value}/{total} replies | {duration}s`, hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 5_000 });
  bar.start(total, 0);
  return bar;
}

/** CPU profiles of every isolate of a stack (--profile): ms per answered message, and each isolate's hottest functions. */
async function profiled<T extends { answered: number }>(pid: number | undefined, work: () => Promise<T>): Promise<{ figures: T; cpu: IsolateCpu[] }> {
  if (pid === undefined) return { figures: await work(), cpu: [] };
  const targets = (await findWorkerInspectorTargets(pid)).filter((target) => target.id.startsWith("core:user:"));
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

/** Runs one phase against a stack: the clients' figures, and (for a stack that keeps transcripts) the delivery checks. */
async function measure(base: string, label: string, estimate: number, phase: (onReply: () => void) => Promise<Phase>, withChecks: boolean, profilePid?: number): Promise<ArmRun> {
  const bar = progress(label, estimate);
  let done: Phase | undefined;
  const { figures, cpu } = await profiled(profilePid, async () => {
    done = await phase(() => bar.increment());
    return clientFigures(done);
  });
  bar.stop();
  const checks = withChecks && done ? await checkPhase(done, base) : undefined;
  for (const driver of done?.drivers ?? []) driver.close();
  return { figures, ...(checks ? { checks } : {}), ...(cpu.length > 0 ? { cpu } : {}) };
}

const persistDir = mkdtempSync(join(values["persist-dir"] ?? persistRoot(), "stratus-load-"));
// `npm run dev` keeps its state in the repository's .wrangler/ (a disk): so does its first try here.
mkdirSync(join(ROOT, ".wrangler"), { recursive: true });
const firstTryDir = mkdtempSync(join(values["persist-dir"] ?? join(ROOT, ".wrangler"), "bench-first-try-"));

/** A running arm: where it answers, wrangler's process (for --profile), and how to stop it. */
interface ArmStack {
  url: string;
  pid: number;
  close(): Promise<void>;
}
const fromPipeline = (stack: Pipeline): ArmStack => ({ url: stack.url, pid: stack.pid(), close: () => stack.close() });
const fromSingle = (stack: RunningStack & { pid: number }): ArmStack => ({ url: stack.url, pid: stack.pid, close: () => stack.stop() });

/** The pipeline serves the saturation and then the load phase: started once. */
let pipeline: Pipeline | undefined;
const startPipelineOnce = async () =>
  (pipeline ??= await startPipeline({
    vars,
    persistDir: join(persistDir, "pipeline"),
    inspector: values.profile,
    ...(values["queue-shards"] ? { queueShards: numberOption("queue-shards", values["queue-shards"], 1) } : {}),
  }));

async function startSaturationArm(arm: Arm): Promise<ArmStack> {
  switch (arm) {
    case "pipeline": {
      const stack = await startPipelineOnce();
      return { ...fromPipeline(stack), close: () => Promise.resolve() }; // kept for the load phase
    }
    case "in-process":
      return fromPipeline(await startPipeline({ vars, persistDir: join(persistDir, "in-process"), inspector: values.profile, inProcess: true }));
    case "bare":
      return fromSingle(await startBareWorker(persistDir));
    case "agents":
      return fromSingle(await startAgentsBot(persistDir));
  }
}

/** Each system of the first try as `npm run dev` would run it (PipelineOptions.devDefaults). */
async function startFirstTryArm(arm: FirstTryArm): Promise<ArmStack> {
  const dir = join(firstTryDir, arm);
  switch (arm) {
    case "stratus":
      return fromPipeline(await startPipeline({ vars, persistDir: dir, devDefaults: true }));
    case "agents":
      return fromSingle(await startAgentsBot(dir));
    case "bare":
      return fromSingle(await startBareWorker(dir));
  }
}

try {
  const saturation: Partial<Record<Arm, ArmRun>> = {};
  if (saturationMs > 0) {
    for (const arm of arms) {
      const stack = await startSaturationArm(arm);
      try {
        const perSecond = arm === "pipeline" || arm === "in-process" ? 100 : 1_000;
        saturation[arm] = await measure(
          stack.url,
          `saturation: ${arm}`,
          Math.round(perSecond * (saturationMs / 1000)),
          (onReply) => runPhase({ base: stack.url, conversations: saturationConversations, durationMs: saturationMs, thinkMs: 0, transport, mix, replyTimeoutMs: 30_000, label: `sat-${arm}`, onReply }),
          arm !== "bare",
          values.profile && (arm === "pipeline" || arm === "in-process") ? stack.pid : undefined,
        );
      } finally {
        await stack.close();
      }
    }
  }

  let load: LoadResult["load"];
  if (conversations > 0) {
    const stack = await startPipelineOnce();
    const bar = progress(`load: ${conversations} conversations`, conversations * messages);
    const before = await scrapeMetrics(stack.url);
    const phase = await runPhase({ base: stack.url, conversations, messages, thinkMs, transport, mix, replyTimeoutMs: 30_000, label: "load", onReply: () => bar.increment() });
    bar.stop();
    await settle(phase, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 2_500)); // the last metric deltas reach the aggregator
    const stages = stageMeans(before, await scrapeMetrics(stack.url));
    const checks: Checks = await checkPhase(phase, stack.url);
    const client = clientStages(phase);
    load = {
      conversations,
      messages,
      think_ms_mean: thinkMs,
      offered_messages_per_s: thinkMs > 0 ? round(conversations / (thinkMs / 1000)) : null,
      figures: clientFigures(phase),
      stages_ms_mean: { send_to_stored: client.stored_ms, ...stages, delivery: client.delivery_ms },
      checks,
    };
    for (const driver of phase.drivers) driver.close();
  }
  await pipeline?.close();
  pipeline = undefined;

  // A user's first try: each system as `npm run dev` would run it, one after the other, the same client.
  const firstTry: Partial<Record<FirstTryArm, ArmRun>> = {};
  if (firstTryMessages > 0) {
    for (const arm of FIRST_TRY_ARMS) {
      const stack = await startFirstTryArm(arm);
      try {
        firstTry[arm] = await measure(
          stack.url,
          `first try: ${arm}`,
          firstTryConversations * firstTryMessages,
          (onReply) =>
            runPhase({ base: stack.url, conversations: firstTryConversations, messages: firstTryMessages, thinkMs: 0, transport: "http", mix, replyTimeoutMs: 30_000, label: `first-${arm}`, onReply }),
          arm !== "bare",
        );
      } finally {
        await stack.close();
      }
    }
  }

  const result: LoadResult = {
    transport,
    mix: values.mix,
    persisted_to: persistDir,
    saturation: saturationMs > 0 ? { conversations: saturationConversations, seconds: saturationMs / 1000, arms: saturation } : undefined,
    load,
    first_try: firstTryMessages > 0 ? { conversations: firstTryConversations, messages: firstTryMessages, arms: firstTry } : undefined,
    machine: machineDescription(),
    measured_at: new Date().toISOString(),
  };
  const { json, markdown, bad } = loadReport(result);
  writeBenchResults(backToBackOnly ? "load-first-try" : transport === "http" ? "load-http" : "load", json, markdown, "markdown");
  if (bad > 0) process.exitCode = 1;
} finally {
  await pipeline?.close().catch(() => undefined);
  rmSync(persistDir, { recursive: true, force: true });
  rmSync(firstTryDir, { recursive: true, force: true });
}
