/**
 * Precomputes a locale's index at build time (`npm run build:bots`): each passage's title (its
 * heading path) and text are analysed once, and the result is stored as a vocabulary with
 * postings, so the Worker only looks terms up at query time.
 */
import type { Locale } from "../languages/index.ts";
import type { KnowledgeIndexData, KnowledgePassage } from "../schemas/knowledge.ts";
import { analyze } from "./analyze.ts";

function counts(terms: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const term of terms) map.set(term, (map.get(term) ?? 0) + 1);
  return map;
}

export function buildKnowledgeIndex(passages: readonly KnowledgePassage[], locale: Locale): KnowledgeIndexData {
  const postingsByTerm = new Map<string, number[]>();
  const titleLengths: number[] = [];
  const textLengths: number[] = [];
  passages.forEach((passage, number) => {
    const titleTerms = analyze(passage.title, locale);
    const textTerms = analyze(passage.text, locale);
    titleLengths.push(titleTerms.length);
    textLengths.push(textTerms.length);
    const inTitle = counts(titleTerms);
    const inText = counts(textTerms);
    for (const term of new Set([...inTitle.keys(), ...inText.keys()])) {
      let postings = postingsByTerm.get(term);
      if (!postings) postingsByTerm.set(term, (postings = []));
      postings.push(number, inTitle.get(term) ?? 0, inText.get(term) ?? 0);
    }
  });
  // Sorted, so the same documents always give the same file.
  const terms = [...postingsByTerm.keys()].sort();
  return {
    locale,
    passages: [...passages],
    terms,
    postings: terms.map((term) => postingsByTerm.get(term) ?? []),
    titleLengths,
    textLengths,
  };
}
