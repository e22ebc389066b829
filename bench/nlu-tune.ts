/**
 * Tuning helper (train/val only, never test): `node bench/nlu-tune.ts DATASET...` trains Stratus on
 * `train` and prints argmax accuracy on `val` (a deterministic 10% of `train` where there is no val).
 * Settings can be overridden with TUNE='{"classifier":{...},"groups":{...}}'.
 */
import { loadModel } from "../workers/intent/src/nlu/index.ts";
import { classify } from "../workers/intent/src/nlu/parse.ts";
import { CLASSIFIER_SETTINGS, trainFromExamples } from "../workers/intent/src/nlu/train.ts";
import { GROUP_WEIGHTS } from "../workers/intent/src/nlu/vectorize.ts";
import { DATASETS, loadRows, split } from "./datasets.ts";

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
  let correct = 0;
  let inScope = 0;
  let inScopeCorrect = 0;
  // oos by threshold (best on val itself, as the bench does): report in-scope acc / oos recall at that threshold.
  const preds = val.map((row) => {
    const p = classify(model, row.text);
    let best = 0;
    for (let k = 1; k < p.length; k++) if ((p[k] as number) > (p[best] as number)) best = k;
    return { gold: row.intent, predicted: model.intents[best] as string, confidence: p[best] as number };
  });
  for (const p of preds) {
    if (p.predicted === p.gold) correct++;
    if (p.gold !== spec.oosLabel) {
      inScope++;
      if (p.predicted === p.gold) inScopeCorrect++;
    }
  }
  let extra = "";
  if (spec.oosLabel) {
    let bestT = 0;
    let bestC = -1;
    for (let t = 0; t <= 0.9; t += 0.01) {
      let c = 0;
      for (const p of preds) if ((p.confidence < t ? spec.oosLabel : p.predicted) === p.gold) c++;
      if (c > bestC) [bestC, bestT] = [c, t];
    }
    let ins = 0;
    let insC = 0;
    let oos = 0;
    let oosC = 0;
    for (const p of preds) {
      const pred = p.confidence < bestT ? spec.oosLabel : p.predicted;
      if (p.gold === spec.oosLabel) {
        oos++;
        if (pred === p.gold) oosC++;
      } else {
        ins++;
        if (pred === p.gold) insC++;
      }
    }
    extra = ` | t=${bestT.toFixed(2)} in-scope ${((100 * insC) / ins).toFixed(2)} oos ${((100 * oosC) / oos).toFixed(2)}`;
  }
  console.log(
    `${name}: val acc ${((100 * correct) / val.length).toFixed(2)} in-scope(argmax) ${((100 * inScopeCorrect) / inScope).toFixed(2)}${extra} train ${seconds.toFixed(1)}s size ${(JSON.stringify(artifact).length / 1048576).toFixed(2)}MiB`,
  );
}
