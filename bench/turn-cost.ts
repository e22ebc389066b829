// `npm run bench:turn-cost [-- --conversations 48 --turns 8 --think-ms 500 --watchdog-ms 5000
//   --stage-batch-timeout 1 --failed-turns 24 --queue-shards N --transport http|websocket
//   --mixed-only --no-duration-run --users none|anonymous|signed-in --dump FILE]`
// What one user message, one new conversation and one failed turn cost on Cloudflare's meters, per
// Worker, per Durable Object class and per queue, measured on workerd. `wrangler dev` runs every
// Worker of the committed configs from a metered entry (bench/turn-cost-stack.ts: every Durable
// Object class a Worker hosts and every binding it has are metered, bench/workers/meter.ts) and a
// tail Worker that posts every invocation here; bench/turn-cost-meters.ts turns them into figures.
// CPU time comes from V8's CPU profile of each Worker's isolate (bench/cpu-profiler.ts).
// Writes bench/results/turn-cost.{json,md}, which `npm run plan` reads.
//
// Traffic as production makes it, on one machine: `--conversations` conversations at once (a first
// set over all bots, then one set per bot for the planner's bot mix), each sending `--turns`
// messages with a short pause (0.8–1.2 × `--think-ms`) between an answer and the next message, and
// the turn queues' consumers waiting up to `--stage-batch-timeout` seconds for a batch (what
// `npm run plan` picks from about 100 messages/s up), so that consumer batches hold several turns
// and work done once per batch is counted per message as it would be in production. Each set has
// three phases: creating the conversations, their first messages, and the steady messages after
// them (per_turn). A phase ends once any watchdog alarm its last turns left armed has fired. Then
// `--failed-turns` messages whose every delivery to the intent stage fails (an outage of the
// stage: retries, dead letters, re-dispatches, the fallback answer): per_failed_turn.
//
// Durable Object active time (billed duration) comes from a second, shorter run with the committed
// consumers (no batch wait): a call that waits for its turn's answer (POST …?wait) is held for the
// round trip, which a local batch wait of a second would lengthen far past production's, where
// batches fill in milliseconds.
import { writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { startDemoServices } from "../demo/services.ts";
import { TurnCostResultSchema, type TurnCostResult, type TurnCostSample } from "../shared/schemas/capacity.ts";
import { machineDescription, writeBenchResults } from "./results-files.ts";
import { startStack, type Conversation, type Stack, type StackOptions } from "./turn-cost-stack.ts";
import { EMPTY_DATABASE_BYTES, mergeTotals, perUnit, subtractTotals } from "./turn-cost-meters.ts";
import { turnCostMarkdown } from "./turn-cost-report.ts";

const { values } = parseArgs({
  options: {
    conversations: { type: "string", default: "48" },
    turns: { type: "string", default: "8" },
    "think-ms": { type: "string", default: "500" },
    "watchdog-ms": { type: "string", default: "5000" },
    "stage-batch-timeout": { type: "string", default: "1" },
    "failed-turns": { type: "string", default: "24" },
    "queue-shards": { type: "string" },
    /** How clients send their messages: POST …/messages?wait (default) or over the conversation's WebSocket. */
    transport: { type: "string", default: "http" },
    /** Only the set over all bots (each bot's figures are then the mix's). */
    "mixed-only": { type: "boolean", default: false },
    /** The second run that measures Durable Object active time without batch waits (--no-duration-run skips it). */
    "duration-run": { type: "boolean", default: true },
    /** none (default), anonymous or signed-in: see StackOptions.users (bench/turn-cost-stack.ts). */
    users: { type: "string", default: "none" },
    /** Writes every phase's raw invocations (what the tail Worker posted) to this file, to look into a figure. */
    dump: { type: "string" },
  },
  allowNegative: true,
});
const CONVERSATIONS = Number(values.conversations);
const TURNS = Number(values.turns);
const THINK_MS = Number(values["think-ms"]);
const WATCHDOG_MS = Number(values["watchdog-ms"]);
const FAILED_TURNS = Number(values["failed-turns"]);
const STAGE_BATCH_TIMEOUT_S = Number(values["stage-batch-timeout"]);
const TRANSPORT = values.transport;
const QUEUE_SHARDS = values["queue-shards"] === undefined ? undefined : Number(values["queue-shards"]);
if (
  ![CONVERSATIONS, TURNS, THINK_MS, WATCHDOG_MS, FAILED_TURNS, STAGE_BATCH_TIMEOUT_S].every((n) => Number.isInteger(n) && n >= 0) ||
  CONVERSATIONS < 1 ||
  TURNS < 2 ||
  (TRANSPORT !== "http" && TRANSPORT !== "websocket")
) {
  console.error("bench:turn-cost: --conversations ≥ 1, --turns ≥ 2, --think-ms, --watchdog-ms, --stage-batch-timeout and --failed-turns are whole numbers; --transport is http or websocket");
  process.exit(1);
}
const THINK = { min: Math.round(THINK_MS * 0.8), max: Math.round(THINK_MS * 1.2) };
/** A marker the intent Worker fails every delivery of (shared/fault-injection.ts; development builds only). */
const FAIL_INTENT = "#fail-intent";

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
const textOf = (conversation: Conversation, turn: number) => {
  const texts = BOT_TEXTS[conversation.bot]!;
  return texts[Math.min(turn, texts.length - 1)]!;
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const pause = () => sleep(THINK.min + Math.random() * (THINK.max - THINK.min));
const steadyTurns = CONVERSATIONS * (TURNS - 1);

/** Warm-up: the isolates' first requests compile code, which no steady turn pays. */
async function warmUp(stack: Stack): Promise<void> {
  for (const bot of BOTS) {
    const warm = await stack.create(bot);
    await stack.send(warm, textOf(warm, 0));
    await stack.send(warm, textOf(warm, 1));
    stack.closeSockets([warm]);
  }
}

/** One set: `CONVERSATIONS` conversations of these bots created, their first messages, then their steady ones. */
async function runSet(stack: Stack, bots: readonly string[]) {
  const conversations: Conversation[] = [];
  const creation = await stack.measure(async () => {
    conversations.push(...(await Promise.all(Array.from({ length: CONVERSATIONS }, (_, i) => stack.create(bots[i % bots.length]!)))));
  });
  const first = await stack.measure(async () => {
    await Promise.all(conversations.map(async (conversation) => (await sleep(Math.random() * THINK_MS), await stack.send(conversation, textOf(conversation, 0)))));
  });
  const steady = await stack.measure(async () => {
    await Promise.all(
      conversations.map(async (conversation) => {
        for (let turn = 1; turn < TURNS; turn++) {
          await pause();
          await stack.send(conversation, textOf(conversation, turn));
        }
      }),
    );
  });
  stack.closeSockets(conversations); // the next phase's settle() lets the close events pass unmetered
  return { creation, first, steady };
}

const started = Date.now();
const demo = await startDemoServices({ port: 0 });
const USERS = values.users;
if (USERS !== "none" && USERS !== "anonymous" && USERS !== "signed-in") throw new Error(`--users: none, anonymous or signed-in, not "${USERS}"`);
const stackOptions = (stageBatchTimeoutS: number | undefined, faults: boolean): StackOptions => ({
  users: USERS,
  watchdogMs: WATCHDOG_MS,
  stageBatchTimeoutS,
  queueShards: QUEUE_SHARDS,
  faults,
  transport: TRANSPORT,
  backendUrl: demo.url,
});
const dumped: unknown[] = [];

try {
  // ---- the main run: batches as in production
  const stack = await startStack(stackOptions(STAGE_BATCH_TIMEOUT_S, FAILED_TURNS > 0));
  let result: TurnCostResult;
  try {
    await warmUp(stack);
    console.log(`bench:turn-cost: ${CONVERSATIONS} conversations at once × ${TURNS} messages, pauses ${THINK.min}–${THINK.max} ms, watchdog ${WATCHDOG_MS} ms`);
    const mixed = await runSet(stack, BOTS);
    const perTurn = perUnit(mixed.steady.totals, steadyTurns, stack.context);
    const newConversation = subtractTotals(mergeTotals([mixed.creation.totals, mixed.first.totals]), mixed.steady.totals, CONVERSATIONS / steadyTurns);
    const perConversation = perUnit(newConversation, CONVERSATIONS, stack.context);

    const perBot: Record<string, TurnCostSample> = {};
    for (const bot of values["mixed-only"] ? [] : BOTS) {
      console.log(`bench:turn-cost: ${bot} alone`);
      perBot[bot] = perUnit((await runSet(stack, [bot])).steady.totals, steadyTurns, stack.context);
    }
    if (values["mixed-only"]) Object.assign(perBot, Object.fromEntries(BOTS.map((bot) => [bot, perTurn])));

    let perFailedTurn: TurnCostSample | undefined;
    if (FAILED_TURNS > 0) {
      console.log(`bench:turn-cost: ${FAILED_TURNS} messages whose intent deliveries all fail`);
      const failing: Conversation[] = [];
      await stack.measure(async () => {
        failing.push(...(await Promise.all(Array.from({ length: FAILED_TURNS }, (_, i) => stack.create(BOTS[i % BOTS.length]!, true)))));
      });
      const failed = await stack.measure(async () => {
        await Promise.all(failing.map((conversation) => stack.send(conversation, `${FAIL_INTENT} ${textOf(conversation, 1)}`)));
      });
      perFailedTurn = perUnit(failed.totals, FAILED_TURNS, stack.context);
      stack.closeSockets(failing);
    }

    const steadyPhase = mixed.steady.phase;
    const steadySeconds = Math.max(1e-3, (steadyPhase.endedAt - steadyPhase.startedAt) / 1000);
    result = {
      measured_at: new Date().toISOString(),
      machine: machineDescription(),
      note:
        "Local workerd (wrangler dev), every Worker run from a metered entry. CPU from V8's CPU profile of each Worker's isolate, the " +
        "meters' own counting and logging left out (cpu_profile.<worker>.meter_ms); a Worker's figure includes the Durable Objects it " +
        "hosts (one isolate), which Cloudflare bills as duration, not CPU: an upper bound. Durable Object active time is wall time with " +
        "a call running, as measured on this machine. A shared machine inflates CPU and time figures; counts do not depend on it.",
      bytes_note:
        `stored_bytes is the growth of ctx.storage.sql.databaseSize, a new object counted from 0, less the page of the table local workerd ` +
        `adds to name an object (__miniflare_do_name: no deployed object has it); stored_bytes_net also leaves out the ` +
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
        stage_batch_timeout_s: STAGE_BATCH_TIMEOUT_S,
        turns_per_second: steadyTurns / steadySeconds,
        mean_batch: Object.fromEntries(
          Object.entries(perTurn.queues)
            .filter(([, q]) => q.consumer_invocations > 0)
            .map(([key, q]) => [key, q.reads / q.consumer_invocations]),
        ),
        failed_turns: FAILED_TURNS,
        active_ms_from: "this run",
      },
      turns: steadyTurns,
      conversations: CONVERSATIONS,
      per_turn: perTurn,
      per_conversation: perConversation,
      per_failed_turn: perFailedTurn,
      per_bot: perBot,
      cpu_profile: Object.fromEntries(
        Object.entries(steadyPhase.hot).map(([worker, hot]) => {
          const cpu = steadyPhase.cpuMs[worker] ?? 0;
          return [
            worker,
            {
              cpu_ms: cpu / steadyTurns,
              meter_ms: (steadyPhase.meterMs[worker] ?? 0) / steadyTurns,
              modules: (steadyPhase.byModule[worker] ?? []).map(([module, ms]) => ({ module, self_ms: ms / steadyTurns, share: cpu > 0 ? ms / cpu : 0 })),
              top: hot.map((f) => ({ name: f.name, at: f.at, self_ms: f.selfMs / steadyTurns, share: cpu > 0 ? f.selfMs / cpu : 0 })),
            },
          ];
        }),
      ),
    };
    if (values.dump) dumped.push(...stack.phases.map((phase) => phase.invocations));
  } finally {
    await stack.stop();
  }

  // ---- the duration run: the committed consumers (no batch wait), steady messages of all bots
  if (values["duration-run"] && STAGE_BATCH_TIMEOUT_S > 0) {
    console.log("bench:turn-cost: Durable Object active time, with the committed consumers");
    const durationStack = await startStack(stackOptions(undefined, false));
    try {
      await warmUp(durationStack);
      const { steady } = await runSet(durationStack, BOTS);
      const unbatched = perUnit(steady.totals, steadyTurns, durationStack.context);
      const activeOf = (sample: TurnCostSample) => {
        for (const [key, meter] of Object.entries(sample.durable_objects)) meter.active_ms = unbatched.durable_objects[key]?.active_ms ?? meter.active_ms;
      };
      activeOf(result.per_turn);
      for (const sample of Object.values(result.per_bot)) activeOf(sample);
      result.traffic.active_ms_from = "a second run with the committed consumers (no batch wait), all bots' steady messages";
      if (values.dump) dumped.push(...durationStack.phases.map((phase) => phase.invocations));
    } finally {
      await durationStack.stop();
    }
  }

  const parsed = TurnCostResultSchema.parse(result);
  writeBenchResults("turn-cost", parsed, turnCostMarkdown(parsed), "markdown");
  if (values.dump) writeFileSync(values.dump, JSON.stringify(dumped));
  console.log(`bench:turn-cost: ${((Date.now() - started) / 1000).toFixed(0)} s`);
} finally {
  await demo.close();
}
