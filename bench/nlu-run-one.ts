/**
 * Runs one system on one data set and prints its scores as the last stdout line (`RESULT {json}`).
 * bench/nlu.ts starts one process per (data set, system) so that neither system's heap (nlp.js keeps
 * a process-wide container) affects the other's accuracy or latency figures.
 */
import { parseArgs } from "node:util";
import { DATASETS } from "./datasets.ts";
import { runNlpJs } from "./nlu-nlpjs.ts";
import { runStratus } from "./nlu-stratus.ts";

const { values: args } = parseArgs({ options: { dataset: { type: "string" }, system: { type: "string" } } });
const spec = DATASETS.find((d) => d.name === args.dataset);
if (!spec || (args.system !== "stratus" && args.system !== "nlpjs")) {
  console.error("usage: node bench/nlu-run-one.ts --dataset NAME --system stratus|nlpjs");
  process.exit(2);
}
const log = (message: string): void => console.error(`${spec.name}: ${message}`);
const result = args.system === "stratus" ? runStratus(spec, log) : await runNlpJs(spec, log);
process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
