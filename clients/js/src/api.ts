import { StratusError } from "./errors.ts";
import { readReplyEvents } from "./reply-events.ts";
import type { BotCatalog, Conversation, ConversationSummary, Locale, Message, ReplyEvent } from "./types.ts";

export interface CreateConversationInput {
  bot?: string | undefined;
  locale?: Locale | undefined;
  timezone?: string | undefined;
  /** The signed-in user's token from the host site (docs/users.md): the conversation is then theirs. */
  userToken?: string | undefined;
}

/** One of the signed-in user's conversations, as `GET /v1/users/me/conversations` lists them. */
export interface UserConversation {
  id: string;
  bot: string;
  createdAt: string;
  lastActivity: string;
}

export interface PostedMessage {
  message: Message;
  /** The bot's replies, when the request waited for them (`?wait=`) and they came in time. */
  replies?: Message[];
}

/** How long a request may take before it counts as lost (a `?wait` adds its own wait). */
const REQUEST_TIMEOUT_MS = 15_000;

/** The subprotocol a Stratus socket speaks, and the prefix of the ticket offered beside it. */
const SOCKET_PROTOCOL = "stratus.v1";
const TICKET_PROTOCOL_PREFIX = "stratus.ticket.";

/** The largest page the gateway serves (ListMessagesQuerySchema). */
export const PAGE_LIMIT = 200;

/** The gateway's HTTP API v1, typed by the schemas it validates with. */
export class StratusApi {
  private readonly baseUrl: string;

  constructor(
    baseUrl: string,
    private readonly fetchImpl: typeof fetch,
  ) {
    this.baseUrl = baseUrl.replace(/\/+$/, "");
  }

  listBots(): Promise<BotCatalog> {
    return this.request<BotCatalog>("GET", "/v1/bots");
  }

  createConversation(input: CreateConversationInput): Promise<Conversation> {
    return this.request<Conversation>("POST", "/v1/conversations", { body: input });
  }

  getConversation(conversation: Conversation): Promise<ConversationSummary> {
    return this.request<ConversationSummary>("GET", `/v1/conversations/${conversation.id}`, { token: conversation.token });
  }

  /**
   * Sends a user message; with `waitSeconds`, the answer also carries the bot's replies. With
   * `onEvent` too, the wait is answered as server-sent events, each handed over as it comes: a reply
   * the LLM writes arrives token by token (`stream_start`, `stream_delta`, `stream_end`) before the
   * replies (docs/streaming.md).
   */
  postMessage(
    conversation: Conversation,
    body: { text: string; clientMessageId: string },
    waitSeconds?: number,
    onEvent?: (event: ReplyEvent) => void,
  ): Promise<PostedMessage> {
    const query = waitSeconds === undefined ? "" : `?wait=${waitSeconds}`;
    return this.request<PostedMessage>("POST", `/v1/conversations/${conversation.id}/messages${query}`, {
      token: conversation.token,
      body,
      timeoutMs: (waitSeconds ?? 0) * 1000 + REQUEST_TIMEOUT_MS,
      onEvent: waitSeconds === undefined ? undefined : onEvent,
    });
  }

  /** Every message after `after`, oldest first, fetching page after page. */
  async listMessagesAfter(conversation: Conversation, after: number): Promise<Message[]> {
    const all: Message[] = [];
    for (let cursor = after; ; ) {
      const { messages } = await this.request<{ messages: Message[] }>(
        "GET",
        `/v1/conversations/${conversation.id}/messages?after=${cursor}&limit=${PAGE_LIMIT}`,
        { token: conversation.token },
      );
      all.push(...messages);
      const last = messages.at(-1);
      if (!last || messages.length < PAGE_LIMIT) return all;
      cursor = last.seq;
    }
  }

  /** The live socket's address: it replays up to a page of messages after `after`, then pushes new ones. No credential in it. */
  socketUrl(conversation: Conversation, after: number): string {
    const url = new URL(`${this.baseUrl}/v1/conversations/${conversation.id}/ws`);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    url.searchParams.set("after", String(after));
    return url.toString();
  }

  /**
   * The subprotocols to open the socket with: Stratus's own and a fresh single-use ticket minted with
   * the conversation's credential (sent in the Authorization header, so it never appears in a URL).
   */
  async socketProtocols(conversation: Conversation): Promise<string[]> {
    const { ticket } = await this.request<{ ticket: string }>("POST", `/v1/conversations/${conversation.id}/socket-tickets`, { token: conversation.token });
    return [SOCKET_PROTOCOL, `${TICKET_PROTOCOL_PREFIX}${ticket}`];
  }

  /** The signed-in user's conversations, most recently active first (optionally one bot's), across their devices. */
  async listMyConversations(userToken: string, options: { bot?: string | undefined; limit?: number } = {}): Promise<UserConversation[]> {
    const query = new URLSearchParams({ limit: String(options.limit ?? 20) });
    if (options.bot !== undefined) query.set("bot", options.bot);
    const page = await this.request<{ conversations: UserConversation[] }>("GET", `/v1/users/me/conversations?${query.toString()}`, { token: userToken });
    return page.conversations;
  }

  /**
   * Resumes one of the signed-in user's conversations on this device: a conversation token for it,
   * then the conversation as its summary gives it. 404 when it is not the user's (or is gone).
   */
  async resumeMyConversation(userToken: string, id: string): Promise<{ conversation: Conversation; handedOff: boolean }> {
    const issued = await this.request<Pick<Conversation, "token" | "tokenExpiresAt">>("POST", `/v1/users/me/conversations/${encodeURIComponent(id)}/token`, { token: userToken });
    const summary = await this.request<ConversationSummary>("GET", `/v1/conversations/${encodeURIComponent(id)}`, { token: issued.token });
    const { bot, botVersion, locale, timezone, createdAt, user, handedOff } = summary;
    return { conversation: { id, bot, botVersion, locale, timezone, createdAt, ...(user === null ? {} : { user }), ...issued }, handedOff };
  }

  /** A fresh token for the conversation (the current one must still be valid). */
  renewToken(conversation: Conversation): Promise<Pick<Conversation, "token" | "tokenExpiresAt">> {
    return this.request<Pick<Conversation, "token" | "tokenExpiresAt">>("POST", `/v1/conversations/${conversation.id}/token`, { token: conversation.token });
  }

  private async request<T>(
    method: string,
    path: string,
    options: { token?: string; body?: unknown; timeoutMs?: number; onEvent?: ((event: ReplyEvent) => void) | undefined } = {},
  ): Promise<T> {
    const headers: Record<string, string> = {};
    if (options.token !== undefined) headers.Authorization = `Bearer ${options.token}`;
    if (options.body !== undefined) headers["Content-Type"] = "application/json";
    if (options.onEvent) headers.Accept = "text/event-stream, application/json";
    // A request on a connection that died silently would hang for minutes: give up and retry.
    const abort = typeof AbortController === "function" ? new AbortController() : undefined;
    const timer = abort && setTimeout(() => abort.abort(), options.timeoutMs ?? REQUEST_TIMEOUT_MS);
    let response: Response;
    let body: unknown;
    try {
      response = await this.fetchImpl(`${this.baseUrl}${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
        ...(abort ? { signal: abort.signal } : {}),
      });
      const events = options.onEvent && response.ok && (response.headers.get("Content-Type") ?? "").startsWith("text/event-stream");
      body = events ? await readReplyEvents(response, options.onEvent ?? (() => undefined)) : await response.json().catch(() => null);
      // An event stream cut before it said anything: retried like any lost answer (the same clientMessageId).
      if (events && body === null) throw new Error("the event stream ended before the message");
    } catch (error) {
      throw new StratusError("network_error", error instanceof Error ? error.message : String(error), null);
    } finally {
      clearTimeout(timer);
    }
    if (!response.ok) {
      const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
      const retryAfterSeconds = Number(response.headers.get("Retry-After"));
      throw new StratusError(
        typeof error?.code === "string" ? error.code : "http_error",
        typeof error?.message === "string" ? error.message : `HTTP ${response.status}`,
        response.status,
        undefined,
        Number.isFinite(retryAfterSeconds) && retryAfterSeconds > 0 ? retryAfterSeconds * 1000 : undefined,
      );
    }
    return body as T;
  }
}
