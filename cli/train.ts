/**
 * `npm run train [-- --bot ID] [--seed N] [--bots DIR] [--out FILE]`
 * Reads every bots/<id>/nlu.yaml (folders starting with "_" are skipped), validates it, trains one
 * NLU model per bot (detecting among the locales of bots/<id>/bot.yaml, when there is one) and writes generated/models.json = { [botId]: ModelArtifact } (keys sorted, so the
 * file is byte-identical for the same data and seed). With --bot only that key is updated.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { SingleBar, Presets } from "cli-progress";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { readBotLocales } from "../devkit/bots/bot-locales.ts";
import type { Locale } from "../shared/schemas/nlu.ts";
import { validateTrainingData, type TrainingData } from "../shared/schemas/training.ts";
import { train } from "../workers/intent/src/nlu/index.ts";

const root = resolve(import.meta.dirname, "..");
const { values: args } = parseArgs({
  options: {
    bot: { type: "string" },
    seed: { type: "string", default: "1" },
    bots: { type: "string", default: join(root, "bots") },
    out: { type: "string", default: join(root, "generated", "models.json") },
  },
});

function fail(message: string): never {
  console.error(`train: ${message}`);
  process.exit(1);
}

function loadTrainingFile(file: string): TrainingData {
  const shown = relative(process.cwd(), file) || file;
  let raw: unknown;
  try {
    raw = parseYaml(readFileSync(file, "utf8"));
  } catch (error) {
    if (error instanceof YAMLParseError) fail(`${shown}: invalid YAML: ${error.message}`);
    throw error;
  }
  try {
    return validateTrainingData(raw, shown);
  } catch (error) {
    fail(`invalid training data\n${(error as Error).message}`);
  }
}

const seed = Number(args.seed);
if (!Number.isInteger(seed)) fail(`--seed must be an integer, got "${args.seed}"`);
const botsDir = resolve(args.bots);
const outFile = resolve(args.out);
const botIds = existsSync(botsDir)
  ? readdirSync(botsDir, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && !entry.name.startsWith("_") && existsSync(join(botsDir, entry.name, "nlu.yaml")))
      .map((entry) => entry.name)
      .sort()
  : [];
if (args.bot !== undefined && !botIds.includes(args.bot)) fail(`no ${join(relative(root, botsDir), args.bot, "nlu.yaml")}`);
const selected = args.bot === undefined ? botIds : [args.bot];
if (selected.length === 0) console.warn(`train: no bots/*/nlu.yaml found in ${botsDir}; writing an empty model file`);

function loadLocales(botId: string): Locale[] | undefined {
  try {
    return readBotLocales(join(botsDir, botId), relative(process.cwd(), join(botsDir, botId, "bot.yaml")));
  } catch (error) {
    fail(`invalid bot locales\n${(error as Error).message}`);
  }
}

// Validate everything before spending time on training.
const trainingData = new Map(selected.map((botId) => [botId, { data: loadTrainingFile(join(botsDir, botId, "nlu.yaml")), locales: loadLocales(botId) }]));

let models: Record<string, unknown> = {};
if (args.bot !== undefined && existsSync(outFile)) {
  try {
    models = JSON.parse(readFileSync(outFile, "utf8")) as Record<string, unknown>;
  } catch {
    console.warn(`train: ${outFile} is not valid JSON; starting a new one`);
  }
}

const sizes: Array<[string, number, number, number]> = [];
for (const [botId, { data, locales }] of trainingData) {
  const bar = new SingleBar({ format: `${botId.padEnd(12)} [{bar}] {percentage}% | {value}/{total} epochs`, hideCursor: true }, Presets.shades_classic);
  let started = false;
  const startedAt = performance.now();
  const artifact = train(data, {
    seed,
    ...(locales ? { locales } : {}),
    onProgress: (done, total) => {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else bar.update(done);
    },
  });
  bar.stop();
  const json = JSON.stringify(artifact);
  sizes.push([botId, Buffer.byteLength(json), gzipSync(json).length, (performance.now() - startedAt) / 1000]);
  models[botId] = artifact;
}

const sorted = Object.fromEntries(Object.keys(models).sort().map((key) => [key, models[key]]));
mkdirSync(dirname(outFile), { recursive: true });
writeFileSync(outFile, `${JSON.stringify(sorted)}\n`);
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`;
for (const [botId, raw, gzipped, seconds] of sizes) {
  console.log(`${botId}: ${kb(raw)} raw, ${kb(gzipped)} gzipped, trained in ${seconds.toFixed(1)} s`);
}
console.log(`wrote ${relative(process.cwd(), outFile) || outFile} (${Object.keys(sorted).length} bot${Object.keys(sorted).length === 1 ? "" : "s"})`);
