// What `npm run bench:load` and `npm run bench:faults` run against: the whole system in one
// `wrangler dev` (workerd) process with state persisted to a directory — the committed
// wrangler.toml files with two queue shards per stage, as `npm run dev` runs them — plus the demo
// backends the bots call; and, each on its own `wrangler dev`, the arms bench:load compares it
// with: the bare hello Worker, the same gateway and conversation object answering turns in-process
// (no queue hop), and a rule-based bot on Cloudflare's agents SDK. The runtime can be killed with
// SIGKILL (wrangler and its workerd together, no clean shutdown) and started again on the same port
// and the same persisted state.
import { descendants } from "./cpu-profiler.ts";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { spawn } from "node:child_process";
import { ROOT } from "../devkit/local-stack.ts";
import { LOCAL_QUEUE_SHARDS, writeShardedConfigs } from "../devkit/queue-shard-configs.ts";
import { freePort } from "../devkit/free-port.ts";
import { startWranglerDev } from "../devkit/wrangler-dev.ts";
import { readWorkerConfig, writeWorkerConfigs, type WorkerName } from "../devkit/worker-configs.ts";

export interface StackVars {
  gateway?: Record<string, string>;
  intent?: Record<string, string>;
  dialogue?: Record<string, string>;
}

export interface RunningStack {
  url: string;
  /** Stops wrangler and workerd cleanly. */
  stop(): Promise<void>;
  /** SIGKILL to workerd and wrangler at once: what a crashed machine looks like to the clients. */
  kill(): void;
}

/**
 * A load run is many conversations from one address, far over the per-address and per-conversation
 * budgets a deployment sets for real users (wrangler.toml [[ratelimits]]); a benchmark deployment
 * raises them, as a load test against a real deployment would.
 */
const BENCH_RATE_LIMIT = 1_000_000;

/**
 * Where a run persists its state: a tmpfs (/dev/shm) where there is one. The state still outlives
 * the runtime (what the SIGKILL needs), but the figures leave out this VM's disk flushes, which
 * took ~40% of workerd's one thread per turn here (saturation 118 → 205 msg/s) and which
 * Cloudflare's storage does not put on the Worker's thread. `--persist-dir` measures a disk.
 */
export function persistRoot(): string {
  return existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
}

/** Rate limits raised for a benchmark (`[[ratelimits]]` of a config), or the committed ones as they are. */
function benchRateLimits(config: Record<string, unknown>, raise: boolean): void {
  if (!raise || !Array.isArray(config.ratelimits)) return;
  config.ratelimits = (config.ratelimits as { simple: { limit: number; period: number } }[]).map((limiter) => ({
    ...limiter,
    simple: { ...limiter.simple, limit: BENCH_RATE_LIMIT },
  }));
}

/**
 * The pipeline's configs for a benchmark: two shards per stage, the vars given, rate limits raised
 * (kept as committed with `committedLimits`, as `npm run dev` runs them).
 */
function writePipelineConfigs(vars: StackVars, shards: number | undefined, committedLimits = false): { dir: string; paths: string[] } {
  const { dir, paths } = writeShardedConfigs(shards === undefined ? LOCAL_QUEUE_SHARDS : { intent: shards, dialogue: shards });
  for (const path of paths) {
    const config = JSON.parse(readFileSync(path, "utf8")) as Record<string, unknown>;
    const worker = basename(path, ".json") as WorkerName; // writeWorkerConfigs names each file after its Worker
    const extra = worker === "metrics" ? {} : (vars[worker] ?? {});
    config.vars = { ...(config.vars as Record<string, string> | undefined), ...extra };
    benchRateLimits(config, !committedLimits);
    writeFileSync(path, JSON.stringify(config, null, 2));
  }
  return { dir, paths };
}

/**
 * The in-process arm's configs: the pipeline's gateway config run from bench/workers/in-process-gateway.ts,
 * with what the dialogue stage needs there too (the bots' backends and the LLM budgets, from the
 * dialogue Worker's config; every stage's vars), and the metrics Worker. No intent or dialogue Worker:
 * nothing is queued for them. No NLU service binding: `POST /v1/nlu/parse` is not benchmarked.
 */
function writeInProcessConfigs(vars: StackVars): { dir: string; paths: string[] } {
  const { dir, paths } = writeShardedConfigs(LOCAL_QUEUE_SHARDS);
  const read = (worker: WorkerName) => JSON.parse(readFileSync(join(dir, `${worker}.json`), "utf8")) as Record<string, unknown>;
  const gateway = read("gateway");
  const dialogue = read("dialogue");
  gateway.main = join(ROOT, "bench/workers/in-process-gateway.ts");
  gateway.vars = { ...(gateway.vars as Record<string, string> | undefined), ...(dialogue.vars as Record<string, string> | undefined), ...vars.intent, ...vars.dialogue, ...vars.gateway };
  gateway.ratelimits = [...((gateway.ratelimits as unknown[] | undefined) ?? []), ...((dialogue.ratelimits as unknown[] | undefined) ?? [])];
  delete gateway.services;
  benchRateLimits(gateway, true);
  writeFileSync(join(dir, "gateway.json"), JSON.stringify(gateway, null, 2));
  return { dir, paths: paths.filter((path) => ["gateway", "metrics"].includes(basename(path, ".json"))) };
}

/**
 * The demo order and market APIs the bots call (demo/services.ts) in a process of their own, as a
 * merchant's backend would be: in the client's process, its answers would wait behind the client's
 * own work and the dialogue stage would measure the client.
 */
async function startDemoBackends(): Promise<{ url: string; close(): Promise<void> }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(ROOT, "demo/services.ts")], { env: { ...process.env, DEMO_PORT: String(port) }, stdio: "ignore" });
  const url = `http://127.0.0.1:${port}`;
  for (let waited = 0; !(await fetch(`${url}/health`).then((r) => r.ok, () => false)); waited += 100) {
    if (waited > 10_000 || child.exitCode !== null) throw new Error("the demo backends did not start");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

export interface PipelineOptions {
  persistDir: string;
  vars?: StackVars;
  onOutput?: (line: string) => void;
  /** Queue shards per stage (default the dev stack's two). */
  queueShards?: number;
  /** Opens workerd's inspector (for CPU profiles of the isolates, bench/cpu-profiler.ts). */
  inspector?: boolean;
  /**
   * As `npm run dev` starts it (what a user tries first): the committed rate limits. Default: rate
   * limits raised. Wrangler's local trace collector is off either way, as in `npm run dev`.
   */
  devDefaults?: boolean;
  /** The in-process arm (writeInProcessConfigs) instead of the pipeline. */
  inProcess?: boolean;
}

export interface Pipeline extends RunningStack {
  /** wrangler's process id now (it changes with a restart). */
  pid(): number;
  /** Starts the runtime again on the same port and persisted state (after `kill`); resolves when it answers. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const demo = await startDemoBackends();
  const vars: StackVars = {
    ...options.vars,
    dialogue: { ORDER_API_URL: demo.url, MARKET_API_URL: demo.url, HEALTH_API_URL: demo.url, ...options.vars?.dialogue },
  };
  const configs = options.inProcess ? writeInProcessConfigs(vars) : writePipelineConfigs(vars, options.queueShards, options.devDefaults);
  // Asking wrangler for an inspector port makes workerd open its own inspector, with every isolate.
  const inspectorArgs = options.inspector ? ["--inspector-port", String(await freePort())] : [];
  // Vars given on the command line reach the primary Worker (the gateway); the others' are in their configs.
  const start = (port?: number) =>
    startWranglerDev(options.persistDir, vars.gateway ?? {}, {
      configs: configs.paths,
      args: inspectorArgs,
      ...(port === undefined ? {} : { port }),
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    });
  let dev = await start();
  const port = Number(new URL(dev.url).port);
  return {
    url: dev.url,
    pid: () => dev.pid,
    stop: () => dev.stop(),
    kill() {
      const pids = [dev.pid, ...descendants(dev.pid)];
      for (const pid of pids) {
        try {
          process.kill(pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
    },
    async restart() {
      dev = await start(port);
    },
    async close() {
      await dev.stop();
      await demo.close();
      rmSync(configs.dir, { recursive: true, force: true });
    },
  };
}

export interface SingleWorkerOptions {
  inspector?: boolean;
}

/** One bench Worker on its own `wrangler dev`, with the pipeline's compatibility date. */
async function startBenchWorker(persistDir: string, name: string, config: Record<string, unknown>, options: SingleWorkerOptions): Promise<RunningStack & { pid: number }> {
  const [path] = writeWorkerConfigs(join(persistDir, `${name}-config`), {
    [name]: { name: `stratus-bench-${name}`, compatibility_date: readWorkerConfig("gateway").compatibility_date, main: "", ...config },
  });
  const dev = await startWranglerDev(join(persistDir, `${name}-state`), {}, {
    configs: [path ?? ""],
    ...(options.inspector ? { args: ["--inspector-port", String(await freePort())] } : {}),
  });
  return {
    url: dev.url,
    pid: dev.pid,
    stop: () => dev.stop(),
    kill: () => process.kill(dev.pid, "SIGKILL"),
  };
}

/** The bare hello Worker (bench/workers/hello.ts). */
export function startBareWorker(persistDir: string, options: SingleWorkerOptions = {}): Promise<RunningStack & { pid: number }> {
  return startBenchWorker(persistDir, "hello", { main: join(ROOT, "bench/workers/hello.ts") }, options);
}

/**
 * The rule-based bot on Cloudflare's agents SDK (bench/workers/agents-bot.ts), configured as the
 * SDK's documentation says: its Agent class a SQLite-backed Durable Object, `nodejs_compat` on.
 */
export function startAgentsBot(persistDir: string, options: SingleWorkerOptions = {}): Promise<RunningStack & { pid: number }> {
  return startBenchWorker(
    persistDir,
    "agents-bot",
    {
      main: join(ROOT, "bench/workers/agents-bot.ts"),
      compatibility_flags: ["nodejs_compat"],
      durable_objects: { bindings: [{ name: "RULE_BOT", class_name: "RuleBotAgent" }] },
      migrations: [{ tag: "v1", new_sqlite_classes: ["RuleBotAgent"] }],
    },
    options,
  );
}
