/**
 * `npm run bench:nlu [-- --dataset NAME] [--system stratus|nlpjs] [--no-write]`
 * Trains and scores Stratus and nlp.js on the public data sets in ../shared/data/ (see its README for
 * the rules: tune on train/val, report test) and writes bench/results/nlu.{md,json}. A data set whose
 * file is absent is skipped with a message. With --dataset, only that entry of the results is replaced.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { DATA_DIR, DATASETS, datasetAvailable } from "./datasets.ts";
import type { SystemResult } from "./nlu-metrics.ts";
import { renderMarkdown, type Results } from "./nlu-report.ts";

const { values: args } = parseArgs({
  options: {
    dataset: { type: "string", multiple: true },
    system: { type: "string" },
    "no-write": { type: "boolean", default: false },
  },
});

const resultsDir = resolve(import.meta.dirname, "results");
const jsonFile = join(resultsDir, "nlu.json");
const unknown = (args.dataset ?? []).filter((name) => !DATASETS.some((d) => d.name === name));
if (unknown.length > 0) {
  console.error(`bench:nlu: unknown dataset ${unknown.join(", ")} (known: ${DATASETS.map((d) => d.name).join(", ")})`);
  process.exit(1);
}
const selected = DATASETS.filter((d) => args.dataset === undefined || args.dataset.includes(d.name));
const systems = args.system === undefined ? ["stratus", "nlpjs"] : [args.system];

const results: Results = args.dataset !== undefined && existsSync(jsonFile)
  ? (JSON.parse(readFileSync(jsonFile, "utf8")) as Results)
  : { datasets: {} };
const notes: string[] = [];
const thresholds: string[] = [];

for (const spec of selected) {
  if (!datasetAvailable(spec.file)) {
    console.warn(`${spec.name}: skipped, ${join(DATA_DIR, spec.file)} not found`);
    continue;
  }
  const log = (message: string): void => console.log(`${spec.name}: ${message}`);
  const entry: Record<string, SystemResult> = {};
  for (const system of systems) {
    const { threshold, ...result } = runInChild(spec.name, system);
    entry[system] = result;
    if (typeof threshold === "number") thresholds.push(`${spec.name} ${threshold}`);
    log(`${system.padEnd(7)} ${summary(result)}`);
  }
  results.datasets[spec.name] = entry;
}

/** One fresh Node process per (data set, system); its log lines pass through, its scores come back. */
function runInChild(dataset: string, system: string): SystemResult & { threshold?: number | null } {
  const child = spawnSync(process.execPath, ["--expose-gc", join(import.meta.dirname, "nlu-run-one.ts"), "--dataset", dataset, "--system", system], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 * 1024 * 1024,
  });
  for (const line of child.stderr.split("\n")) {
    if (line.trim() !== "" && !/PinoWarning|trace-warnings/.test(line)) console.log(line);
  }
  const resultLine = child.stdout.split("\n").find((line) => line.startsWith("RESULT "));
  if (child.status !== 0 || resultLine === undefined) {
    console.error(`bench:nlu: ${system} on ${dataset} failed (exit ${child.status})`);
    process.exit(1);
  }
  return JSON.parse(resultLine.slice("RESULT ".length)) as SystemResult & { threshold?: number | null };
}

function summary(result: SystemResult): string {
  const pct = (v: number | null): string => (v === null ? "–" : `${(v * 100).toFixed(1)}%`);
  return `intent ${pct(result.intent_accuracy)} in-scope ${pct(result.in_scope_accuracy)} oos ${pct(result.oos_recall)} entity F1 ${pct(result.entity_f1)} p99 ${result.p99_ms?.toFixed(3)} ms`;
}

notes.push(
  "CLINC150: `oos` is trained as a class by both systems; Stratus additionally predicts oos below a confidence threshold chosen on `val` (maximising val accuracy with oos as a class)" +
    (thresholds.length > 0 ? ` — chosen: ${thresholds.join(", ")}.` : "."),
  "Entity F1: exact span + label, micro-averaged over the test split, Stratus's trained tagger only (built-in number/date entities are not dataset labels). HWU64's entity F1 is measured on hwu64_kfold1.jsonl (the KFold_1 release with slot annotations: trained on its train split, scored on its test split).",
  "nlp.js has no entity extraction from annotated examples, so its entity F1 is –. nlp.js ships no Chinese tokenizer in @nlpjs/basic: for CAIS its input is pre-segmented into words with Intl.Segmenter.",
  "Model size: the JSON artifact (Stratus) / `nlp.export(true)` (nlp.js).",
  "Each (data set, system) runs in a fresh Node process (nlp.js keeps a process-wide container; sharing it across data sets corrupts its models). Latency: one full warm-up pass over the test split, then each utterance timed with performance.now(); the garbage left by training is collected first.",
  `nlp.js here vs the reference figures in shared/data/README.md: ${nlpJsVersusReference()}.`,
);

/** nlp.js figures measured by the shared/data README (nlp.js 4.27.0, default settings, full train split). */
function nlpJsVersusReference(): string {
  const reference: Array<[string, keyof SystemResult, number]> = [
    ["clinc150", "in_scope_accuracy", 0.844], ["clinc150", "oos_recall", 0.266], ["banking77", "intent_accuracy", 0.506],
    ["hwu64", "intent_accuracy", 0.782], ["snips", "intent_accuracy", 0.957], ["atis", "intent_accuracy", 0.935],
    ["cais", "intent_accuracy", 0.925],
  ];
  return reference
    .filter(([dataset]) => typeof results.datasets[dataset]?.nlpjs?.intent_accuracy === "number")
    .map(([dataset, metric, expected]) => {
      const measured = results.datasets[dataset]?.nlpjs?.[metric] as number;
      return `${dataset} ${metric.replace(/_/g, " ")} ${(measured * 100).toFixed(1)} (reference ${(expected * 100).toFixed(1)})`;
    })
    .join("; ");
}

if (!args["no-write"]) {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(jsonFile, `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(resultsDir, "nlu.md"), renderMarkdown(results, notes));
  console.log(`wrote ${join("bench", "results", "nlu.md")} and nlu.json`);
}
