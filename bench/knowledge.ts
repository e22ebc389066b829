/**
 * `npm run bench:knowledge [-- --set <folder>] [--json] [--data <folder>] [--no-write]`
 *
 * Answers from documents, measured: hit@3, recall@3 and MRR@10 of the bots' retrieval and of the
 * plain BM25 of ../shared/data/knowledge/README.md, in the same run, on
 *   - the public sets in ../shared/data/knowledge/ (medquad, cmrc2018, stackfaq; read in place, a
 *     missing folder is skipped with a message; `--data` names another folder holding them), and
 *   - the example bots' own sets, bench/knowledge-sets/<bot>/: questions.jsonl written by hand,
 *     passages.jsonl rewritten on each run from the bot's help pages, split as `npm run build:bots`
 *     splits them (so the set follows the documents, and a question whose passage is gone fails);
 *     unanswerable.jsonl holds questions the pages do not answer, to show what the threshold lets through;
 *   - the bots' development sets, bench/knowledge-dev/<bot>/ (same format): questions written apart from
 *     the test sets, which the ranking's settings for help pages were chosen on (`npm run tune:knowledge`).
 * Writes bench/results/knowledge.{json,md}.
 *
 * With `--set <folder>` only that folder (same format) is scored; with `--json` too, exactly one JSON
 * object is printed: { set, questions, system: { hit_at_3, recall_at_3, mrr }, bm25: { … } }.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { loadBots } from "../devkit/bots/load-bots.ts";
import { LocaleSchema } from "../shared/schemas/nlu.ts";
import { knowledgeThreshold } from "../workers/dialogue/src/engine/knowledge-answer.ts";
import { evaluateSet, type SetDetails } from "./knowledge-eval.ts";
import { renderKnowledgeReport } from "./knowledge-report.ts";
import { PUBLIC_KNOWLEDGE_DIR, PUBLIC_SETS, readRetrievalSet, setAvailable } from "./knowledge-sets.ts";
import { machineDescription } from "./results-files.ts";

const { values: args } = parseArgs({
  options: {
    set: { type: "string" },
    json: { type: "boolean", default: false },
    data: { type: "string" },
    "no-write": { type: "boolean", default: false },
  },
});

const root = resolve(import.meta.dirname, "..");

if (args.set !== undefined) {
  const dir = resolve(args.set);
  if (!setAvailable(dir)) {
    console.error(`bench:knowledge: ${dir} has no passages.jsonl and questions.jsonl`);
    process.exit(1);
  }
  const { halves: _halves, msPerQuestion: _ms, answered: _answered, ...result } = evaluateSet(readRetrievalSet(dir));
  if (args.json) console.log(JSON.stringify(result));
  else printTable([result]);
  process.exit(0);
}

const results: SetDetails[] = [];
const skipped: string[] = [];
const publicDir = resolve(args.data ?? PUBLIC_KNOWLEDGE_DIR);
for (const name of PUBLIC_SETS) {
  const dir = join(publicDir, name);
  if (!setAvailable(dir)) {
    console.warn(`${name}: skipped, ${dir} not found`);
    skipped.push(name);
    continue;
  }
  console.log(`${name}: scoring…`);
  results.push(evaluateSet(readRetrievalSet(dir, name)));
}

// The bots' own sets: passages from their documents, as the build splits them.
const { bots, errors } = loadBots(root);
if (errors.length > 0) {
  for (const error of errors) console.error(error);
  process.exit(1);
}
for (const bot of bots) {
  if (!bot.knowledge || !bot.definition.knowledge) continue;
  const rows = Object.entries(bot.knowledge.passages).flatMap(([locale, passages]) =>
    (passages ?? []).map((passage) => JSON.stringify({ id: passage.id, title: passage.title, text: passage.text, source: passage.url, doc: passage.doc, locale })),
  );
  const settings = bot.definition.knowledge;
  const thresholds = new Set(bot.definition.locales.map((locale) => knowledgeThreshold(settings, locale)));
  // The bot's test set (bench/knowledge-sets/, never tuned on), then its development set
  // (bench/knowledge-dev/, what the ranking's bot-page settings were chosen on: npm run tune:knowledge).
  for (const [folder, prefix] of [
    ["knowledge-sets", "bot"],
    ["knowledge-dev", "dev"],
  ] as const) {
    const dir = join(root, "bench", folder, bot.id);
    if (!existsSync(join(dir, "questions.jsonl"))) {
      console.warn(`${bot.id}: skipped, no ${join("bench", folder, bot.id, "questions.jsonl")}`);
      continue;
    }
    writeFileSync(join(dir, "passages.jsonl"), `${rows.join("\n")}\n`);
    results.push(
      evaluateSet(
        readRetrievalSet(dir, `${prefix}:${bot.id}`),
        thresholds.size === 1 ? [...thresholds][0] : undefined,
        readUnrelated(join(dir, "unanswerable.jsonl")),
      ),
    );
  }
}

printTable(results);
if (!args["no-write"]) {
  const report = { machine: machineDescription(), skipped, sets: results };
  mkdirSync(join(root, "bench", "results"), { recursive: true });
  writeFileSync(join(root, "bench", "results", "knowledge.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(root, "bench", "results", "knowledge.md"), renderKnowledgeReport(report));
  console.log("bench:knowledge: wrote bench/results/knowledge.json and knowledge.md");
}

function printTable(rows: ReadonlyArray<{ set: string; questions: number; system: SetDetails["system"]; bm25: SetDetails["bm25"] }>): void {
  console.table(
    rows.map((row) => ({
      set: row.set,
      questions: row.questions,
      "hit@3": `${row.system.hit_at_3.toFixed(3)} (bm25 ${row.bm25.hit_at_3.toFixed(3)})`,
      "recall@3": `${row.system.recall_at_3.toFixed(3)} (bm25 ${row.bm25.recall_at_3.toFixed(3)})`,
      "MRR@10": `${row.system.mrr.toFixed(3)} (bm25 ${row.bm25.mrr.toFixed(3)})`,
    })),
  );
}

/** unanswerable.jsonl: { id, question, locale } per line; none when the file is absent. */
function readUnrelated(file: string): Array<{ question: string; locale: z.infer<typeof LocaleSchema> }> {
  if (!existsSync(file)) return [];
  const Row = z.object({ question: z.string().min(1), locale: LocaleSchema });
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => Row.parse(JSON.parse(line)));
}
