/**
 * Tuning helper (train/val only, never test): `node bench/nlu-tune.ts DATASET...` trains Stratus on
 * `train` and prints argmax accuracy on `val` (a deterministic 10% of `train` where there is no val).
 * Settings can be overridden with TUNE='{"classifier":{...},"groups":{...}}'.
 */
import { loadModel } from "../workers/intent/src/nlu/index.ts";
import { CLASSIFIER_SETTINGS, trainFromExamples } from "../workers/intent/src/nlu/train.ts";
import { GROUP_WEIGHTS } from "../workers/intent/src/nlu/vectorize.ts";
import { DATASETS, loadRows, split } from "./datasets.ts";
import { intentScores } from "./nlu-metrics.ts";
import { argmaxPredictions, chooseThreshold, labelsAt } from "./nlu-stratus.ts";

const overrides = JSON.parse(process.env.TUNE ?? "{}") as { classifier?: object; groups?: object };
Object.assign(CLASSIFIER_SETTINGS, overrides.classifier ?? {});
Object.assign(GROUP_WEIGHTS, overrides.groups ?? {});

for (const name of process.argv.slice(2)) {
  const spec = DATASETS.find((d) => d.name === name);
  if (!spec) throw new Error(`unknown dataset ${name}`);
  const rows = loadRows(spec.file);
  let train = split(rows, "train");
  let val = split(rows, "val");
  if (val.length === 0) {
    val = train.filter((_, i) => i % 10 === 0);
    train = train.filter((_, i) => i % 10 !== 0);
  }
  const startedAt = performance.now();
  const artifact = trainFromExamples(
    train.map((r) => ({ text: r.text, intent: r.intent, locale: spec.locale, spans: [] })),
    { threshold: 0 },
    { seed: 1 },
  );
  const seconds = (performance.now() - startedAt) / 1000;
  const model = loadModel(JSON.parse(JSON.stringify(artifact)));
  const preds = argmaxPredictions(model, val);
  const argmax = intentScores(preds.map((p) => [p.gold, p.predicted]), spec.oosLabel);
  const accuracy = argmax.intentAccuracy;
  const inScopeArgmax = argmax.inScopeAccuracy ?? argmax.intentAccuracy;
  let extra = "";
  if (spec.oosLabel) {
    // oos by threshold (best on val itself, as the bench picks it): in-scope accuracy / oos recall at that threshold.
    const threshold = chooseThreshold(preds, spec.oosLabel);
    const atThreshold = intentScores(labelsAt(preds, threshold, spec.oosLabel), spec.oosLabel);
    extra = ` | t=${threshold.toFixed(2)} in-scope ${(100 * (atThreshold.inScopeAccuracy ?? 0)).toFixed(2)} oos ${(100 * (atThreshold.oosRecall ?? 0)).toFixed(2)}`;
  }
  console.log(
    `${name}: val acc ${(100 * accuracy).toFixed(2)} in-scope(argmax) ${(100 * inScopeArgmax).toFixed(2)}${extra} train ${seconds.toFixed(1)}s size ${(JSON.stringify(artifact).length / 1048576).toFixed(2)}MiB`,
  );
}
