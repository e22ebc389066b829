import { LLM_RESPONSE } from "../../../../shared/bots/response-names.ts";
import { languageOf } from "../../../../shared/languages/index.ts";
import type { ReplySource } from "../../../../shared/schemas/knowledge.ts";
import type { Effect } from "./effects.ts";
import { streamChatCompletion, wholeChatCompletion, type ChatCompletionRequest } from "./llm-completion.ts";
import { reply } from "./responses.ts";
import type { LlmConfig, TurnView } from "./types.ts";

export { LLM_RESPONSE } from "../../../../shared/bots/response-names.ts";

/**
 * What an answer from documents (knowledge-answer.ts) grounds the model in, instead of the FAQ:
 * the passages, the reply's response name and sources, and what to do to the model's text.
 */
export interface LlmGrounding {
  /** Each passage's title and text. */
  references: string[];
  response: string;
  sources: ReplySource[];
  decorate: (text: string) => string;
}

/** The LLM fallback runs only if the bot allows it and the Worker is configured with an endpoint. */
function llmConfig(view: TurnView): LlmConfig | undefined {
  if (view.bot.definition.llm?.enabled === false) return undefined;
  return view.io.llm;
}

export const llmAvailable = (view: TurnView): boolean => llmConfig(view) !== undefined;

function systemPrompt(view: TurnView, grounding: LlmGrounding | undefined): string {
  const { definition } = view.bot;
  const settings = definition.llm;
  if (grounding) {
    return [
      `You are ${definition.name}, a customer-service assistant. Answer in ${languageOf(view.locale).englishName}, in at most three sentences.`,
      "Answer only from the passages of our help pages below, in your own words, without adding anything they do not say. If they do not answer the question, say you are not sure and offer to connect the user with a human.",
      settings?.instructions?.[view.locale] ?? "",
      `Passages:\n${grounding.references.map((text, i) => `[${i + 1}] ${text}`).join("\n\n")}`,
    ]
      .filter((line) => line !== "")
      .join("\n\n");
  }
  const context = view.faqMatches()
    .slice(0, settings?.faqContext ?? 3)
    .map(({ entry }) => entry[view.locale] ?? entry[definition.defaultLocale])
    .filter((localized) => localized !== undefined)
    .map((localized, i) => `${i + 1}. Q: ${localized.questions[0] ?? ""}\n   A: ${localized.answer}`);
  return [
    `You are ${definition.name}, a customer-service assistant. Answer in ${languageOf(view.locale).englishName}, in at most three sentences.`,
    "Use only the reference answers below. If they do not answer the question, say you are not sure and offer to connect the user with a human.",
    settings?.instructions?.[view.locale] ?? "",
    context.length > 0 ? `Reference answers:\n${context.join("\n")}` : "Reference answers: none.",
  ]
    .filter((line) => line !== "")
    .join("\n\n");
}

/**
 * Asks an OpenAI-compatible chat-completions endpoint to answer a message the bot did not
 * understand, grounded in its closest FAQ entries (or in `grounding`'s passages of the bot's documents).
 * With `io.streamReply` (the dialogue Worker's), the answer is streamed and its text goes to
 * clients as it is written (docs/streaming.md). Any error, empty or broken-off answer, or a spent
 * LLM budget (`io.llmBudget`), → undefined, and the caller uses the normal fallback.
 */
export async function answerWithLlm(view: TurnView, grounding?: LlmGrounding): Promise<Effect[] | undefined> {
  const config = llmConfig(view);
  if (!config) return undefined;
  if (view.io.llmBudget && !(await view.io.llmBudget())) return undefined;
  const request: ChatCompletionRequest = {
    url: `${withoutTrailingSlashes(config.baseUrl)}/chat/completions`,
    headers: { "content-type": "application/json", authorization: `Bearer ${config.apiKey}` },
    body: {
      model: config.model,
      temperature: 0.2,
      max_tokens: 300,
      messages: [
        { role: "system", content: systemPrompt(view, grounding) },
        { role: "user", content: view.input.text },
      ],
    },
    timeoutMs: view.bot.definition.llm?.timeoutMs ?? 8000,
  };
  const sink = view.io.streamReply?.();
  const answer = sink ? await streamChatCompletion(view.io.fetch, request, sink) : await wholeChatCompletion(view.io.fetch, request);
  const content = answer?.trim();
  if (!content) return undefined;
  if (grounding) {
    return [{ type: "sayText", source: "llm", reply: { ...reply(grounding.decorate(content), grounding.response), sources: grounding.sources } }];
  }
  return [{ type: "sayText", source: "llm", reply: reply(content, LLM_RESPONSE) }];
}

/** `url` without its trailing slashes (a loop: `/\/+$/` reads a run of slashes again from each of its positions). */
function withoutTrailingSlashes(url: string): string {
  let end = url.length;
  while (end > 0 && url[end - 1] === "/") end--;
  return url.slice(0, end);
}
