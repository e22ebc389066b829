// Streamed replies in the conversation object (reply-streams.ts, reply-events.ts): which batches it
// takes, what a waiting event-stream request sees, and that a stream stores nothing.
import { afterEach, describe, expect, it, vi } from "vitest";
import { ReplyEventSchema, type IntentQueueMessage, type Message, type ReplyEvent, type ReplyStreamUpdate } from "../../../shared/schemas/index.ts";
import { ServerSentEventParser } from "../../../shared/server-sent-events.ts";
import { dialogueResult, newConversation, OPERATOR, recordIntentQueue, rowsWrittenBy, say, transcript, type TestConversation } from "./conversation-fixture.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

const WRITER = "0123456789abcdef";
const batch = (turn: IntentQueueMessage, part: number, text: string, stream = WRITER): ReplyStreamUpdate => ({
  v: 1,
  conversationId: turn.conversationId,
  seq: turn.seq,
  attempt: turn.attempt,
  stream,
  part,
  text,
});

/** Reads an event stream as it comes: the events so far, and a promise for the end. */
function readEvents(stream: ReadableStream<Uint8Array>): { events: ReplyEvent[]; done: Promise<void> } {
  const events: ReplyEvent[] = [];
  const parser = new ServerSentEventParser();
  const decoder = new TextDecoder();
  const done = (async () => {
    for await (const chunk of stream) {
      for (const event of parser.push(decoder.decode(chunk, { stream: true }))) {
        const parsed = ReplyEventSchema.parse(JSON.parse(event.data));
        expect(event.event).toBe(parsed.type);
        events.push(parsed);
      }
    }
  })();
  return { events, done };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

async function turnInFlight(conversation: TestConversation, queue: ReturnType<typeof recordIntentQueue>, text: string): Promise<{ message: Message; turn: IntentQueueMessage }> {
  const message = await say(conversation, text);
  const turn = queue.sent(conversation.id).at(-1);
  if (turn?.seq !== message.seq) throw new Error("the turn was not dispatched");
  return { message, turn };
}

describe("a streamed reply in the conversation object", () => {
  it("reaches a waiting event-stream request (stored and opened in one call) in order, ends naming the stored reply, and stores only that reply", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const first = await turnInFlight(conversation, queue, "hello");
    await conversation.stub.applyDialogueResult(dialogueResult(first.turn));

    // The gateway's `?wait` with `Accept: text/event-stream`: one request stores the message and opens the events.
    const appended = await conversation.stub.appendUserTurnAndWait({ text: "what about interest on money kept at home", traceId: crypto.randomUUID(), credential: OPERATOR }, 5000, "events");
    if (!appended.ok) throw new Error(appended.error.message);
    const { message } = appended;
    const turn = queue.sent(conversation.id).at(-1);
    if (turn?.seq !== message.seq) throw new Error("the turn was not dispatched");
    const reading = readEvents(appended.replies);
    const pieces = ["Savings ", "accounts pay ", "interest monthly."];
    const streamed = await rowsWrittenBy(conversation, async () => {
      for (const [part, text] of pieces.entries()) {
        expect(await conversation.stub.streamReply(batch(turn, part, text))).toEqual({ accepted: true, listeners: 1 });
      }
    });
    const whole = pieces.join("");
    const closing = await rowsWrittenBy(conversation, () => conversation.stub.applyDialogueResult(dialogueResult(turn, { replies: [{ text: whole, response: "llm_fallback" }] })));
    // The stream itself writes nothing, and the result closes the turn with its one row of replies:
    // the turn costs its two rows (with the user message's), as an unstreamed one (storage-cost.test.ts).
    expect(streamed).toBe(0);
    expect(closing).toBe(1);
    await reading.done;

    const stored = (await transcript(conversation)).at(-1);
    expect(stored).toMatchObject({ role: "bot", text: whole, replyTo: message.seq });
    const [opening, start, ...rest] = reading.events;
    expect(opening).toEqual({ type: "message", message });
    expect(start).toMatchObject({ type: "stream_start", replyTo: message.seq, text: "", next: 0 });
    const id = start?.type === "stream_start" ? start.id : "";
    expect(id.startsWith(`${conversation.id}:${message.seq}:`)).toBe(true);
    expect(rest).toEqual([
      ...pieces.map((text, index) => ({ type: "stream_delta", id, index, text })),
      { type: "stream_end", id, replyTo: message.seq, messageId: stored?.id ?? "" },
      { type: "replies", replies: [stored] },
    ]);
  });

  it("takes batches only from the turn in flight, with its attempt, in order", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const { turn } = await turnInFlight(conversation, queue, "tell me something");
    // Nobody watches: accepted, with no listener (the dialogue Worker then sends less often).
    expect(await conversation.stub.streamReply(batch(turn, 0, "One "))).toEqual({ accepted: true, listeners: 0 });
    const refused = { accepted: false, listeners: 0 };
    expect(await conversation.stub.streamReply(batch(turn, 2, "three "))).toEqual(refused);
    expect(await conversation.stub.streamReply(batch(turn, 0, "One "))).toEqual(refused);
    expect(await conversation.stub.streamReply({ ...batch(turn, 1, "two "), attempt: 2 })).toEqual(refused);
    expect(await conversation.stub.streamReply({ ...batch(turn, 1, "two "), seq: turn.seq + 5 })).toEqual(refused);
    expect(await conversation.stub.streamReply({ ...batch(turn, 1, "two "), conversationId: "f".repeat(32) })).toEqual(refused);
    expect(await conversation.stub.streamReply(batch(turn, 1, "two "))).toEqual({ accepted: true, listeners: 0 });
    expect(await conversation.stub.streamReply({ ...batch(turn, 1, "two "), stream: "not a writer id" })).toEqual(refused);

    await conversation.stub.applyDialogueResult(dialogueResult(turn));
    expect(await conversation.stub.streamReply(batch(turn, 2, "late "))).toEqual(refused);
  });

  it("gives a request that joins mid-stream the text so far, and lets a second writer of the turn replace the first", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const { message, turn } = await turnInFlight(conversation, queue, "something the bot does not know");
    await conversation.stub.streamReply(batch(turn, 0, "Our "));
    await conversation.stub.streamReply(batch(turn, 1, "support "));
    const reading = readEvents(await conversation.stub.replyEvents(message, 5000));
    await settle();
    expect(reading.events[1]).toMatchObject({ type: "stream_start", text: "Our support ", next: 2 });
    const firstId = reading.events[1]?.type === "stream_start" ? reading.events[1].id : "";

    // A duplicated delivery of the turn writes too: its stream replaces the first, which is told to stop.
    const second = "fedcba9876543210";
    expect(await conversation.stub.streamReply(batch(turn, 0, "We ", second))).toEqual({ accepted: true, listeners: 1 });
    expect(await conversation.stub.streamReply(batch(turn, 2, "team ", WRITER))).toEqual({ accepted: false, listeners: 0 });
    await conversation.stub.applyDialogueResult(dialogueResult(turn, { replies: [{ text: "We can help.", response: "llm_fallback" }] }));
    await reading.done;
    const types = reading.events.map((event) => event.type);
    expect(types).toEqual(["message", "stream_start", "stream_end", "stream_start", "stream_delta", "stream_end", "replies"]);
    expect(reading.events[2]).toEqual({ type: "stream_end", id: firstId, replyTo: message.seq, messageId: null });
    expect(reading.events[3]?.type === "stream_start" && reading.events[3].id).not.toBe(firstId);
  });

  it("ends the stream with nothing in its place when a person takes the conversation over", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const { message, turn } = await turnInFlight(conversation, queue, "is anyone there");
    const reading = readEvents(await conversation.stub.replyEvents(message, 5000));
    await conversation.stub.streamReply(batch(turn, 0, "Let me "));
    await conversation.stub.setHandoff(true);
    await reading.done;
    expect(reading.events.slice(-2)).toMatchObject([
      { type: "stream_end", messageId: null },
      { type: "replies", replies: [] },
    ]);
    expect(await conversation.stub.streamReply(batch(turn, 1, "check "))).toEqual({ accepted: false, listeners: 0 });
  });

  it("tells a waiting request when its wait ran out", async () => {
    const queue = recordIntentQueue();
    const conversation = await newConversation();
    const { message } = await turnInFlight(conversation, queue, "anyone?");
    const reading = readEvents(await conversation.stub.replyEvents(message, 50));
    await reading.done;
    expect(reading.events).toEqual([{ type: "message", message }, { type: "timeout" }]);
  });
});
