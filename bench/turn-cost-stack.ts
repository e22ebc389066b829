// The stack bench:turn-cost measures: every Worker of the committed configs under `wrangler dev`,
// each from its metered entry (bench/metered-entries.ts), a tail Worker posting every invocation to
// a collector here, and a CPU profiler on every Worker's isolate. `measure(work)` runs `work` as a
// phase of its own and returns what the phase cost (bench/turn-cost-meters.ts).
import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT } from "../devkit/local-stack.ts";
import { withQueueShards } from "../devkit/queue-shard-configs.ts";
import { WORKER_NAMES, asDevBuild, readWorkerConfig, writeWorkerConfigs, type WorkerConfig, type WorkerName } from "../devkit/worker-configs.ts";
import { ConversationSocket } from "../devkit/websocket-client.ts";
import { startWranglerDev } from "../devkit/wrangler-dev.ts";
import { queueKey } from "../shared/capacity-keys.ts";
import { QUEUE_STAGES } from "../shared/queue-shards.ts";
import { IsolateProfiler, findBundlesUnder, findWorkerInspectorTargets, type HotFunction } from "./cpu-profiler.ts";
import { persistRoot } from "./load-stack.ts";
import { hostedObjectClasses, withMeteredEntries } from "./metered-entries.ts";
import { TEST_ACTION_ASSERTION_KEY } from "../devkit/action-keys.ts";
import { USER_TOKEN_SECRET, signDevUserToken } from "../devkit/user-tokens.ts";
import { ObjectLedger, meterContext, phaseTotals, type Invocation, type MeterContext, type PhaseTotals } from "./turn-cost-meters.ts";

export interface StackOptions {
  /** The gateway's TURN_TIMEOUT_MS. */
  watchdogMs: number;
  /** max_batch_timeout of the turn queues' consumers (seconds); undefined keeps the committed configs'. */
  stageBatchTimeoutS: number | undefined;
  /** Queue shards per turn stage; undefined keeps the committed configs'. */
  queueShards: number | undefined;
  /** Compile the intent Worker's fault code in (a development build) and switch it on, for failed turns. */
  faults: boolean;
  transport: "http" | "websocket";
  /** The order and market APIs the bots call. */
  backendUrl: string;
  /**
   * Users (docs/users.md): `none` as before (no user-token secret, no assertion key); `anonymous`
   * with both configured but every conversation anonymous; `signed-in` with each conversation
   * started for its own user (a user token): the difference of the last two is what a signed-in
   * user costs.
   */
  users: "none" | "anonymous" | "signed-in";
}

/** What one phase saw: the tail's invocations, consumer wall times, each Worker's profiled CPU. */
export interface Phase {
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

export interface Conversation {
  id: string;
  token: string;
  bot: string;
  /** Its WebSocket, with the websocket transport (opened with the conversation). */
  socket?: ConversationSocket;
  /** A WebSocket that only watches for the answer to a message sent over HTTP (slow, failing turns). */
  watcher?: ConversationSocket;
}

/** The meters' CPU is not the Workers': their counting code and what it calls, and their wrappers' own time. */
const METERS_CPU = {
  anywhere: (module: string) => module === "bench/workers/meter-counters.ts",
  self: (module: string) => module === "bench/workers/meter.ts",
};
const BENCH_RATE_LIMIT = 1_000_000;
const TURN_STAGES: readonly string[] = QUEUE_STAGES;
const QUEUE_LINE = /QUEUE (\S+) \d+\/\d+ \((\d+)ms\)/;

const newPhase = (): Phase => ({ invocations: [], consumerWallMs: {}, cpuMs: {}, hot: {}, byModule: {}, meterMs: {}, startedAt: Date.now(), endedAt: 0 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const readBody = async (request: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
};
const listen = (server: Server) =>
  new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));

/** The committed configs as the bench runs them: metered entries come later (withMeteredEntries). */
function benchConfigs(options: StackOptions): Record<string, WorkerConfig> {
  const committed = Object.fromEntries(WORKER_NAMES.map((worker) => [worker, readWorkerConfig(worker)])) as Record<WorkerName, WorkerConfig>;
  const sharded = options.queueShards === undefined ? committed : withQueueShards(committed, { intent: options.queueShards, dialogue: options.queueShards });
  const extraVars: Partial<Record<WorkerName, Record<string, string>>> = {
    gateway: { TURN_TIMEOUT_MS: String(options.watchdogMs) },
    intent: { FAULT_INJECTION: options.faults ? "on" : "off" },
    dialogue: { ORDER_API_URL: options.backendUrl, MARKET_API_URL: options.backendUrl, HEALTH_API_URL: options.backendUrl },
  };
  const configs: Record<string, WorkerConfig> = {};
  for (const worker of WORKER_NAMES) {
    const source = structuredClone(sharded[worker]);
    let config: WorkerConfig = { ...source, tail_consumers: [{ service: "stratus-bench-trace" }], vars: { ...(source.vars as Record<string, string> | undefined), ...extraVars[worker] } };
    // A benchmark deployment raises the per-address and per-conversation budgets: one address drives every conversation.
    if (Array.isArray(config.ratelimits)) {
      config.ratelimits = (config.ratelimits as { simple: { limit: number; period: number } }[]).map((limiter) => ({ ...limiter, simple: { ...limiter.simple, limit: BENCH_RATE_LIMIT } }));
    }
    // The turn stages' consumers wait for their batches to fill, as the plan configures them.
    const queues = config.queues as { consumers?: Array<{ queue: string; max_batch_timeout?: number }> } | undefined;
    if (queues?.consumers && options.stageBatchTimeoutS !== undefined) {
      const timeout = options.stageBatchTimeoutS;
      const consumers = queues.consumers.map((consumer) =>
        TURN_STAGES.includes(queueKey(consumer.queue)) && !consumer.queue.endsWith("-dlq") ? { ...consumer, max_batch_timeout: timeout } : consumer,
      );
      config = { ...config, queues: { ...(config.queues as object), consumers } };
    }
    // Failed turns need the intent Worker's fault code, compiled in only in a development build.
    if (worker === "intent" && options.faults) config = asDevBuild(config);
    configs[worker] = config;
  }
  return configs;
}

export interface Stack {
  context: MeterContext;
  /** A new conversation; `watch`: with a socket that watches for answers a wait could not hold out for. */
  create(bot: string, watch?: boolean): Promise<Conversation>;
  send(conversation: Conversation, text: string): Promise<void>;
  closeSockets(conversations: readonly Conversation[]): void;
  /** Runs `work` as a phase of its own, every isolate's CPU profiled; waits until its invocations are in. */
  measure(work: () => Promise<void>): Promise<{ totals: PhaseTotals; phase: Phase }>;
  /** Every phase's raw invocations so far. */
  phases: Phase[];
  stop(): Promise<void>;
}

/** Starts the metered stack; `stop()` ends it and removes its files. */
export async function startStack(options: StackOptions): Promise<Stack> {
  let phase = newPhase();
  let lastEventAt = Date.now();
  let lastAnswerAt = Date.now();
  const collector = createServer((request, response) => {
    void readBody(request).then((body) => {
      phase.invocations.push(...(JSON.parse(body) as Invocation[]));
      lastEventAt = Date.now();
      response.end("ok");
    });
  });
  const collectorUrl = `http://127.0.0.1:${await listen(collector)}/`;
  const configDir = mkdtempSync(join(tmpdir(), "stratus-turn-cost-config-"));
  const persistDir = mkdtempSync(join(persistRoot(), "stratus-turn-cost-state-"));
  const configs = benchConfigs(options);
  const context = meterContext(configs, hostedObjectClasses);
  const configPaths = writeWorkerConfigs(configDir, {
    ...withMeteredEntries(configDir, configs),
    trace: {
      name: "stratus-bench-trace",
      main: join(ROOT, "bench/workers/trace-forwarder.ts"),
      compatibility_date: configs.gateway!.compatibility_date,
      vars: { BENCH_COLLECTOR_URL: collectorUrl },
    },
  });
  /** wrangler's last lines, printed if the run fails. */
  const output: string[] = [];
  // A free port for wrangler's inspector proxy (asking for one makes workerd open its own inspector).
  const probe = createServer();
  const inspectorPort = await listen(probe);
  await new Promise((resolve) => probe.close(resolve));
  const cleanUp = () => {
    collector.close();
    rmSync(configDir, { recursive: true, force: true });
    rmSync(persistDir, { recursive: true, force: true });
  };
  let dev: Awaited<ReturnType<typeof startWranglerDev>>;
  try {
    const userVars: Record<string, string> = options.users === "none" ? {} : { USER_TOKEN_SECRET, ACTION_ASSERTION_KEY: TEST_ACTION_ASSERTION_KEY };
    dev = await startWranglerDev(persistDir, userVars, {
      configs: configPaths,
      args: ["--inspector-port", String(inspectorPort)],
      onOutput: (line) => {
        output.push(line);
        if (output.length > 300) output.shift();
        const match = QUEUE_LINE.exec(line);
        if (match) (phase.consumerWallMs[match[1]!] ??= []).push(Number(match[2]));
      },
    });
  } catch (error) {
    cleanUp();
    throw error;
  }

  const post = async (path: string, body: unknown, token?: string) => {
    const response = await fetch(`${dev.url}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`POST ${path}: ${response.status} ${await response.text()}`);
    return response.json() as Promise<Record<string, unknown>>;
  };
  let sent = 0;
  let users = 0;
  const stack: Omit<Stack, "measure"> & { measure?: Stack["measure"] } = {
    context,
    phases: [],
    async create(bot, watch = false) {
      // A user of their own per conversation (the profile objects as many users make them), signed as a host site signs.
      const user = options.users === "signed-in" ? { userToken: await signDevUserToken({ sub: `bench-user-${++users}` }) } : {};
      const created = await post("/v1/conversations", { bot, locale: "en", ...user });
      const conversation: Conversation = { id: String(created.id), token: String(created.token), bot };
      if (options.transport === "websocket" || watch) {
        const socket = await ConversationSocket.open(dev.url, conversation.id, conversation.token);
        await socket.waitFor((frames) => frames.some((frame) => frame.type === "ready"));
        if (options.transport === "websocket") conversation.socket = socket;
        else conversation.watcher = socket;
      }
      return conversation;
    },
    async send(conversation, text) {
      if (conversation.socket) {
        const clientMessageId = `bench-${++sent}`;
        conversation.socket.send({ type: "message", text, clientMessageId });
        await conversation.socket.waitFor((frames) => {
          const seq = frames.find((frame) => frame.message?.clientMessageId === clientMessageId)?.message?.seq;
          return seq !== undefined && frames.some((frame) => frame.message?.role === "bot" && frame.message.replyTo === seq);
        }, 120_000);
      } else {
        const answered = await post(`/v1/conversations/${conversation.id}/messages?wait=30`, { text }, conversation.token);
        if (!Array.isArray(answered.replies) || answered.replies.length === 0) {
          // A turn slower than the longest wait (a failing one goes through retries and re-dispatches): its
          // answer is awaited on the conversation's socket, which costs no request (a poll would).
          const seq = (answered.message as { seq: number }).seq;
          if (!conversation.watcher) throw new Error(`no reply to "${text}" (${conversation.bot}) within the wait`);
          await conversation.watcher.waitFor((frames) => frames.some((frame) => frame.message?.role === "bot" && frame.message.replyTo === seq), 120_000);
        }
      }
      lastAnswerAt = Date.now();
    },
    closeSockets(conversations) {
      for (const conversation of conversations) {
        conversation.socket?.close();
        conversation.watcher?.close();
      }
    },
    async stop() {
      await dev.stop();
      cleanUp();
    },
  };

  const profilers = new Map<string, IsolateProfiler>();
  try {
    findBundlesUnder(configDir);
    const targets = await findWorkerInspectorTargets(dev.pid);
    for (const [worker, config] of Object.entries(configs)) {
      const target = targets.find((t) => t.id === `core:user:${config.name}`);
      if (!target) throw new Error(`no inspector target for ${config.name}: ${targets.map((t) => t.id).join(", ")}`);
      profilers.set(worker, await IsolateProfiler.connect(target));
    }
  } catch (error) {
    console.error(`bench:turn-cost: wrangler's last lines:\n${output.slice(-80).join("\n")}`);
    await stack.stop();
    throw error;
  }

  /** Until every invocation of the phase is in: the tail quiet for a while, and any watchdog armed by its last turn fired. */
  const settle = async () => {
    while (Date.now() - lastEventAt < 2500 || Date.now() - lastAnswerAt < options.watchdogMs + 500) await sleep(250);
  };
  const ledger = new ObjectLedger();
  const measure: Stack["measure"] = async (work) => {
    await settle();
    phase = newPhase();
    for (const profiler of profilers.values()) await profiler.start();
    try {
      await work();
    } catch (error) {
      console.error(`bench:turn-cost: wrangler's last lines:\n${output.slice(-80).join("\n")}`);
      throw error;
    }
    await settle();
    phase.endedAt = lastAnswerAt;
    for (const [worker, profiler] of profilers) {
      const { cpuMs, hot, excludedMs, byModule } = await profiler.stopWithHotFunctions(15, METERS_CPU);
      phase.cpuMs[worker] = cpuMs;
      phase.meterMs[worker] = excludedMs;
      phase.hot[worker] = hot;
      phase.byModule[worker] = [...byModule].sort(([, a], [, b]) => b - a).slice(0, 12);
    }
    const done = phase;
    stack.phases.push(done);
    return { totals: phaseTotals(done.invocations, context, ledger, done.consumerWallMs, done.cpuMs), phase: done };
  };
  const stopStack = stack.stop;
  return {
    ...stack,
    measure,
    stop: async () => {
      for (const profiler of profilers.values()) profiler.close();
      await stopStack();
    },
  };
}
