// `wrangler deploy --dry-run` for each Worker: proves that it bundles, and prints its size.
import { spawnSync } from "node:child_process";

const WORKERS = [
  { name: "metrics", config: "workers/metrics/wrangler.toml" },
  { name: "gateway", config: "wrangler.toml" },
  { name: "intent", config: "workers/intent/wrangler.toml" },
  { name: "dialogue", config: "workers/dialogue/wrangler.toml" },
];

let failed = false;
for (const worker of WORKERS) {
  const run = spawnSync("wrangler", ["deploy", "--dry-run", "-c", worker.config, "--outdir", `dist/${worker.name}`], {
    encoding: "utf8",
  });
  const upload = /Total Upload: .*/.exec(run.stdout + run.stderr)?.[0] ?? "(no size reported)";
  console.log(`${worker.name.padEnd(9)} ${run.status === 0 ? "ok  " : "FAIL"} ${upload}`);
  if (run.status !== 0) {
    failed = true;
    console.error(run.stdout, run.stderr);
  }
}
process.exit(failed ? 1 : 0);
