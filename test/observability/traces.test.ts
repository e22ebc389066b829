// W3C trace context end to end: a client's traceparent is continued by the turn through the
// gateway, the conversation object, both queues and Workers, into the bot's backend call; the
// request id (and every log line's traceId) is the trace id. A malformed header is ignored.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../demo/services.ts";
import { TEST_ACTION_KEYS } from "../../devkit/action-keys.ts";
import { startStratus, type Stratus } from "../../devkit/local-stack.ts";
import { ConversationSocket } from "../../devkit/websocket-client.ts";
import { parseTraceparent } from "../../shared/trace-context.ts";

const CLIENT_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
const CLIENT_TRACEPARENT = `00-${CLIENT_TRACE}-00f067aa0ba902b7-01`;

let demo: DemoServices;
let stratus: Stratus;
/** The traceparent of each request the bots' backend received, by path. */
const backendCalls: { path: string; traceparent: string | undefined }[] = [];

beforeAll(async () => {
  demo = await startDemoServices({
    actionKeys: TEST_ACTION_KEYS,
    port: 0,
    onRequest: (request) => backendCalls.push({ path: request.url ?? "", traceparent: request.headers.traceparent as string | undefined }),
  });
  stratus = await startStratus({ dialogueVars: { ORDER_API_URL: demo.url } });
});
afterAll(async () => {
  await stratus?.close();
  await demo?.close();
});

/** Asks for order ORD-4820193 (the shop bot calls the order API) with these headers. */
async function askForOrder(headers: Record<string, string>): Promise<Response> {
  const conversation = await stratus.createConversation({ locale: "en" });
  return stratus.fetch(`/v1/conversations/${conversation.id}/messages?wait=20`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${conversation.token}`, ...headers },
    body: JSON.stringify({ text: "where is my order ORD-4820193" }),
  });
}

const lastOrderCall = () => backendCalls.filter((call) => call.path.startsWith("/orders/")).at(-1);

describe("trace context", () => {
  it("continues the client's trace into the bot's backend call, in a new span", async () => {
    const response = await askForOrder({ traceparent: CLIENT_TRACEPARENT });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-request-id")).toBe(CLIENT_TRACE);
    const sent = parseTraceparent(lastOrderCall()?.traceparent);
    expect(sent).toMatchObject({ traceId: CLIENT_TRACE, flags: "01" });
    expect(sent?.spanId).not.toBe("00f067aa0ba902b7");
  });

  it.each([
    ["malformed", "00-not-a-trace-01"],
    ["all-zero", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
  ])("ignores a %s traceparent: the turn is answered in a trace of its own", async (_, traceparent) => {
    const response = await askForOrder({ traceparent });
    expect(response.status).toBe(200);
    const requestId = response.headers.get("x-request-id") ?? "";
    expect(requestId).toMatch(/^[0-9a-f]{32}$/);
    expect(requestId).not.toBe("00000000000000000000000000000000");
    expect(parseTraceparent(lastOrderCall()?.traceparent)?.traceId).toBe(requestId);
  });

  it("takes the trace context of a WebSocket message from the frame", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const socket = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    socket.send({ type: "message", text: "where is my order ORD-4820193", traceparent: CLIENT_TRACEPARENT.replace(CLIENT_TRACE, "a".repeat(32)) });
    await socket.waitFor((frames) => frames.some((frame) => frame.message?.role === "bot"));
    socket.close();
    expect(parseTraceparent(lastOrderCall()?.traceparent)?.traceId).toBe("a".repeat(32));
  });
});
