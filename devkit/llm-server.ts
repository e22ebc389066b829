// A loopback stand-in for an OpenAI-compatible chat-completions API (the LLM fallback's paid outside
// service, which tests cannot reach): a real HTTP server on 127.0.0.1 that records each request and
// answers `answer(request)`, whole (JSON) or streamed as server-sent events when the request asks
// for `stream: true` — token by token, optionally breaking off part-way.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ChatCompletionRequest {
  model?: string;
  stream?: boolean;
  messages?: { role: string; content: string }[];
}

export interface LlmServerOptions {
  /** The answer's text for a request (default: a fixed sentence). */
  answer?: (request: ChatCompletionRequest) => string;
  /** Streaming: delay between chunks (ms, default 20). */
  chunkDelayMs?: number;
  /** Streaming: stop after this many chunks, closing the connection without `[DONE]` (a broken stream). */
  breakAfterChunks?: number;
  /**
   * Streaming: after this many chunks, wait for `release()` before the rest (a test can then do
   * something mid-stream — cut a client's connection, bring it back — knowing the model has not
   * finished meanwhile, however slow the machine).
   */
  holdAfterChunks?: number;
}

export interface LlmServer {
  /** The API base to give the dialogue Worker as LLM_BASE_URL. */
  baseUrl: string;
  /** Every request received, in order. */
  requests: ChatCompletionRequest[];
  /** Sets the options for the next requests (and lifts a hold not yet released). */
  setOptions(options: LlmServerOptions): void;
  /** Lets streams held at `holdAfterChunks` go on (and any that reach it later pass). */
  release(): void;
  close(): Promise<void>;
}

const DEFAULT_ANSWER = "Our support team can help with that; here is what I know.";

export async function startLlmServer(initial: LlmServerOptions = {}): Promise<LlmServer> {
  let options = initial;
  const requests: ChatCompletionRequest[] = [];
  let released = Promise.withResolvers<void>();
  const server: Server = createServer((req, res) => {
    void (async () => {
      if (req.method !== "POST" || !req.url?.endsWith("/chat/completions")) {
        res.writeHead(404, { "content-type": "application/json" }).end('{"error":"not found"}');
        return;
      }
      const request = JSON.parse(await readBody(req)) as ChatCompletionRequest;
      requests.push(request);
      const text = (options.answer ?? (() => DEFAULT_ANSWER))(request);
      if (!request.stream) {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: text } }] }));
        return;
      }
      res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
      let gone = false;
      res.on("close", () => (gone = true));
      const chunks = text.match(/\S+\s*/g) ?? [text];
      for (const [i, chunk] of chunks.entries()) {
        // The client gave up (its timeout): nothing more to send.
        if (gone) return;
        if (options.breakAfterChunks !== undefined && i >= options.breakAfterChunks) {
          res.destroy();
          return;
        }
        if (i === options.holdAfterChunks) await released.promise;
        res.write(`data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: chunk } }] })}\n\n`);
        await new Promise((resolve) => setTimeout(resolve, options.chunkDelayMs ?? 20));
      }
      res.end("data: [DONE]\n\n");
    })().catch((error: unknown) => res.writeHead(500).end(String(error)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    setOptions: (next) => {
      options = next;
      released.resolve();
      released = Promise.withResolvers<void>();
    },
    release: () => released.resolve(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Streams still being written to a client that stopped reading, and idle keep-alive connections.
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}
