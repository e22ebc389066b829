// The LLM fallback streamed (docs/streaming.md) against the loopback OpenAI-compatible server
// (devkit/llm-server.ts): the text reaches the sink piece by piece, and a stream that breaks off,
// stalls past the bot's timeout or is not a stream of chunks ends in the bot's own fallback.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLlmServer, type LlmServer } from "../../../../devkit/llm-server.ts";
import type { Bot, EngineDeps, ReplyTextSink } from "../../src/engine/index.ts";
import { Conversation, exampleBot, nlu, responses, texts } from "./helpers.ts";

const ANSWER = "Savings accounts pay interest monthly; the current rate is shown in the app under Accounts, and it changes with the central bank rate.";

let llm: LlmServer;
beforeAll(async () => {
  llm = await startLlmServer({ answer: () => ANSWER, chunkDelayMs: 5 });
});
afterAll(() => llm.close());
afterEach(() => llm.setOptions({ answer: () => ANSWER, chunkDelayMs: 5 }));

/** A sink that records what it got, and whether it was ended. */
function recordingSink() {
  const seen = { pieces: [] as string[], opened: 0, ended: 0 };
  const open = (): ReplyTextSink => {
    seen.opened++;
    return { write: (text) => seen.pieces.push(text), end: () => seen.ended++ };
  };
  return { seen, open };
}

const finance = exampleBot("finance");
/** The finance bot, waiting at most 600 ms for the model (bot.yaml `llm.timeoutMs`; 8 s by default). */
const bot: Bot = { ...finance, definition: { ...finance.definition, llm: { enabled: true, faqContext: 3, ...finance.definition.llm, timeoutMs: 600 } } };
function streamingConversation(open: () => ReplyTextSink, fetcher: typeof fetch = (input, init) => fetch(input, init)) {
  const deps: EngineDeps = { fetch: fetcher, env: {}, llm: { baseUrl: llm.baseUrl, apiKey: "test-key", model: "tiny-model" }, streamReply: open };
  return new Conversation(bot, deps);
}

const MISS = "what about interest on money kept at home";

describe("the LLM fallback, streamed", () => {
  it("asks for a stream and hands every piece to the sink as it arrives; the reply is the whole text", async () => {
    const { seen, open } = recordingSink();
    const conversation = streamingConversation(open);
    await conversation.say("hi", nlu("greet"));
    const requestsBefore = llm.requests.length;
    const decision = await conversation.say(MISS, nlu("out_of_scope"));
    expect(llm.requests.slice(requestsBefore).map((request) => request.stream)).toEqual([true]);
    expect(responses(decision)).toEqual(["llm_fallback"]);
    expect(texts(decision)).toBe(ANSWER);
    expect(seen.pieces.length).toBe(ANSWER.split(" ").length);
    expect(seen.pieces.join("")).toBe(ANSWER);
    expect(seen).toMatchObject({ opened: 1, ended: 1 });
  });

  it("a stream that breaks off after a few chunks ends in the bot's fallback, after those chunks were shown", async () => {
    llm.setOptions({ answer: () => ANSWER, chunkDelayMs: 5, breakAfterChunks: 4 });
    const { seen, open } = recordingSink();
    const conversation = streamingConversation(open);
    await conversation.say("hi", nlu("greet"));
    const decision = await conversation.say(MISS, nlu("out_of_scope"));
    expect(responses(decision)).toEqual(["utter_rephrase"]);
    expect(seen.pieces).toHaveLength(4);
    expect(seen.ended).toBe(1);
  });

  it("a stream that stalls past the bot's timeout ends in the bot's fallback", async () => {
    // A chunk every 300 ms: the whole answer would take 7 s.
    llm.setOptions({ answer: () => ANSWER, chunkDelayMs: 300 });
    const { seen, open } = recordingSink();
    const conversation = streamingConversation(open);
    await conversation.say("hi", nlu("greet"));
    const started = Date.now();
    const decision = await conversation.say(MISS, nlu("out_of_scope"));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(responses(decision)).toEqual(["utter_rephrase"]);
    expect(seen.pieces.length).toBeGreaterThanOrEqual(1);
    expect(seen.ended).toBe(1);
  });

  it("an endpoint that ignores `stream` and answers with one JSON completion is read as such", async () => {
    const { seen, open } = recordingSink();
    const jsonOnly: typeof fetch = (input, init) => {
      const body = JSON.parse(typeof init?.body === "string" ? init.body : "{}") as Record<string, unknown>;
      return fetch(input, { ...init, body: JSON.stringify({ ...body, stream: false }) });
    };
    const conversation = streamingConversation(open, jsonOnly);
    await conversation.say("hi", nlu("greet"));
    const decision = await conversation.say(MISS, nlu("out_of_scope"));
    expect(texts(decision)).toBe(ANSWER);
    expect(seen.pieces).toEqual([]);
  });

  it("an error in the stream (not a chunk) ends in the bot's fallback", async () => {
    const { open } = recordingSink();
    const erroring: typeof fetch = () =>
      Promise.resolve(new Response('data: {"choices":[{"delta":{"content":"Our "}}]}\n\ndata: {"error":{"message":"overloaded"}}\n\n', { headers: { "content-type": "text/event-stream" } }));
    const conversation = streamingConversation(open, erroring);
    await conversation.say("hi", nlu("greet"));
    expect(responses(await conversation.say(MISS, nlu("out_of_scope")))).toEqual(["utter_rephrase"]);
  });

  it("a stream that ends with a finish_reason but no [DONE] is complete", async () => {
    const { open } = recordingSink();
    const noDone: typeof fetch = () =>
      Promise.resolve(
        new Response('data: {"choices":[{"delta":{"content":"Rates "}}]}\n\ndata: {"choices":[{"delta":{"content":"vary."},"finish_reason":"stop"}]}\n\n', {
          headers: { "content-type": "text/event-stream" },
        }),
      );
    const conversation = streamingConversation(open, noDone);
    await conversation.say("hi", nlu("greet"));
    expect(texts(await conversation.say(MISS, nlu("out_of_scope")))).toBe("Rates vary.");
  });
});
