/**
 * Scores one retrieval set with the bots' retrieval (shared/knowledge: the index `npm run build:bots`
 * builds, searched as the dialogue Worker searches it) and with the README's plain BM25, on the
 * same questions. Each locale gets an index of its own passages (the bots' sets say each row's
 * locale; a public set is one language, told by its script).
 */
import { buildKnowledgeIndex } from "../shared/knowledge/build-index.ts";
import { KnowledgeIndex } from "../shared/knowledge/search.ts";
import type { Locale } from "../shared/languages/index.ts";
import { meanScores, scoreRanking, type RetrievalScores } from "./knowledge-metrics.ts";
import { PlainBm25 } from "./knowledge-plain-bm25.ts";
import type { PassageRow, QuestionRow, RetrievalSet } from "./knowledge-sets.ts";

export interface SetResult {
  set: string;
  questions: number;
  system: RetrievalScores;
  bm25: RetrievalScores;
}

export interface SetDetails extends SetResult {
  /** The questions whose id hashes even (what the ranking's settings were chosen on) and the others. */
  halves: { tune: { questions: number; system: RetrievalScores; bm25: RetrievalScores }; heldOut: { questions: number; system: RetrievalScores; bm25: RetrievalScores } };
  /** Mean search time per question of the bots' retrieval (ms). */
  msPerQuestion: number;
  /**
   * Bots' sets, at the bot's `threshold`: the share of questions whose best passage is confident enough
   * to be said, the share of those that are relevant, and the share of unrelated questions
   * (unanswerable.jsonl) that would have been answered all the same.
   */
  answered?: { threshold: number; answered: number; rightWhenAnswered: number; unrelated: number; unrelatedAnswered: number } | undefined;
}

/** The language of a set without locales: Chinese if most of its letters are Han characters. */
export function guessLocale(passages: readonly PassageRow[]): Locale {
  let han = 0;
  let letters = 0;
  for (const passage of passages.slice(0, 200)) {
    for (const char of passage.text) {
      if (/\p{Script=Han}/u.test(char)) han++;
      if (/\p{L}/u.test(char)) letters++;
    }
  }
  return han > letters / 3 ? "zh" : "en";
}

/** FNV-1a of the question id: the tune / held-out split, fixed by the ids alone. */
export function inTuneHalf(questionId: string): boolean {
  let hash = 2166136261;
  for (const char of questionId) {
    hash ^= char.charCodeAt(0);
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash % 2 === 0;
}

export function evaluateSet(set: RetrievalSet, threshold?: number, unrelated: ReadonlyArray<{ question: string; locale?: Locale | undefined }> = []): SetDetails {
  const fallbackLocale = guessLocale(set.passages);
  const localeOf = (row: { locale?: Locale | undefined }): Locale => row.locale ?? fallbackLocale;
  const locales = [...new Set(set.passages.map(localeOf))];
  const systems = new Map<Locale, KnowledgeIndex>();
  const baselines = new Map<Locale, PlainBm25>();
  for (const locale of locales) {
    const passages = set.passages.filter((passage) => localeOf(passage) === locale);
    systems.set(
      locale,
      new KnowledgeIndex(buildKnowledgeIndex(passages.map((p) => ({ id: p.id, title: p.title, text: p.text, url: p.source ?? p.id, doc: p.doc ?? p.id })), locale)),
    );
    baselines.set(locale, new PlainBm25(passages));
  }
  const scored: Array<{ question: QuestionRow; system: RetrievalScores; bm25: RetrievalScores }> = [];
  let searchMs = 0;
  let answered = 0;
  let right = 0;
  for (const question of set.questions) {
    const locale = localeOf(question);
    const started = performance.now();
    const matches = systems.get(locale)?.search(question.question, 10) ?? [];
    searchMs += performance.now() - started;
    const ranking = matches.map((match) => match.passage.id);
    scored.push({
      question,
      system: scoreRanking(ranking, question.relevant),
      bm25: scoreRanking(baselines.get(locale)?.search(question.question, 10) ?? [], question.relevant),
    });
    const top = matches[0];
    if (threshold !== undefined && top && top.confidence >= threshold) {
      answered++;
      if (question.relevant.includes(top.passage.id)) right++;
    }
  }
  const unrelatedAnswered = unrelated.filter((question) => (systems.get(localeOf(question))?.search(question.question, 1)[0]?.confidence ?? 0) >= (threshold ?? Infinity)).length;
  const summary = (rows: typeof scored) => ({
    questions: rows.length,
    system: meanScores(rows.map((row) => row.system)),
    bm25: meanScores(rows.map((row) => row.bm25)),
  });
  const all = summary(scored);
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  return {
    set: set.name,
    ...all,
    halves: { tune: summary(scored.filter((row) => inTuneHalf(row.question.id))), heldOut: summary(scored.filter((row) => !inTuneHalf(row.question.id))) },
    msPerQuestion: round(searchMs / Math.max(1, set.questions.length)),
    answered:
      threshold === undefined
        ? undefined
        : {
            threshold,
            answered: round(answered / Math.max(1, set.questions.length)),
            rightWhenAnswered: round(right / Math.max(1, answered)),
            unrelated: unrelated.length,
            unrelatedAnswered: round(unrelatedAnswered / Math.max(1, unrelated.length)),
          },
  };
}
