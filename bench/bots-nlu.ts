/**
 * `node bench/bots-nlu.ts [--bot ID] [--seed N] [--json]`
 * Trains each example bot from bots/<id>/nlu.yaml (as cli/train.ts does) and scores it on its unseen
 * paraphrases in bots/<id>/nlu-holdout.yaml: intent accuracy, entity recall and the misclassified
 * texts, per bot × locale. workers/intent/test/bot-generalisation.test.ts asserts on the same numbers.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { parse as parseYaml } from "yaml";
import { LocaleSchema } from "../shared/schemas/nlu.ts";
import { holdoutCases, validateHoldout, type HoldoutCase, type HoldoutLocale } from "../shared/schemas/nlu-holdout.ts";
import { validateTrainingData, type TrainingData } from "../shared/schemas/training.ts";
import { loadModel, parse, train, type Entity } from "../workers/intent/src/nlu/index.ts";

export const BOTS_DIR = resolve(import.meta.dirname, "..", "bots");
export const LOCALES: readonly HoldoutLocale[] = LocaleSchema.options;
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
  locale: HoldoutLocale;
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

/** Bots that have both nlu.yaml and nlu-holdout.yaml (folders starting with "_" skipped, like cli/train.ts). */
export function holdoutBots(botsDir = BOTS_DIR): string[] {
  return readdirSync(botsDir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith("_"))
    .map((e) => e.name)
    .filter((id) => existsSync(join(botsDir, id, "nlu.yaml")) && existsSync(join(botsDir, id, "nlu-holdout.yaml")))
    .sort();
}

export function loadTraining(botId: string, botsDir = BOTS_DIR): TrainingData {
  const file = join(botsDir, botId, "nlu.yaml");
  return validateTrainingData(parseYaml(readFileSync(file, "utf8")), `bots/${botId}/nlu.yaml`);
}

export function loadHoldout(botId: string, botsDir = BOTS_DIR): HoldoutCase[] {
  const file = join(botsDir, botId, "nlu-holdout.yaml");
  return holdoutCases(validateHoldout(parseYaml(readFileSync(file, "utf8")), `bots/${botId}/nlu-holdout.yaml`));
}

/** A bot's training data and holdout cases, read once and shared by the checks that need them. */
export interface BotFiles {
  bot: string;
  training: TrainingData;
  cases: HoldoutCase[];
}

export function loadBot(botId: string, botsDir = BOTS_DIR): BotFiles {
  return { bot: botId, training: loadTraining(botId, botsDir), cases: loadHoldout(botId, botsDir) };
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
  if (unknown.length > 0) throw new Error(`bots/${botId}/nlu-holdout.yaml: intents not in nlu.yaml: ${unknown.join(", ")}`);
  const model = loadModel(JSON.parse(JSON.stringify(train(data, { seed: options.seed ?? 1 }))));
  return LOCALES.map((locale) => {
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

export function formatMisses(score: LocaleScore): string {
  const lines = score.misses.map((m) => `  "${m.text}": expected ${m.expected}, got ${m.got} (${m.confidence.toFixed(2)})`);
  lines.push(...score.entityMisses.map((m) => `  "${m.text}": expected ${m.entity}=${m.expected}, got [${m.got.join(", ")}]`));
  return lines.join("\n");
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

if (import.meta.main) {
  const { values: args } = parseArgs({
    options: { bot: { type: "string", multiple: true }, seed: { type: "string", default: "1" }, json: { type: "boolean", default: false } },
  });
  const seed = Number(args.seed);
  const bots = holdoutBots().filter((id) => args.bot === undefined || args.bot.includes(id));
  const scores = bots.flatMap((bot) => evaluateBot(loadBot(bot), { seed }));
  if (args.json) {
    console.log(JSON.stringify(scores, null, 2));
  } else {
    const header = ["bot", "locale", "holdout", "intent acc", "misclassified", "entity recall"];
    const rows = scores.map((s) => [
      s.bot, s.locale, String(s.total), pct(s.accuracy), String(s.misses.length),
      s.entitiesExpected === 0 ? "n/a" : `${pct(s.entityRecall)} (${s.entitiesFound}/${s.entitiesExpected})`,
    ]);
    const all = scores.reduce((a, s) => ({ t: a.t + s.total, c: a.c + s.correct, e: a.e + s.entitiesExpected, f: a.f + s.entitiesFound }), { t: 0, c: 0, e: 0, f: 0 });
    rows.push(["all", "", String(all.t), pct(all.c / all.t), String(all.t - all.c), all.e === 0 ? "n/a" : `${pct(all.f / all.e)} (${all.f}/${all.e})`]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
    const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] as number)).join(" | ")} |`;
    console.log(line(header));
    console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
    for (const row of rows) console.log(line(row));
    for (const s of scores) {
      if (s.misses.length + s.entityMisses.length === 0) continue;
      console.log(`\n${s.bot}/${s.locale}:`);
      console.log(formatMisses(s));
    }
  }
}
