// The figures and files of `npx stratus test nlu`, on predictions worked out by hand.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { confusionMatrixSvg } from "./confusion-matrix-svg.ts";
import type { Prediction } from "./holdout-scoring.ts";
import { writeNluReport } from "./nlu-report-files.ts";
import { confusionMatrix, confusions, entityReport, intentReport } from "./nlu-report.ts";

const said = (expected: string, predicted: string, text: string, confidence = 0.9, extra: Partial<Prediction> = {}): Prediction => ({
  locale: "en",
  text,
  expected,
  predicted,
  confidence,
  expectedEntities: [],
  foundEntities: [],
  ...extra,
});

// greet 4 texts (one taken for goodbye), goodbye 2, thanks 2 (one below the threshold).
const PREDICTIONS: Prediction[] = [
  said("greet", "greet", "hi"),
  said("greet", "greet", "hello"),
  said("greet", "greet", "hey"),
  said("greet", "goodbye", "good night, hello", 0.55),
  said("goodbye", "goodbye", "bye"),
  said("goodbye", "goodbye", "see you", 0.8, { locale: "zh" }),
  said("thanks", "thanks", "thanks", 0.9, {
    expectedEntities: [{ entity: "email", value: "a@example.com" }],
    foundEntities: [{ entity: "email", value: "A@example.com" }],
  }),
  said("thanks", "out_of_scope", "cheers mate", 0.31, {
    expectedEntities: [{ entity: "money", value: "20 EUR" }],
    foundEntities: [{ entity: "money", value: "20 USD" }],
  }),
];

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe("test nlu figures", () => {
  it("give each intent its precision, recall, F1 and support", () => {
    const report = intentReport(PREDICTIONS);
    const row = (intent: string) => report.intents.find((r) => r.intent === intent);
    expect(report.intents.map((r) => r.intent)).toEqual(["goodbye", "greet", "out_of_scope", "thanks"]);
    expect(row("greet")).toMatchObject({ precision: 1, recall: 0.75, support: 4, predicted: 3, confusedWith: [{ intent: "goodbye", count: 1 }] });
    expect(row("greet")?.f1).toBeCloseTo(6 / 7, 10);
    expect(row("goodbye")).toMatchObject({ recall: 1, f1: 0.8, support: 2, predicted: 3 });
    expect(row("goodbye")?.precision).toBeCloseTo(2 / 3, 10);
    expect(row("thanks")).toMatchObject({ precision: 1, recall: 0.5, support: 2 });
    expect(row("out_of_scope")).toMatchObject({ precision: 0, recall: 0, f1: 0, support: 0, predicted: 1 });
    expect(report).toMatchObject({ total: 8, correct: 6, accuracy: 0.75 });
    // Averages over the three intents that have texts: out_of_scope was only predicted.
    expect(report.macro.precision).toBeCloseTo((1 + 2 / 3 + 1) / 3, 10);
    expect(report.macro.recall).toBeCloseTo((0.75 + 1 + 0.5) / 3, 10);
    expect(report.weighted.precision).toBeCloseTo((4 * 1 + 2 * (2 / 3) + 2 * 1) / 8, 10);
    expect(report.weighted.recall).toBeCloseTo(0.75, 10);
    expect(report.byLocale).toEqual([
      { locale: "en", total: 7, correct: 5, accuracy: 5 / 7 },
      { locale: "zh", total: 1, correct: 1, accuracy: 1 },
    ]);
  });

  it("list the confusions, most frequent first, with the least confident examples", () => {
    const more = [...PREDICTIONS, said("thanks", "out_of_scope", "ta", 0.2), said("thanks", "out_of_scope", "much obliged", 0.4)];
    expect(confusions(more, { examples: 2 })).toEqual([
      { expected: "thanks", predicted: "out_of_scope", count: 3, examples: [{ text: "ta", locale: "en", confidence: 0.2 }, { text: "cheers mate", locale: "en", confidence: 0.31 }] },
      { expected: "greet", predicted: "goodbye", count: 1, examples: [{ text: "good night, hello", locale: "en", confidence: 0.55 }] },
    ]);
    expect(confusions(more, { limit: 1 })).toHaveLength(1);
  });

  it("count the confusion matrix with expected intents in rows", () => {
    expect(confusionMatrix(PREDICTIONS)).toEqual({
      labels: ["goodbye", "greet", "out_of_scope", "thanks"],
      counts: [
        [2, 0, 0, 0],
        [1, 3, 0, 0],
        [0, 0, 0, 0],
        [0, 0, 1, 1],
      ],
    });
  });

  it("find expected entity values whatever their case, and list the ones missed", () => {
    expect(entityReport(PREDICTIONS)).toEqual([
      { entity: "email", expected: 1, found: 1, recall: 1, misses: [] },
      { entity: "money", expected: 1, found: 0, recall: 0, misses: [{ text: "cheers mate", expected: "20 EUR", got: ["20 USD"] }] },
    ]);
  });

  it("draw the matrix as an SVG with every label and count", () => {
    const svg = confusionMatrixSvg(confusionMatrix(PREDICTIONS), "demo <bot> & co");
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith("</svg>")).toBe(true);
    expect(svg).toContain("<title>demo &lt;bot&gt; &amp; co</title>");
    // 16 cells and the background.
    expect(svg.match(/<rect /g)).toHaveLength(17);
    for (const label of ["goodbye", "greet", "out_of_scope", "thanks"]) expect(svg.match(new RegExp(`>${label}</text>`, "g"))).toHaveLength(2);
    expect(svg).toContain("greet taken for greet: 3 of 4 (75%)");
    expect(svg).toContain("greet taken for goodbye: 1 of 4 (25%)");
    // Row-normalised: greet's diagonal (75%) darker than its confusion (25%), an empty cell white.
    expect(svg).toMatch(/greet taken for greet: 3 of 4 \(75%\)<\/title><rect [^>]*fill="rgb\(87,122,181\)"/);
    expect(svg).toMatch(/out_of_scope taken for goodbye: 0 of 0 \(0%\)<\/title><rect [^>]*fill="rgb\(255,255,255\)"/);
  });

  it("are written as report.md, intent_report.json, intent_errors.json, entity_report.json and the SVG", () => {
    const dir = mkdtempSync(join(tmpdir(), "stratus-nlu-report-"));
    dirs.push(dir);
    const written = writeNluReport(dir, { bot: "demo", method: { kind: "holdout", files: ["nlu-holdout.yaml"] }, seed: 1, predictions: PREDICTIONS });
    expect(written.map((path) => path.slice(dir.length + 1)).sort()).toEqual(
      ["confusion_matrix.svg", "entity_report.json", "intent_errors.json", "intent_report.json", "report.md"],
    );
    const markdown = readFileSync(join(dir, "report.md"), "utf8");
    expect(markdown).toContain("held-out paraphrases (nlu-holdout.yaml)");
    expect(markdown).toContain("8 texts, 6 understood right — intent accuracy **75.0%**");
    expect(markdown).toContain("| greet | 1.000 | 0.750 | 0.857 | 4 | goodbye (1) |");
    expect(markdown).toContain("| out_of_scope | 0.000 | – | – | 0 |  |");
    expect(markdown).toContain('| thanks | out_of_scope | 1 | "cheers mate" (en, 0.31) |');
    expect(markdown).toContain("![Confusion matrix: expected intents in rows, predicted in columns](confusion_matrix.svg)");
    const json = JSON.parse(readFileSync(join(dir, "intent_report.json"), "utf8")) as Record<string, Record<string, unknown>>;
    expect(json.greet).toEqual({ precision: 1, recall: 0.75, "f1-score": 6 / 7, support: 4, confused_with: { goodbye: 1 } });
    expect(json.accuracy).toBe(0.75);
    expect(Object.keys(json)).toEqual(expect.arrayContaining(["macro avg", "weighted avg"]));
    expect(JSON.parse(readFileSync(join(dir, "intent_errors.json"), "utf8"))).toEqual([
      { text: "good night, hello", locale: "en", intent: "greet", intent_prediction: { name: "goodbye", confidence: 0.55 } },
      { text: "cheers mate", locale: "en", intent: "thanks", intent_prediction: { name: "out_of_scope", confidence: 0.31 } },
    ]);
    // A later run without entities leaves no entity report of the earlier one behind.
    writeFileSync(join(dir, "notes.txt"), "mine");
    writeNluReport(dir, { bot: "demo", method: { kind: "cross-validation", folds: 5 }, seed: 1, predictions: PREDICTIONS.slice(0, 6) });
    expect(existsSync(join(dir, "entity_report.json"))).toBe(false);
    expect(existsSync(join(dir, "notes.txt"))).toBe(true);
    expect(readFileSync(join(dir, "report.md"), "utf8")).toContain("5-fold cross-validation on nlu.yaml");
  });
});
