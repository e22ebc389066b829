/**
 * One chat completion from an OpenAI-compatible endpoint, whole or streamed (docs/streaming.md).
 * Streamed, each piece of text goes to a sink as it arrives, and the answer counts only if the
 * stream ends properly (`data: [DONE]`, or a `finish_reason`): a stream that breaks off, times out
 * or sends something that is not a chunk is no answer, and the caller says the bot's fallback.
 */
import { z } from "zod";
import { ServerSentEventParser } from "../../../../shared/server-sent-events.ts";
import { requestJson } from "./http.ts";

/** Where the model's text goes while it is written: each piece once, in order, then `end` (whatever the outcome). */
export interface ReplyTextSink {
  write(text: string): void;
  end(): void;
}

export interface ChatCompletionRequest {
  url: string;
  headers: Record<string, string>;
  /** The request body without `stream`. */
  body: Record<string, unknown>;
  /** For the whole exchange, the stream's last byte included. */
  timeoutMs: number;
}

const ChatCompletionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
});

const ChatCompletionChunkSchema = z.object({
  choices: z.array(
    z.object({
      delta: z.object({ content: z.string().nullish() }).optional(),
      finish_reason: z.string().nullish(),
    }),
  ),
});

/** The model's answer, or undefined for any failure (no answer, an error status, not a completion). */
export async function wholeChatCompletion(fetcher: typeof fetch, request: ChatCompletionRequest): Promise<string | undefined> {
  const outcome = await requestJson(fetcher, {
    url: request.url,
    method: "POST",
    headers: request.headers,
    body: JSON.stringify(request.body),
    timeoutMs: request.timeoutMs,
    retries: 0,
  });
  if (outcome.kind === "failed" || outcome.badJson || outcome.status < 200 || outcome.status >= 300) return undefined;
  const completion = ChatCompletionSchema.safeParse(outcome.json);
  return completion.success ? (completion.data.choices[0]?.message.content ?? undefined) : undefined;
}

/**
 * Asks for the answer as a stream (`stream: true`) and hands each piece of text to `sink` as it
 * arrives. Returns the whole text once the stream ended properly; undefined if it broke off, timed
 * out or failed. An endpoint that answers with one JSON completion instead is read as such.
 */
export async function streamChatCompletion(fetcher: typeof fetch, request: ChatCompletionRequest, sink: ReplyTextSink): Promise<string | undefined> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), request.timeoutMs);
  try {
    const response = await fetcher(request.url, {
      method: "POST",
      headers: request.headers,
      body: JSON.stringify({ ...request.body, stream: true }),
      signal: controller.signal,
    });
    if (!response.ok || !response.body) {
      await response.body?.cancel();
      return undefined;
    }
    if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) return wholeAnswerOf(await response.text());
    return await readStream(response, sink);
  } catch {
    // A timeout (the abort), a network error, a connection closed mid-stream.
    return undefined;
  } finally {
    clearTimeout(timer);
    sink.end();
  }
}

async function readStream(response: Response, sink: ReplyTextSink): Promise<string | undefined> {
  const body = response.body;
  if (!body) return undefined;
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new ServerSentEventParser();
  let text = "";
  let finished = false;
  try {
    for (;;) {
      const read = await reader.read();
      if (read.done) return finished ? text : undefined;
      const bytes: unknown = read.value;
      if (!(bytes instanceof Uint8Array)) return undefined;
      for (const event of parser.push(decoder.decode(bytes, { stream: true }))) {
        if (event.data === "[DONE]") return text;
        const chunk = ChatCompletionChunkSchema.safeParse(parseJson(event.data));
        // An error object in the stream, or anything else that is not a chunk: the answer is broken.
        if (!chunk.success) return undefined;
        for (const choice of chunk.data.choices.slice(0, 1)) {
          const piece = choice.delta?.content;
          if (piece) {
            text += piece;
            sink.write(piece);
          }
          if (choice.finish_reason) finished = true;
        }
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function wholeAnswerOf(text: string): string | undefined {
  const completion = ChatCompletionSchema.safeParse(parseJson(text));
  return completion.success ? (completion.data.choices[0]?.message.content ?? undefined) : undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
