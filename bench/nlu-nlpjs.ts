/**
 * Runs nlp.js (@nlpjs/basic 4.x, default settings) on one data set: full train split, scored on test.
 * nlp.js ships no Chinese tokenizer in @nlpjs/basic, so Chinese text is pre-segmented into words with
 * Intl.Segmenter (same for training and testing); otherwise it cannot learn Chinese at all (~1%).
 * Out-of-scope (CLINC150) is trained as a class; nlp.js's own "None" also counts as out-of-scope.
 */
import { createRequire } from "node:module";
import { gzipSync } from "node:zlib";
import { languageOf } from "../shared/languages/index.ts";
import { type DatasetSpec, loadRows, split } from "./datasets.ts";
import { collectGarbage, intentScores, percentile, type SystemResult } from "./nlu-metrics.ts";

interface NlpJs {
  addLanguage(locale: string): void;
  addDocument(locale: string, utterance: string, intent: string): void;
  train(): Promise<unknown>;
  process(locale: string, utterance: string): Promise<{ intent: string; score: number }>;
  export(minified?: boolean): string;
}

const require = createRequire(import.meta.url);
const { dockStart } = require("@nlpjs/basic") as {
  dockStart(this: void, settings: unknown): Promise<{ get(name: string): NlpJs }>;
};

export async function runNlpJs(spec: DatasetSpec, log: (message: string) => void): Promise<SystemResult> {
  const rows = loadRows(spec.file);
  // nlp.js splits words on spaces: a language written without them is segmented into words first.
  const segmenter = languageOf(spec.locale).segmentation === "characters" ? new Intl.Segmenter(spec.locale, { granularity: "word" }) : undefined;
  const prepare = (text: string): string => (segmenter ? Array.from(segmenter.segment(text), (s) => s.segment).join(" ") : text);
  // autoSave/autoLoad off: nlp.js would otherwise read and write model.nlp in the working directory.
  const dock = await dockStart({ use: ["Basic"], settings: { nlp: { log: false, autoSave: false, autoLoad: false } } });
  const nlp = dock.get("nlp");
  nlp.addLanguage(spec.locale);
  for (const row of split(rows, "train")) nlp.addDocument(spec.locale, prepare(row.text), row.intent);

  // nlp.js logs every training epoch to the console; silence it while training.
  const consoleLog = console.log;
  console.log = () => {};
  const startedAt = performance.now();
  try {
    await nlp.train();
  } finally {
    console.log = consoleLog;
  }
  const seconds = (performance.now() - startedAt) / 1000;
  log(`nlp.js trained in ${seconds.toFixed(1)} s`);

  const test = split(rows, "test");
  collectGarbage();
  // Warm-up: one full pass, so that every code path is optimised before it is timed.
  for (const row of test) await nlp.process(spec.locale, prepare(row.text));
  const latencies: number[] = [];
  const pairs: Array<[string, string]> = [];
  for (const row of test) {
    const text = prepare(row.text);
    const startedAt = performance.now();
    const result = await nlp.process(spec.locale, text);
    latencies.push(performance.now() - startedAt);
    const predicted = result.intent === "None" && spec.oosLabel !== undefined ? spec.oosLabel : result.intent;
    pairs.push([row.intent, predicted]);
  }
  const scores = intentScores(pairs, spec.oosLabel);
  const exported = nlp.export(true);
  return {
    intent_accuracy: scores.intentAccuracy,
    in_scope_accuracy: scores.inScopeAccuracy,
    oos_recall: scores.oosRecall,
    entity_f1: null,
    train_s: seconds,
    p50_ms: percentile(latencies, 50),
    p99_ms: percentile(latencies, 99),
    model_bytes: Buffer.byteLength(exported),
    model_gzip_bytes: gzipSync(exported).length,
  };
}
