// `wrangler deploy --dry-run` for each Worker: proves that it bundles, prints its size, and fails if
// the bundle holds development-only fault code (shared/fault-injection.ts), which the committed
// configs compile out (STRATUS_DEV_FAULTS, shared/dev-build.d.ts). The bundles land in dist/<worker>/.
import { spawnSync } from "node:child_process";
import { readFileSync, readdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { FAULT_CODE_MARKERS } from "../shared/fault-injection.ts";

const WORKERS = [
  { name: "metrics", config: "workers/metrics/wrangler.toml" },
  { name: "gateway", config: "wrangler.toml" },
  { name: "intent", config: "workers/intent/wrangler.toml" },
  { name: "dialogue", config: "workers/dialogue/wrangler.toml" },
];

/** The fault-code markers each module of the bundle in `dir` contains (its source maps aside: they are not uploaded). */
function faultCodeIn(dir: string): string[] {
  const modules = readdirSync(dir).filter((file) => /\.(m?js|cjs)$/.test(file));
  return modules.flatMap((file) => {
    const code = readFileSync(join(dir, file), "utf8");
    return FAULT_CODE_MARKERS.filter((marker) => code.includes(marker)).map((marker) => `${file} contains ${JSON.stringify(marker)}`);
  });
}

let failed = false;
for (const worker of WORKERS) {
  // Absolute: wrangler resolves a relative --outdir against the config's folder.
  const outdir = resolve("dist", worker.name);
  rmSync(outdir, { recursive: true, force: true });
  const run = spawnSync("wrangler", ["deploy", "--dry-run", "-c", worker.config, "--outdir", outdir], {
    encoding: "utf8",
  });
  const upload = /Total Upload: .*/.exec(run.stdout + run.stderr)?.[0] ?? "(no size reported)";
  const faultCode = run.status === 0 ? faultCodeIn(outdir) : [];
  const ok = run.status === 0 && faultCode.length === 0;
  console.log(`${worker.name.padEnd(9)} ${ok ? "ok  " : "FAIL"} ${upload}`);
  if (run.status !== 0) console.error(run.stdout, run.stderr);
  for (const found of faultCode) {
    console.error(
      `  dist/${worker.name}/${found}: development-only fault code in a deploy bundle. ${worker.config} must define ` +
        `STRATUS_DEV_FAULTS "false", and every call into shared/fault-injection.ts must sit behind \`if (STRATUS_DEV_FAULTS)\`.`,
    );
  }
  if (!ok) failed = true;
}
process.exit(failed ? 1 : 0);
