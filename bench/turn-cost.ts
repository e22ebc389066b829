// `npm run bench:turn-cost [-- --conversations 4 --turns 5]`
// What one turn costs on Cloudflare's meters, per stage, measured on workerd: Worker invocations,
// CPU time (V8's CPU profile of each Worker's isolate, through workerd's inspector; not wall time),
// Durable Object requests and active time, SQLite rows read and written (the SQL cursors' own
// counts, plus one row per setAlarm), queue writes, reads, deletes and retries, subrequests, and the
// bytes a conversation stores. Runs `wrangler dev` with the three real Workers, the gateway, intent
// and dialogue entry points wrapped by meters (bench/workers/), and a tail Worker that posts every
// invocation here. Writes bench/results/turn-cost.{json,md}, which `npm run plan` reads.
//
// Each bot gets its own phase: `--conversations` conversations are started, then each sends
// `--turns` messages a little slower than the watchdog's timeout (as people write), so each turn's
// watchdog alarm fires as it would in production.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startDemoServices } from "../demo/services.ts";
import { ROOT } from "../devkit/local-stack.ts";
import { readWorkerConfig, writeWorkerConfigs } from "../devkit/worker-configs.ts";
import { startWranglerDev } from "../devkit/wrangler-dev.ts";
import { TurnCostResultSchema, type DurableObjectCost, type QueueCost, type StageCost, type TurnCostSample } from "../shared/schemas/capacity.ts";
import { IsolateProfiler, findWorkerInspectorTargets } from "./cpu-profiler.ts";
import { machineDescription, writeBenchResults } from "./results-files.ts";
import { round } from "./stats.ts";

const { values } = parseArgs({ options: { conversations: { type: "string", default: "4" }, turns: { type: "string", default: "5" } } });
const CONVERSATIONS = Number(values.conversations);
const TURNS = Number(values.turns);
const TURN_TIMEOUT_MS = 2000;

/** What each bot is asked, in turn (the last ones repeat when --turns is larger). */
const BOT_TEXTS: Record<string, string[]> = {
  ecommerce: ["hello", "where is my order ORD-4820193", "how long does shipping take", "I want to return an item", "thanks"],
  finance: ["hi", "what is the price of AAPL", "what are your fees", "how do I open an account", "thanks"],
  health: ["hello", "I have a headache", "what are your opening hours", "I want to book an appointment", "thanks"],
};

interface Invocation {
  executionModel: string;
  entrypoint: string | null;
  durableObjectId: string | null;
  event: { request?: unknown; queue?: string; batchSize?: number; rpcMethod?: string; scheduledTime?: unknown } | null;
  outcome: string;
  logs: unknown[];
}

/** Everything one phase of the run saw. */
class Phase {
  readonly invocations: Invocation[] = [];
  readonly queueWallMs: Record<"intent" | "dialogue", number[]> = { intent: [], dialogue: [] };
  readonly cpuMs: Record<"gateway" | "intent" | "dialogue", number> = { gateway: 0, intent: 0, dialogue: 0 };
  backendCalls = 0;
  lastEventAt = Date.now();
}

// ---- the collector the tail Worker posts to, and a counting proxy in front of the demo backends

let phase = new Phase();
const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};
const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));

const collector = createServer((request, response) => {
  void readBody(request).then((body) => {
    phase.invocations.push(...(JSON.parse(body) as Invocation[]));
    phase.lastEventAt = Date.now();
    response.end("ok");
  });
});
const demo = await startDemoServices({ port: 0 });
const backendProxy = createServer((request, response) => {
  phase.backendCalls += 1;
  void readBody(request).then(async (body) => {
    const upstream = await fetch(`${demo.url}${request.url ?? "/"}`, { method: request.method ?? "GET", body: body || null, headers: { "content-type": "application/json" } });
    response.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
    response.end(await upstream.text());
  });
});
const collectorUrl = `http://127.0.0.1:${await listen(collector)}/`;
const backendUrl = `http://127.0.0.1:${await listen(backendProxy)}`;

// ---- the Workers: the committed configs, entry points wrapped by the meters, a tail Worker added

const configDir = mkdtempSync(join(tmpdir(), "stratus-turn-cost-config-"));
const persistDir = mkdtempSync(join(tmpdir(), "stratus-turn-cost-state-"));
const tail = [{ service: "stratus-bench-trace" }];
const withEntry = (worker: "gateway" | "intent" | "dialogue", entry: string, vars: Record<string, string>) => {
  const config = readWorkerConfig(worker);
  return { ...config, main: join(ROOT, entry), tail_consumers: tail, vars: { ...(config.vars as Record<string, string> | undefined), ...vars } };
};
const gatewayConfig = withEntry("gateway", "bench/workers/metered-gateway.ts", { TURN_TIMEOUT_MS: String(TURN_TIMEOUT_MS) });
const configs = writeWorkerConfigs(configDir, {
  gateway: gatewayConfig,
  intent: withEntry("intent", "bench/workers/metered-intent.ts", { FAULT_INJECTION: "off" }),
  dialogue: withEntry("dialogue", "bench/workers/metered-dialogue.ts", { ORDER_API_URL: backendUrl, MARKET_API_URL: backendUrl }),
  // The metrics Worker, as committed: its flushes are part of what a turn costs.
  metrics: { ...readWorkerConfig("metrics"), tail_consumers: tail },
  trace: {
    name: "stratus-bench-trace",
    main: join(ROOT, "bench/workers/trace-forwarder.ts"),
    compatibility_date: gatewayConfig.compatibility_date,
    vars: { BENCH_COLLECTOR_URL: collectorUrl },
  },
});

const QUEUE_LINE = /QUEUE (\S+) \d+\/\d+ \((\d+)ms\)/;
// A free port for wrangler's inspector proxy (asking for one makes workerd open its own inspector).
const probe = createServer();
const inspectorPort = await listen(probe);
await new Promise((resolve) => probe.close(resolve));
const dev = await startWranglerDev(persistDir, {}, {
  configs,
  args: ["--inspector-port", String(inspectorPort)],
  onOutput: (line) => {
    const match = QUEUE_LINE.exec(line);
    if (!match || match[1]!.endsWith("-dlq")) return;
    const stage = match[1]!.startsWith("stratus-intent") ? "intent" : match[1]!.startsWith("stratus-dialogue") ? "dialogue" : null;
    if (stage) phase.queueWallMs[stage].push(Number(match[2]));
  },
});

/** The phases that started conversations (their sizes are the baseline of the turns' growth). */
const creationPhases: Phase[] = [];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Waits until the tail Worker has had nothing to post for a while: the phase's invocations are all in. */
async function settle(): Promise<void> {
  while (Date.now() - phase.lastEventAt < 2000) await sleep(250);
}

try {
  const post = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${dev.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };

  // A warm-up conversation: the isolates' first requests compile code, which no steady turn pays.
  const warm = await post("/v1/conversations", { bot: "ecommerce", locale: "en" });
  await post(`/v1/conversations/${String(warm.id)}/messages?wait=10`, { text: "hello" }, String(warm.token));
  await sleep(TURN_TIMEOUT_MS + 500);

  const targets = await findWorkerInspectorTargets(dev.pid);
  const targetOf = (worker: string) => {
    const target = targets.find((t) => t.id === `core:user:${worker}`);
    if (!target) throw new Error(`no inspector target for ${worker}: ${targets.map((t) => t.id).join(", ")}`);
    return target;
  };
  const isolates = { gateway: targetOf("stratus"), intent: targetOf("stratus-intent"), dialogue: targetOf("stratus-dialogue") };
  const profilers: Record<keyof typeof isolates, IsolateProfiler> = {
    gateway: await IsolateProfiler.connect(isolates.gateway),
    intent: await IsolateProfiler.connect(isolates.intent),
    dialogue: await IsolateProfiler.connect(isolates.dialogue),
  };

  /** Runs `work` as a phase of its own, with the isolates' CPU profiled. */
  async function measure(work: () => Promise<void>): Promise<Phase> {
    await settle();
    phase = new Phase();
    for (const profiler of Object.values(profilers)) await profiler.start();
    await work();
    await settle();
    for (const [worker, profiler] of Object.entries(profilers)) phase.cpuMs[worker as keyof typeof isolates] = await profiler.stop();
    return phase;
  }

  const creations = creationPhases;
  const turnPhases: Record<string, Phase> = {};
  for (const [bot, texts] of Object.entries(BOT_TEXTS)) {
    const conversations: Array<{ id: string; token: string }> = [];
    creations.push(
      await measure(async () => {
        for (let i = 0; i < CONVERSATIONS; i++) {
          const created = await post("/v1/conversations", { bot, locale: "en" });
          conversations.push({ id: String(created.id), token: String(created.token) });
        }
      }),
    );
    turnPhases[bot] = await measure(async () => {
      await Promise.all(
        conversations.map(async (conversation) => {
          for (let turn = 0; turn < TURNS; turn++) {
            const text = texts[Math.min(turn, texts.length - 1)]!;
            const answered = await post(`/v1/conversations/${conversation.id}/messages?wait=10`, { text }, conversation.token);
            if (!Array.isArray(answered.replies) || answered.replies.length === 0) throw new Error(`no reply to "${text}"`);
            await sleep(TURN_TIMEOUT_MS + 300); // the watchdog's alarm fires before the next message
          }
        }),
      );
    });
  }

  const perTurn = (phases: Phase[]) => sample(phases, phases.length * CONVERSATIONS * TURNS);
  const perBot = Object.fromEntries(Object.entries(turnPhases).map(([bot, p]) => [bot, perTurn([p])]));
  const creation = sample(creations, creations.length * CONVERSATIONS);
  const result = TurnCostResultSchema.parse({
    measured_at: new Date().toISOString(),
    machine: machineDescription(),
    note:
      "Local workerd (wrangler dev). CPU from V8's CPU profile of each Worker's isolate; the gateway's figure includes its " +
      "Durable Object's CPU (one isolate), which Cloudflare bills as duration, not CPU: an upper bound. Durable Object active " +
      "time is wall time with a call running, as measured on this machine. A shared machine inflates CPU and time figures.",
    turns: Object.keys(BOT_TEXTS).length * CONVERSATIONS * TURNS,
    conversations: Object.keys(BOT_TEXTS).length * CONVERSATIONS,
    per_turn: perTurn(Object.values(turnPhases)),
    per_bot: perBot,
    per_conversation: { gateway: creation.gateway, conversation_do: creation.conversation_do, stored_bytes: newConversationBytes(creations) },
  });
  writeBenchResults("turn-cost", result, markdown(result));
} finally {
  await dev.stop();
  await demo.close();
  collector.close();
  backendProxy.close();
  rmSync(configDir, { recursive: true, force: true });
  rmSync(persistDir, { recursive: true, force: true });
}

// ---- from invocations to per-message figures

interface MeterLog {
  event: "bench_meter";
  rowsRead: number;
  rowsWritten: number;
  alarmsSet: number;
  activeMs: number;
  databaseBytes: number;
}
interface SendLog {
  event: "bench_queue_send";
  binding: string;
  bytes: number;
}

function logsOf<T extends { event: string }>(invocations: Invocation[], event: T["event"]): T[] {
  return invocations.flatMap((invocation) =>
    // A trace's log message is the console call's arguments, after the "[worker]" wrangler puts first.
    invocation.logs.map((args) => (Array.isArray(args) ? (args as unknown[]).at(-1) : args)).flatMap((line) => {
      if (typeof line !== "string" || !line.includes(event)) return [];
      try {
        const parsed = JSON.parse(line) as T;
        return parsed.event === event ? [parsed] : [];
      } catch {
        return [];
      }
    }),
  );
}

function stageOfQueue(queue: string): "dead_letters" | "intent" | "dialogue" {
  return queue.endsWith("-dlq") ? "dead_letters" : queue.startsWith("stratus-intent") ? "intent" : "dialogue";
}

function mean(values: number[]): number {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0;
}

/** The phases' counts divided by the messages (or conversations) they carried. */
function sample(phases: Phase[], per: number): TurnCostSample {
  const all = phases.flatMap((p) => p.invocations);
  const stateless = all.filter((i) => i.executionModel !== "durableObject");
  const objectCalls = all.filter((i) => i.executionModel === "durableObject");
  const queueRuns = (stage: string) => stateless.filter((i) => i.event?.queue !== undefined && stageOfQueue(i.event.queue) === stage);
  const failures = (runs: Invocation[]) => runs.reduce((sum, i) => sum + i.logs.filter((l) => JSON.stringify(l).includes("turn_failed")).length, 0);
  const sends = logsOf<SendLog>(all, "bench_queue_send");
  const meters = logsOf<MeterLog>(objectCalls, "bench_meter");
  const rpcFromGateway = objectCalls.filter((i) => i.event?.rpcMethod !== undefined && !["applyDialogueResult", "reportDeadLetter"].includes(i.event.rpcMethod)).length;
  const rpcFromDialogue = objectCalls.filter((i) => i.event?.rpcMethod === "applyDialogueResult").length;

  const queue = (stage: "intent" | "dialogue"): QueueCost => {
    const runs = queueRuns(stage);
    const stageSends = sends.filter((s) => s.binding.startsWith(stage.toUpperCase()));
    const reads = runs.reduce((sum, i) => sum + (i.event?.batchSize ?? 0), 0);
    const retries = failures(runs);
    const deadLetters = queueRuns("dead_letters").filter((i) => i.event?.queue?.startsWith(`stratus-${stage}`)).reduce((sum, i) => sum + (i.event?.batchSize ?? 0), 0);
    return {
      writes: stageSends.length / per,
      reads: reads / per,
      deletes: (reads - retries) / per,
      retries: retries / per,
      dead_letters: deadLetters / per,
      message_bytes: mean(stageSends.map((s) => s.bytes)),
    };
  };
  const stage = (name: "intent" | "dialogue", subrequests: number): StageCost => {
    const runs = queueRuns(name);
    return {
      invocations: runs.length / per,
      cpu_ms: phases.reduce((sum, p) => sum + p.cpuMs[name], 0) / per,
      wall_ms_per_invocation: mean(phases.flatMap((p) => p.queueWallMs[name])),
      subrequests: subrequests / per,
    };
  };
  const gatewayRequests = stateless.filter((i) => i.event?.request !== undefined).length;
  const conversationDo: DurableObjectCost = {
    requests: objectCalls.length / per,
    alarm_invocations: objectCalls.filter((i) => i.event?.scheduledTime !== undefined).length / per,
    active_ms: meters.reduce((sum, m) => sum + m.activeMs, 0) / per,
    rows_read: meters.reduce((sum, m) => sum + m.rowsRead, 0) / per,
    rows_written: meters.reduce((sum, m) => sum + m.rowsWritten + m.alarmsSet, 0) / per,
  };
  const intentSends = sends.filter((s) => s.binding.startsWith("INTENT")).length;
  const dialogueSends = sends.filter((s) => s.binding.startsWith("DIALOGUE")).length;
  return {
    gateway: {
      invocations: gatewayRequests / per,
      cpu_ms: phases.reduce((sum, p) => sum + p.cpuMs.gateway, 0) / per,
      wall_ms_per_invocation: 0,
      // The gateway calls the conversation object; the object sends to the intent queue.
      subrequests: (rpcFromGateway + intentSends) / per,
    },
    conversation_do: conversationDo,
    intent: stage("intent", dialogueSends),
    dialogue: stage("dialogue", rpcFromDialogue + phases.reduce((sum, p) => sum + p.backendCalls, 0)),
    queues: { intent: queue("intent"), dialogue: queue("dialogue") },
    analytics_data_points: logsOf(all, "bench_data_point").length / per,
    stored_bytes: storedGrowth(phases, per),
  };
}

/** The database size each conversation object last reported, per object. */
function lastSizes(phases: Phase[]): Map<string, number> {
  const sizes = new Map<string, number>();
  for (const invocation of phases.flatMap((p) => p.invocations)) {
    if (!invocation.durableObjectId) continue;
    for (const meter of logsOf<MeterLog>([invocation], "bench_meter")) sizes.set(invocation.durableObjectId, meter.databaseBytes);
  }
  return sizes;
}

function newConversationBytes(creations: Phase[]): number {
  return mean([...lastSizes(creations).values()]);
}

/** Growth of the conversations' databases over the phases, per message (each from its size when created). */
function storedGrowth(phases: Phase[], per: number): number {
  const created = lastSizes(creationPhases);
  let growth = 0;
  for (const [id, size] of lastSizes(phases)) growth += size - (created.get(id) ?? size);
  return Math.max(0, growth) / per;
}

function markdown(result: ReturnType<typeof TurnCostResultSchema.parse>): string {
  const t = result.per_turn;
  const row = (name: string, value: number, digits = 2) => `| ${name} | ${round(value, digits)} |`;
  const botRows = Object.entries(result.per_bot).map(
    ([bot, s]) =>
      `| ${bot} | ${round(s.gateway.cpu_ms + s.intent.cpu_ms + s.dialogue.cpu_ms, 2)} | ${round(s.conversation_do.requests, 2)} | ` +
      `${round(s.conversation_do.rows_written, 2)} | ${round(s.conversation_do.active_ms, 1)} | ${round(s.stored_bytes, 0)} |`,
  );
  return [
    "# What one turn costs on Cloudflare's meters (local workerd)",
    "",
    `${result.turns} turns in ${result.conversations} conversations (${Object.keys(result.per_bot).join(", ")}), measured ${result.measured_at}`,
    `on ${result.machine} by \`npm run bench:turn-cost\`. ${result.note}`,
    "",
    "## Per user message, all bots",
    "",
    "| meter | per message |",
    "|---|---|",
    row("gateway Worker invocations", t.gateway.invocations),
    row("gateway CPU ms (with its Durable Object)", t.gateway.cpu_ms),
    row("gateway subrequests (object calls, intent queue sends)", t.gateway.subrequests),
    row("conversation object requests (RPC, alarms)", t.conversation_do.requests),
    row("of which watchdog alarm invocations", t.conversation_do.alarm_invocations),
    row("conversation object active ms", t.conversation_do.active_ms, 1),
    row("SQLite rows read", t.conversation_do.rows_read),
    row("SQLite rows written (setAlarm included)", t.conversation_do.rows_written),
    row("intent queue writes / reads / deletes", t.queues.intent.writes),
    row("intent queue retries", t.queues.intent.retries),
    row("intent message bytes", t.queues.intent.message_bytes, 0),
    row("intent Worker invocations", t.intent.invocations),
    row("intent CPU ms", t.intent.cpu_ms),
    row("intent wall ms per invocation", t.intent.wall_ms_per_invocation, 1),
    row("dialogue queue writes / reads / deletes", t.queues.dialogue.writes),
    row("dialogue queue retries", t.queues.dialogue.retries),
    row("dialogue message bytes", t.queues.dialogue.message_bytes, 0),
    row("dialogue Worker invocations", t.dialogue.invocations),
    row("dialogue CPU ms", t.dialogue.cpu_ms),
    row("dialogue wall ms per invocation", t.dialogue.wall_ms_per_invocation, 1),
    row("dialogue subrequests (object calls, backend calls)", t.dialogue.subrequests),
    row("Analytics Engine data points", t.analytics_data_points),
    row("stored bytes per message", t.stored_bytes, 0),
    "",
    "## Per conversation (POST /v1/conversations)",
    "",
    "| meter | per conversation |",
    "|---|---|",
    row("gateway invocations", result.per_conversation.gateway.invocations),
    row("gateway CPU ms", result.per_conversation.gateway.cpu_ms),
    row("conversation object requests", result.per_conversation.conversation_do.requests),
    row("SQLite rows read", result.per_conversation.conversation_do.rows_read),
    row("SQLite rows written", result.per_conversation.conversation_do.rows_written),
    row("bytes stored by a new conversation", result.per_conversation.stored_bytes, 0),
    "",
    "## Per bot, per message",
    "",
    "| bot | CPU ms (all Workers) | object requests | rows written | object active ms | stored bytes |",
    "|---|---|---|---|---|---|",
    ...botRows,
    "",
  ].join("\n");
}
