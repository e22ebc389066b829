// `npm run bench:metrics [-- --flushes 1000 --series 40]`
// How many flushes per second one aggregating Durable Object shard applies on workerd: a driver
// Worker (bench/workers/metrics-shard-driver.ts) sends flushes of a busy isolate's size (40 series, a third of them
// histograms) from many isolates straight to one shard, one at a time and 20 at a time. Figures for
// sizing METRICS_SHARDS (shared/metrics/shards.ts); a local figure, not Cloudflare's.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createTestHarness } from "wrangler";
import { ROOT } from "../devkit/local-stack.ts";
import { readWorkerConfig, writeWorkerConfigs } from "../devkit/worker-configs.ts";
import { machineDescription, writeBenchResults } from "./results-files.ts";
import { round } from "./stats.ts";

const { values } = parseArgs({ options: { flushes: { type: "string", default: "1000" }, series: { type: "string", default: "40" } } });
const configDir = mkdtempSync(join(tmpdir(), "stratus-bench-metrics-"));
const metrics = readWorkerConfig("metrics");
const configs = writeWorkerConfigs(configDir, {
  driver: {
    name: "stratus-bench-metrics-driver",
    main: join(ROOT, "bench/workers/metrics-shard-driver.ts"),
    compatibility_date: metrics.compatibility_date,
    durable_objects: { bindings: [{ name: "METRICS", class_name: "MetricsAggregatorDurableObject", script_name: metrics.name }] },
  },
  metrics,
});
const server = createTestHarness({ root: ROOT, workers: configs.map((configPath) => ({ configPath })) });
try {
  const { url } = await server.listen();
  const run = async (concurrency: number) => {
    const response = await fetch(new URL(`/?flushes=${values.flushes}&concurrency=${concurrency}&series=${values.series}`, url));
    if (!response.ok) throw new Error(`driver: ${response.status} ${await response.text()}`);
    return (await response.json()) as { flushesPerSecond: number; ms: number };
  };
  await run(1); // warm-up
  const sequential = await run(1);
  const concurrent = await run(20);
  const result = {
    flushes: Number(values.flushes),
    series_per_flush: Number(values.series),
    one_at_a_time_per_s: round(sequential.flushesPerSecond, 0),
    twenty_at_a_time_per_s: round(concurrent.flushesPerSecond, 0),
    machine: machineDescription(),
    measured_at: new Date().toISOString(),
  };
  writeBenchResults(
    "metrics-shard",
    result,
    `# One aggregator shard's flush rate (local workerd)\n\n` +
      `${result.flushes} flushes of ${result.series_per_flush} series each (a third histograms) sent to one shard from ${Math.ceil(result.flushes / 10)} isolates.\n\n` +
      `| sent | flushes/s |\n|---|---|\n| one at a time | ${result.one_at_a_time_per_s} |\n| 20 at a time | ${result.twenty_at_a_time_per_s} |\n\n` +
      `Machine: ${result.machine}. Measured ${result.measured_at}. Local workerd and SQLite; a Durable Object on Cloudflare is single-threaded too, ` +
      `with its own storage latency.\n`,
  );
} finally {
  await server.close();
  rmSync(configDir, { recursive: true, force: true });
}
