import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineDeps } from "../../src/engine/index.ts";
import { Conversation, exampleBot, nlu, responses, texts } from "./helpers.ts";

/** A loopback stand-in for an OpenAI-compatible endpoint; `mode` picks how it answers. */
let mode: "answer" | "error" | "garbage" = "answer";
let lastRequest: { authorization?: string | undefined; body: { model: string; messages: Array<{ role: string; content: string }> } } | undefined;
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      if (request.url !== "/v1/chat/completions" || request.method !== "POST") {
        response.writeHead(404).end();
        return;
      }
      lastRequest = { authorization: request.headers.authorization, body: JSON.parse(Buffer.concat(chunks).toString("utf8")) as NonNullable<typeof lastRequest>["body"] };
      if (mode === "error") response.writeHead(503).end("{}");
      else if (mode === "garbage") response.writeHead(200, { "content-type": "application/json" }).end('{"nope":true}');
      else {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: "Our savings account pays 2.1% a year." } }] }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const bot = exampleBot("finance");
const llmDeps = (): EngineDeps => ({
  fetch: (input, init) => fetch(input, init),
  env: {},
  llm: { baseUrl, apiKey: "test-key", model: "tiny-model" },
});

describe("LLM fallback", () => {
  it("is off without configuration: a miss gets the normal fallback", async () => {
    const conversation = new Conversation(bot, { fetch: (input, init) => fetch(input, init), env: {} });
    await conversation.say("hi", nlu("greet"));
    expect(responses(await conversation.say("could my money grow somewhere", nlu("out_of_scope")))).toEqual(["utter_rephrase"]);
  });

  it("answers a miss with the model, grounded in the closest FAQ entries", async () => {
    mode = "answer";
    const conversation = new Conversation(bot, llmDeps());
    await conversation.say("hi", nlu("greet"));
    const decision = await conversation.say("what about interest on money kept at home", nlu("out_of_scope"));
    expect(responses(decision)).toEqual(["llm_fallback"]);
    expect(texts(decision)).toBe("Our savings account pays 2.1% a year.");
    expect(decision.state.fallbackStreak).toBe(0);
    expect(lastRequest?.authorization).toBe("Bearer test-key");
    expect(lastRequest?.body.model).toBe("tiny-model");
    const system = lastRequest?.body.messages[0]?.content ?? "";
    // The closest FAQ entry (credit vs debit, which mentions interest) is given as reference.
    expect(system).toContain("19.9%");
    expect(system).toContain("not financial advice");
  });

  it.each(["error", "garbage"] as const)("a %s from the model falls back to asking to rephrase", async (failure) => {
    mode = failure;
    const conversation = new Conversation(bot, llmDeps());
    await conversation.say("hi", nlu("greet"));
    expect(responses(await conversation.say("what about interest on money kept at home", nlu("out_of_scope")))).toEqual([
      "utter_rephrase",
    ]);
  });
});
