// Dead letters an operator can act on, end to end: a turn whose deliveries all fail is dead-lettered
// by the real queue, the user gets the fallback, the operator finds it in GET /v1/dead-letters and
// replays it, and the user gets the real answer as a follow-up marked `replayed` — once.
// Fault injection (shared/fault-injection.ts): "#fail-dialogue-until-attempt-2" fails every
// delivery of the first dispatch only, so the replay (a later dispatch) goes through.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { OPERATOR_API_KEY, startStratus, type ConversationHandle, type Stratus } from "../../devkit/local-stack.ts";
import { readTranscript, waitForTranscript } from "../../devkit/transcript.ts";
import { ConversationSocket } from "../../devkit/websocket-client.ts";
import { DeadLetterListSchema, DeadLetterSchema, ErrorBodySchema, type DeadLetter } from "../../shared/schemas/index.ts";

const FALLBACK = "stratus_pipeline_fallback";
const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}` };

let stratus: Stratus;
beforeAll(async () => {
  // One dispatch per turn, so one dead letter brings the fallback; the watchdog stays out of the way.
  stratus = await startStratus({ gatewayVars: { MAX_TURN_ATTEMPTS: "1", TURN_TIMEOUT_MS: "60000" } });
});
afterAll(() => stratus?.close());

async function deadLettersOf(conversation: ConversationHandle): Promise<DeadLetter[]> {
  const response = await stratus.fetch("/v1/dead-letters?limit=200", { headers: operator });
  expect(response.status).toBe(200);
  return DeadLetterListSchema.parse(await response.json()).deadLetters.filter((d) => d.conversationId === conversation.id);
}

async function waitForDeadLetter(conversation: ConversationHandle, predicate: (d: DeadLetter) => boolean): Promise<DeadLetter> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const found = (await deadLettersOf(conversation)).find(predicate);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no such dead letter: ${JSON.stringify(await deadLettersOf(conversation))}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

const replay = (id: number | string) => stratus.fetch(`/v1/dead-letters/${id}/replay`, { method: "POST", headers: operator });

/** Sends `text` and waits for the fallback it gets once its only dispatch is dead-lettered. */
async function failingTurn(conversation: ConversationHandle, text: string): Promise<void> {
  const { replies } = await stratus.say(conversation, text, 30);
  expect(replies.map((r) => r.response)).toEqual([FALLBACK]);
}

describe("dead letters", () => {
  it("are listed for operators without text or token, and a replay answers the user once, after the fallback", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    const socket = await ConversationSocket.open(stratus.url, conversation.id, conversation.token);
    await failingTurn(conversation, "hello #fail-dialogue-until-attempt-2");

    // The consumer's failure reports travel on their own queue: the fourth may land after the dead letter.
    const listed = await waitForDeadLetter(conversation, (d) => d.deliveries === 4);
    expect(listed).toMatchObject({ seq: 1, stage: "dialogue", attempts: 1, turn: "fallback", replayable: true, replays: 0 });
    expect(listed.lastError).toMatch(/injected dialogue failure/);
    const page = await (await stratus.fetch("/v1/dead-letters?limit=200", { headers: operator })).text();
    expect(page).not.toContain("#fail-dialogue");
    expect(page).not.toContain(conversation.token);

    const accepted = await replay(listed.id);
    expect(accepted.status).toBe(202);
    const { deadLetter } = (await accepted.json()) as { deadLetter: unknown };
    expect(DeadLetterSchema.parse(deadLetter)).toMatchObject({ id: listed.id, turn: "replaying", replayable: false, replays: 1 });

    const transcript = await waitForTranscript(stratus, conversation, (messages) => messages.some((m) => m.replayed === true));
    const replies = transcript.filter((m) => m.replyTo === 1);
    expect(replies.map((m) => [m.response, m.replayed])).toEqual([
      [FALLBACK, undefined],
      ...replies.slice(1).map((m) => [m.response, true]),
    ]);
    expect(replies[1]?.nlu?.intent.name).toBe("greet");
    // Pushed to the user's socket like any reply, marked as the late answer it is.
    await socket.waitFor((frames) => frames.some((f) => f.message?.replayed === true));
    socket.close();

    expect(await waitForDeadLetter(conversation, (d) => d.turn === "replayed")).toMatchObject({ replayable: false });
    const again = await replay(listed.id);
    expect(again.status).toBe(409);
    const refusal = ErrorBodySchema.parse(await again.json()).error;
    expect(refusal.code).toBe("not_replayable");
    expect(refusal.message).toMatch(/answered/);
    expect((await readTranscript(stratus, conversation)).filter((m) => m.replyTo === 1)).toHaveLength(replies.length);
  });

  it("whose replay fails again give the user nothing new and stay replayable", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    await failingTurn(conversation, "hello #fail-intent");
    const first = await waitForDeadLetter(conversation, () => true);
    expect(first).toMatchObject({ stage: "intent", attempts: 1, turn: "fallback" });

    expect((await replay(first.id)).status).toBe(202);
    const after = await waitForDeadLetter(conversation, (d) => d.attempts === 2 && d.turn === "fallback");
    expect(after).toMatchObject({ id: first.id, replayable: true, replays: 1 });
    expect((await readTranscript(stratus, conversation)).filter((m) => m.role === "bot").map((m) => m.response)).toEqual([FALLBACK]);
  });

  it("of a conversation a human has are not replayed until the operator releases it", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    await failingTurn(conversation, "hello #fail-dialogue-until-attempt-2");
    const listed = await waitForDeadLetter(conversation, () => true);
    expect((await stratus.fetch(`/v1/conversations/${conversation.id}/handoff`, { method: "POST", headers: operator })).status).toBe(200);
    expect((await deadLettersOf(conversation))[0]).toMatchObject({ turn: "fallback", replayable: false });

    const refused = await replay(listed.id);
    expect(refused.status).toBe(409);
    expect(ErrorBodySchema.parse(await refused.json()).error.message).toMatch(/release/);

    await stratus.fetch(`/v1/conversations/${conversation.id}/release`, { method: "POST", headers: operator });
    expect((await replay(listed.id)).status).toBe(202);
    await waitForTranscript(stratus, conversation, (messages) => messages.some((m) => m.replayed === true));
  });

  it("are for operators only, and an id that is none is a 404", async () => {
    const conversation = await stratus.createConversation({ locale: "en" });
    for (const headers of [{}, { Authorization: `Bearer ${conversation.token}` }]) {
      expect((await stratus.fetch("/v1/dead-letters", { headers })).status).toBe(401);
      expect((await stratus.fetch("/v1/dead-letters/1/replay", { method: "POST", headers })).status).toBe(401);
    }
    for (const id of ["999999", "0", "abc", "1e3"]) {
      const response = await replay(id);
      expect(response.status, id).toBe(404);
      expect(ErrorBodySchema.parse(await response.json()).error.code).toBe("dead_letter_not_found");
    }
    expect((await stratus.fetch("/v1/dead-letters?limit=0", { headers: operator })).status).toBe(400);
  });
});
