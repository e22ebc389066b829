// A whole conversation through a client generated from the OpenAPI document, as a team using the API
// from another codebase would build one: `npm run build:api` writes the document and its TypeScript
// types (openapi-typescript, generated/api-types.ts); openapi-fetch calls the real Workers on workerd
// with them. Every call below is type-checked against the generated types (`npm run typecheck`), so a
// route whose document drifts from what clients send breaks the build, and this test shows the
// document is enough to drive the API: no hand-written request or response type.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import createClient, { type Client } from "openapi-fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { components, paths } from "../../generated/api-types.ts";
import { OPERATOR_API_KEY, ROOT, startStratus, type Stratus } from "../../devkit/local-stack.ts";

type Message = paths["/v1/conversations/{id}/messages"]["get"]["responses"][200]["content"]["application/json"]["messages"][number];
type ErrorBody = components["schemas"]["ErrorBody"];

let stratus: Stratus;
/** No credential: the public operations. */
let anonymous: Client<paths>;
/** The operator key: handoff, release, agent messages, reading any conversation. */
let operator: Client<paths>;

const bearer = (credential: string) => ({ Authorization: `Bearer ${credential}` });

beforeAll(async () => {
  stratus = await startStratus();
  anonymous = createClient<paths, "application/json">({ baseUrl: stratus.url });
  operator = createClient<paths, "application/json">({ baseUrl: stratus.url, headers: bearer(OPERATOR_API_KEY) });
});
afterAll(() => stratus?.close());

describe("the client generated from the OpenAPI document", () => {
  it("was generated from the document the gateway serves", async () => {
    const served = (await (await stratus.fetch("/v1/openapi.json")).json()) as unknown;
    const generatedFrom = JSON.parse(readFileSync(join(ROOT, "generated/openapi.json"), "utf8")) as unknown;
    // If this fails, generated/ is stale: `npm run build:api` writes it again.
    expect(served).toEqual(generatedFrom);
  });

  it("runs a whole conversation: catalog, create, messages with ?wait, transcript, summary, handoff and release, NLU", async () => {
    // The bot catalog.
    const catalog = await anonymous.GET("/v1/bots");
    expect(catalog.response.status).toBe(200);
    expect(catalog.data?.bots.map((bot) => bot.id)).toContain("ecommerce");
    expect(catalog.data?.defaultBot).toBe("ecommerce");

    // A conversation with the ecommerce bot, in English.
    const created = await anonymous.POST("/v1/conversations", { body: { bot: "ecommerce", locale: "en" } });
    expect(created.response.status).toBe(201);
    if (!created.data) throw new Error(`create: ${JSON.stringify(created.error)}`);
    const { id } = created.data;
    expect(created.data).toMatchObject({ bot: "ecommerce", locale: "en" });
    let user = createClient<paths, "application/json">({ baseUrl: stratus.url, headers: bearer(created.data.token) });

    /** A user message with ?wait: the bot's replies come back in the same response (200). */
    const say = async (text: string) => {
      const sent = await user.POST("/v1/conversations/{id}/messages", {
        params: { path: { id }, query: { wait: "20" } },
        body: { text },
      });
      expect(sent.response.status, text).toBe(200);
      if (!sent.data || !("replies" in sent.data)) throw new Error(`"${text}": no replies (${sent.response.status})`);
      return sent.data;
    };

    const greeting = await say("hi there");
    expect(greeting.message).toMatchObject({ seq: 1, role: "user", text: "hi there" });
    expect(greeting.replies.map((reply) => reply.nlu?.intent.name)).toContain("greet");

    // The order form: the bot asks for the number, answers a question in between and asks again,
    // and lets the user cancel it (no order is looked up: that needs the shop's backend).
    const asked = await say("can you track my package please");
    expect(asked.replies.map((reply) => reply.response)).toEqual(["utter_ask_order_id"]);
    const inForm = await user.GET("/v1/conversations/{id}", { params: { path: { id } } });
    expect(inForm.data?.state.activeForm).not.toBeNull();
    const digression = await say("how much does shipping cost?");
    expect(digression.replies.map((reply) => reply.response)).toEqual(["utter_shipping_info", "utter_ask_order_id"]);
    const cancelled = await say("never mind");
    expect(cancelled.replies.map((reply) => reply.response)).toEqual(["utter_form_cancelled"]);

    // The token renewed mid-conversation: the client goes on with the new one.
    const renewed = await user.POST("/v1/conversations/{id}/token", { params: { path: { id } } });
    expect(renewed.response.status).toBe(200);
    if (!renewed.data) throw new Error("no renewed token");
    user = createClient<paths, "application/json">({ baseUrl: stratus.url, headers: bearer(renewed.data.token) });

    // The operator takes over: the bot stays silent, an agent answers, then the bot has it back.
    const handedOff = await operator.POST("/v1/conversations/{id}/handoff", { params: { path: { id } } });
    expect(handedOff.data).toEqual({ id, handedOff: true });
    const duringHandoff = await say("I want to talk to a person");
    expect(duringHandoff.replies).toEqual([]);
    const agent = await operator.POST("/v1/conversations/{id}/agent-messages", {
      params: { path: { id } },
      body: { text: "Hello, this is Sam from support." },
    });
    expect(agent.response.status).toBe(201);
    expect(agent.data?.message.role).toBe("agent");
    const released = await operator.POST("/v1/conversations/{id}/release", { params: { path: { id } } });
    expect(released.data).toEqual({ id, handedOff: false });
    const thanks = await say("thanks a lot!");
    expect(thanks.replies.map((reply) => reply.response)).toEqual(["utter_youre_welcome"]);

    // The transcript, oldest first, read by the user and by the operator alike.
    const transcript = await user.GET("/v1/conversations/{id}/messages", { params: { path: { id }, query: { after: "0", limit: "200" } } });
    expect(transcript.response.status).toBe(200);
    const messages: Message[] = transcript.data?.messages ?? [];
    expect(messages.map((message) => message.seq)).toEqual(messages.map((_, index) => index + 1));
    expect(messages.filter((message) => message.role === "user").map((message) => message.text)).toEqual([
      "hi there",
      "can you track my package please",
      "how much does shipping cost?",
      "never mind",
      "I want to talk to a person",
      "thanks a lot!",
    ]);
    expect(messages.filter((message) => message.role === "agent").map((message) => message.text)).toEqual(["Hello, this is Sam from support."]);
    const asOperator = await operator.GET("/v1/conversations/{id}/messages", { params: { path: { id } } });
    expect(asOperator.data?.messages).toEqual(messages);

    // The summary: bot, locale, handoff state, the last seq, and what the bot knows.
    const summary = await user.GET("/v1/conversations/{id}", { params: { path: { id } } });
    expect(summary.response.status).toBe(200);
    expect(summary.data).toMatchObject({ id, bot: "ecommerce", locale: "en", handedOff: false, lastSeq: messages.at(-1)?.seq });
    expect(summary.data?.state.activeForm).toBeNull();

    // The NLU on its own, as an evaluation tool calls it.
    const parsed = await anonymous.POST("/v1/nlu/parse", { body: { text: "where is my order ORD-4820193", locale: "en" } });
    expect(parsed.response.status).toBe(200);
    expect(parsed.data?.intent.name).toBe("order_status");
    expect(parsed.data?.entities).toContainEqual(expect.objectContaining({ entity: "order_id", value: "ORD-4820193" }));
  });

  it("gets the errors as the document's ErrorBody, with the status each operation declares", async () => {
    const created = await anonymous.POST("/v1/conversations", { body: { locale: "en" } });
    if (!created.data) throw new Error("no conversation");
    const { id } = created.data;

    const withoutToken = await anonymous.GET("/v1/conversations/{id}", { params: { path: { id } } });
    expect(withoutToken.response.status).toBe(401);
    const unauthorized: ErrorBody | undefined = withoutToken.error;
    expect(unauthorized?.error.code).toBe("unauthorized");

    const unknownBot = await anonymous.POST("/v1/conversations", { body: { bot: "no-such-bot" } });
    expect(unknownBot.response.status).toBe(400);
    expect(unknownBot.error?.error.code).toBe("unknown_bot");

    // The generated types refuse a misspelt field at compile time; the gateway refuses it at run time.
    const user = createClient<paths, "application/json">({ baseUrl: stratus.url, headers: bearer(created.data.token) });
    const misspelt = await user.POST("/v1/conversations/{id}/messages", {
      params: { path: { id } },
      // @ts-expect-error `txt` is not a field of the message body (the generated type has `text`).
      body: { txt: "hello" },
    });
    expect(misspelt.response.status).toBe(400);
    expect(misspelt.error?.error.code).toBe("invalid_request");
  });
});
