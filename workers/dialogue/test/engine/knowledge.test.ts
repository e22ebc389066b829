// Answers from the example bots' own help pages (bots/<id>/help/): a question no rule or FAQ entry
// covers gets the best passage, quoted, with its title and link; with the LLM on, the passages
// ground the model's answer. The real bots, the real index the build makes, NLU results by hand.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EngineDeps } from "../../src/engine/index.ts";
import { Conversation, exampleBot, nlu, responses, texts } from "./helpers.ts";

const noLlm: EngineDeps = { fetch: (input, init) => fetch(input, init), env: {} };
const shop = exampleBot("ecommerce");

describe("answers from documents", () => {
  it("quotes the section that answers, with its title and link", async () => {
    const conversation = new Conversation(shop, noLlm);
    const decision = await conversation.say("Do you deliver to Hong Kong?", nlu("out_of_scope"));
    expect(responses(decision)).toEqual(["doc:en/shipping#where-we-ship"]);
    const [answer] = decision.replies;
    expect(answer?.text).toContain("We do not ship to P.O. boxes, military addresses, Hong Kong");
    expect(answer?.sources).toEqual([{ title: "Shipping and delivery › Where we ship", url: "https://demo-shop.example/help/en/shipping#where-we-ship" }]);
    // Clients that do not render `sources` yet still show where the answer comes from.
    expect(answer?.text.endsWith("Source: Shipping and delivery › Where we ship — https://demo-shop.example/help/en/shipping#where-we-ship")).toBe(true);
    expect(decision.state.fallbackStreak).toBe(0);
  });

  it("answers in Chinese and Spanish from that language's pages", async () => {
    const zh = await new Conversation(shop, noLlm).say("能寄到台湾吗", nlu("out_of_scope", [], "zh"));
    expect(responses(zh)).toEqual(["doc:zh/shipping#配送范围"]);
    expect(texts(zh)).toContain("来源: 配送与送达 › 配送范围");
    const es = await new Conversation(shop, noLlm).say("¿Puedo pagar contra reembolso?", nlu("out_of_scope", [], "es"));
    expect(responses(es)).toEqual(["doc:es/pagos#medios-de-pago-aceptados"]);
    expect(es.replies[0]?.sources?.[0]?.url).toBe("https://demo-shop.example/help/es/pagos#medios-de-pago-aceptados");
  });

  it("reads HTML pages too (the health bot's privacy page), and other bots' pages", async () => {
    const health = exampleBot("health");
    const conversation = new Conversation(health, noLlm);
    const decision = await conversation.say("Do you sell my data to insurers?", nlu("out_of_scope"));
    // The health bot's disclaimer comes first, then the answer.
    expect(responses(decision)).toEqual(["utter_disclaimer", "doc:en/privacy#sharing"]);
    expect(texts(decision)).toContain("never sell data or share it with employers");
    const bank = new Conversation(exampleBot("finance"), noLlm);
    const fees = await bank.say("What does a paper statement cost?", nlu("out_of_scope"));
    expect(responses(fees)).toContain("doc:en/account-fees#paper-statements-and-other-services");
  });

  it("does not answer a question its pages say nothing about", async () => {
    const conversation = new Conversation(shop, noLlm);
    expect(responses(await conversation.say("who won the football match last night", nlu("out_of_scope")))).toEqual(["utter_rephrase"]);
  });

  it("leaves rules and the FAQ first", async () => {
    const conversation = new Conversation(shop, noLlm);
    expect(responses(await conversation.say("hello", nlu("greet")))).toEqual(["utter_greet"]);
    // The FAQ's payment-methods entry answers before the payments page does.
    expect(responses(await conversation.say("which payment methods do you accept", nlu("ask_faq")))[0]).toMatch(/^faq:/);
  });
});

/** A loopback stand-in for an OpenAI-compatible endpoint. */
let mode: "answer" | "error" = "answer";
let lastSystemPrompt = "";
let server: Server;
let baseUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { messages: Array<{ role: string; content: string }> };
      lastSystemPrompt = body.messages[0]?.content ?? "";
      if (mode === "error") response.writeHead(500).end("{}");
      else {
        response.writeHead(200, { "content-type": "application/json" });
        response.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: "Yes: the carrier may collect Canadian duties on delivery." } }] }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("answers from documents with the LLM on", () => {
  const llmDeps = (): EngineDeps => ({ fetch: (input, init) => fetch(input, init), env: {}, llm: { baseUrl, apiKey: "k", model: "m" } });

  it("grounds the model in the best passages and keeps their sources", async () => {
    mode = "answer";
    const decision = await new Conversation(shop, llmDeps()).say("Will I pay import duties in Canada?", nlu("out_of_scope"));
    expect(responses(decision)).toEqual(["llm_knowledge"]);
    expect(texts(decision)).toContain("Yes: the carrier may collect Canadian duties on delivery.");
    expect(decision.replies[0]?.sources?.[0]?.url).toBe("https://demo-shop.example/help/en/shipping#customs-and-import-duties");
    expect(lastSystemPrompt).toContain("Answer only from the passages");
    expect(lastSystemPrompt).toContain("collected by the carrier on delivery");
  });

  it("quotes the passage when the model fails", async () => {
    mode = "error";
    const decision = await new Conversation(shop, llmDeps()).say("Will I pay import duties in Canada?", nlu("out_of_scope"));
    expect(responses(decision)).toEqual(["doc:en/shipping#customs-and-import-duties"]);
  });
});
