// `npm run bench:turn-cost [-- --conversations 48 --turns 8 --think-ms 2000 --watchdog-ms 1500
//   --failed-turns 12 --queue-shards N --mixed-only]`
// What one user message, one new conversation and one failed turn cost on Cloudflare's meters, per
// Worker, per Durable Object class and per queue, measured on workerd. `wrangler dev` runs every
// Worker of the committed configs from a metered entry (bench/metered-entries.ts: every Durable
// Object class a Worker hosts and every binding it has are metered, bench/workers/meter.ts) and a
// tail Worker that posts every invocation here; bench/turn-cost-meters.ts turns them into figures.
// CPU time comes from V8's CPU profile of each Worker's isolate (bench/cpu-profiler.ts).
// Writes bench/results/turn-cost.{json,md}, which `npm run plan` reads.
//
// Traffic, as people and production batches make it: `--conversations` conversations at once (the
// first set over all bots, then one set per bot for the planner's bot mix), each sending `--turns`
// messages with a pause of 0.8–1.2 × `--think-ms` between an answer and the next message — longer
// than the watchdog (`--watchdog-ms`, the gateway's TURN_TIMEOUT_MS), so an alarm a turn leaves
// armed fires before the next message, as it would at people's pace — and many conversations in
// flight so consumer batches hold several turns. Each set has three phases: creating the
// conversations, their first messages, and the steady messages after them (per_turn). A last phase
// sends `--failed-turns` messages whose every delivery to the intent stage fails (an outage of the
// stage: retries, dead letters, re-dispatches, the fallback answer): per_failed_turn.
import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startDemoServices } from "../demo/services.ts";
import { ROOT } from "../devkit/local-stack.ts";
import { withQueueShards } from "../devkit/queue-shard-configs.ts";
import { WORKER_NAMES, asDevBuild, readWorkerConfig, writeWorkerConfigs, type WorkerConfig, type WorkerName } from "../devkit/worker-configs.ts";
import { ConversationSocket } from "../devkit/websocket-client.ts";
import { startWranglerDev } from "../devkit/wrangler-dev.ts";
import { TurnCostResultSchema, type TurnCostResult } from "../shared/schemas/capacity.ts";
import { IsolateProfiler, findBundlesUnder, findWorkerInspectorTargets, type HotFunction } from "./cpu-profiler.ts";
import { persistRoot } from "./load-stack.ts";
import { hostedObjectClasses, withMeteredEntries } from "./metered-entries.ts";
import { machineDescription, writeBenchResults } from "./results-files.ts";
import {
  EMPTY_DATABASE_BYTES,
  ObjectLedger,
  meterContext,
  mergeTotals,
  perUnit,
  phaseTotals,
  subtractTotals,
  type Invocation,
  type PhaseTotals,
} from "./turn-cost-meters.ts";
import { turnCostMarkdown } from "./turn-cost-report.ts";

const { values } = parseArgs({
  options: {
    conversations: { type: "string", default: "48" },
    turns: { type: "string", default: "8" },
    "think-ms": { type: "string", default: "2000" },
    "watchdog-ms": { type: "string", default: "1500" },
    "failed-turns": { type: "string", default: "12" },
    "queue-shards": { type: "string" },
    "mixed-only": { type: "boolean", default: false },
    /** How clients send their messages: POST …/messages?wait (default) or over the conversation's WebSocket. */
    transport: { type: "string", default: "http" },
    /** Writes every phase's raw invocations (what the tail Worker posted) to this file, to look into a figure. */
    dump: { type: "string" },
  },
});
const CONVERSATIONS = Number(values.conversations);
const TURNS = Number(values.turns);
const THINK_MS = Number(values["think-ms"]);
const WATCHDOG_MS = Number(values["watchdog-ms"]);
const FAILED_TURNS = Number(values["failed-turns"]);
const TRANSPORT = values.transport;
if (TRANSPORT !== "http" && TRANSPORT !== "websocket") {
  console.error("bench:turn-cost: --transport is http or websocket");
  process.exit(1);
}
const QUEUE_SHARDS = values["queue-shards"] === undefined ? undefined : Number(values["queue-shards"]);
if (![CONVERSATIONS, TURNS, THINK_MS, WATCHDOG_MS, FAILED_TURNS].every((n) => Number.isInteger(n) && n >= 0) || CONVERSATIONS < 1 || TURNS < 2) {
  console.error("bench:turn-cost: --conversations ≥ 1, --turns ≥ 2, --think-ms, --watchdog-ms and --failed-turns are whole numbers");
  process.exit(1);
}
const THINK = { min: Math.round(THINK_MS * 0.8), max: Math.round(THINK_MS * 1.2) };
if (THINK.min <= WATCHDOG_MS) console.warn(`bench:turn-cost: pauses from ${THINK.min} ms are not longer than the ${WATCHDOG_MS} ms watchdog: an alarm left armed after a turn may not fire before the next one`);
/** A marker the intent Worker fails every delivery of (shared/fault-injection.ts; development builds only). */
const FAIL_INTENT = "#fail-intent";
const BENCH_RATE_LIMIT = 1_000_000;

/** What each bot is asked, turn by turn (the last one repeats when --turns is larger). */
const BOT_TEXTS: Record<string, string[]> = {
  ecommerce: [
    "hello",
    "where is my order ORD-4820193",
    "how long does shipping take",
    "do you have the wireless headphones in stock",
    "what is the status of my refund",
    "I have a problem with my payment",
    "thanks",
    "bye",
  ],
  finance: ["hi", "what is the price of AAPL", "and MSFT", "what are your fees", "how do I open an account", "should I invest in TSLA", "thanks", "bye"],
  health: [
    "hello",
    "I have a headache",
    "what are your opening hours",
    "do you accept insurance",
    "I have a fever and a sore throat",
    "what should I do about back pain",
    "thanks",
    "bye",
  ],
};
const BOTS = Object.keys(BOT_TEXTS);

// ---- the collector the tail Worker posts to

interface Phase {
  invocations: Invocation[];
  consumerWallMs: Record<string, number[]>;
  cpuMs: Record<string, number>;
  hot: Record<string, HotFunction[]>;
  /** Each Worker's own CPU by source module (ms), largest first. */
  byModule: Record<string, Array<[string, number]>>;
  /** CPU the meters themselves took, left out of cpuMs. */
  meterMs: Record<string, number>;
  startedAt: number;
  endedAt: number;
}
const newPhase = (): Phase => ({ invocations: [], consumerWallMs: {}, cpuMs: {}, hot: {}, byModule: {}, meterMs: {}, startedAt: Date.now(), endedAt: 0 });
/** The meters' CPU is not the Workers': their counting code and what it calls, and their wrappers' own time. */
const METERS_CPU = {
  anywhere: (module: string) => module === "bench/workers/meter-counters.ts",
  self: (module: string) => module === "bench/workers/meter.ts",
};
let phase = newPhase();
let lastEventAt = Date.now();
let lastAnswerAt = Date.now();

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
    lastEventAt = Date.now();
    response.end("ok");
  });
});
const collectorUrl = `http://127.0.0.1:${await listen(collector)}/`;
const demo = await startDemoServices({ port: 0 });

// ---- the Workers: the committed configs, each from its metered entry, with a tail Worker

const configDir = mkdtempSync(join(tmpdir(), "stratus-turn-cost-config-"));
const persistDir = mkdtempSync(join(persistRoot(), "stratus-turn-cost-state-"));
const tail = [{ service: "stratus-bench-trace" }];
const committed = Object.fromEntries(WORKER_NAMES.map((worker) => [worker, readWorkerConfig(worker)])) as Record<WorkerName, WorkerConfig>;
const sharded = QUEUE_SHARDS === undefined ? committed : withQueueShards(committed, { intent: QUEUE_SHARDS, dialogue: QUEUE_SHARDS });
const extraVars: Partial<Record<WorkerName, Record<string, string>>> = {
  gateway: { TURN_TIMEOUT_MS: String(WATCHDOG_MS) },
  intent: { FAULT_INJECTION: FAILED_TURNS > 0 ? "on" : "off" },
  dialogue: { ORDER_API_URL: demo.url, MARKET_API_URL: demo.url },
};
const benchConfigs: Record<string, WorkerConfig> = {};
for (const worker of WORKER_NAMES) {
  let config: WorkerConfig = { ...sharded[worker], tail_consumers: tail, vars: { ...(sharded[worker].vars as Record<string, string> | undefined), ...extraVars[worker] } };
  // A benchmark deployment raises the per-address and per-conversation budgets: one address drives every conversation.
  if (Array.isArray(config.ratelimits)) {
    config.ratelimits = (config.ratelimits as { simple: { limit: number; period: number } }[]).map((limiter) => ({ ...limiter, simple: { ...limiter.simple, limit: BENCH_RATE_LIMIT } }));
  }
  // The failed turns need the intent Worker's fault code, compiled in only in a development build.
  if (worker === "intent" && FAILED_TURNS > 0) config = asDevBuild(config);
  benchConfigs[worker] = config;
}
const context = meterContext(benchConfigs, hostedObjectClasses);
const configPaths = writeWorkerConfigs(configDir, {
  ...withMeteredEntries(configDir, benchConfigs),
  trace: {
    name: "stratus-bench-trace",
    main: join(ROOT, "bench/workers/trace-forwarder.ts"),
    compatibility_date: committed.gateway.compatibility_date,
    vars: { BENCH_COLLECTOR_URL: collectorUrl },
  },
});

/** wrangler's last lines, printed if the run fails. */
const wranglerOutput: string[] = [];
const QUEUE_LINE = /QUEUE (\S+) \d+\/\d+ \((\d+)ms\)/;
// A free port for wrangler's inspector proxy (asking for one makes workerd open its own inspector).
const probe = createServer();
const inspectorPort = await listen(probe);
await new Promise((resolve) => probe.close(resolve));
const dev = await startWranglerDev(persistDir, {}, {
  configs: configPaths,
  args: ["--inspector-port", String(inspectorPort)],
  onOutput: (line) => {
    wranglerOutput.push(line);
    if (wranglerOutput.length > 300) wranglerOutput.shift();
    const match = QUEUE_LINE.exec(line);
    if (match) (phase.consumerWallMs[match[1]!] ??= []).push(Number(match[2]));
  },
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pause = () => sleep(THINK.min + Math.random() * (THINK.max - THINK.min));

/** Waits until every invocation of the phase is in: the tail quiet for a while, and any watchdog armed by its last turn has had time to fire. */
async function settle(): Promise<void> {
  while (Date.now() - lastEventAt < 2500 || Date.now() - lastAnswerAt < WATCHDOG_MS + 500) await sleep(250);
}

interface Conversation {
  id: string;
  token: string;
  bot: string;
  /** Its WebSocket, with --transport websocket (opened with the conversation). */
  socket?: ConversationSocket;
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
  const create = async (bot: string): Promise<Conversation> => {
    const created = await post("/v1/conversations", { bot, locale: "en" });
    const conversation: Conversation = { id: String(created.id), token: String(created.token), bot };
    if (TRANSPORT === "websocket") {
      conversation.socket = await ConversationSocket.open(dev.url, conversation.id, conversation.token);
      await conversation.socket.waitFor((frames) => frames.some((frame) => frame.type === "ready"));
    }
    return conversation;
  };
  let sent = 0;
  const send = async (conversation: Conversation, text: string) => {
    if (conversation.socket) {
      const clientMessageId = `bench-${++sent}`;
      conversation.socket.send({ type: "message", text, clientMessageId });
      await conversation.socket.waitFor((frames) => {
        const seq = frames.find((frame) => frame.message?.clientMessageId === clientMessageId)?.message?.seq;
        return seq !== undefined && frames.some((frame) => frame.message?.role === "bot" && frame.message.replyTo === seq);
      }, 30_000);
      lastAnswerAt = Date.now();
      return;
    }
    const answered = await post(`/v1/conversations/${conversation.id}/messages?wait=30`, { text }, conversation.token);
    lastAnswerAt = Date.now();
    if (!Array.isArray(answered.replies) || answered.replies.length === 0) throw new Error(`no reply to "${text}" (${conversation.bot})`);
  };
  const closeSockets = (conversations: Conversation[]) => {
    for (const conversation of conversations) conversation.socket?.close();
  };
  const textOf = (conversation: Conversation, turn: number) => {
    const texts = BOT_TEXTS[conversation.bot]!;
    return texts[Math.min(turn, texts.length - 1)]!;
  };

  // A warm-up: the isolates' first requests compile code, which no steady turn pays.
  for (const bot of BOTS) {
    const warm = await create(bot);
    await send(warm, textOf(warm, 0));
    await send(warm, textOf(warm, 1));
    closeSockets([warm]);
  }

  findBundlesUnder(configDir);
  const targets = await findWorkerInspectorTargets(dev.pid);
  const profilers = new Map<string, IsolateProfiler>();
  for (const [worker, config] of Object.entries(benchConfigs)) {
    const target = targets.find((t) => t.id === `core:user:${config.name}`);
    if (!target) throw new Error(`no inspector target for ${config.name}: ${targets.map((t) => t.id).join(", ")}`);
    profilers.set(worker, await IsolateProfiler.connect(target));
  }

  const ledger = new ObjectLedger();
  const dumped: Array<{ phase: number; invocations: Invocation[] }> = [];
  /** Runs `work` as a phase of its own, with every isolate's CPU profiled; its totals follow. */
  async function measure(work: () => Promise<void>): Promise<{ totals: PhaseTotals; phase: Phase }> {
    await settle();
    phase = newPhase();
    for (const profiler of profilers.values()) await profiler.start();
    await work();
    await settle();
    phase.endedAt = lastAnswerAt;
    for (const [worker, profiler] of profilers) {
      const { cpuMs, hot, excludedMs, byModule } = await profiler.stopWithHotFunctions(15, METERS_CPU);
      phase.cpuMs[worker] = cpuMs;
      phase.byModule[worker] = [...byModule].sort(([, a], [, b]) => b - a).slice(0, 12);
      phase.meterMs[worker] = excludedMs;
      phase.hot[worker] = hot;
    }
    const done = phase;
    if (values.dump) dumped.push({ phase: dumped.length, invocations: done.invocations });
    return { totals: phaseTotals(done.invocations, context, ledger, done.consumerWallMs, done.cpuMs), phase: done };
  }

  /** One set: `CONVERSATIONS` conversations of these bots created, their first messages, then their steady ones. */
  async function runSet(bots: string[]) {
    const conversations: Conversation[] = [];
    const creation = await measure(async () => {
      conversations.push(...(await Promise.all(Array.from({ length: CONVERSATIONS }, (_, i) => create(bots[i % bots.length]!)))));
    });
    const first = await measure(async () => {
      await Promise.all(conversations.map(async (conversation) => (await sleep(Math.random() * THINK_MS), await send(conversation, textOf(conversation, 0)))));
    });
    const steady = await measure(async () => {
      await Promise.all(
        conversations.map(async (conversation) => {
          for (let turn = 1; turn < TURNS; turn++) {
            await pause();
            await send(conversation, textOf(conversation, turn));
          }
        }),
      );
    });
    closeSockets(conversations); // after the last phase: its settle() lets the close events pass unmetered
    return { creation, first, steady };
  }

  const steadyTurns = CONVERSATIONS * (TURNS - 1);
  console.log(`bench:turn-cost: ${CONVERSATIONS} conversations at once × ${TURNS} messages, pauses ${THINK.min}–${THINK.max} ms, watchdog ${WATCHDOG_MS} ms`);
  const mixed = await runSet(BOTS);
  const perTurn = perUnit(mixed.steady.totals, steadyTurns, context);
  const newConversation = subtractTotals(mergeTotals([mixed.creation.totals, mixed.first.totals]), mixed.steady.totals, CONVERSATIONS / steadyTurns);
  const perConversation = perUnit(newConversation, CONVERSATIONS, context);

  const perBot: Record<string, ReturnType<typeof perUnit>> = {};
  for (const bot of values["mixed-only"] ? [] : BOTS) {
    console.log(`bench:turn-cost: ${bot} alone`);
    perBot[bot] = perUnit((await runSet([bot])).steady.totals, steadyTurns, context);
  }
  if (values["mixed-only"]) Object.assign(perBot, Object.fromEntries(BOTS.map((bot) => [bot, perTurn])));

  let perFailedTurn: ReturnType<typeof perUnit> | undefined;
  if (FAILED_TURNS > 0) {
    console.log(`bench:turn-cost: ${FAILED_TURNS} messages whose intent deliveries all fail`);
    const failing: Conversation[] = [];
    await measure(async () => {
      failing.push(...(await Promise.all(Array.from({ length: FAILED_TURNS }, (_, i) => create(BOTS[i % BOTS.length]!)))));
    });
    const failed = await measure(async () => {
      await Promise.all(failing.map((conversation) => send(conversation, `${FAIL_INTENT} ${textOf(conversation, 1)}`)));
    });
    perFailedTurn = perUnit(failed.totals, FAILED_TURNS, context);
    closeSockets(failing);
  }

  const steadySeconds = Math.max(1e-3, (mixed.steady.phase.endedAt - mixed.steady.phase.startedAt) / 1000);
  const result: TurnCostResult = TurnCostResultSchema.parse({
    measured_at: new Date().toISOString(),
    machine: machineDescription(),
    note:
      "Local workerd (wrangler dev), every Worker run from a metered entry. CPU from V8's CPU profile of each Worker's isolate, the " +
      "meters' own counting and logging left out (cpu_profile.<worker>.meter_ms); a Worker's figure includes the Durable Objects it " +
      "hosts (one isolate), which Cloudflare bills as duration, not CPU: an upper bound. Durable Object active time is wall time with a call running, " +
      "as measured on this machine. A shared machine inflates CPU and time figures; counts do not depend on it.",
    bytes_note:
      `stored_bytes is the growth of ctx.storage.sql.databaseSize, a new object counted from 0; stored_bytes_net leaves out the ` +
      `${EMPTY_DATABASE_BYTES}-byte page workerd reports for a database nothing was written to. Issue 17's storage targets (≤ 8 KB for an ` +
      `8-message conversation, 0 bytes left by an expired one) are read on the net figure: an object that stores nothing has no ` +
      `database on Cloudflare. The planner bills the raw figure (Cloudflare bills an object's whole database): an upper bound.`,
    traffic: {
      transport: TRANSPORT,
      bots: BOTS,
      conversations_at_once: CONVERSATIONS,
      turns_per_conversation: TURNS,
      think_ms: THINK,
      watchdog_ms: WATCHDOG_MS,
      turns_per_second: steadyTurns / steadySeconds,
      mean_batch: Object.fromEntries(
        Object.entries(perTurn.queues)
          .filter(([, q]) => q.consumer_invocations > 0)
          .map(([key, q]) => [key, q.reads / q.consumer_invocations]),
      ),
      failed_turns: FAILED_TURNS,
    },
    turns: steadyTurns,
    conversations: CONVERSATIONS,
    per_turn: perTurn,
    per_conversation: perConversation,
    per_failed_turn: perFailedTurn,
    per_bot: perBot,
    cpu_profile: Object.fromEntries(
      Object.entries(mixed.steady.phase.hot).map(([worker, hot]) => {
        const cpu = mixed.steady.phase.cpuMs[worker] ?? 0;
        return [
          worker,
          {
            cpu_ms: cpu / steadyTurns,
            meter_ms: (mixed.steady.phase.meterMs[worker] ?? 0) / steadyTurns,
            modules: (mixed.steady.phase.byModule[worker] ?? []).map(([module, ms]) => ({ module, self_ms: ms / steadyTurns, share: cpu > 0 ? ms / cpu : 0 })),
            top: hot.map((f) => ({ name: f.name, at: f.at, self_ms: f.selfMs / steadyTurns, share: cpu > 0 ? f.selfMs / cpu : 0 })),
          },
        ];
      }),
    ),
  });
  writeBenchResults("turn-cost", result, turnCostMarkdown(result), "markdown");
  if (values.dump) writeFileSync(values.dump, JSON.stringify(dumped));
  for (const profiler of profilers.values()) profiler.close();
} catch (error) {
  console.error(`bench:turn-cost failed; wrangler's last lines:\n${wranglerOutput.slice(-80).join("\n")}`);
  throw error;
} finally {
  await dev.stop();
  await demo.close();
  collector.close();
  rmSync(configDir, { recursive: true, force: true });
  rmSync(persistDir, { recursive: true, force: true });
}
