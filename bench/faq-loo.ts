/**
 * `node bench/faq-loo.ts`
 *
 * FAQ retrieval (workers/dialogue/src/engine/faq/) measured on the example bots' own FAQ questions,
 * leave-one-out: each question is searched with it left out of its entry, as a user's paraphrase
 * would be. Per bot and locale: how often its entry ranks first as the engine ranks
 * (`faqRelevance`), and first and confident enough to be said (the FAQ's threshold); beside it the
 * same for BM25's score alone, the ranking before. What the FAQ ranking was chosen on; the
 * dialogue sets are not read.
 */
import { fileURLToPath } from "node:url";
import type { Faq, FaqEntry } from "../shared/schemas/bot.ts";
import type { Locale } from "../shared/schemas/nlu.ts";
import { loadBots } from "../devkit/bots/load-bots.ts";
import { faqRelevance } from "../workers/dialogue/src/engine/faq/bm25.ts";
import { buildFaqIndexes, findFaqAnswers, type FaqAnswer } from "../workers/dialogue/src/engine/faq/index.ts";

const RANKINGS: Record<string, (answer: FaqAnswer) => number> = { engine: faqRelevance, "score alone": (answer) => answer.score };

interface Tally {
  questions: number;
  first: Record<string, number>;
  said: Record<string, number>;
}

/** The FAQ with one of an entry's questions in one locale left out. */
function leaveOut(faq: Faq, entry: FaqEntry, locale: Locale, question: string): Faq {
  return {
    ...faq,
    entries: faq.entries.map((other) => {
      const localized = other[locale];
      return other.id !== entry.id || !localized ? other : { ...other, [locale]: { ...localized, questions: localized.questions.filter((q) => q !== question) } };
    }),
  };
}

const root = fileURLToPath(new URL("..", import.meta.url));
const { bots, errors } = loadBots(root);
if (errors.length > 0) throw new Error(errors.join("\n"));
const tallies = new Map<string, Tally>();
for (const bot of bots) {
  const { faq } = bot.definition;
  if (!faq) continue;
  for (const locale of bot.definition.locales) {
    for (const entry of faq.entries) {
      for (const question of entry[locale]?.questions ?? []) {
        const without = leaveOut(faq, entry, locale, question);
        const answers = findFaqAnswers(without, buildFaqIndexes(without, [locale])[locale], question);
        const key = `${bot.id} ${locale}`;
        const tally = tallies.get(key) ?? { questions: 0, first: {}, said: {} };
        tallies.set(key, tally);
        tally.questions++;
        for (const [name, rank] of Object.entries(RANKINGS)) {
          const best = answers.reduce<FaqAnswer | undefined>((top, answer) => (top === undefined || rank(answer) > rank(top) ? answer : top), undefined);
          if (best?.entry.id !== entry.id) continue;
          tally.first[name] = (tally.first[name] ?? 0) + 1;
          if (best.confidence >= faq.threshold) tally.said[name] = (tally.said[name] ?? 0) + 1;
        }
      }
    }
  }
}

const names = Object.keys(RANKINGS);
const total: Tally = { questions: 0, first: {}, said: {} };
console.log(`| bot locale | questions | ${names.map((name) => `first (${name}) | first and said (${name})`).join(" | ")} |`);
console.log(`|---|---:|${names.map(() => "---:|---:").join("|")}|`);
for (const [key, tally] of [...tallies, ["all", total] as const]) {
  if (tally !== total) {
    total.questions += tally.questions;
    for (const name of names) {
      total.first[name] = (total.first[name] ?? 0) + (tally.first[name] ?? 0);
      total.said[name] = (total.said[name] ?? 0) + (tally.said[name] ?? 0);
    }
  }
  console.log(`| ${key} | ${tally.questions} | ${names.map((name) => `${tally.first[name] ?? 0} | ${tally.said[name] ?? 0}`).join(" | ")} |`);
}
