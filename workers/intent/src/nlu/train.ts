import { languageOf, LOCALES, trainLanguageProfile } from "../../../../shared/languages/index.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { DEFAULT_THRESHOLD, type TrainingData } from "../../../../shared/schemas/training.ts";
import { ARTIFACT_FORMAT, ARTIFACT_VERSION, type ModelArtifact } from "./artifact.ts";
import { trainSoftmax } from "./classifier.ts";
import { fitTemperature } from "./calibrate.ts";
import { bytesToBase64, int8ToBase64, quantizeColumns, quantizeUint8, uint32ToBase64 } from "./codec.ts";
import { collectExamples, type Example } from "./examples.ts";
import { hanBigramsOf } from "./homophones.ts";
import { buildCustomEntities, type CustomEntityArtifact } from "./train-entities.ts";
import { trainSequenceTagger } from "./train-tagger.ts";
import { tokenize } from "./tokenize.ts";
import { buildVocabulary, vectorize } from "./vectorize.ts";

export type { Example } from "./examples.ts";

export interface TrainOptions {
  seed?: number;
  onProgress?: (done: number, total: number) => void;
  /**
   * The bot's locales, its default first (bot.yaml `locales` and `defaultLocale`): the locales the
   * model detects among, and the one it answers for a message without language. Default: the locales
   * that have examples, in the registry's order.
   */
  locales?: readonly Locale[];
}

/** Classifier settings (chosen on the validation splits of the benchmarks). */
export const CLASSIFIER_SETTINGS = { learningRate: 3, l2: 3e-6, epochBudget: 40000, minEpochs: 10 };
/** Small bots need more passes for SGD to converge; big data sets need few. */
function epochsFor(examples: number): number {
  return Math.max(CLASSIFIER_SETTINGS.minEpochs, Math.min(60, Math.ceil(CLASSIFIER_SETTINGS.epochBudget / Math.max(1, examples))));
}
export const CALIBRATION_MAX_EXAMPLES = 3000;
export const TAGGER_SETTINGS = { epochs: 12 };

/** Trains a model from validated training data. Pure and deterministic for the same data and seed. */
export function train(data: TrainingData, options: TrainOptions = {}): ModelArtifact {
  return trainFromExamples(collectExamples(data), data, options);
}

export function trainFromExamples(
  examples: Example[],
  data: Pick<TrainingData, "threshold" | "entities">,
  options: TrainOptions = {},
): ModelArtifact {
  if (examples.length === 0) throw new Error("no training examples");
  const seed = options.seed ?? 1;
  const intents = [...new Set(examples.map((e) => e.intent))].sort();
  const hasSpans = examples.some((e) => e.spans.length > 0);
  const epochs = epochsFor(examples.length);
  const total = epochs + (hasSpans ? TAGGER_SETTINGS.epochs : 0);
  options.onProgress?.(0, total);

  const tokens = examples.map((e) => tokenize(e.text));
  const { vocabulary, ids } = buildVocabulary(tokens);
  const rows = tokens.map((t) => vectorize(t, vocabulary));
  const labels = examples.map((e) => intents.indexOf(e.intent));
  const softmaxOptions = { epochs, learningRate: CLASSIFIER_SETTINGS.learningRate, l2: CLASSIFIER_SETTINGS.l2, seed };
  const linear = trainSoftmax(rows, labels, ids.length, intents.length, {
    ...softmaxOptions,
    onEpoch: (done) => options.onProgress?.(done, total),
  });
  // Calibration costs FOLDS more trainings: done for bot-sized data, where over-confidence shows.
  const temperature =
    examples.length <= CALIBRATION_MAX_EXAMPLES && intents.length >= 2 && examples.length >= 2 * intents.length
      ? fitTemperature(rows, labels, ids.length, intents.length, softmaxOptions)
      : 1;
  const quantized = quantizeColumns(linear.weights, ids.length, intents.length);
  let maxFeatureWeight = 0;
  for (const weight of vocabulary.columnWeights) maxFeatureWeight = Math.max(maxFeatureWeight, weight);
  const featureWeightScale = Math.fround(maxFeatureWeight / 255) || 1;
  const featureWeightCodes = Uint8Array.from(vocabulary.columnWeights, (w) => Math.max(1, Math.round(w / featureWeightScale)));

  const custom: CustomEntityArtifact = buildCustomEntities(data.entities ?? {}, examples);
  const tagger = hasSpans
    ? trainSequenceTagger(examples, custom, { epochs: TAGGER_SETTINGS.epochs, seed, onEpoch: (done) => options.onProgress?.(epochs + done, total) })
    : null;

  const locales = modelLocales(examples, options.locales);
  return {
    format: ARTIFACT_FORMAT,
    version: ARTIFACT_VERSION,
    threshold: data.threshold ?? DEFAULT_THRESHOLD,
    locales,
    intents,
    classifier: {
      featureIds: uint32ToBase64(ids),
      featureWeightCodes: bytesToBase64(featureWeightCodes),
      featureWeightScale,
      rows: uint32ToBase64(Uint32Array.from(quantized.keptRows)),
      weights: int8ToBase64(quantized.codes),
      scales: quantized.scales,
      bias: Array.from(linear.bias, (b) => Math.fround(b)),
      temperature,
    },
    entities: custom,
    tagger,
    languageProfile: languageProfileArtifact(examples, locales),
    ...hanBigramsArtifact(examples, custom),
  };
}

/** The Han words the homophone repair reads typos as (homophones.ts): absent when the bot has none. */
function hanBigramsArtifact(examples: readonly Example[], custom: CustomEntityArtifact): Pick<ModelArtifact, "hanBigrams"> {
  const synonyms = Object.values(custom.synonyms).flatMap((variants) => Object.entries(variants).flat());
  const bigrams = hanBigramsOf([...examples.map((e) => e.text), ...custom.lookups.map((lookup) => lookup.phrase), ...synonyms]);
  return bigrams === "" ? {} : { hanBigrams: bigrams };
}

function modelLocales(examples: readonly Example[], declared: readonly Locale[] | undefined): ModelArtifact["locales"] {
  const locales = declared ?? LOCALES.filter((locale) => examples.some((e) => e.locale === locale));
  const [first, ...rest] = locales;
  if (first === undefined) throw new Error("a model needs at least one locale");
  return [first, ...rest];
}

/**
 * The locale detector's profile (shared/languages/detect.ts) for the model's locales that share a
 * script with another of them (en and es); null when the script alone tells every locale apart.
 */
function languageProfileArtifact(examples: readonly Example[], locales: readonly Locale[]): ModelArtifact["languageProfile"] {
  const sharing = locales.filter((locale) => locales.some((other) => other !== locale && languageOf(other).script === languageOf(locale).script));
  if (sharing.length === 0) return null;
  const profile = trainLanguageProfile(new Map(sharing.map((locale) => [locale, examples.filter((e) => e.locale === locale).map((e) => e.text)])));
  const tables = profile.logProbabilities.map((table) => quantizeUint8(table));
  const codes = new Uint8Array(tables.reduce((length, table) => length + table.codes.length, 0));
  let offset = 0;
  for (const table of tables) {
    codes.set(table.codes, offset);
    offset += table.codes.length;
  }
  return {
    locales: profile.locales,
    base: tables.map((table) => table.base),
    scale: tables.map((table) => table.scale),
    codes: bytesToBase64(codes),
  };
}
