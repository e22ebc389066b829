// The figures of `npx stratus test nlu`, computed from predictions of held-out texts
// (holdout-scoring.ts): per-intent precision, recall, F1 and support (as `rasa test nlu` and
// scikit-learn's classification report give them), the most frequent confusions with examples, the
// confusion matrix, and how often expected entity values were found.
import type { Locale } from "../../shared/schemas/nlu.ts";
import { f1, precision, recall, type MatchCounts } from "../nlu-scores.ts";
import { entityFound, type Prediction } from "./holdout-scoring.ts";

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

export interface IntentRow extends Averages {
  intent: string;
  /** Held-out texts of this intent. 0 for an intent only ever predicted (e.g. out_of_scope). */
  support: number;
  /** How often the model answered this intent. */
  predicted: number;
  /** The intents its texts were taken for instead, most frequent first. */
  confusedWith: Array<{ intent: string; count: number }>;
}

export interface IntentReport {
  total: number;
  correct: number;
  accuracy: number;
  /** Unweighted mean over the intents that have held-out texts. */
  macro: Averages;
  /** Mean weighted by support. */
  weighted: Averages;
  /** Every intent expected or predicted, by name. */
  intents: IntentRow[];
  byLocale: Array<{ locale: Locale; total: number; correct: number; accuracy: number }>;
}

const byName = (a: string, b: string) => a.localeCompare(b);

export function intentReport(predictions: readonly Prediction[]): IntentReport {
  const labels = [...new Set(predictions.flatMap((p) => [p.expected, p.predicted]))].sort(byName);
  const intents = labels.map((intent): IntentRow => {
    const counts: MatchCounts = {
      truePositives: predictions.filter((p) => p.expected === intent && p.predicted === intent).length,
      predicted: predictions.filter((p) => p.predicted === intent).length,
      gold: predictions.filter((p) => p.expected === intent).length,
    };
    const confused = new Map<string, number>();
    for (const p of predictions) if (p.expected === intent && p.predicted !== intent) confused.set(p.predicted, (confused.get(p.predicted) ?? 0) + 1);
    return {
      intent,
      precision: precision(counts),
      recall: recall(counts),
      f1: f1(counts),
      support: counts.gold,
      predicted: counts.predicted,
      confusedWith: [...confused].map(([other, count]) => ({ intent: other, count })).sort((a, b) => b.count - a.count || byName(a.intent, b.intent)),
    };
  });
  const withTexts = intents.filter((row) => row.support > 0);
  const mean = (weight: (row: IntentRow) => number): Averages => {
    const total = withTexts.reduce((sum, row) => sum + weight(row), 0);
    const average = (value: (row: IntentRow) => number) => (total === 0 ? 0 : withTexts.reduce((sum, row) => sum + weight(row) * value(row), 0) / total);
    return { precision: average((row) => row.precision), recall: average((row) => row.recall), f1: average((row) => row.f1) };
  };
  const correct = predictions.filter((p) => p.predicted === p.expected).length;
  const locales = [...new Set(predictions.map((p) => p.locale))];
  return {
    total: predictions.length,
    correct,
    accuracy: predictions.length === 0 ? 0 : correct / predictions.length,
    macro: mean(() => 1),
    weighted: mean((row) => row.support),
    intents,
    byLocale: locales.map((locale) => {
      const ofLocale = predictions.filter((p) => p.locale === locale);
      const right = ofLocale.filter((p) => p.predicted === p.expected).length;
      return { locale, total: ofLocale.length, correct: right, accuracy: ofLocale.length === 0 ? 0 : right / ofLocale.length };
    }),
  };
}

export interface Confusion {
  expected: string;
  predicted: string;
  count: number;
  /** Some of the texts, least confident first. */
  examples: Array<{ text: string; locale: Locale; confidence: number }>;
}

/** The (expected, predicted) pairs that went wrong, most frequent first. */
export function confusions(predictions: readonly Prediction[], options: { limit?: number; examples?: number } = {}): Confusion[] {
  const pairs = new Map<string, Prediction[]>();
  for (const p of predictions) {
    if (p.predicted === p.expected) continue;
    const key = `${p.expected}\u0000${p.predicted}`;
    pairs.set(key, [...(pairs.get(key) ?? []), p]);
  }
  return [...pairs.values()]
    .map((wrong): Confusion => {
      const [first] = wrong as [Prediction, ...Prediction[]];
      return {
        expected: first.expected,
        predicted: first.predicted,
        count: wrong.length,
        examples: [...wrong]
          .sort((a, b) => a.confidence - b.confidence)
          .slice(0, options.examples ?? 3)
          .map((p) => ({ text: p.text, locale: p.locale, confidence: p.confidence })),
      };
    })
    .sort((a, b) => b.count - a.count || byName(a.expected, b.expected) || byName(a.predicted, b.predicted))
    .slice(0, options.limit ?? 10);
}

export interface ConfusionMatrix {
  /** Every intent expected or predicted, by name: the rows (expected) and the columns (predicted). */
  labels: string[];
  /** counts[row][column]: texts of intent labels[row] taken for labels[column]. */
  counts: number[][];
}

export function confusionMatrix(predictions: readonly Prediction[]): ConfusionMatrix {
  const labels = [...new Set(predictions.flatMap((p) => [p.expected, p.predicted]))].sort(byName);
  const index = new Map(labels.map((label, i) => [label, i]));
  const counts = labels.map(() => labels.map(() => 0));
  for (const p of predictions) {
    const row = counts[index.get(p.expected) ?? 0];
    const column = index.get(p.predicted) ?? 0;
    if (row) row[column] = (row[column] ?? 0) + 1;
  }
  return { labels, counts };
}

export interface EntityRow {
  entity: string;
  /** Values the held-out texts should yield. */
  expected: number;
  found: number;
  recall: number;
  /** Expected values not found, with what was found for that entity instead. */
  misses: Array<{ text: string; expected: string | number; got: Array<string | number> }>;
}

/** Per entity: how many of the expected values the model found. */
export function entityReport(predictions: readonly Prediction[]): EntityRow[] {
  const rows = new Map<string, EntityRow>();
  for (const p of predictions) {
    for (const expected of p.expectedEntities) {
      const row = rows.get(expected.entity) ?? { entity: expected.entity, expected: 0, found: 0, recall: 0, misses: [] };
      row.expected++;
      if (entityFound(p, expected)) row.found++;
      else row.misses.push({ text: p.text, expected: expected.value, got: p.foundEntities.filter((e) => e.entity === expected.entity).map((e) => e.value) });
      rows.set(expected.entity, row);
    }
  }
  return [...rows.values()].map((row) => ({ ...row, recall: row.expected === 0 ? 0 : row.found / row.expected })).sort((a, b) => byName(a.entity, b.entity));
}
