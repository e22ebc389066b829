// A conversation with a running Stratus over its public API, each answer checked against the
// shared schemas: the bots it serves (GET /v1/bots), a new conversation, a message with `?wait`
// (the bot's replies, which carry what the NLU understood), and the conversation's summary with its
// dialogue state (slots, the form being filled). Used by `npx stratus shell`.
import { z } from "zod";
import { BotCatalogSchema, type BotCatalog } from "../shared/schemas/catalog.ts";
import { ConversationSchema, ConversationSummarySchema, ErrorBodySchema, MessageSchema, type Conversation, type ConversationSummary, type Message } from "../shared/schemas/conversation.ts";

const SaidSchema = z.object({ message: MessageSchema, replies: z.array(MessageSchema) });

/** A refused request or an answer of the wrong shape, with what the server said. */
export class StratusRequestError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface StratusClient {
  readonly url: string;
  bots(): Promise<BotCatalog>;
  createConversation(body: { bot: string; locale?: string; timezone?: string }): Promise<Conversation>;
  /** Sends a message and waits up to `waitSeconds` for the bot's replies (none if it stays silent). */
  say(conversation: Conversation, text: string, waitSeconds: number): Promise<{ message: Message; replies: Message[] }>;
  summary(conversation: Conversation): Promise<ConversationSummary>;
}

export function stratusClient(baseUrl: string): StratusClient {
  const url = baseUrl.replace(/\/$/, "");
  async function request<S extends z.ZodType>(path: string, init: RequestInit, schema: S, expected: number[]): Promise<z.output<S>> {
    const response = await fetch(`${url}${path}`, { ...init, signal: AbortSignal.timeout(60_000) });
    const text = await response.text();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    if (!expected.includes(response.status)) {
      const error = ErrorBodySchema.safeParse(body);
      throw new StratusRequestError(response.status, error.success ? `${error.data.error.message} (${response.status} ${error.data.error.code})` : `${response.status} ${text.slice(0, 200)}`);
    }
    const parsed = schema.safeParse(body);
    if (!parsed.success) throw new StratusRequestError(response.status, `unexpected answer from ${path}: ${parsed.error.issues[0]?.message ?? ""}`);
    return parsed.data;
  }
  const json = (method: string, body: unknown, token?: string): RequestInit => ({
    method,
    headers: { "Content-Type": "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return {
    url,
    bots: () => request("/v1/bots", {}, BotCatalogSchema, [200]),
    createConversation: (body) => request("/v1/conversations", json("POST", body), ConversationSchema, [201]),
    async say(conversation, text, waitSeconds) {
      // 200 with the replies; 202 when none came in time (the bot stays silent, e.g. after a handoff).
      const said = await request(`/v1/conversations/${conversation.id}/messages?wait=${waitSeconds}`, json("POST", { text }, conversation.token), SaidSchema.partial({ replies: true }), [200, 202]);
      return { message: said.message, replies: said.replies ?? [] };
    },
    summary: (conversation) => request(`/v1/conversations/${conversation.id}`, { headers: { Authorization: `Bearer ${conversation.token}` } }, ConversationSummarySchema, [200]),
  };
}
