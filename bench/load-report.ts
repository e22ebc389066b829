// What `npm run bench:load` writes: its figures as bench/results/load.json (the names below) and the
// report as load.md — the saturation of every arm and its ratio to the bare Worker, the load
// phase's latency and checks, and a user's first try on the stack `npm run dev` starts.
import type { Checks, PhaseFigures } from "./load-run.ts";
import { round } from "./stats.ts";

/** The systems bench:load saturates, in the order they run. */
export const ARMS = ["bare", "pipeline", "in-process", "agents"] as const;
export type Arm = (typeof ARMS)[number];

/** The systems of a user's first try, in the order they run. */
export const FIRST_TRY_ARMS = ["stratus", "agents", "bare"] as const;
export type FirstTryArm = (typeof FIRST_TRY_ARMS)[number];

/** An arm's name in the JSON figures. */
const JSON_NAME: Record<Arm | FirstTryArm, string> = { bare: "bare", pipeline: "pipeline", "in-process": "in_process", agents: "agents_sdk", stratus: "stratus" };

const ARM_LABEL: Record<Arm | FirstTryArm, string> = {
  bare: "bare hello Worker",
  pipeline: "pipeline",
  "in-process": "in-process (no queue hop)",
  agents: "agents-SDK rule bot",
  stratus: "Stratus",
};

/** CPU per answered message of one isolate of a stack (--profile), with its hottest functions. */
export interface IsolateCpu {
  isolate: string;
  cpu_ms_per_message: number;
  hot: { name: string; at: string; ms_per_message: number }[];
}

/** One arm's phase: what the clients saw, the delivery checks (arms that keep a transcript), CPU profiles (--profile). */
export interface ArmRun {
  figures: PhaseFigures;
  checks?: Checks;
  cpu?: IsolateCpu[];
}

export interface LoadResult {
  transport: "websocket" | "http";
  mix: string;
  persisted_to: string;
  saturation: { conversations: number; seconds: number; arms: Partial<Record<Arm, ArmRun>> } | undefined;
  load:
    | {
        conversations: number;
        messages: number;
        think_ms_mean: number;
        offered_messages_per_s: number | null;
        figures: PhaseFigures;
        stages_ms_mean: Record<string, number>;
        checks: Checks;
      }
    | undefined;
  first_try: { conversations: number; messages: number; arms: Partial<Record<FirstTryArm, ArmRun>> } | undefined;
  machine: string;
  measured_at: string;
}

/** The targets the report states (issue 17, item 5). */
export const TARGETS = {
  pipeline_messages_per_s_at_least: 1_000,
  pipeline_to_bare_ratio_at_least: 1 / 3,
  p99_ms_at_most: 50,
  lost_duplicated_out_of_order: 0,
  first_try_stratus_to_agents_sdk_at_least: 0.5,
};

const ratio = (a: ArmRun | undefined, b: ArmRun | undefined) => (a && b ? round(a.figures.messages_per_s / b.figures.messages_per_s, 3) : null);
const show = (value: number | null | undefined, unit = "") => (value === null || value === undefined || Number.isNaN(value) ? "—" : `${value}${unit}`);
const checked = (checks: Checks | undefined) => (checks ? `${checks.lost} / ${checks.duplicated} / ${checks.outOfOrder}` : "— (keeps no transcript)");

/** Messages lost, duplicated or reordered anywhere in the run (the exit code). */
function badCount(result: LoadResult): number {
  const runs = [...Object.values(result.saturation?.arms ?? {}), ...Object.values(result.first_try?.arms ?? {})];
  const all = [...runs.flatMap((run) => (run.checks ? [run.checks] : [])), ...(result.load ? [result.load.checks] : [])];
  return all.reduce((sum, c) => sum + c.lost + c.duplicated + c.outOfOrder + c.duplicateFrames + c.outOfOrderFrames, 0);
}

export function loadReport(result: LoadResult): { json: Record<string, unknown>; markdown: string; bad: number } {
  const sat = result.saturation?.arms ?? {};
  const first = result.first_try?.arms ?? {};
  const pipelineToBare = ratio(sat.pipeline, sat.bare);
  const queuesCost = ratio(sat.pipeline, sat["in-process"]);
  const firstTryRatio = ratio(first.stratus, first.agents);
  const json: Record<string, unknown> = {
    transport: result.transport,
    mix: result.mix,
    persisted_to: result.persisted_to,
    saturation: result.saturation && {
      conversations: result.saturation.conversations,
      seconds: result.saturation.seconds,
      ...Object.fromEntries(Object.entries(sat).map(([arm, run]) => [JSON_NAME[arm as Arm], run.figures])),
      ratio_to_bare: Object.fromEntries(Object.entries(sat).map(([arm, run]) => [JSON_NAME[arm as Arm], ratio(run, sat.bare)])),
      pipeline_to_bare_ratio: pipelineToBare,
      pipeline_to_in_process_ratio: queuesCost,
      checks: Object.fromEntries(Object.entries(sat).flatMap(([arm, run]) => (run.checks ? [[JSON_NAME[arm as Arm], run.checks]] : []))),
    },
    load: result.load && {
      messages_each: result.load.messages,
      think_ms_mean: result.load.think_ms_mean,
      offered_messages_per_s: result.load.offered_messages_per_s,
      ...result.load.figures,
    },
    stages_ms_mean: result.load?.stages_ms_mean,
    checks: result.load?.checks,
    first_try: result.first_try && {
      conversations: result.first_try.conversations,
      messages_each: result.first_try.messages,
      transport: "http ?wait",
      ...Object.fromEntries(Object.entries(first).map(([arm, run]) => [JSON_NAME[arm as FirstTryArm], run.figures])),
      stratus_to_agents_sdk_ratio: firstTryRatio,
      stratus_to_bare_ratio: ratio(first.stratus, first.bare),
      agents_sdk_to_bare_ratio: ratio(first.agents, first.bare),
      checks: Object.fromEntries(Object.entries(first).flatMap(([arm, run]) => (run.checks ? [[JSON_NAME[arm as FirstTryArm], run.checks]] : []))),
    },
    cpu_profile_saturation: Object.fromEntries(Object.entries(sat).flatMap(([arm, run]) => (run.cpu ? [[JSON_NAME[arm as Arm], run.cpu]] : []))),
    targets: TARGETS,
    machine: result.machine,
    measured_at: result.measured_at,
  };

  const via = result.transport === "http" ? "POST …/messages?wait" : "the conversation WebSocket";
  const parts: string[] = [
    `# Load (local workerd)\n\n` +
      `Each system on its own \`wrangler dev\` process (workerd), one after the other, driven by the same client (bench/load-client.ts, ${via}) in another process on the same machine. ` +
      `The pipeline: the gateway with the conversation Durable Objects, the intent, dialogue and metrics Workers, two queue shards per stage and state persisted to \`${result.persisted_to}\`` +
      `${result.persisted_to.startsWith("/dev/shm") ? " (a tmpfs: see persistRoot in bench/load-stack.ts)" : ""}; the demo backends the bots call in a process of their own. ` +
      `Rate limits raised for the run (one address drives every conversation). Bot and locale mix: \`${result.mix}\`.\n`,
  ];

  if (result.saturation) {
    const rows = ARMS.filter((arm) => sat[arm]).map((arm) => {
      const run = sat[arm] as ArmRun;
      return `| ${ARM_LABEL[arm]} | ${show(run.figures.messages_per_s)} | ${show(run.figures.p50_ms, " ms")} | ${show(run.figures.p99_ms, " ms")} | **${show(ratio(run, sat.bare))}** | ${checked(run.checks)} |`;
    });
    parts.push(
      `## Saturation (${result.saturation.conversations} conversations, no think time, ${result.saturation.seconds} s each)\n\n` +
        `| arm | msg/s | p50 | p99 | ÷ bare | lost / duplicated / out of order |\n|---|---|---|---|---|---|\n${rows.join("\n")}\n\n` +
        `Pipeline / bare: **${show(pipelineToBare)}** (target ≥ ${round(TARGETS.pipeline_to_bare_ratio_at_least, 3)}); pipeline: ${show(sat.pipeline?.figures.messages_per_s)} msg/s (target ≥ ${TARGETS.pipeline_messages_per_s_at_least.toLocaleString("en")}). ` +
        `**What the queues cost: pipeline / in-process = ${show(queuesCost)}** — the same gateway, conversation object, NLU model and dialogue engine, with and without the two queue hops.\n\n` +
        `- **bare hello Worker** (bench/workers/hello.ts): echoes each message with one reply — no storage, no queue, no NLU; the runtime's ceiling.\n` +
        `- **pipeline**: the system as deployed — gateway → conversation object → intent queue → NLU → dialogue queue → dialogue → the object.\n` +
        `- **in-process** (bench/workers/in-process-gateway.ts): the same gateway and conversation object class (transcript, turn ledger, watchdog, metrics, directory, analytics), but the object runs NLU and dialogue in its own request (bench/workers/in-process-turn.ts) and applies the result itself.\n` +
        `- **agents-SDK rule bot** (bench/workers/agents-bot.ts): the simplest thing a user could build instead — Cloudflare's \`agents\` SDK, one Agent per conversation storing every message in its SQLite and answering in the same request with a few keyword rules.\n`,
    );
    const profiles = ARMS.flatMap((arm) => (sat[arm]?.cpu ? [[arm, sat[arm].cpu] as const] : []));
    if (profiles.length > 0) {
      parts.push(
        `### CPU per answered message in the saturation run, by isolate (V8 profiles through workerd's inspector)\n\n` +
          profiles
            .map(([arm, cpu]) => `${ARM_LABEL[arm]}:\n\n` + cpu.map((one) => `- **${one.isolate}**: ${one.cpu_ms_per_message} ms — ${one.hot.slice(0, 6).map((f) => `${f.name} ${f.ms_per_message}`).join(", ")}`).join("\n"))
            .join("\n\n") +
          "\n",
      );
    }
  } else {
    parts.push(`## Saturation\n\nNot run.\n`);
  }

  if (result.load) {
    const { figures, checks } = result.load;
    const stageRows = Object.entries(result.load.stages_ms_mean).map(([stage, ms]) => `| ${stage} | ${show(ms)} |`).join("\n");
    parts.push(
      `## Load (${result.load.conversations} conversations × ${result.load.messages} messages, mean think time ${result.load.think_ms_mean} ms ≈ ${result.load.offered_messages_per_s ?? "—"} msg/s offered)\n\n` +
        `| msg/s | p50 | p95 | p99 | max | lost | duplicated | out of order | fallbacks |\n|---|---|---|---|---|---|---|---|---|\n` +
        `| ${show(figures.messages_per_s)} | ${figures.p50_ms} ms | ${figures.p95_ms} ms | ${figures.p99_ms} ms | ${figures.max_ms} ms | ${checks.lost} | ${checks.duplicated} | ${checks.outOfOrder} | ${checks.fallbacks} |\n\n` +
        `On the wire: ${checks.duplicateFrames} duplicate frames, ${checks.outOfOrderFrames} out of order, ${checks.gaps} gaps, ${checks.reconnects} reconnects. Target p99 ≤ ${TARGETS.p99_ms_at_most} ms.\n\n` +
        `### Where a turn's time goes (mean ms per turn)\n\n| stage | ms |\n|---|---|\n${stageRows}\n\n` +
        `send_to_stored: client send → stored user message back on the socket (gateway/object, storage write included); conversation → return: the turn's own ` +
        `timestamps (shared/metrics/stage-timings.ts; queue waits include the consumers' batch timeout); delivery: reply written by the object → received by the client.\n`,
    );
  } else {
    parts.push(`## Load\n\nNot run.\n`);
  }

  if (result.first_try) {
    const rows = FIRST_TRY_ARMS.filter((arm) => first[arm]).map((arm) => {
      const run = first[arm] as ArmRun;
      return (
        `| ${ARM_LABEL[arm]} | ${show(run.figures.messages_per_s)} | ${show(run.figures.p50_ms, " ms")} | ${show(run.figures.p95_ms, " ms")} | ${show(run.figures.p99_ms, " ms")} | ` +
        `${show(ratio(run, first.agents))} | ${show(ratio(run, first.bare))} | ${checked(run.checks)} | ${run.checks ? run.checks.refused : "—"} |`
      );
    });
    parts.push(
      `## A user's first try: the stack \`npm run dev\` starts (${result.first_try.conversations} conversations, ${result.first_try.messages} back-to-back POST …/messages?wait each)\n\n` +
        `| system | turns/s | p50 | p95 | p99 | ÷ agents-SDK bot | ÷ bare | lost / duplicated / out of order | refused (429) |\n|---|---|---|---|---|---|---|---|---|\n${rows.join("\n")}\n\n` +
        `Stratus / agents-SDK bot: **${show(firstTryRatio)}** (target ≥ ${TARGETS.first_try_stratus_to_agents_sdk_at_least}). ` +
        `Each system as \`npm run dev\` runs it: Stratus from the committed configs with two queue shards per stage (cli/dev.ts), its committed rate limits, ` +
        `wrangler's local trace collector off (as \`npm run dev\` starts it; \`--traces\` turns it on) and state persisted to disk under .wrangler/; the demo backends on a free port instead of :8790. ` +
        `The agents-SDK bot and the bare Worker the same way (the collector off, state on disk). ${result.first_try.conversations * result.first_try.messages} messages from one address stay within the ` +
        `committed per-address budget (300 a minute); a refused message is sent again after a backoff and counted.\n`,
    );
  }

  parts.push(
    `Machine: ${result.machine}. Measured ${result.measured_at}. Client, runtime and demo backends share the machine's cores: this measures the local ` +
      `runtime's ceiling and correctness under concurrency, not Cloudflare's capacity.\n`,
  );
  return { json, markdown: parts.join("\n"), bad: badCount(result) };
}
