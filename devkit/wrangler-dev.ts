// Runs `wrangler dev` with all three Workers, exactly as `npm run dev` does, on a free port.
import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { freePort } from "./free-port.ts";
import { METRICS_TOKEN, OPERATOR_API_KEY, ROOT, TOKEN_SECRET } from "./local-stack.ts";

export interface DevServer {
  url: string;
  stop(): Promise<void>;
}

export async function startWranglerDev(persistDir: string, vars: Record<string, string> = {}): Promise<DevServer> {
  const port = await freePort();
  const varArgs = Object.entries({ TOKEN_SECRET, OPERATOR_API_KEY, METRICS_TOKEN, ...vars }).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child: ChildProcess = spawn(
    join(ROOT, "node_modules/.bin/wrangler"),
    [
      "dev",
      "-c", "wrangler.toml",
      "-c", "workers/intent/wrangler.toml",
      "-c", "workers/dialogue/wrangler.toml",
      "-c", "workers/metrics/wrangler.toml",
      "--port", String(port),
      "--ip", "127.0.0.1",
      "--persist-to", persistDir,
      "--show-interactive-dev-session=false",
      ...varArgs,
    ],
    { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true" } },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`);
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
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      }),
  };
}
