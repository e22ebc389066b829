import type { Faq, FaqEntry } from "../../../../../shared/schemas/bot.ts";
import { LANGUAGES, charStandsAlone } from "../../../../../shared/languages/index.ts";
import type { Locale } from "../../../../../shared/schemas/nlu.ts";
import { buildFaqIndex, faqRelevance, searchFaq, type FaqIndex, type FaqMatch } from "./bm25.ts";

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
  /** Its BM25 score (comparable within one message only); answers rank by it weighted by the confidence (`faqRelevance`). */
  score: number;
  /** Its best document's BM25 score alone (`score` adds some of its other documents'). */
  documentScore: number;
}

/** The FAQ entries that best answer `text`, best first (confidence not yet thresholded); all without a limit. */
export function findFaqAnswers(faq: Faq | undefined, index: FaqIndex | undefined, text: string, limit?: number, other?: FaqIndex): FaqAnswer[] {
  if (!faq || !index) return [];
  const answers: FaqAnswer[] = [];
  for (const match of other ? searchMixed(index, other, text, limit) : searchFaq(index, text, limit)) {
    const entry = faq.entries.find((candidate) => candidate.id === match.entryId);
    if (entry) answers.push({ entry, confidence: match.confidence, score: match.score, documentScore: match.documentScore });
  }
  return answers;
}

/**
 * The bot's index for the words of a message written in the other kind of script than its locale's
 * ("我的 debit card 丢了", "¿cuánto cuesta 运费?"): for a locale written without spaces, the bot's first
 * locale written in words (its default first), and the other way round. Undefined when the message
 * has no such words or the bot speaks no such language.
 */
export function otherScriptIndex(indexes: Partial<Record<Locale, FaqIndex>>, locale: Locale, defaultLocale: Locale, text: string): FaqIndex | undefined {
  const characters = LANGUAGES[locale].segmentation === "characters";
  if (!(characters ? LATIN_WORD.test(text) : [...text].some((char) => charStandsAlone(char)))) return undefined;
  const candidates = [defaultLocale, ...(Object.keys(indexes) as Locale[])].filter((candidate) => (LANGUAGES[candidate].segmentation === "characters") !== characters);
  for (const candidate of candidates) {
    const found = indexes[candidate];
    if (found) return found;
  }
  return undefined;
}

const LATIN_WORD = /\p{Script=Latin}{2,}/u;

/**
 * A message in two scripts searched in two indexes: the words of its locale's script in `index`, the
 * others in `other` (the same FAQ in another language, so its entries are the same). An entry's
 * confidence is the share of the whole message's weight that its best documents in the two cover;
 * entries rank by the sum of their scores weighted by that confidence.
 */
function searchMixed(index: FaqIndex, other: FaqIndex, text: string, limit = Infinity): FaqMatch[] {
  const own = searchFaq(index, scriptPart(text, index.locale, true));
  const foreign = searchFaq(other, scriptPart(text, index.locale, false));
  const ownMass = own[0]?.mass ?? 0;
  const foreignMass = foreign[0]?.mass ?? 0;
  if (foreign.length === 0 || ownMass + foreignMass === 0) return searchFaq(index, text, limit);
  const merged = new Map<string, FaqMatch>();
  for (const match of [...own, ...foreign]) {
    const previous = merged.get(match.entryId);
    const covered = (previous?.covered ?? 0) + match.covered;
    merged.set(match.entryId, {
      entryId: match.entryId,
      score: (previous?.score ?? 0) + match.score,
      documentScore: (previous?.documentScore ?? 0) + match.documentScore,
      covered,
      mass: ownMass + foreignMass,
      confidence: covered / (ownMass + foreignMass),
    });
  }
  return [...merged.values()].sort((a, b) => faqRelevance(b) - faqRelevance(a)).slice(0, limit);
}

/** The text with only the characters of `locale`'s kind of script (`own`) or only the others, the rest blanked. */
function scriptPart(text: string, locale: Locale, own: boolean): string {
  const characters = LANGUAGES[locale].segmentation === "characters";
  return [...text].map((char) => (charStandsAlone(char) === characters) === own ? char : " ").join("");
}
