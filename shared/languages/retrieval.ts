/**
 * What document retrieval (shared/knowledge) needs to know about each language, beside the
 * registry's FAQ stop words: more function words to ignore (question words, pronouns, auxiliaries:
 * "how many people are affected by…" is about "people" and "affected") and the stemmer its words
 * are reduced with. A new language in LANGUAGES needs an entry here (the type says so).
 *
 * Relative imports carry `.ts` so Node-run CLIs (type stripping, no bundler) can load this file.
 */
import type { Locale } from "./languages.ts";

export interface RetrievalLanguage {
  /** Ignored in queries and documents, on top of the language's `faqStopWords`. */
  stopWords: readonly string[];
  /** `porter2`: English Snowball stemmer; `spanish`: light suffix stripping; `none`: characters (n-grams). */
  stemmer: "porter2" | "spanish" | "none";
  /** Before a quoted answer's link, when the bot cites in its text ("Source: Returns — https://…"). */
  sourceLabel: string;
}

const words = (list: string): readonly string[] => list.split(/\s+/).filter((word) => word !== "");

export const RETRIEVAL_LANGUAGES = {
  en: {
    stopWords: words(`
      above after again against all also am and any aren't as at be because been before being below between both
      but by cannot could couldn't did didn't do does doesn't doing don't down during each few for from further had
      hadn't has hasn't have haven't having he he'd he'll he's her here here's hers herself him himself his how how's
      i i'd i'll i'm i've if in into is isn't it it's its itself let's me more most must mustn't my myself no nor not
      of off on once one only or other ought our ours ourselves out over own same shall shan't she she'd she'll she's
      should shouldn't so some such than that that's the their theirs them themselves then there there's these they
      they'd they'll they're they've this those through to too under until up very was wasn't we we'd we'll we're
      we've were weren't what what's when when's where where's which while who who's whom why why's will with won't
      would wouldn't you you'd you'll you're you've your yours yourself yourselves can may might get`),
    stemmer: "porter2",
    sourceLabel: "Source",
  },
  // Written without spaces: pairs of characters that ask rather than say what about (怎么, 多少, 什么 …)
  // are left out like stop words (their characters are, in the registry's FAQ stop characters or not).
  zh: { stopWords: words("怎么 怎样 什么 多少 哪里 哪个 哪些 如何 为何 为什么 是否 能否 可以 请问 一下"), stemmer: "none", sourceLabel: "来源" },
  es: {
    stopWords: words(`
      algo al algunos alguna algunas ante antes aquí aqui así asi cada cual cuales cuánto cuanto cuánta cuanta cuántos
      cuantos cuántas cuantas desde durante en ella ellas ellos entre era eran es esta estas estos este hace hacer hasta
      han has he hemos le les más mas me mucho muy nada ni no nosotros nuestra nuestro o os otra otro para pero poco
      porque puedo podría podria qué que se ser si sí sin sobre solo sólo somos son soy su sus también tambien te
      tengo tener tiene tienen todo todos tu tú un una uno unos usted ustedes vosotros y ya yo`),
    stemmer: "spanish",
    sourceLabel: "Fuente",
  },
} as const satisfies Record<Locale, RetrievalLanguage>;
