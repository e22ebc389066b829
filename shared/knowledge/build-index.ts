/**
 * Precomputes a locale's index at build time (`npm run build:bots`): each passage's document title,
 * section headings and text are analysed once (stems and exact forms, analyze.ts), and the result
 * is stored as a vocabulary with postings, so the Worker only looks terms up at query time. Field
 * lengths count both kinds of term.
 */
import type { Locale } from "../languages/index.ts";
import type { KnowledgeIndexData, KnowledgePassage } from "../schemas/knowledge.ts";
import { analyze } from "./analyze.ts";
import { TITLE_SEPARATOR } from "./passages.ts";

/** Numbers per posting: passage, count in the document title, in the headings, in the text. */
export const POSTING_STRIDE = 4;

function counts(terms: readonly string[]): Map<string, number> {
  const map = new Map<string, number>();
  for (const term of terms) map.set(term, (map.get(term) ?? 0) + 1);
  return map;
}

/**
 * A passage's title split into the document's title and the section's headings
 * (`Shipping and delivery › Where we ship`: the page, then the section). A title without the
 * separator (a page's introduction, a public set's passage) is all document title.
 */
export function splitTitle(title: string): { documentTitle: string; headings: string } {
  const [documentTitle = "", ...headings] = title.split(TITLE_SEPARATOR);
  return { documentTitle, headings: headings.join(" ") };
}

export function buildKnowledgeIndex(passages: readonly KnowledgePassage[], locale: Locale): KnowledgeIndexData {
  const postingsByTerm = new Map<string, number[]>();
  const documentTitleLengths: number[] = [];
  const headingLengths: number[] = [];
  const textLengths: number[] = [];
  passages.forEach((passage, number) => {
    const { documentTitle, headings } = splitTitle(passage.title);
    const documentTitleTerms = analyze(documentTitle, locale, { exactForms: true });
    const headingTerms = analyze(headings, locale, { exactForms: true });
    const textTerms = analyze(passage.text, locale, { exactForms: true });
    documentTitleLengths.push(documentTitleTerms.length);
    headingLengths.push(headingTerms.length);
    textLengths.push(textTerms.length);
    const inDocumentTitle = counts(documentTitleTerms);
    const inHeadings = counts(headingTerms);
    const inText = counts(textTerms);
    for (const term of new Set([...inDocumentTitle.keys(), ...inHeadings.keys(), ...inText.keys()])) {
      let postings = postingsByTerm.get(term);
      if (!postings) postingsByTerm.set(term, (postings = []));
      postings.push(number, inDocumentTitle.get(term) ?? 0, inHeadings.get(term) ?? 0, inText.get(term) ?? 0);
    }
  });
  // Sorted, so the same documents always give the same file.
  const terms = [...postingsByTerm.keys()].sort();
  return {
    locale,
    passages: [...passages],
    terms,
    postings: terms.map((term) => postingsByTerm.get(term) ?? []),
    documentTitleLengths,
    headingLengths,
    textLengths,
  };
}
