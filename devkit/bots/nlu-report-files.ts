// Writes the files of `npx stratus test nlu` into one folder, as `rasa test nlu` does:
//   report.md             the figures to read: per-intent precision, recall, F1, support, the confusions, entities
//   intent_report.json    per intent { precision, recall, f1-score, support, confused_with }, accuracy, averages
//   intent_errors.json    every misclassified text with the intent it got and the confidence
//   entity_report.json    per entity: expected values, found, recall (when the texts expect entities)
//   confusion_matrix.svg  the confusion matrix as a picture
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { confusionMatrixSvg } from "./confusion-matrix-svg.ts";
import type { Prediction } from "./holdout-scoring.ts";
import { confusionMatrix, confusions, entityReport, intentReport, type Averages, type IntentReport } from "./nlu-report.ts";

export interface NluEvaluation {
  bot: string;
  /** How the texts were held out: `holdout` files, or k-fold cross-validation on nlu.yaml. */
  method: { kind: "holdout"; files: string[] } | { kind: "cross-validation"; folds: number };
  seed: number;
  predictions: Prediction[];
}

export const REPORT_FILES = {
  markdown: "report.md",
  intents: "intent_report.json",
  errors: "intent_errors.json",
  entities: "entity_report.json",
  matrix: "confusion_matrix.svg",
} as const;

const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
const fixed = (value: number) => value.toFixed(3);
/** Text inside a Markdown table cell. */
const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");

export function describeMethod(method: NluEvaluation["method"]): string {
  return method.kind === "holdout"
    ? `held-out paraphrases (${method.files.join(", ")})`
    : `${method.folds}-fold cross-validation on nlu.yaml (stratified by intent, per locale)`;
}

/** rasa's intent_report.json shape, so tools that read it read this one. */
function intentReportJson(report: IntentReport): Record<string, unknown> {
  const averages = (values: Averages) => ({ precision: values.precision, recall: values.recall, "f1-score": values.f1, support: report.total });
  return {
    ...Object.fromEntries(
      report.intents.map((row) => [
        row.intent,
        {
          precision: row.precision,
          recall: row.recall,
          "f1-score": row.f1,
          support: row.support,
          confused_with: Object.fromEntries(row.confusedWith.map(({ intent, count }) => [intent, count])),
        },
      ]),
    ),
    accuracy: report.accuracy,
    "macro avg": averages(report.macro),
    "weighted avg": averages(report.weighted),
  };
}

export function reportMarkdown(evaluation: NluEvaluation): string {
  const { bot, predictions } = evaluation;
  const report = intentReport(predictions);
  const lines: string[] = [
    `# NLU evaluation: ${bot}`,
    "",
    `Scored on ${describeMethod(evaluation.method)}, trained with seed ${evaluation.seed}: ` +
      `${report.total} texts, ${report.correct} understood right — intent accuracy **${pct(report.accuracy)}**.`,
    "",
    "| locale | texts | intent accuracy |",
    "|---|---:|---:|",
    ...report.byLocale.map((row) => `| ${row.locale} | ${row.total} | ${pct(row.accuracy)} |`),
    "",
    "## Intents",
    "",
    "Precision: of the texts the model gave this intent, the share that had it. Recall: of the texts that have it, the share the model gave it. F1: their harmonic mean. Support: the texts that have it.",
    "",
    "| intent | precision | recall | F1 | support | confused with |",
    "|---|---:|---:|---:|---:|---|",
    ...report.intents.map(
      (row) =>
        `| ${row.intent} | ${fixed(row.precision)} | ${row.support === 0 ? "–" : fixed(row.recall)} | ${row.support === 0 ? "–" : fixed(row.f1)} | ${row.support} | ` +
        `${row.confusedWith.map(({ intent, count }) => `${intent} (${count})`).join(", ")} |`,
    ),
    `| *macro average* | ${fixed(report.macro.precision)} | ${fixed(report.macro.recall)} | ${fixed(report.macro.f1)} | ${report.total} | |`,
    `| *weighted average* | ${fixed(report.weighted.precision)} | ${fixed(report.weighted.recall)} | ${fixed(report.weighted.f1)} | ${report.total} | |`,
    "",
    "Averages are over the intents that have texts; an intent with support 0 was only ever predicted.",
    "",
    "## Confusions",
    "",
  ];
  const worst = confusions(predictions, { limit: 10, examples: 3 });
  if (worst.length === 0) lines.push("None: every text got its intent.");
  else {
    lines.push("The most frequent mistakes, with the least confident examples first:", "", "| expected | predicted | texts | examples |", "|---|---|---:|---|");
    for (const confusion of worst) {
      const examples = confusion.examples.map((e) => `"${cell(e.text)}" (${e.locale}, ${e.confidence.toFixed(2)})`).join("; ");
      lines.push(`| ${confusion.expected} | ${confusion.predicted} | ${confusion.count} | ${examples} |`);
    }
  }
  const entities = entityReport(predictions);
  lines.push("", "## Entities", "");
  if (entities.length === 0) lines.push("The texts expect no entity values.");
  else {
    lines.push("| entity | expected values | found | recall |", "|---|---:|---:|---:|");
    for (const row of entities) lines.push(`| ${row.entity} | ${row.expected} | ${row.found} | ${pct(row.recall)} |`);
    const misses = entities.flatMap((row) => row.misses.map((miss) => ({ entity: row.entity, ...miss })));
    if (misses.length > 0) {
      lines.push("", "Not found:", "");
      for (const miss of misses.slice(0, 20)) {
        lines.push(`- "${miss.text}": expected ${miss.entity} = ${String(miss.expected)}, got ${miss.got.length === 0 ? "none" : miss.got.map(String).join(", ")}`);
      }
      if (misses.length > 20) lines.push(`- … and ${misses.length - 20} more (${REPORT_FILES.entities})`);
    }
  }
  lines.push(
    "",
    "## Confusion matrix",
    "",
    `![Confusion matrix: expected intents in rows, predicted in columns](${REPORT_FILES.matrix})`,
    "",
    `Files: ${REPORT_FILES.intents}, ${REPORT_FILES.errors}${entities.length > 0 ? `, ${REPORT_FILES.entities}` : ""}, ${REPORT_FILES.matrix}.`,
    "",
  );
  return lines.join("\n");
}

/** Writes the report's files into `dir` (created if missing); returns their paths. */
export function writeNluReport(dir: string, evaluation: NluEvaluation): string[] {
  mkdirSync(dir, { recursive: true });
  // A file of an earlier run that this one does not write (entity_report.json) would be read as this run's.
  for (const name of Object.values(REPORT_FILES)) rmSync(join(dir, name), { force: true });
  const { predictions } = evaluation;
  const report = intentReport(predictions);
  const files: Array<[string, string]> = [
    [REPORT_FILES.markdown, reportMarkdown(evaluation)],
    [REPORT_FILES.intents, `${JSON.stringify(intentReportJson(report), null, 2)}\n`],
    [
      REPORT_FILES.errors,
      `${JSON.stringify(
        predictions
          .filter((p) => p.predicted !== p.expected)
          .map((p) => ({ text: p.text, locale: p.locale, intent: p.expected, intent_prediction: { name: p.predicted, confidence: p.confidence } })),
        null,
        2,
      )}\n`,
    ],
    [
      REPORT_FILES.matrix,
      confusionMatrixSvg(confusionMatrix(predictions), `${evaluation.bot}: ${report.total} texts, intent accuracy ${pct(report.accuracy)}`),
    ],
  ];
  const entities = entityReport(predictions);
  if (entities.length > 0) files.push([REPORT_FILES.entities, `${JSON.stringify(entities, null, 2)}\n`]);
  return files.map(([name, text]) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  });
}
