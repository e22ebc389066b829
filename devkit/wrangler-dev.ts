// Runs `wrangler dev` with all four Workers, as `npm run dev` does (two queue shards per stage), on a free port.
import { spawn, type ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { freePort } from "./free-port.ts";
import { METRICS_TOKEN, OPERATOR_API_KEY, ROOT, TOKEN_SECRET } from "./local-stack.ts";
import { NO_LOCAL_TRACES } from "./local-traces.ts";
import { LOCAL_QUEUE_SHARDS, writeShardedConfigs, type ShardCounts } from "./queue-shard-configs.ts";

export interface DevServer {
  url: string;
  stop(): Promise<void>;
}

export interface WranglerDevOptions {
  /** Config files to run, the primary (HTTP) Worker first; default the committed ones with two queue shards per stage. */
  configs?: string[];
  /** Queue shards per stage when `configs` is not given. */
  queueShards?: ShardCounts;
  /** The port to listen on (e.g. the one a killed runtime had, so clients reconnect to the same URL); default a free one. */
  port?: number;
  /** More `wrangler dev` arguments (e.g. an inspector port). */
  args?: string[];
  /** Every line wrangler prints (its request and queue logs included). */
  onOutput?: (line: string) => void;
}

/**
 * Starts `wrangler dev` and waits until it answers. A free port can be taken by another process
 * between our probe and workerd's bind (several stacks run at once on a shared machine or CI), so a
 * start that fails with "Address already in use" is tried again on fresh ports, twice at most.
 */
export async function startWranglerDev(persistDir: string, vars: Record<string, string> = {}, options: WranglerDevOptions = {}): Promise<DevServer & { pid: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startWranglerDevOnce(persistDir, vars, options);
    } catch (error) {
      if (attempt >= 3 || options.port !== undefined || !String(error).includes("Address already in use")) throw error;
    }
  }
}

async function startWranglerDevOnce(persistDir: string, vars: Record<string, string>, options: WranglerDevOptions): Promise<DevServer & { pid: number }> {
  const port = options.port ?? (await freePort());
  const generated = options.configs ? undefined : writeShardedConfigs(options.queueShards ?? LOCAL_QUEUE_SHARDS);
  const configs = options.configs ?? generated?.paths ?? [];
  const varArgs = Object.entries({ TOKEN_SECRET, OPERATOR_API_KEY, METRICS_TOKEN, ...vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child: ChildProcess = spawn(
    join(ROOT, "node_modules/.bin/wrangler"),
    [
      "dev",
      ...configs.flatMap((config) => ["-c", config]),
      "--port", String(port),
      "--ip", "127.0.0.1",
      "--persist-to", persistDir,
      "--show-interactive-dev-session=false",
      ...varArgs,
      ...(options.args ?? []),
    ],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      // Wrangler's local trace collector off (devkit/local-traces.ts), unless this process's environment says otherwise.
      env: { ...NO_LOCAL_TRACES, ...process.env, CI: "true" },
    },
  );
  let output = "";
  const collect = (chunk: Buffer) => {
    const text = chunk.toString();
    output += text;
    if (options.onOutput) for (const line of text.split("\n")) if (line) options.onOutput(line);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) {
      if (generated) rmSync(generated.dir, { recursive: true, force: true });
      throw new Error(`wrangler dev exited:\n${output}`);
    }
    const healthy = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (healthy) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`wrangler dev did not become healthy:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    url,
    pid: child.pid ?? 0,
    stop: async () => {
      await new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      });
      if (generated) rmSync(generated.dir, { recursive: true, force: true });
    },
  };
}
