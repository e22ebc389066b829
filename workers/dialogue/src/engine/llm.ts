import { z } from "zod";
import { faqMatches } from "./faq-answer.ts";
import { requestJson } from "./http.ts";
import { reply } from "./responses.ts";
import type { LlmConfig, TurnContext } from "./types.ts";

/** The reply's `response` when the LLM answered. */
export const LLM_RESPONSE = "llm_fallback";

const ChatCompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

/** The LLM fallback runs only if the bot allows it and the Worker is configured with an endpoint. */
function llmConfig(ctx: TurnContext): LlmConfig | undefined {
  if (ctx.bot.definition.llm?.enabled === false) return undefined;
  return ctx.deps.llm;
}

const LANGUAGE: Record<string, string> = { en: "English", zh: "Simplified Chinese" };

function systemPrompt(ctx: TurnContext): string {
  const { definition } = ctx.bot;
  const settings = definition.llm;
  const context = faqMatches(ctx)
    .slice(0, settings?.faqContext ?? 3)
    .map(({ entry }) => entry[ctx.locale] ?? entry[definition.defaultLocale])
    .filter((localized) => localized !== undefined)
    .map((localized, i) => `${i + 1}. Q: ${localized.questions[0] ?? ""}\n   A: ${localized.answer}`);
  return [
    `You are ${definition.name}, a customer-service assistant. Answer in ${LANGUAGE[ctx.locale] ?? "English"}, in at most three sentences.`,
    "Use only the reference answers below. If they do not answer the question, say you are not sure and offer to connect the user with a human.",
    settings?.instructions?.[ctx.locale] ?? "",
    context.length > 0 ? `Reference answers:\n${context.join("\n")}` : "Reference answers: none.",
  ]
    .filter((line) => line !== "")
    .join("\n\n");
}

/**
 * Asks an OpenAI-compatible chat-completions endpoint to answer a message the bot did not
 * understand, grounded in its closest FAQ entries. Any error or empty answer → false, and the
 * caller uses the normal fallback.
 */
export async function answerWithLlm(ctx: TurnContext): Promise<boolean> {
  const config = llmConfig(ctx);
  if (!config) return false;
  const outcome = await requestJson(ctx.deps.fetch, {
    url: `${config.baseUrl.replace(/\/+$/, "")}/chat/completions`,
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${config.apiKey}` },
    body: JSON.stringify({
      model: config.model,
      temperature: 0.2,
      max_tokens: 300,
      messages: [
        { role: "system", content: systemPrompt(ctx) },
        { role: "user", content: ctx.input.text },
      ],
    }),
    timeoutMs: ctx.bot.definition.llm?.timeoutMs ?? 8000,
    retries: 0,
  });
  if (outcome.kind === "failed" || outcome.badJson || outcome.status < 200 || outcome.status >= 300) return false;
  const completion = ChatCompletionSchema.safeParse(outcome.json);
  const content = completion.success ? completion.data.choices[0]?.message.content?.trim() : undefined;
  if (!content) return false;
  ctx.replies.push(reply(content, LLM_RESPONSE));
  return true;
}
