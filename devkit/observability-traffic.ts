// Real chat traffic that exercises every metric the dashboard shows: the three bots in both
// languages, forms completed and cancelled, backend calls that succeed and fail, fallbacks,
// out-of-scope messages, handoffs (by the bot and by an operator), an agent's message, injected
// pipeline faults (a retry, a duplicate delivery, a turn dead-lettered until the fallback), bad
// input, a rate-limited flood and an open WebSocket. Used by the real-Prometheus test and by the
// dashboard preview (cli/dashboard-preview.ts).
//
// Needs a stack started with the order API of demo/services.ts (ORDER_API_URL), fault injection
// on (devkit's default), and a short watchdog (MAX_TURN_ATTEMPTS 2, TURN_TIMEOUT_MS ~2 s).
import { OPERATOR_API_KEY, type ConversationHandle, type Stratus } from "./local-stack.ts";
import { postMessage, waitForTranscript } from "./transcript.ts";
import { ConversationSocket } from "./websocket-client.ts";

export interface TrafficRun {
  /** WebSockets left open (the open-sockets gauge); close them when done. */
  sockets: ConversationSocket[];
}

async function conversation(stratus: Stratus, bot: string, locale?: string): Promise<ConversationHandle> {
  return stratus.createConversation(locale ? { bot, locale } : { bot });
}

async function chat(stratus: Stratus, handle: ConversationHandle, texts: readonly string[]): Promise<void> {
  for (const text of texts) await stratus.say(handle, text);
}

const operator = (stratus: Stratus, handle: ConversationHandle, path: string, body?: unknown): Promise<Response> =>
  stratus.fetch(`/v1/conversations/${handle.id}/${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${OPERATOR_API_KEY}`, "Content-Type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

/** One round of everything; safe to call again (each round uses new conversations). */
export async function sendObservabilityTraffic(stratus: Stratus): Promise<TrafficRun> {
  const shop = await conversation(stratus, "ecommerce", "en");
  const socket = await ConversationSocket.open(stratus.url, shop.id, shop.token);
  await Promise.all([
    // A form completed with a backend call that matches; a form cancelled; a backend that fails.
    chat(stratus, shop, ["hi there", "where is my order ORD-4820193?", "track my order", "never mind", "where is my order ORD-5000500", "thanks a lot!"]),
    // Not understood twice: the bot's fallback, out of scope, then a person offered.
    conversation(stratus, "ecommerce", "en").then((c) => chat(stratus, c, ["qwzx plorp vrrk", "blorf snark quux"])),
    conversation(stratus, "finance").then((c) => chat(stratus, c, ["hello", "what is the price of AAPL", "你好"])),
    conversation(stratus, "health", "en").then((c) => chat(stratus, c, ["hi", "I want to book an appointment"])),
    // The bot hands off; the next message is held for the person; an operator writes.
    conversation(stratus, "ecommerce", "en").then(async (c) => {
      await chat(stratus, c, ["I want to talk to a human"]);
      await postMessage(stratus, c, { text: "hello? anyone there?" });
      await operator(stratus, c, "agent-messages", { text: "Hi, this is Sam from support." });
    }),
    // An operator takes a conversation over.
    conversation(stratus, "finance", "en").then(async (c) => {
      await chat(stratus, c, ["hello"]);
      await operator(stratus, c, "handoff");
    }),
    // Faults: a consumer that fails once (retried), a duplicated delivery, a turn every delivery of
    // which fails (retried, dead-lettered, re-dispatched, then answered with the pipeline fallback).
    conversation(stratus, "ecommerce", "en").then((c) => chat(stratus, c, ["hello #fail-intent-once", "hello #dup-dialogue"])),
    conversation(stratus, "ecommerce", "en").then(async (c) => {
      await postMessage(stratus, c, { text: "hello #fail-dialogue" });
      await waitForTranscript(stratus, c, (messages) => messages.some((m) => m.replyTo === 1), 45_000);
    }),
    // Clients' mistakes: an empty message (400), a wrong token (401).
    conversation(stratus, "ecommerce", "en").then(async (c) => {
      await postMessage(stratus, c, { text: "" });
      await postMessage(stratus, { ...c, token: "not-the-token" }, { text: "hello" });
    }),
  ]);
  socket.send({ type: "message", text: "hello from the socket" });
  await socket.waitFor((frames) => frames.filter((frame) => frame.message?.role === "bot").length >= 1);
  // A flood: one conversation's budget is 60 messages per 10 s; 130 at once are partly refused even
  // when a window boundary falls inside the flood (the limiter counts in fixed windows: 70 could
  // split 35 and 35, and none were refused once in a full run).
  const flooded = await conversation(stratus, "health", "en");
  await Promise.all(Array.from({ length: 130 }, (_, i) => postMessage(stratus, flooded, { text: `hi ${i}` })));
  return { sockets: [socket] };
}
