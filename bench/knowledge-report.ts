/** bench/results/knowledge.md from the run's figures. */
import type { RetrievalScores } from "./knowledge-metrics.ts";
import type { SetDetails } from "./knowledge-eval.ts";

/** The README's plain BM25 figures (../shared/data/knowledge/README.md), to show how close ours comes. */
const README_BM25: Record<string, RetrievalScores> = {
  medquad: { hit_at_3: 0.706, recall_at_3: 0.661, mrr: 0.583 },
  cmrc2018: { hit_at_3: 0.994, recall_at_3: 0.994, mrr: 0.98 },
  stackfaq: { hit_at_3: 0.833, recall_at_3: 0.394, mrr: 0.768 },
};

const f = (value: number): string => value.toFixed(3);
const triple = (scores: RetrievalScores): string => `${f(scores.hit_at_3)} / ${f(scores.recall_at_3)} / ${f(scores.mrr)}`;

export function renderKnowledgeReport(report: { machine: string; skipped: string[]; sets: SetDetails[] }): string {
  const lines = [
    "# Answers from documents: retrieval (`npm run bench:knowledge`)",
    "",
    `Machine: ${report.machine}. Figures: hit@3 / recall@3 / MRR@10 (see ../shared/data/knowledge/README.md).`,
    "\"system\" is the bots' retrieval (shared/knowledge: BM25F over document title, section headings and text, stems",
    "and exact word forms, per-language analysis);",
    "\"bm25\" the README's plain BM25 (k1 1.2, b 0.75, title + text, `[a-z0-9]+` / Chinese characters + bigrams), in the same run.",
    "",
    "| set | questions | system | plain BM25 | README's BM25 | ms / question (system) |",
    "|---|---|---|---|---|---|",
    ...report.sets.map((set) => {
      const reference = README_BM25[set.set];
      return `| ${set.set} | ${set.questions} | ${triple(set.system)} | ${triple(set.bm25)} | ${reference ? triple(reference) : "–"} | ${set.msPerQuestion} |`;
    }),
    "",
    "The ranking's settings (title weight, length normalisation, analysis) were chosen on the public sets' questions",
    "whose id hashes even (FNV-1a, \"tune\"); the other half was not looked at while choosing. The weight of section",
    "headings and of exact word forms was chosen on the bots' development sets (`dev:`, bench/knowledge-dev/, written",
    "apart from the test sets); the bots' test sets (`bot:`, bench/knowledge-sets/) were not tuned on. Both halves of",
    "the public sets:",
    "",
    "| set | tune: system | tune: BM25 | held out: system | held out: BM25 |",
    "|---|---|---|---|---|",
    ...report.sets.filter((set) => !set.set.startsWith("bot:") && !set.set.startsWith("dev:")).map(
      (set) =>
        `| ${set.set} | ${triple(set.halves.tune.system)} | ${triple(set.halves.tune.bm25)} | ${triple(set.halves.heldOut.system)} | ${triple(set.halves.heldOut.bm25)} |`,
    ),
  ];
  const answered = report.sets.filter((set) => set.answered !== undefined);
  if (answered.length > 0) {
    lines.push(
      "",
      "The bots' sets at the bot's `knowledge.threshold`: the share of questions whose best passage is confident enough to",
      "be said, of those the share where it is a right one, and the share of unrelated questions (unanswerable.jsonl:",
      "weather, jokes, other products) that would be answered all the same.",
      "",
      "| set | threshold | answered | right when answered | unrelated questions | unrelated answered |",
      "|---|---|---|---|---|---|",
      ...answered.map(
        (set) =>
          `| ${set.set} | ${set.answered?.threshold} | ${f(set.answered?.answered ?? 0)} | ${f(set.answered?.rightWhenAnswered ?? 0)} | ${set.answered?.unrelated ?? 0} | ${f(set.answered?.unrelatedAnswered ?? 0)} |`,
      ),
    );
  }
  if (report.skipped.length > 0) lines.push("", `Skipped (folder not found): ${report.skipped.join(", ")}.`);
  return `${lines.join("\n")}\n`;
}
