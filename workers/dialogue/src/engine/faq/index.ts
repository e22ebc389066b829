import type { Faq, FaqEntry } from "../../../../../shared/schemas/bot.ts";
import type { Locale } from "../../../../../shared/schemas/nlu.ts";
import { buildFaqIndex, searchFaq, type FaqIndex } from "./bm25.ts";

/** One index per locale over each entry's questions (one document each) and its answer. */
export function buildFaqIndexes(faq: Faq | undefined, locales: readonly Locale[]): Partial<Record<Locale, FaqIndex>> {
  const indexes: Partial<Record<Locale, FaqIndex>> = {};
  if (!faq) return indexes;
  for (const locale of locales) {
    const texts: Array<{ entryId: string; text: string; isQuestion: boolean }> = [];
    for (const entry of faq.entries) {
      const localized = entry[locale];
      if (!localized) continue;
      for (const question of localized.questions) texts.push({ entryId: entry.id, text: question, isQuestion: true });
      texts.push({ entryId: entry.id, text: localized.answer, isQuestion: false });
    }
    indexes[locale] = buildFaqIndex(texts, locale);
  }
  return indexes;
}

export interface FaqAnswer {
  entry: FaqEntry;
  confidence: number;
}

/** The FAQ entries that best answer `text`, best first (confidence not yet thresholded); all without a limit. */
export function findFaqAnswers(faq: Faq | undefined, index: FaqIndex | undefined, text: string, limit?: number): FaqAnswer[] {
  if (!faq || !index) return [];
  const answers: FaqAnswer[] = [];
  for (const match of searchFaq(index, text, limit)) {
    const entry = faq.entries.find((candidate) => candidate.id === match.entryId);
    if (entry) answers.push({ entry, confidence: match.confidence });
  }
  return answers;
}
