/**
 * Answers from the bot's documents (docs/knowledge.md): when no rule or FAQ entry answers, the
 * best passage of the bot's help pages in the reply's locale answers if it covers enough of the
 * question (`knowledge.threshold`). It is quoted (trimmed to `quoteChars`), or, with the LLM
 * fallback on, the best passages ground the model's answer; if the model fails, the quote is said.
 * The reply names its sources (`sources: [{ title, url }]`), and with `citeInText` its text ends
 * with the first one's title and link.
 */
import { KNOWLEDGE_LLM_RESPONSE, knowledgeResponseName } from "../../../../shared/bots/response-names.ts";
import { quotePassage } from "../../../../shared/knowledge/passages.ts";
import type { KnowledgeMatch } from "../../../../shared/knowledge/search.ts";
import { RETRIEVAL_LANGUAGES } from "../../../../shared/languages/retrieval.ts";
import { KNOWLEDGE_DEFAULT_THRESHOLD, type KnowledgeSettings, type ReplySource } from "../../../../shared/schemas/knowledge.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import type { Effect } from "./effects.ts";
import { answerWithLlm, llmAvailable } from "./llm.ts";
import { reply } from "./responses.ts";
import type { TurnView } from "./types.ts";

export { KNOWLEDGE_LLM_RESPONSE, knowledgeResponseName } from "../../../../shared/bots/response-names.ts";

/** How many passages are looked at per question (the LLM gets at most `llmPassages` of them). */
const SEARCH_LIMIT = 8;

const matchesByView = new WeakMap<TurnView, readonly KnowledgeMatch[]>();

/** The passages best matching the message in the reply's locale, best first; searched once per turn. */
export function knowledgeMatches(view: TurnView): readonly KnowledgeMatch[] {
  let matches = matchesByView.get(view);
  if (!matches) {
    matches = view.bot.knowledge[view.locale]?.search(view.input.text, SEARCH_LIMIT) ?? [];
    matchesByView.set(view, matches);
  }
  return matches;
}

export function knowledgeThreshold(settings: KnowledgeSettings, locale: Locale): number {
  const { threshold } = settings;
  return typeof threshold === "number" ? threshold : (threshold[locale] ?? KNOWLEDGE_DEFAULT_THRESHOLD);
}

/** The passages confident enough to answer from, best first (empty: the documents do not answer). */
function confidentMatches(view: TurnView): readonly KnowledgeMatch[] {
  const settings = view.bot.definition.knowledge;
  if (!settings) return [];
  const threshold = knowledgeThreshold(settings, view.locale);
  return knowledgeMatches(view).filter((match) => match.confidence >= threshold);
}

/** Each document once, in the order of its best passage. */
function sourcesOf(matches: readonly KnowledgeMatch[]): ReplySource[] {
  const sources: ReplySource[] = [];
  for (const { passage } of matches) {
    if (!sources.some((source) => source.url === passage.url)) sources.push({ title: passage.title, url: passage.url });
  }
  return sources;
}

function withCitation(text: string, source: ReplySource, settings: KnowledgeSettings, locale: Locale): string {
  return settings.citeInText ? `${text}\n\n${RETRIEVAL_LANGUAGES[locale].sourceLabel}: ${source.title} — ${source.url}` : text;
}

/** The documents' answer, or undefined when no passage is confident enough. */
export async function answerFromKnowledge(view: TurnView): Promise<Effect[] | undefined> {
  const settings = view.bot.definition.knowledge;
  const best = confidentMatches(view);
  const top = best[0];
  if (!settings || !top) return undefined;
  if (llmAvailable(view)) {
    const grounding = best.slice(0, settings.llmPassages);
    const sources = sourcesOf(grounding);
    const answered = await answerWithLlm(view, {
      references: grounding.map(({ passage }) => `${passage.title}\n${passage.text}`),
      response: KNOWLEDGE_LLM_RESPONSE,
      sources,
      decorate: (text) => (sources[0] ? withCitation(text, sources[0], settings, view.locale) : text),
    });
    if (answered) return answered;
  }
  const source: ReplySource = { title: top.passage.title, url: top.passage.url };
  const text = withCitation(quotePassage(top.passage.text, settings.quoteChars), source, settings, view.locale);
  return [{ type: "sayText", source: "knowledge", reply: { ...reply(text, knowledgeResponseName(top.passage.id)), sources: [source] } }];
}
