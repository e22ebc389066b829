// Human handoff: while an operator has the conversation the bot stays silent, the operator's
// messages reach the user live, and after release the bot answers again.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_API_KEY, startStratus, type ConversationHandle, type Stratus } from "../../devkit/local-stack.ts";
import { postMessage, readTranscript } from "../../devkit/transcript.ts";
import { ConversationSocket } from "../../devkit/websocket-client.ts";

let stratus: Stratus;
beforeAll(async () => {
  // A short watchdog (2 s, 2 attempts), so that a held turn's retries and fallback would show within seconds.
  stratus = await startStratus({ gatewayVars: { TURN_TIMEOUT_MS: "2000", MAX_TURN_ATTEMPTS: "2" } });
});
afterAll(() => stratus?.close());

const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}`, "Content-Type": "application/json" };
const operatorPost = (conversation: ConversationHandle, path: string, body?: unknown) =>
  stratus.fetch(`/v1/conversations/${conversation.id}/${path}`, {
    method: "POST",
    headers: operator,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const handedOff = async (conversation: ConversationHandle): Promise<boolean> => {
  const response = await stratus.fetch(`/v1/conversations/${conversation.id}`, { headers: { Authorization: `Bearer ${conversation.token}` } });
  return ((await response.json()) as { handedOff: boolean }).handedOff;
};

describe("operator handoff", () => {
  it("silences the bot, relays the agent, and gives the conversation back on release", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    expect(await handedOff(conversation)).toBe(false);
    const handoff = await operatorPost(conversation, "handoff");
    expect(await handoff.json()).toEqual({ id: conversation.id, handedOff: true });
    expect(await handedOff(conversation)).toBe(true);

    const user = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    const silent = await stratus.say(conversation, "hello, anyone there?");
    expect(silent.replies).toEqual([]);

    const agent = await operatorPost(conversation, "agent-messages", { text: "Hi, I'm Dana from support." });
    expect(agent.status).toBe(201);
    const frames = await user.waitFor((all) => all.some((f) => f.message?.role === "agent"));
    expect(frames.find((f) => f.message?.role === "agent")?.message?.text).toBe("Hi, I'm Dana from support.");
    user.close();

    // The operator reads the transcript with the operator key.
    const asOperator = await stratus.fetch(`/v1/conversations/${conversation.id}/messages`, { headers: operator });
    const { messages } = (await asOperator.json()) as { messages: { role: string }[] };
    expect(messages.map((m) => m.role)).toEqual(["user", "agent"]);

    expect(await (await operatorPost(conversation, "release")).json()).toEqual({ id: conversation.id, handedOff: false });
    const back = await stratus.say(conversation, "hello");
    expect(back.replies.length).toBeGreaterThan(0);
    expect(back.replies.every((r) => r.role === "bot")).toBe(true);
    // The message sent during the handoff was for the human: the bot never answers it late.
    const transcript = await readTranscript(stratus, conversation);
    expect(transcript.filter((m) => m.replyTo === 1)).toEqual([]);
  });

  it("keeps the bot out of a turn that was in flight when the operator took over: no late result, retry or fallback", async () => {
    // "#fail-dialogue-once": the dialogue Worker's first delivery fails and its retry brings the
    // result about a second later. "#fail-dialogue": every delivery fails, so the watchdog and
    // the dead-letter queue would send the turn again and then answer with the fallback.
    const late = await stratus.createConversation({ locale: "en" });
    const failing = await stratus.createConversation({ locale: "en" });
    const send = (conversation: ConversationHandle, text: string, query = "") =>
      postMessage(stratus, conversation, { text, clientMessageId: "in-flight" }, query);
    expect((await send(late, "hello #fail-dialogue-once")).status).toBe(202);
    expect((await send(failing, "hello #fail-dialogue")).status).toBe(202);
    // A request waiting for the bot's answer (the same clientMessageId waits for the original turn).
    const waiting = send(late, "hello #fail-dialogue-once", "?wait=20");
    for (const conversation of [late, failing]) expect((await operatorPost(conversation, "handoff")).status).toBe(200);
    const started = Date.now();
    const waited = await waiting;
    expect(waited.status).toBe(200);
    expect(((await waited.json()) as { replies: unknown[] }).replies).toEqual([]);
    expect(Date.now() - started).toBeLessThan(5_000);

    // Long enough for the late result, two watchdog periods and the dead letter to have come.
    await new Promise((resolve) => setTimeout(resolve, 7_000));
    for (const conversation of [late, failing]) {
      expect((await readTranscript(stratus, conversation)).map((m) => m.role)).toEqual(["user"]);
    }
    // The late result's dialogue state was dropped with its replies.
    const state = await stratus.fetch(`/v1/conversations/${late.id}`, { headers: { Authorization: `Bearer ${late.token}` } });
    expect(((await state.json()) as { state: { lastIntent: string | null } }).state.lastIntent).toBeNull();

    // After release the bot answers what is written next, not what was held.
    await operatorPost(late, "release");
    const back = await stratus.say(late, "hello");
    expect(back.replies.length).toBeGreaterThan(0);
    expect((await readTranscript(stratus, late)).filter((m) => m.replyTo === 1)).toEqual([]);
  });

  it("hands off when the user asks for a human", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const { replies } = await stratus.say(conversation, "I want to talk to a human agent");
    expect(replies.length).toBeGreaterThan(0);
    expect(await handedOff(conversation)).toBe(true);
    expect((await stratus.say(conversation, "hello?")).replies).toEqual([]);
  });

  it("404s operator calls for an unknown conversation and refuses agent messages without the key", async () => {
    const unknown = { id: "f".repeat(32), token: "", bot: "ecommerce", locale: null };
    expect((await operatorPost(unknown, "handoff")).status).toBe(404);
    const conversation = await stratus.createConversation();
    const response = await stratus.fetch(`/v1/conversations/${conversation.id}/agent-messages`, {
      method: "POST",
      headers: { Authorization: `Bearer ${conversation.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ text: "I am not an operator" }),
    });
    expect(response.status).toBe(401);
    expect(await readTranscript(stratus, conversation)).toEqual([]);
  });
});
