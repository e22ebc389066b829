/**
 * `npm run tune:recommend [-- --data DIR]`: chooses the recommender's settings on validation splits
 * carved out of the public purchase log's TRAINING data, never its test baskets. Fold 1 holds out
 * each customer's last training basket, fold 2 their second-to-last (dropping the last); the model
 * is trained on what remains. A grid over the settings that matter, then one-at-a-time changes
 * around the best; the objective is the mean, over both folds, of the recommender's HR@5 and
 * NDCG@5 relative to the own-history baseline on the same fold. Prints the ranking and writes
 * bench/results/recommend-tune.{json,md}; the chosen values go into shared/recommend/defaults.ts by hand.
 */
import { parseArgs } from "node:util";
import { join } from "node:path";
import type { TrainingParams } from "../shared/schemas/recommend.ts";
import { DEFAULT_SCORING_PARAMS, DEFAULT_TRAINING_PARAMS } from "../shared/recommend/defaults.ts";
import { indexModel, type ScoringModel, type ScoringParams } from "../shared/recommend/score.ts";
import { trainRecommender } from "../shared/recommend/train.ts";
import { evaluateBaselines, evaluateRecommender, evaluateRecommenderMain } from "./recommend-eval.ts";
import { RECOMMEND_DATA_DIR, loadRetailUsers, validationSplit, type RetailUser } from "./recommend-data.ts";
import { writeBenchResults } from "./results-files.ts";
import type { RankingScore } from "./recommend-metrics.ts";

const { values: args } = parseArgs({ options: { data: { type: "string", default: RECOMMEND_DATA_DIR } } });
const all = loadRetailUsers(join(args.data, "interactions.csv"));
const folds = ([1, 2] as const).map((fold) => {
  const users: RetailUser[] = validationSplit(all, fold);
  const baselines = evaluateBaselines(users);
  console.log(`fold ${fold}: ${baselines.ownHistory.main.users} customers; own history HR@5 ${baselines.ownHistory.main.hitRate.toFixed(4)} NDCG@5 ${baselines.ownHistory.main.ndcg.toFixed(4)}`);
  return { fold, users, own: baselines.ownHistory.main, models: new Map<string, ScoringModel>() };
});

function modelFor(fold: (typeof folds)[number], training: TrainingParams): ScoringModel {
  const key = JSON.stringify(training);
  let model = fold.models.get(key);
  if (!model) {
    model = indexModel(trainRecommender(fold.users.flatMap((user) => user.train), training));
    fold.models.set(key, model);
  }
  return model;
}

interface Trial {
  training: TrainingParams;
  scoring: ScoringParams;
  /** Mean over folds of (HR / own HR + NDCG / own NDCG) / 2. */
  objective: number;
  folds: RankingScore[];
}

const trials = new Map<string, Trial>();
function trial(training: TrainingParams, scoring: ScoringParams): Trial {
  const key = JSON.stringify([training, scoring]);
  const known = trials.get(key);
  if (known) return known;
  const scores = folds.map((fold) => evaluateRecommenderMain(fold.users, modelFor(fold, training), scoring));
  const objective = scores.reduce((sum, score, index) => {
    const own = folds[index]?.own ?? score;
    return sum + (score.hitRate / own.hitRate + score.ndcg / own.ndcg) / 2;
  }, 0) / scores.length;
  const result = { training, scoring, objective, folds: scores };
  trials.set(key, result);
  return result;
}

// Where the search starts: the settings the grid does not vary. Fixed here, not read from the
// defaults, so that a rerun searches the same space and can confirm the defaults.
const BASE_TRAINING: TrainingParams = { basketSizeExponent: 0.5, coPurchaseHalfLifeDays: null, popularityHalfLifeDays: null, alpha: 0.5, minCoCount: 2, neighbours: 50, rebuySmoothing: 5 };
const BASE_SCORING: ScoringParams = { historyHalfLifeDays: null, quantityWeight: 0, rebuyPrior: 0, coPurchaseWeight: 0, popularityWeight: 0 };

const started = performance.now();
// Stage 1: the grid.
for (const popularityHalfLifeDays of [null, 30, 60, 120]) {
  for (const rebuySmoothing of [5, 20]) {
    const training = { ...BASE_TRAINING, popularityHalfLifeDays, rebuySmoothing };
    for (const historyHalfLifeDays of [null, 365]) {
      for (const rebuyPrior of [2, 10]) {
        for (const coPurchaseWeight of [0.3, 1]) {
          for (const popularityWeight of [0.05, 0.1]) {
            trial(training, { ...BASE_SCORING, historyHalfLifeDays, rebuyPrior, coPurchaseWeight, popularityWeight });
          }
        }
      }
    }
    console.log(`grid: popularity half-life ${popularityHalfLifeDays ?? "none"}, re-buy smoothing ${rebuySmoothing} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
}
const best = (): Trial => [...trials.values()].reduce((a, b) => (b.objective > a.objective ? b : a));
const gridBest = best();
// Stage 2: one setting at a time around the grid's best (values outside the grid, and the fixed ones).
const variations: [string, (trial: Trial) => [TrainingParams, ScoringParams]][] = [
  ["quantityWeight 0.1", (t) => [t.training, { ...t.scoring, quantityWeight: 0.1 }]],
  ["historyHalfLifeDays 90", (t) => [t.training, { ...t.scoring, historyHalfLifeDays: 90 }]],
  ["rebuyPrior 20", (t) => [t.training, { ...t.scoring, rebuyPrior: 20 }]],
  ["popularityWeight 0.2", (t) => [t.training, { ...t.scoring, popularityWeight: 0.2 }]],
  ["coPurchaseWeight 0.1", (t) => [t.training, { ...t.scoring, coPurchaseWeight: 0.1 }]],
  ["basketSizeExponent 1", (t) => [{ ...t.training, basketSizeExponent: 1 }, t.scoring]],
  ["alpha 0.7", (t) => [{ ...t.training, alpha: 0.7 }, t.scoring]],
  ["coPurchaseHalfLifeDays 180", (t) => [{ ...t.training, coPurchaseHalfLifeDays: 180 }, t.scoring]],
  ["neighbours 100", (t) => [{ ...t.training, neighbours: 100 }, t.scoring]],
];
const stage2 = variations.map(([name, vary]) => {
  const [training, scoring] = vary(gridBest);
  const result = trial(training, scoring);
  console.log(`around the best: ${name.padEnd(28)} objective ${result.objective.toFixed(4)} (best ${gridBest.objective.toFixed(4)})`);
  return { name, objective: result.objective };
});
const chosen = best();
const newItems = folds.map((fold) => evaluateRecommender(fold.users, modelFor(fold, chosen.training), chosen.scoring).newItems);
const sameSettings = <T extends object>(a: T, b: T): boolean => (Object.keys(a) as (keyof T)[]).every((key) => a[key] === b[key]);
const defaultsMatch = sameSettings(chosen.training, DEFAULT_TRAINING_PARAMS) && sameSettings(chosen.scoring, DEFAULT_SCORING_PARAMS);

const f4 = (value: number): string => value.toFixed(4);
/** The settings a grid row does not show, where they differ from the defaults. */
const others = (t: Trial): string =>
  (["basketSizeExponent", "alpha", "coPurchaseHalfLifeDays", "neighbours", "minCoCount"] as const)
    .filter((name) => t.training[name] !== BASE_TRAINING[name])
    .map((name) => `${name} ${t.training[name]}`)
    .join(", ") || "–";
const row = (t: Trial): string =>
  `| ${f4(t.objective)} | ${t.folds.map((s) => `${f4(s.hitRate)} / ${f4(s.ndcg)}`).join(" | ")} | ${t.training.popularityHalfLifeDays ?? "–"} | ${t.training.rebuySmoothing} | ${t.scoring.historyHalfLifeDays ?? "–"} | ${t.scoring.rebuyPrior} | ${t.scoring.coPurchaseWeight} | ${t.scoring.popularityWeight} | ${t.scoring.quantityWeight} | ${others(t)} |`;
const ranked = [...trials.values()].sort((a, b) => b.objective - a.objective);
const markdown = `# Recommender tuning (validation only)

Validation splits carved out of \`train\` of ../shared/data/recommend/ (test baskets never read):
fold 1 holds out each customer's last training basket (${folds[0]?.own.users} customers), fold 2 their
second-to-last, dropping the last (${folds[1]?.own.users} customers). Objective: mean over the folds of
(HR@5 / own-history HR@5 + NDCG@5 / own-history NDCG@5) / 2, main protocol.

Own history on the folds: ${folds.map((fold) => `fold ${fold.fold} HR@5 ${f4(fold.own.hitRate)} NDCG@5 ${f4(fold.own.ndcg)}`).join("; ")}.

Chosen (${defaultsMatch ? "equal to" : "NOT equal to"} shared/recommend/defaults.ts):

\`\`\`json
${JSON.stringify({ training: chosen.training, scoring: chosen.scoring }, null, 2)}
\`\`\`

New-items protocol with the chosen settings: ${newItems.map((s, i) => `fold ${i + 1} HR@5 ${f4(s.hitRate)} NDCG@5 ${f4(s.ndcg)} (${s.users} customers)`).join("; ")}.

## Best 10 of ${trials.size} settings

| objective | fold 1 HR / NDCG | fold 2 HR / NDCG | popularity half-life (days) | re-buy smoothing | history half-life (days) | re-buy prior | co-purchase weight | popularity weight | quantity weight | other training settings |
|---|---|---|---|---|---|---|---|---|---|---|
${ranked.slice(0, 10).map(row).join("\n")}

## One change at a time around the grid's best (objective ${f4(gridBest.objective)})

| change | objective |
|---|---|
${stage2.map((entry) => `| ${entry.name} | ${f4(entry.objective)} |`).join("\n")}
`;
writeBenchResults("recommend-tune", { chosen: { training: chosen.training, scoring: chosen.scoring }, objective: chosen.objective, folds: chosen.folds, newItems, defaultsMatch, trials: trials.size }, markdown, "markdown");
