// State lives in the Durable Object's SQLite storage: it survives a restart of the runtime, and a
// turn still in flight when the runtime stopped is answered after it comes back.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startWranglerDev, type DevServer } from "../../devkit/wrangler-dev.ts";

const persistDir = mkdtempSync(join(tmpdir(), "stratus-restart-"));
let dev: DevServer | undefined;
afterAll(async () => {
  await dev?.stop();
  rmSync(persistDir, { recursive: true, force: true });
});

interface Message {
  seq: number;
  role: string;
  text: string;
  replyTo?: number;
}

async function call<T>(url: string, init: RequestInit = {}, expected = 200): Promise<T> {
  const response = await fetch(url, init);
  if (response.status !== expected) throw new Error(`${init.method ?? "GET"} ${url}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

describe("wrangler dev restart", () => {
  it("keeps the transcript and answers turns that were in flight", async () => {
    dev = await startWranglerDev(persistDir, { TURN_TIMEOUT_MS: "3000" });
    const conversation = await call<{ id: string; token: string }>(
      `${dev.url}/v1/conversations`,
      { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ locale: "en" }) },
      201,
    );
    const auth = { Authorization: `Bearer ${conversation.token}`, "Content-Type": "application/json" };
    const messagesUrl = () => `${dev?.url}/v1/conversations/${conversation.id}/messages`;
    await call(`${messagesUrl()}?wait=20`, { method: "POST", headers: auth, body: JSON.stringify({ text: "hello" }) });
    const before = (await call<{ messages: Message[] }>(messagesUrl(), { headers: auth })).messages;
    expect(before.some((m) => m.role === "bot")).toBe(true);
    // Sent, then the runtime stops at once: its answer may not have been written yet.
    await call(messagesUrl(), { method: "POST", headers: auth, body: JSON.stringify({ text: "thanks" }) }, 202);
    await dev.stop();

    dev = await startWranglerDev(persistDir, { TURN_TIMEOUT_MS: "3000" });
    const after = (await call<{ messages: Message[] }>(messagesUrl(), { headers: auth })).messages;
    expect(after.slice(0, before.length)).toEqual(before);
    const thanksSeq = before.length + 1;
    expect(after[before.length]).toMatchObject({ seq: thanksSeq, role: "user", text: "thanks" });

    // The watchdog alarm was stored too: the in-flight turn gets its answer.
    const deadline = Date.now() + 30_000;
    let answered: Message[] = [];
    while (Date.now() < deadline && answered.length === 0) {
      answered = (await call<{ messages: Message[] }>(messagesUrl(), { headers: auth })).messages.filter((m) => m.replyTo === thanksSeq);
      if (answered.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(answered.length).toBeGreaterThan(0);

    // And the conversation carries on from the next seq.
    const next = await call<{ message: Message; replies: Message[] }>(`${messagesUrl()}?wait=20`, {
      method: "POST",
      headers: auth,
      body: JSON.stringify({ text: "bye" }),
    });
    expect(next.message.seq).toBeGreaterThan(thanksSeq);
    expect(next.replies.length).toBeGreaterThan(0);
  });
});
