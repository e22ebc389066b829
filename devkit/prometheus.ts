// A real Prometheus server (Debian's `prometheus` package) for tests and the dashboard preview:
// started with the shipped ops/prometheus/prometheus.yml and alerts.yml, pointed at a local stack,
// with short scrape and rule-evaluation intervals, a free port and a throwaway data folder.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { accessSync, constants, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { freePort } from "./free-port.ts";
import { ROOT } from "./local-stack.ts";

export const OPS_PROMETHEUS_DIR = join(ROOT, "ops/prometheus");

/** The full path of an executable on PATH (or /usr/bin), or undefined. */
function findExecutable(name: string): string | undefined {
  for (const dir of [...(process.env.PATH ?? "").split(delimiter), "/usr/bin"]) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

export interface PrometheusTools {
  prometheus: string;
  promtool: string;
}

/**
 * The Prometheus binaries, or a reason to skip. In CI (CI=true, as .ci/run sets it, after
 * installing Debian's `prometheus` package) a missing binary is an error, never a skip.
 */
export function prometheusTools(): { tools: PrometheusTools } | { skip: string } {
  const prometheus = findExecutable("prometheus");
  const promtool = findExecutable("promtool");
  if (prometheus && promtool) return { tools: { prometheus, promtool } };
  const missing = `Prometheus is not installed (apt-get install prometheus): ${[prometheus ? "" : "prometheus", promtool ? "" : "promtool"].filter(Boolean).join(" and ")} not found`;
  if (process.env.CI === "true") throw new Error(`${missing}; CI must run the Prometheus tests`);
  return { skip: missing };
}

export interface ToolRun {
  status: number | null;
  output: string;
}

export function runPromtool(tools: PrometheusTools, args: string[], options: { cwd?: string; input?: string } = {}): ToolRun {
  const run = spawnSync(tools.promtool, args, { cwd: options.cwd ?? OPS_PROMETHEUS_DIR, input: options.input, encoding: "utf8" });
  return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

export interface PromSample {
  metric: Record<string, string>;
  value?: [number, string];
  values?: [number, string][];
}

export interface PromAlert {
  labels: Record<string, string>;
  state: "pending" | "firing";
}

export interface PromTarget {
  health: "up" | "down" | "unknown";
  lastError: string;
  scrapeUrl: string;
  lastScrapeDuration: number;
}

export interface PrometheusServer {
  url: string;
  query(expr: string): Promise<PromSample[]>;
  queryRange(expr: string, startSeconds: number, endSeconds: number, stepSeconds: number): Promise<PromSample[]>;
  alerts(): Promise<PromAlert[]>;
  targets(): Promise<PromTarget[]>;
  stop(): Promise<void>;
}

export interface PrometheusOptions {
  /** The gateway to scrape, e.g. http://127.0.0.1:8787 (its GET /metrics). */
  targetUrl: string;
  metricsToken: string;
  scrapeIntervalSeconds?: number;
  evaluationIntervalSeconds?: number;
}

interface ScrapeConfig {
  job_name: string;
  scheme: string;
  authorization: { credentials_file: string };
  static_configs: { targets: string[] }[];
}

/** Starts Prometheus with the shipped configuration, re-pointed at `targetUrl`. */
export async function startPrometheus(tools: PrometheusTools, options: PrometheusOptions): Promise<PrometheusServer> {
  const dir = mkdtempSync(join(tmpdir(), "stratus-prometheus-"));
  const tokenFile = join(dir, "metrics-token");
  writeFileSync(tokenFile, options.metricsToken, { mode: 0o600 });
  const config = parseYaml(readFileSync(join(OPS_PROMETHEUS_DIR, "prometheus.yml"), "utf8")) as {
    global: Record<string, string>;
    rule_files: string[];
    scrape_configs: ScrapeConfig[];
  };
  const target = new URL(options.targetUrl);
  config.global.scrape_interval = `${options.scrapeIntervalSeconds ?? 1}s`;
  config.global.evaluation_interval = `${options.evaluationIntervalSeconds ?? 1}s`;
  config.rule_files = config.rule_files.map((file) => join(OPS_PROMETHEUS_DIR, file));
  for (const scrape of config.scrape_configs) {
    scrape.scheme = target.protocol.replace(":", "");
    scrape.authorization.credentials_file = tokenFile;
    scrape.static_configs = [{ targets: [target.host] }];
  }
  const configFile = join(dir, "prometheus.yml");
  writeFileSync(configFile, stringifyYaml(config));

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    tools.prometheus,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${join(dir, "data")}`,
      `--web.listen-address=127.0.0.1:${port}`,
      "--log.level=warn",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 5_000).unref();
      });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited:\n${output}`);
    if (await fetch(`${url}/-/ready`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not become ready:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  const api = async <T>(path: string, params: Record<string, string> = {}): Promise<T> => {
    const response = await fetch(`${url}/api/v1/${path}?${new URLSearchParams(params)}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== "success") throw new Error(`prometheus ${path} ${JSON.stringify(params)}: ${body.error ?? response.status}`);
    return body.data;
  };
  return {
    url,
    query: async (expr) => (await api<{ result: PromSample[] }>("query", { query: expr })).result,
    queryRange: async (expr, start, end, step) =>
      (await api<{ result: PromSample[] }>("query_range", { query: expr, start: String(start), end: String(end), step: String(step) })).result,
    alerts: async () => (await api<{ alerts: PromAlert[] }>("alerts")).alerts,
    targets: async () => (await api<{ activeTargets: PromTarget[] }>("targets")).activeTargets,
    stop,
  };
}
