/**
 * Scores a bot's NLU on its held-out paraphrases (bots/<id>/nlu-holdout.yaml plus any
 * nlu-holdout.<name>.yaml, e.g. one written apart for a new language) or cross-validates it on its
 * own training data: the engine's public path (train → artifact → loadModel → parse), per bot × locale,
 * for every locale the bot declares or the holdout covers. Shared by `npm run bench:bots`
 * (bench/bots-nlu.ts, which prints the tables) and the generalisation test, which asserts on them.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { readBotLocales } from "./bot-locales.ts";
import { LOCALES } from "../../shared/languages/index.ts";
import type { Locale } from "../../shared/schemas/nlu.ts";
import { holdoutCases, validateHoldout, type HoldoutCase } from "../../shared/schemas/nlu-holdout.ts";
import { validateTrainingData, type TrainingData } from "../../shared/schemas/training.ts";
import { loadModel, parse, train, type Entity } from "../../workers/intent/src/nlu/index.ts";
import { collectExamples } from "../../workers/intent/src/nlu/examples.ts";
import { createRandom, shuffleInPlace } from "../../workers/intent/src/nlu/random.ts";
import { trainFromExamples } from "../../workers/intent/src/nlu/train.ts";

export const BOTS_DIR = resolve(import.meta.dirname, "..", "..", "bots");
/** Fixed "now" so date entities are reproducible. */
const NOW = "2026-01-15T12:00:00Z";

export interface Miss {
  text: string;
  expected: string;
  got: string;
  confidence: number;
}

export interface EntityMiss {
  text: string;
  entity: string;
  expected: string | number;
  got: Array<string | number>;
}

export interface LocaleScore {
  bot: string;
  locale: Locale;
  total: number;
  correct: number;
  accuracy: number;
  misses: Miss[];
  entitiesExpected: number;
  entitiesFound: number;
  /** 1 when no entities are expected. */
  entityRecall: number;
  entityMisses: EntityMiss[];
}

const HOLDOUT_FILE = /^nlu-holdout(?:\.[\w-]+)?\.yaml$/;

/** A bot's holdout files: nlu-holdout.yaml and nlu-holdout.<name>.yaml, sorted. */
export function holdoutFiles(botId: string, botsDir = BOTS_DIR): string[] {
  const dir = join(botsDir, botId);
  return existsSync(dir) ? readdirSync(dir).filter((name) => HOLDOUT_FILE.test(name)).sort() : [];
}

/** Bots that have nlu.yaml and a holdout file (folders starting with "_" skipped, like cli/train.ts). */
export function holdoutBots(botsDir = BOTS_DIR): string[] {
  return readdirSync(botsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("_"))
    .map((e) => e.name)
    .filter((id) => existsSync(join(botsDir, id, "nlu.yaml")) && holdoutFiles(id, botsDir).length > 0)
    .sort();
}

export function loadTraining(botId: string, botsDir = BOTS_DIR): TrainingData {
  const file = join(botsDir, botId, "nlu.yaml");
  return validateTrainingData(parseYaml(readFileSync(file, "utf8")), `bots/${botId}/nlu.yaml`);
}

export function loadHoldout(botId: string, botsDir = BOTS_DIR): HoldoutCase[] {
  return holdoutFiles(botId, botsDir).flatMap((name) =>
    holdoutCases(validateHoldout(parseYaml(readFileSync(join(botsDir, botId, name), "utf8")), `bots/${botId}/${name}`)),
  );
}

/** A bot's training data, locales and holdout cases, read once and shared by the checks that need them. */
export interface BotFiles {
  bot: string;
  training: TrainingData;
  /** The bot's locales, default first (bot.yaml), else those with training examples. */
  locales: Locale[];
  cases: HoldoutCase[];
}

export function loadBot(botId: string, botsDir = BOTS_DIR): BotFiles {
  const training = loadTraining(botId, botsDir);
  const declared = readBotLocales(join(botsDir, botId), `bots/${botId}/bot.yaml`);
  const withExamples = LOCALES.filter((locale) => Object.values(training.intents).some((byLocale) => (byLocale[locale]?.length ?? 0) > 0));
  return { bot: botId, training, locales: declared ?? withExamples, cases: loadHoldout(botId, botsDir) };
}

/** The locales a bot is scored in: every locale it declares, then any other its holdout covers. */
export function scoredLocales(files: BotFiles): Locale[] {
  const extra = LOCALES.filter((locale) => !files.locales.includes(locale) && files.cases.some((c) => c.locale === locale));
  return [...files.locales, ...extra];
}

function entityValue(entity: Entity): string | number {
  const value = entity.value;
  return typeof value === "object" ? `${value.amount} ${value.currency}` : value;
}

function sameValue(a: string | number, b: string | number): boolean {
  return String(a).toLowerCase() === String(b).toLowerCase();
}

/** One held-out text: the intent and entities it should get, and what the model said. */
export interface Prediction {
  locale: Locale;
  text: string;
  expected: string;
  predicted: string;
  confidence: number;
  /** Entity values the text should yield (a holdout's `entities`, a training example's annotations). */
  expectedEntities: Array<{ entity: string; value: string | number }>;
  /** Every entity the model found, with its canonical value (money as "20 EUR"). */
  foundEntities: Array<{ entity: string; value: string | number }>;
  /** Cross-validation only: the locale the detector gave the text when none was given. */
  detectedLocale?: Locale;
}

/** Is an expected entity value among those found? (Values compare as text, case-insensitively.) */
export function entityFound(prediction: Pick<Prediction, "foundEntities">, expected: { entity: string; value: string | number }): boolean {
  return prediction.foundEntities.some((found) => found.entity === expected.entity && sameValue(found.value, expected.value));
}

/**
 * Trains the bot (through the public API, artifact round trip included) and predicts every holdout
 * case, locale by locale in the order they are scored, each locale's cases in file order.
 */
export function holdoutPredictions(files: BotFiles, options: { seed?: number } = {}): Prediction[] {
  const { bot: botId, training: data, cases } = files;
  const unknown = [...new Set(cases.map((c) => c.intent))].filter((intent) => !(intent in data.intents));
  if (unknown.length > 0) throw new Error(`bots/${botId}: holdout intents not in nlu.yaml: ${unknown.join(", ")}`);
  const model = loadModel(JSON.parse(JSON.stringify(train(data, { seed: options.seed ?? 1, locales: files.locales }))));
  return scoredLocales(files).flatMap((locale) =>
    cases
      .filter((c) => c.locale === locale)
      .map((c): Prediction => {
        const result = parse(model, c.text, { locale, timezone: "UTC", now: NOW });
        return {
          locale,
          text: c.text,
          expected: c.intent,
          predicted: result.intent.name,
          confidence: result.intent.confidence,
          expectedEntities: Object.entries(c.entities).map(([entity, value]) => ({ entity, value })),
          foundEntities: result.entities.map((e) => ({ entity: e.entity, value: entityValue(e) })),
        };
      }),
  );
}

/** Trains the bot and scores every holdout case, per locale. */
export function evaluateBot(files: BotFiles, options: { seed?: number } = {}): LocaleScore[] {
  const predictions = holdoutPredictions(files, options);
  return scoredLocales(files).map((locale) => {
    const score: LocaleScore = {
      bot: files.bot, locale, total: 0, correct: 0, accuracy: 1, misses: [],
      entitiesExpected: 0, entitiesFound: 0, entityRecall: 1, entityMisses: [],
    };
    for (const p of predictions.filter((x) => x.locale === locale)) {
      score.total++;
      if (p.predicted === p.expected) score.correct++;
      else score.misses.push({ text: p.text, expected: p.expected, got: p.predicted, confidence: p.confidence });
      for (const expected of p.expectedEntities) {
        score.entitiesExpected++;
        if (entityFound(p, expected)) score.entitiesFound++;
        else {
          const got = p.foundEntities.filter((e) => e.entity === expected.entity).map((e) => e.value);
          score.entityMisses.push({ text: p.text, entity: expected.entity, expected: expected.value, got });
        }
      }
    }
    score.accuracy = score.total === 0 ? 1 : score.correct / score.total;
    score.entityRecall = score.entitiesExpected === 0 ? 1 : score.entitiesFound / score.entitiesExpected;
    return score;
  });
}

export interface CrossValidationScore {
  bot: string;
  locale: Locale;
  total: number;
  correct: number;
  accuracy: number;
  /** Held-out texts the detector (no locale given) assigned to this locale. */
  localeDetected: number;
  misses: Miss[];
  /** Held-out texts the detector assigned to another locale, with that locale. */
  localeMisses: Array<{ text: string; got: Locale }>;
}

/**
 * K-fold cross-validation of each locale's examples (see the file comment): each example predicted
 * by a model trained without its fold, locale by locale, fold by fold.
 */
export function crossValidationPredictions(files: BotFiles, folds: number, options: { seed?: number } = {}): Prediction[] {
  const seed = options.seed ?? 1;
  const examples = collectExamples(files.training);
  return files.locales.flatMap((locale) => {
    const foldOf = new Map<number, number>();
    for (const intent of Object.keys(files.training.intents)) {
      const indexes = examples.flatMap((e, i) => (e.locale === locale && e.intent === intent ? [i] : []));
      shuffleInPlace(indexes, createRandom(seed + indexes.length));
      indexes.forEach((index, position) => foldOf.set(index, position % folds));
    }
    const predictions: Prediction[] = [];
    for (let fold = 0; fold < folds; fold++) {
      const trainOn = examples.filter((_, i) => foldOf.get(i) !== fold);
      const model = loadModel(trainFromExamples(trainOn, files.training, { seed, locales: files.locales }));
      examples.forEach((example, i) => {
        if (foldOf.get(i) !== fold) return;
        const result = parse(model, example.text, { locale, timezone: "UTC", now: NOW });
        predictions.push({
          locale,
          text: example.text,
          expected: example.intent,
          predicted: result.intent.name,
          confidence: result.intent.confidence,
          expectedEntities: example.spans.map((span) => ({ entity: span.entity, value: span.value })),
          foundEntities: result.entities.map((e) => ({ entity: e.entity, value: entityValue(e) })),
          detectedLocale: parse(model, example.text, { timezone: "UTC", now: NOW }).locale,
        });
      });
    }
    return predictions;
  });
}

/** K-fold cross-validation of each locale's examples, scored per locale. */
export function crossValidateBot(files: BotFiles, folds: number, options: { seed?: number } = {}): CrossValidationScore[] {
  const predictions = crossValidationPredictions(files, folds, options);
  return files.locales.map((locale) => {
    const score: CrossValidationScore = { bot: files.bot, locale, total: 0, correct: 0, accuracy: 1, localeDetected: 0, misses: [], localeMisses: [] };
    for (const p of predictions.filter((x) => x.locale === locale)) {
      score.total++;
      if (p.predicted === p.expected) score.correct++;
      else score.misses.push({ text: p.text, expected: p.expected, got: p.predicted, confidence: p.confidence });
      if (p.detectedLocale === locale) score.localeDetected++;
      else if (p.detectedLocale !== undefined) score.localeMisses.push({ text: p.text, got: p.detectedLocale });
    }
    score.accuracy = score.total === 0 ? 1 : score.correct / score.total;
    return score;
  });
}

export function formatMisses(score: Pick<LocaleScore, "misses"> & Partial<Pick<LocaleScore, "entityMisses">>): string {
  const lines = score.misses.map((m) => `  "${m.text}": expected ${m.expected}, got ${m.got} (${m.confidence.toFixed(2)})`);
  lines.push(...(score.entityMisses ?? []).map((m) => `  "${m.text}": expected ${m.entity}=${m.expected}, got [${m.got.join(", ")}]`));
  return lines.join("\n");
}

export function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

