/**
 * `npm run tune:knowledge [-- --data <folder>] [--public]`
 *
 * What the help-page settings of the ranking (shared/knowledge/search.ts: the section headings'
 * weight, the exact word forms' weight) were chosen on: the bots' development sets
 * (bench/knowledge-dev/<bot>/, questions written apart from the test sets in bench/knowledge-sets/,
 * passages as `npm run bench:knowledge` writes them from the bots' pages) and, with `--public`, the
 * tune half of the public sets (questions whose id hashes even), which must not lose. Prints hit@3 /
 * MRR@10 per set for each variant; it never reads the bots' test sets or the public held-out halves.
 */
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildKnowledgeIndex } from "../shared/knowledge/build-index.ts";
import { KnowledgeIndex, RANKING, type Ranking } from "../shared/knowledge/search.ts";
import type { Locale } from "../shared/languages/index.ts";
import { guessLocale, inTuneHalf } from "./knowledge-eval.ts";
import { meanScores, scoreRanking } from "./knowledge-metrics.ts";
import { PUBLIC_KNOWLEDGE_DIR, PUBLIC_SETS, readRetrievalSet, setAvailable, type RetrievalSet } from "./knowledge-sets.ts";

const { values: args } = parseArgs({ options: { data: { type: "string" }, public: { type: "boolean", default: false } } });
const root = resolve(import.meta.dirname, "..");

/** The variants compared: the settings in force first, then one change at a time around them. */
const VARIANTS: Record<string, Partial<Ranking>> = {
  "in force": {},
  "headings 16, no exact forms": { headingWeight: 16, exactFormWeight: 0 },
  "headings 16": { headingWeight: 16 },
  "headings 8": { headingWeight: 8 },
  "headings 2": { headingWeight: 2 },
  "no exact forms": { exactFormWeight: 0 },
  "exact forms 0.5": { exactFormWeight: 0.5 },
  "exact forms 1": { exactFormWeight: 1 },
};

interface Loaded {
  name: string;
  set: RetrievalSet;
  localeOf: (row: { locale?: Locale | undefined }) => Locale;
  data: Map<Locale, ReturnType<typeof buildKnowledgeIndex>>;
}

function load(dir: string, name: string, tuneHalfOnly: boolean): Loaded {
  const full = readRetrievalSet(dir, name);
  const set = tuneHalfOnly ? { ...full, questions: full.questions.filter((question) => inTuneHalf(question.id)) } : full;
  const fallback = guessLocale(set.passages);
  const localeOf = (row: { locale?: Locale | undefined }): Locale => row.locale ?? fallback;
  const data = new Map(
    [...new Set(set.passages.map(localeOf))].map((locale) => [
      locale,
      buildKnowledgeIndex(
        set.passages.filter((passage) => localeOf(passage) === locale).map((p) => ({ id: p.id, title: p.title, text: p.text, url: p.source ?? p.id, doc: p.doc ?? p.id })),
        locale,
      ),
    ]),
  );
  return { name, set, localeOf, data };
}

const sets: Loaded[] = ["ecommerce", "finance", "health"]
  .map((bot) => join(root, "bench", "knowledge-dev", bot))
  .filter(setAvailable)
  .map((dir) => load(dir, `dev:${dir.split(/[\\/]/).pop() ?? dir}`, false));
if (args.public) {
  for (const name of PUBLIC_SETS) {
    const dir = join(resolve(args.data ?? PUBLIC_KNOWLEDGE_DIR), name);
    if (setAvailable(dir)) sets.push(load(dir, `${name} (tune half)`, true));
    else console.warn(`${name}: skipped, ${dir} not found`);
  }
}

const rows = Object.entries(VARIANTS).map(([variant, change]) => {
  const ranking: Ranking = { ...RANKING, ...change };
  const row: Record<string, string> = { variant };
  for (const { name, set, localeOf, data } of sets) {
    const indexes = new Map([...data].map(([locale, index]) => [locale, new KnowledgeIndex(index, ranking)]));
    const scores = meanScores(
      set.questions.map((question) => scoreRanking(indexes.get(localeOf(question))?.search(question.question, 10).map((match) => match.passage.id) ?? [], question.relevant)),
    );
    row[name] = `${scores.hit_at_3.toFixed(3)} / ${scores.mrr.toFixed(3)}`;
  }
  return row;
});
console.log("hit@3 / MRR@10");
console.table(rows);
