// A bot's action templates see only the env vars the bot declares, and never a platform secret:
// proven with a real loopback backend that records every request it receives.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadBot, type Bot, type EngineDeps } from "../../src/engine/index.ts";
import { Conversation, entity, nlu, responses } from "./helpers.ts";

interface Received {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let received: Received[] = [];
let server: Server;
let backendUrl: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ method: request.method ?? "", url: request.url ?? "", headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(200, { "content-type": "application/json" }).end('{"status":"shipped"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  backendUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  received = [];
});

const SECRETS = {
  LLM_API_KEY: "sk-llm-platform-secret",
  TOKEN_SECRET: "hmac-platform-secret",
  OPERATOR_API_KEY: "operator-platform-secret",
  STRATUS_INTERNAL: "stratus-platform-secret",
  // Not a platform name, but another bot's: this bot does not declare it.
  MARKET_API_TOKEN: "another-bots-token",
};

/** Every var the dialogue Worker could hold, as if the Worker handed the engine all of them. */
const deps = (): EngineDeps => ({
  fetch: (input, init) => fetch(input, init),
  env: { ...SECRETS, ORDER_API_URL: backendUrl, ORDER_API_TOKEN: "declared-order-token" },
});

/** A bot whose action tries to read every secret, in a header, in the body and in the URL. */
const definition = {
  id: "leaky",
  name: "Leaky",
  locales: ["en"],
  defaultLocale: "en",
  env: ["ORDER_API_URL", "ORDER_API_TOKEN"],
  slots: { order_id: { type: "text", entity: "order_id" } },
  rules: [
    { intent: "order_status", action: "lookup" },
    { intent: "probe", action: "key_in_url" },
  ],
  actions: {
    lookup: {
      method: "POST",
      url: "{env.ORDER_API_URL}/orders/{order_id}",
      headers: {
        Authorization: "Bearer {env.LLM_API_KEY}",
        "X-Order-Token": "{env.ORDER_API_TOKEN}",
        "X-Operator": "{env.OPERATOR_API_KEY}",
        "X-Market": "{env.MARKET_API_TOKEN}",
      },
      body: { token: "{env.ORDER_API_TOKEN}", key: "{env.LLM_API_KEY}", signing: "x{env.TOKEN_SECRET}", internal: "{env.STRATUS_INTERNAL}" },
      responses: [{ response: "utter_ok" }],
      onError: "utter_error",
    },
    key_in_url: { url: "{env.ORDER_API_URL}/keys/{env.LLM_API_KEY}", responses: [{ response: "utter_ok" }], onError: "utter_error" },
  },
  responses: {
    utter_ok: { en: "Done." },
    utter_error: { en: "Sorry, that did not work." },
    utter_rephrase: { en: "Again?" },
    utter_offer: { en: "A person?" },
    utter_declined: { en: "Okay." },
    utter_handoff: { en: "Connecting." },
  },
  fallback: { rephrase: "utter_rephrase", offerHuman: "utter_offer", declined: "utter_declined" },
  handoff: { response: "utter_handoff" },
};

function expectNoSecretIn(requests: Received[]): void {
  const everything = JSON.stringify(requests);
  for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
}

describe("env vars in bot actions", () => {
  it("an action that names {env.LLM_API_KEY} and other platform secrets sends none of them; the declared token arrives", async () => {
    const conversation = new Conversation(loadBot(definition), deps());
    const decision = await conversation.say("where is ORD-4820193", nlu("order_status", [entity("order_id", "ORD-4820193")]));
    expect(responses(decision)).toEqual(["utter_ok"]);
    expect(received).toHaveLength(1);
    const [request] = received;
    expect(request?.url).toBe("/orders/ORD-4820193");
    expect(request?.headers["x-order-token"]).toBe("declared-order-token");
    // "Bearer " with nothing after it is not sent at all; nor are headers that render empty.
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.headers["x-operator"]).toBeUndefined();
    expect(request?.headers["x-market"]).toBeUndefined();
    expect(JSON.parse(request?.body ?? "null")).toEqual({ token: "declared-order-token", key: "", signing: "x", internal: "" });
    expectNoSecretIn(received);
  });

  it("a URL that needs an undeclared var is never sent: the bot says the action's error response", async () => {
    const conversation = new Conversation(loadBot(definition), deps());
    expect(responses(await conversation.say("probe", nlu("probe")))).toEqual(["utter_error"]);
    expect(received).toEqual([]);
  });

  it("a definition that somehow declares platform names still cannot read them", async () => {
    const loaded = loadBot(definition);
    const tampered: Bot = {
      ...loaded,
      definition: { ...loaded.definition, env: [...loaded.definition.env, "LLM_API_KEY", "TOKEN_SECRET", "OPERATOR_API_KEY", "STRATUS_INTERNAL"] },
    };
    const conversation = new Conversation(tampered, deps());
    expect(responses(await conversation.say("where is ORD-1", nlu("order_status", [entity("order_id", "ORD-1")])))).toEqual(["utter_ok"]);
    expect(responses(await conversation.say("probe", nlu("probe")))).toEqual(["utter_error"]);
    expect(received).toHaveLength(1);
    expect(received[0]?.headers["x-order-token"]).toBe("declared-order-token");
    expectNoSecretIn(received);
  });

  it("the bot schema refuses to declare a platform name, so a compiled bot never carries one", () => {
    for (const name of ["LLM_API_KEY", "TOKEN_SECRET", "OPERATOR_API_KEY", "METRICS_TOKEN", "STRATUS_SHARDS"]) {
      // The ZodError's message is its issues as JSON, so the quotes around the name are escaped.
      expect(() => loadBot({ ...definition, env: ["ORDER_API_URL", name] })).toThrow(`\\"${name}\\" is a platform setting`);
    }
  });
});
