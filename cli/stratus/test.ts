// `npx stratus test nlu <bot>`: scores a bot's NLU like `rasa test nlu` — on its held-out
// paraphrases (nlu-holdout*.yaml) when it has them, else by k-fold cross-validation on nlu.yaml —
// and writes the report to results/<bot>/ (devkit/bots/nlu-report-files.ts).
// `npx stratus test conversations [bot]`: `npm run test:conversations` for one bot or all.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { crossValidationPredictions, holdoutFiles, holdoutPredictions, loadBot as loadNluFiles, type Prediction } from "../../devkit/bots/holdout-scoring.ts";
import { loadBot } from "../../devkit/bots/load-bots.ts";
import { intentReport } from "../../devkit/bots/nlu-report.ts";
import { describeMethod, writeNluReport, type NluEvaluation } from "../../devkit/bots/nlu-report-files.ts";
import { LocaleSchema } from "../../shared/schemas/nlu.ts";
import { CommandError, EXIT, PROJECT_ROOT, UsageError, integerOption, parseCommandLine, type Command } from "./command.ts";

const nluUsage = `Usage: npx stratus test nlu <bot> [--folds K] [--seed N] [--locale L] [--out DIR] [--min-accuracy P]

Trains the bot's NLU and scores it like \`rasa test nlu\`: per-intent precision, recall, F1 and
support, the most frequent confusions with examples, entity values found, and a confusion-matrix
picture. Scores it on its held-out paraphrases (bots/<bot>/nlu-holdout.yaml and any
nlu-holdout.<name>.yaml) when it has them, else by k-fold cross-validation on nlu.yaml.
Writes report.md, intent_report.json, intent_errors.json, entity_report.json and
confusion_matrix.svg to results/<bot>/ (git-ignored).

  --folds K          cross-validate with K folds even when the bot has holdout files (default 5 without them)
  --seed N           training seed (default 1; the same seed gives the same report)
  --locale L         score only the texts of this locale
  --out DIR          write the report here instead of results/<bot>/
  --min-accuracy P   exit 1 when the intent accuracy is below P (0–1), e.g. in CI
  -h, --help         this help
`;

const conversationsUsage = `Usage: npx stratus test conversations [bot …] [--grep TEXT]

Builds the bots and replays their conversation tests (bots/<bot>/tests/*.yaml) on the real Workers
on workerd: \`npm run test:conversations\`, for the bots named, or all of them.

  --grep TEXT      only the tests whose name contains TEXT
`;

const usage = `Usage: npx stratus test <nlu|conversations> …

${nluUsage}
${conversationsUsage}`;

export const testCommand: Command = {
  name: "test",
  summary: "evaluate a bot",
  usage,
  run(args) {
    const [what, ...rest] = args;
    if (what === "nlu") return Promise.resolve(testNlu(rest));
    if (what === "conversations") return Promise.resolve(testConversations(rest));
    if (what === undefined || what === "--help" || what === "-h") {
      if (what === undefined) throw new UsageError("say what to test: nlu or conversations");
      process.stdout.write(usage);
      return Promise.resolve(EXIT.ok);
    }
    throw new UsageError(`unknown test "${what}": nlu or conversations`);
  },
};

function testNlu(args: string[]): number {
  const parsed = parseCommandLine(args, {
    folds: { type: "string" },
    seed: { type: "string", default: "1" },
    locale: { type: "string" },
    out: { type: "string" },
    "min-accuracy": { type: "string" },
  });
  if (parsed === undefined) {
    process.stdout.write(nluUsage);
    return EXIT.ok;
  }
  const { values, positionals } = parsed;
  const [bot, ...extra] = positionals;
  if (bot === undefined) throw new UsageError("name the bot to test");
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const seed = integerOption("seed", values.seed, 0, 2 ** 31);
  const folds = values.folds === undefined ? undefined : integerOption("folds", values.folds, 2, 50);
  const locale = values.locale === undefined ? undefined : LocaleSchema.safeParse(values.locale);
  if (locale !== undefined && !locale.success) throw new UsageError(locale.error.issues[0]?.message ?? "unknown locale");
  const minAccuracy = values["min-accuracy"] === undefined ? undefined : Number(values["min-accuracy"]);
  if (minAccuracy !== undefined && !(minAccuracy >= 0 && minAccuracy <= 1)) throw new UsageError(`--min-accuracy must be a share from 0 to 1, not "${values["min-accuracy"]}"`);

  const botsDir = join(PROJECT_ROOT, "bots");
  if (!existsSync(join(botsDir, bot))) throw new CommandError(`no bots/${bot}/ (create it with \`npx stratus init ${bot}\`)`);
  // The same checks as `npm run validate`: a bot that would not build is not worth scoring.
  const { errors } = loadBot(join(botsDir, bot), PROJECT_ROOT);
  if (errors.length > 0) throw new CommandError(`bots/${bot} has problems (npm run validate):\n  ${errors.join("\n  ")}`);

  const holdout = holdoutFiles(bot, botsDir);
  const method: NluEvaluation["method"] =
    folds === undefined && holdout.length > 0 ? { kind: "holdout", files: holdout } : { kind: "cross-validation", folds: folds ?? 5 };
  process.stderr.write(`test nlu: ${bot}, ${describeMethod(method)}…\n`);
  const started = performance.now();
  let predictions: Prediction[];
  try {
    const files = loadNluFiles(bot, botsDir);
    predictions = method.kind === "holdout" ? holdoutPredictions(files, { seed }) : crossValidationPredictions(files, method.folds, { seed });
  } catch (error) {
    throw new CommandError((error as Error).message);
  }
  if (locale?.success) predictions = predictions.filter((p) => p.locale === locale.data);
  if (predictions.length === 0) throw new CommandError(`no texts to score${locale?.success ? ` in locale ${locale.data}` : ""}`);

  const out = values.out === undefined ? join(PROJECT_ROOT, "results", bot) : resolve(values.out);
  const written = writeNluReport(out, { bot, method, seed, predictions });
  printSummary(predictions);
  const shown = (path: string) => {
    const fromHere = relative(process.cwd(), path);
    return fromHere === "" || fromHere.startsWith("..") ? path : fromHere;
  };
  process.stdout.write(`\n${((performance.now() - started) / 1000).toFixed(1)} s. Wrote ${written.map(shown).join(", ")}\n`);
  const { accuracy } = intentReport(predictions);
  if (minAccuracy !== undefined && accuracy < minAccuracy) {
    process.stderr.write(`test nlu: intent accuracy ${(accuracy * 100).toFixed(1)}% is below --min-accuracy ${(minAccuracy * 100).toFixed(1)}%\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

function printSummary(predictions: Prediction[]): void {
  const report = intentReport(predictions);
  const header = ["intent", "precision", "recall", "F1", "support"];
  const rows = report.intents.map((row) => [
    row.intent,
    row.precision.toFixed(2),
    row.support === 0 ? "–" : row.recall.toFixed(2),
    row.support === 0 ? "–" : row.f1.toFixed(2),
    String(row.support),
  ]);
  rows.push(["weighted average", report.weighted.precision.toFixed(2), report.weighted.recall.toFixed(2), report.weighted.f1.toFixed(2), String(report.total)]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? "").length)));
  const line = (cells: string[]) => cells.map((text, i) => (i === 0 ? text.padEnd(widths[i] ?? 0) : text.padStart(widths[i] ?? 0))).join("  ");
  process.stdout.write(`${line(header)}\n${rows.map(line).join("\n")}\n\n`);
  const byLocale = report.byLocale.map((row) => `${row.locale} ${(row.accuracy * 100).toFixed(1)}% of ${row.total}`).join(", ");
  process.stdout.write(`intent accuracy ${(report.accuracy * 100).toFixed(1)}% (${report.correct} of ${report.total}; ${byLocale})\n`);
}

function testConversations(args: string[]): number {
  const parsed = parseCommandLine(args, { grep: { type: "string" } });
  if (parsed === undefined) {
    process.stdout.write(conversationsUsage);
    return EXIT.ok;
  }
  const bots = parsed.positionals;
  const missing = bots.filter((bot) => !existsSync(join(PROJECT_ROOT, "bots", bot)));
  if (missing.length > 0) throw new CommandError(`no bots/${missing.join(", bots/")}`);
  const forwarded = [...bots.flatMap((bot) => ["--bot", bot]), ...(parsed.values.grep !== undefined ? ["--grep", parsed.values.grep] : [])];
  const run = spawnSync("npm", ["run", "test:conversations", "--", ...forwarded], { cwd: PROJECT_ROOT, stdio: "inherit" });
  if (run.error) throw new CommandError(`could not run npm: ${run.error.message}`);
  return run.status === 0 ? EXIT.ok : EXIT.failed;
}
