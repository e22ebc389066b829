// The four Workers' wrangler.toml files, read as data, and variants of them written as JSON
// configs for a local run (a benchmark's instrumented entry points, another queue shard count, a
// development build).
// A variant keeps everything of its source but what the caller changes, with paths made absolute
// so the file can live anywhere.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse } from "smol-toml";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

export const WORKERS = {
  gateway: "wrangler.toml",
  intent: "workers/intent/wrangler.toml",
  dialogue: "workers/dialogue/wrangler.toml",
  metrics: "workers/metrics/wrangler.toml",
} as const;
export type WorkerName = keyof typeof WORKERS;
export const WORKER_NAMES = Object.keys(WORKERS) as WorkerName[];

/** A wrangler config as plain data (the shape wrangler.json has). */
export type WorkerConfig = Record<string, unknown> & { name: string; main: string; compatibility_date: string };

export function readWorkerConfig(worker: WorkerName): WorkerConfig {
  const path = join(ROOT, WORKERS[worker]);
  const config = parse(readFileSync(path, "utf8")) as WorkerConfig;
  const base = dirname(path);
  const absolute = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  const out: WorkerConfig = { ...config, main: absolute(config.main) };
  const assets = config.assets as { directory?: string } | undefined;
  if (assets?.directory) out.assets = { ...assets, directory: absolute(assets.directory) };
  return out;
}

/**
 * The config as a development build, for a local run only: STRATUS_DEV_FAULTS defined true, so the
 * fault code is compiled in (shared/dev-build.d.ts; the FAULT_INJECTION var must still be "on").
 * `wrangler deploy` never sees such a config: it bundles the committed files, which define it false.
 */
export function asDevBuild(config: WorkerConfig): WorkerConfig {
  const define = (config.define ?? {}) as Record<string, string>;
  return { ...config, define: { ...define, STRATUS_DEV_FAULTS: "true" } };
}

/** Writes configs as `<dir>/<worker>.json` and returns their paths, gateway first (the primary Worker). */
export function writeWorkerConfigs(dir: string, configs: Record<string, WorkerConfig>): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(configs).map(([name, config]) => {
    const path = join(dir, `${name}.json`);
    writeFileSync(path, JSON.stringify(config, null, 2));
    return path;
  });
}
