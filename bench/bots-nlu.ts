/**
 * `node bench/bots-nlu.ts [--bot ID] [--seed N] [--json] [--folds K]`
 * Trains each example bot from bots/<id>/nlu.yaml (as cli/train.ts does, with the locales of its
 * bot.yaml) and scores it on its unseen paraphrases in bots/<id>/nlu-holdout.yaml (plus any
 * nlu-holdout.<name>.yaml, e.g. one written apart for a new language): intent accuracy, entity recall
 * and the misclassified texts, per bot × locale, for every locale the bot declares or the holdout
 * covers. workers/intent/test/bot-generalisation.test.ts asserts on the same numbers.
 *
 * `--folds K` instead cross-validates on the training data itself (stratified by intent, per locale:
 * train on everything but one fold of that locale, predict the fold), also reporting how often the
 * locale detector names the fold's locale. A figure for a language that has no holdout set yet.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { readBotLocales } from "../devkit/bots/bot-locales.ts";
import { LOCALES } from "../shared/languages/index.ts";
import type { Locale } from "../shared/schemas/nlu.ts";
import { holdoutCases, validateHoldout, type HoldoutCase } from "../shared/schemas/nlu-holdout.ts";
import { validateTrainingData, type TrainingData } from "../shared/schemas/training.ts";
import { loadModel, parse, train, type Entity } from "../workers/intent/src/nlu/index.ts";
import { collectExamples } from "../workers/intent/src/nlu/examples.ts";
import { createRandom, shuffleInPlace } from "../workers/intent/src/nlu/random.ts";
import { trainFromExamples } from "../workers/intent/src/nlu/train.ts";

export const BOTS_DIR = resolve(import.meta.dirname, "..", "bots");
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

/** Trains the bot (through the public API, artifact round trip included) and scores every holdout case. */
export function evaluateBot(files: BotFiles, options: { seed?: number } = {}): LocaleScore[] {
  const { bot: botId, training: data, cases } = files;
  const unknown = [...new Set(cases.map((c) => c.intent))].filter((intent) => !(intent in data.intents));
  if (unknown.length > 0) throw new Error(`bots/${botId}: holdout intents not in nlu.yaml: ${unknown.join(", ")}`);
  const model = loadModel(JSON.parse(JSON.stringify(train(data, { seed: options.seed ?? 1, locales: files.locales }))));
  return scoredLocales(files).map((locale) => {
    const score: LocaleScore = {
      bot: botId, locale, total: 0, correct: 0, accuracy: 1, misses: [],
      entitiesExpected: 0, entitiesFound: 0, entityRecall: 1, entityMisses: [],
    };
    for (const c of cases.filter((x) => x.locale === locale)) {
      const result = parse(model, c.text, { locale, timezone: "UTC", now: NOW });
      score.total++;
      if (result.intent.name === c.intent) score.correct++;
      else score.misses.push({ text: c.text, expected: c.intent, got: result.intent.name, confidence: result.intent.confidence });
      for (const [entity, expected] of Object.entries(c.entities)) {
        score.entitiesExpected++;
        const got = result.entities.filter((e) => e.entity === entity).map(entityValue);
        if (got.some((value) => sameValue(value, expected))) score.entitiesFound++;
        else score.entityMisses.push({ text: c.text, entity, expected, got });
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

/** K-fold cross-validation of each locale's examples (see the file comment). */
export function crossValidateBot(files: BotFiles, folds: number, options: { seed?: number } = {}): CrossValidationScore[] {
  const seed = options.seed ?? 1;
  const examples = collectExamples(files.training);
  return files.locales.map((locale) => {
    const foldOf = new Map<number, number>();
    for (const intent of Object.keys(files.training.intents)) {
      const indexes = examples.flatMap((e, i) => (e.locale === locale && e.intent === intent ? [i] : []));
      shuffleInPlace(indexes, createRandom(seed + indexes.length));
      indexes.forEach((index, position) => foldOf.set(index, position % folds));
    }
    const score: CrossValidationScore = { bot: files.bot, locale, total: 0, correct: 0, accuracy: 1, localeDetected: 0, misses: [], localeMisses: [] };
    for (let fold = 0; fold < folds; fold++) {
      const trainOn = examples.filter((_, i) => foldOf.get(i) !== fold);
      const model = loadModel(trainFromExamples(trainOn, files.training, { seed, locales: files.locales }));
      examples.forEach((example, i) => {
        if (foldOf.get(i) !== fold) return;
        const result = parse(model, example.text, { locale, timezone: "UTC", now: NOW });
        score.total++;
        if (result.intent.name === example.intent) score.correct++;
        else score.misses.push({ text: example.text, expected: example.intent, got: result.intent.name, confidence: result.intent.confidence });
        const detected = parse(model, example.text, { timezone: "UTC", now: NOW }).locale;
        if (detected === locale) score.localeDetected++;
        else score.localeMisses.push({ text: example.text, got: detected });
      });
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

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

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
