/**
 * `node bench/bots-nlu.ts [--bot ID] [--seed N] [--json] [--folds K]`
 * Trains each example bot from bots/<id>/nlu.yaml (as cli/train.ts does, with the locales of its
 * bot.yaml) and scores it on its unseen paraphrases in bots/<id>/nlu-holdout.yaml (plus any
 * nlu-holdout.<name>.yaml, e.g. one written apart for a new language): intent accuracy, entity recall
 * and the misclassified texts, per bot × locale, for every locale the bot declares or the holdout
 * covers (devkit/bots/holdout-scoring.ts); workers/intent/test/bot-generalisation.test.ts asserts on the same numbers.
 *
 * `--folds K` instead cross-validates on the training data itself (stratified by intent, per locale:
 * train on everything but one fold of that locale, predict the fold), also reporting how often the
 * locale detector names the fold's locale. A figure for a language that has no holdout set yet.
 */
import { parseArgs } from "node:util";
import { crossValidateBot, evaluateBot, formatMisses, holdoutBots, loadBot, pct } from "../devkit/bots/holdout-scoring.ts";

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

if (import.meta.main) {
  const { values: args } = parseArgs({
    options: {
      bot: { type: "string", multiple: true },
      seed: { type: "string", default: "1" },
      json: { type: "boolean", default: false },
      folds: { type: "string" },
    },
  });
  const seed = Number(args.seed);
  const bots = holdoutBots().filter((id) => args.bot === undefined || args.bot.includes(id));
  if (args.folds !== undefined) {
    const folds = Number(args.folds);
    if (!Number.isInteger(folds) || folds < 2) throw new Error(`--folds must be an integer ≥ 2, got "${args.folds}"`);
    const scores = bots.flatMap((bot) => crossValidateBot(loadBot(bot), folds, { seed }));
    if (args.json) console.log(JSON.stringify(scores, null, 2));
    else {
      printTable(
        ["bot", "locale", "examples", `${folds}-fold intent acc`, "locale detected"],
        scores.map((s) => [s.bot, s.locale, String(s.total), pct(s.accuracy), pct(s.total === 0 ? 1 : s.localeDetected / s.total)]),
      );
      for (const s of scores) {
        if (s.misses.length + s.localeMisses.length === 0) continue;
        console.log(`\n${s.bot}/${s.locale}:\n${formatMisses(s)}`);
        for (const miss of s.localeMisses) console.log(`  "${miss.text}": detected as ${miss.got}`);
      }
    }
  } else {
    const scores = bots.flatMap((bot) => evaluateBot(loadBot(bot), { seed }));
    if (args.json) {
      console.log(JSON.stringify(scores, null, 2));
    } else {
      const rows = scores.map((s) =>
        s.total === 0
          ? [s.bot, s.locale, "0", "no holdout yet", "", ""]
          : [
              s.bot, s.locale, String(s.total), pct(s.accuracy), String(s.misses.length),
              s.entitiesExpected === 0 ? "n/a" : `${pct(s.entityRecall)} (${s.entitiesFound}/${s.entitiesExpected})`,
            ],
      );
      const all = scores.reduce((a, s) => ({ t: a.t + s.total, c: a.c + s.correct, e: a.e + s.entitiesExpected, f: a.f + s.entitiesFound }), { t: 0, c: 0, e: 0, f: 0 });
      rows.push(["all", "", String(all.t), pct(all.c / all.t), String(all.t - all.c), all.e === 0 ? "n/a" : `${pct(all.f / all.e)} (${all.f}/${all.e})`]);
      printTable(["bot", "locale", "holdout", "intent acc", "misclassified", "entity recall"], rows);
      for (const s of scores) {
        if (s.misses.length + s.entityMisses.length === 0) continue;
        console.log(`\n${s.bot}/${s.locale}:`);
        console.log(formatMisses(s));
      }
    }
  }
}
