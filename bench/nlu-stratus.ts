/** Runs the Stratus engine on one data set: train on `train`, pick the oos threshold on `val`, score `test`. */
import { gzipSync } from "node:zlib";
import { OUT_OF_SCOPE } from "../shared/schemas/nlu.ts";
import { loadModel, parse } from "../workers/intent/src/nlu/index.ts";
import { classify } from "../workers/intent/src/nlu/parse.ts";
import { type Example, trainFromExamples } from "../workers/intent/src/nlu/train.ts";
import { type DatasetSpec, loadRows, type Row, split } from "./datasets.ts";
import { collectGarbage, countEntityMatches, type EntityCounts, f1, intentScores, percentile, type SystemResult } from "./nlu-metrics.ts";

const CONTEXT = { timezone: "UTC", now: "2025-01-15T12:00:00Z" };

function toExamples(rows: Row[], spec: DatasetSpec): Example[] {
  return rows.map((row) => ({
    text: row.text,
    intent: row.intent,
    locale: spec.locale,
    spans: row.entities.map((e) => ({ entity: e.entity, value: row.text.slice(e.start, e.end), start: e.start, end: e.end })),
  }));
}

/** The best intent of each row (argmax of the classifier, no threshold) with its confidence. */
export interface ArgmaxPrediction {
  gold: string;
  predicted: string;
  confidence: number;
}

export function argmaxPredictions(model: ReturnType<typeof loadModel>, rows: Row[]): ArgmaxPrediction[] {
  return rows.map((row) => {
    const confidences = classify(model, row.text);
    let best = 0;
    for (let k = 1; k < confidences.length; k++) if ((confidences[k] as number) > (confidences[best] as number)) best = k;
    return { gold: row.intent, predicted: model.intents[best] as string, confidence: confidences[best] as number };
  });
}

/**
 * Threshold (0 … 0.9 in steps of 0.01, rounded to 2 decimals) maximising accuracy over the predictions
 * with out-of-scope counted as one more class (a confidence below the threshold predicts oos, as does
 * the trained oos class).
 */
export function chooseThreshold(predictions: ArgmaxPrediction[], oosLabel: string): number {
  let bestThreshold = 0;
  let bestCorrect = -1;
  for (let threshold = 0; threshold <= 0.9; threshold += 0.01) {
    let correct = 0;
    for (const p of predictions) {
      const predicted = p.confidence < threshold ? oosLabel : p.predicted;
      if (predicted === p.gold) correct++;
    }
    if (correct > bestCorrect) {
      bestCorrect = correct;
      bestThreshold = threshold;
    }
  }
  return Math.round(bestThreshold * 100) / 100;
}

/** Predicted labels at a threshold: below it, the oos label. */
export function labelsAt(predictions: ArgmaxPrediction[], threshold: number, oosLabel: string): Array<[string, string]> {
  return predictions.map((p) => [p.gold, p.confidence < threshold ? oosLabel : p.predicted]);
}

function trainModel(rows: Row[], spec: DatasetSpec): { model: ReturnType<typeof loadModel>; json: string; seconds: number } {
  const startedAt = performance.now();
  const artifact = trainFromExamples(toExamples(split(rows, "train"), spec), { threshold: 0 }, { seed: 1 });
  const seconds = (performance.now() - startedAt) / 1000;
  const json = JSON.stringify(artifact);
  // Predict from the serialised artifact, exactly as the Worker does.
  return { model: loadModel(JSON.parse(json)), json, seconds };
}

function taggedEntities(model: ReturnType<typeof loadModel>, text: string, spec: DatasetSpec): Array<{ entity: string; start: number; end: number }> {
  return parse(model, text, { ...CONTEXT, locale: spec.locale }).entities.filter((e) => e.source === "tagger");
}

export function runStratus(spec: DatasetSpec, log: (message: string) => void): SystemResult & { threshold: number | null } {
  const rows = loadRows(spec.file);
  const { model, json, seconds } = trainModel(rows, spec);
  log(`stratus trained in ${seconds.toFixed(1)} s`);
  let threshold: number | null = null;
  if (spec.oosLabel !== undefined) {
    // Picked on the validation split only: test is never used to tune.
    threshold = chooseThreshold(argmaxPredictions(model, split(rows, "val")), spec.oosLabel);
    model.threshold = threshold;
    log(`stratus oos threshold chosen on val: ${threshold}`);
  }

  const test = split(rows, "test");
  const ctx = { ...CONTEXT, locale: spec.locale };
  collectGarbage();
  // Warm-up: one full pass, so that every code path is optimised before it is timed.
  for (const row of test) parse(model, row.text, ctx);
  const latencies: number[] = [];
  const pairs: Array<[string, string]> = [];
  const counts: EntityCounts = { truePositives: 0, predicted: 0, gold: 0 };
  for (const row of test) {
    const startedAt = performance.now();
    const result = parse(model, row.text, ctx);
    latencies.push(performance.now() - startedAt);
    const predicted = result.intent.name === OUT_OF_SCOPE ? (spec.oosLabel ?? OUT_OF_SCOPE) : result.intent.name;
    pairs.push([row.intent, predicted]);
    if (spec.entities) countEntityMatches(counts, result.entities.filter((e) => e.source === "tagger"), row.entities);
  }
  const scores = intentScores(pairs, spec.oosLabel);

  let entityF1: number | null = spec.entities ? f1(counts) : null;
  if (spec.entityFile !== undefined) {
    const entitySpec: DatasetSpec = { ...spec, file: spec.entityFile, entities: true };
    const entityRows = loadRows(spec.entityFile);
    const entityModel = trainModel(entityRows, entitySpec).model;
    const entityCounts: EntityCounts = { truePositives: 0, predicted: 0, gold: 0 };
    for (const row of split(entityRows, "test")) countEntityMatches(entityCounts, taggedEntities(entityModel, row.text, entitySpec), row.entities);
    entityF1 = f1(entityCounts);
    log(`stratus entity F1 measured on ${spec.entityFile} (its own train/test split)`);
  }

  return {
    intent_accuracy: scores.intentAccuracy,
    in_scope_accuracy: scores.inScopeAccuracy,
    oos_recall: scores.oosRecall,
    entity_f1: entityF1,
    train_s: seconds,
    p50_ms: percentile(latencies, 50),
    p99_ms: percentile(latencies, 99),
    model_bytes: Buffer.byteLength(json),
    model_gzip_bytes: gzipSync(json).length,
    threshold,
  };
}
