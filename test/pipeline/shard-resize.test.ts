// Resizing the queues from N to 2N shards while turns are in flight: `wrangler dev` runs with two
// shards per stage, takes messages from many conversations, and is stopped at once; it comes back
// over the same stored state with four shards per stage. Every message is answered once, in the
// order it was written, and the new shards carry turns (docs/scaling.md, "Resizing").
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startWranglerDev, type DevServer } from "../../devkit/wrangler-dev.ts";

const persistDir = mkdtempSync(join(tmpdir(), "stratus-resize-"));
let dev: DevServer | undefined;
afterAll(async () => {
  await dev?.stop();
  rmSync(persistDir, { recursive: true, force: true });
});

interface Message {
  seq: number;
  role: string;
  text: string;
  createdAt: string;
  replyTo?: number;
  response?: string;
}

const CONVERSATIONS = 16;
const TEXTS = ["hello", "where is my order ORD-4820193", "thanks", "bye"];
const VARS = { TURN_TIMEOUT_MS: "3000" };

async function call<T>(url: string, init: RequestInit = {}, expected = 200): Promise<T> {
  const response = await fetch(url, init);
  if (response.status !== expected) throw new Error(`${init.method ?? "GET"} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe("queue shard resize", () => {
  it("moves from 2 to 4 shards per stage with turns in flight: nothing lost, nothing reordered", async () => {
    const queuesSeen = new Set<string>();
    const onOutput = (line: string) => {
      const queue = /QUEUE (stratus-\S+)/.exec(line)?.[1];
      if (queue) queuesSeen.add(queue);
    };
    // Before the resize every delivery first waits a second (the dev build's stall fault): turns are
    // certainly in flight when the runtime stops, however fast the machine drains its queues.
    const stalled = { ...VARS, FAULT_INJECTION: "on", FAULT_STALL_RATE: "1", FAULT_STALL_MS: "1000" };
    dev = await startWranglerDev(persistDir, stalled, { queueShards: { intent: 2, dialogue: 2 }, onOutput });
    const conversations: Array<{ id: string; token: string }> = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      conversations.push(
        await call(`${dev.url}/v1/conversations`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ locale: "en" }) }, 201),
      );
    }
    const headers = (token: string) => ({ Authorization: `Bearer ${token}`, "Content-Type": "application/json" });
    // Every conversation writes all its messages at once: they wait in its object for one another.
    await Promise.all(
      conversations.map(async (conversation) => {
        for (const text of TEXTS) {
          await call(`${dev?.url}/v1/conversations/${conversation.id}/messages`, { method: "POST", headers: headers(conversation.token), body: JSON.stringify({ text }) }, 202);
        }
      }),
    );
    await dev.stop();
    expect([...queuesSeen].filter((q) => /^stratus-(intent|dialogue)-[23]$/.test(q))).toEqual([]);

    queuesSeen.clear();
    const restartedAt = Date.now();
    dev = await startWranglerDev(persistDir, VARS, { queueShards: { intent: 4, dialogue: 4 }, onOutput });
    const transcripts = new Map<string, Message[]>();
    const deadline = Date.now() + 90_000;
    for (const conversation of conversations) {
      for (;;) {
        const { messages } = await call<{ messages: Message[] }>(`${dev.url}/v1/conversations/${conversation.id}/messages`, { headers: headers(conversation.token) });
        const answered = new Set(messages.filter((m) => m.role === "bot").map((m) => m.replyTo));
        transcripts.set(conversation.id, messages);
        if (answered.size >= TEXTS.length || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }

    for (const [id, messages] of transcripts) {
      const users = messages.filter((m) => m.role === "user");
      const bots = messages.filter((m) => m.role === "bot");
      // Nothing lost: every message written is stored, in the order written, and answered.
      expect(users.map((m) => m.text), id).toEqual(TEXTS);
      for (const user of users) expect(bots.some((b) => b.replyTo === user.seq), `${id}: "${user.text}" answered`).toBe(true);
      // Nothing reordered: the answers come in the order of the messages they answer, after them.
      const order = bots.map((b) => b.replyTo ?? 0);
      expect(order, id).toEqual([...order].sort((a, b) => a - b));
      for (const bot of bots) expect(bot.seq).toBeGreaterThan(bot.replyTo ?? Infinity);
      // Nothing twice, not even the watchdog's fallback for a turn the restart interrupted.
      for (const user of users) {
        const replies = bots.filter((b) => b.replyTo === user.seq).map((b) => `${b.response}:${b.text}`);
        expect(new Set(replies).size, `${id}: "${user.text}" answered once`).toBe(replies.length);
        expect(replies.some((reply) => reply.startsWith("stratus_pipeline_fallback")), `${id}: "${user.text}" got a real answer`).toBe(false);
      }
    }
    // Turns were in flight across the resize: some were answered only after it.
    const answeredAfter = [...transcripts.values()].flat().filter((m) => m.role === "bot" && Date.parse(m.createdAt) >= restartedAt);
    expect(answeredAfter.length).toBeGreaterThan(0);
    // The new shards carry turns: the resize took effect.
    expect([...queuesSeen].some((q) => /^stratus-intent-[23]$/.test(q))).toBe(true);
    expect([...queuesSeen].some((q) => /^stratus-dialogue-[23]$/.test(q))).toBe(true);
  });
});
