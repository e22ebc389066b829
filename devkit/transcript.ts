import type { ConversationHandle, Reply, Stratus } from "./local-stack.ts";

/** The whole transcript over the paged HTTP API (of a local stack, or anything with its `fetch`). */
export async function readTranscript(stratus: Pick<Stratus, "fetch">, conversation: Pick<ConversationHandle, "id" | "token">): Promise<Reply[]> {
  const all: Reply[] = [];
  for (let after = 0; ; ) {
    const response = await stratus.fetch(`/v1/conversations/${conversation.id}/messages?after=${after}&limit=200`, {
      headers: { Authorization: `Bearer ${conversation.token}` },
    });
    if (response.status !== 200) throw new Error(`list messages: ${response.status} ${await response.text()}`);
    const { messages } = (await response.json()) as { messages: Reply[] };
    all.push(...messages);
    const last = messages.at(-1);
    if (!last || messages.length < 200) return all;
    after = last.seq;
  }
}

/** Polls the transcript until `predicate` holds. */
export async function waitForTranscript(
  stratus: Stratus,
  conversation: ConversationHandle,
  predicate: (messages: Reply[]) => boolean,
  timeoutMs = 30_000,
): Promise<Reply[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const messages = await readTranscript(stratus, conversation);
    if (predicate(messages)) return messages;
    if (Date.now() > deadline) throw new Error(`transcript never matched: ${JSON.stringify(messages.map((m) => [m.seq, m.role, m.text, m.replyTo]))}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export function postMessage(
  stratus: Stratus,
  conversation: ConversationHandle,
  body: unknown,
  query = "",
): Promise<Response> {
  return stratus.fetch(`/v1/conversations/${conversation.id}/messages${query}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${conversation.token}` },
    body: JSON.stringify(body),
  });
}
