import { StratusError } from "../../js/src/errors.ts";
import type { BotCatalog, ConversationList, ConversationState, Message, UserConversationList } from "../../../shared/schemas/index.ts";

/** The operator endpoints the inbox uses, with the operator key (typed by the gateway's schemas). */
export class OperatorApi {
  constructor(
    private readonly baseUrl: string,
    readonly key: string,
  ) {}

  listConversations(query: { state: ConversationState; bot?: string | undefined; cursor?: string | undefined; limit?: number }): Promise<ConversationList> {
    const params = new URLSearchParams({ state: query.state, limit: String(query.limit ?? 50) });
    if (query.bot) params.set("bot", query.bot);
    if (query.cursor) params.set("cursor", query.cursor);
    return this.request<ConversationList>("GET", `/v1/operator/conversations?${params.toString()}`);
  }

  /** A signed-in user's conversations, most recently active first (what the inbox shows beside the open one). */
  listUserConversations(sub: string): Promise<UserConversationList> {
    return this.request<UserConversationList>("GET", `/v1/users/${encodeURIComponent(sub)}/conversations?limit=20`);
  }

  listBots(): Promise<BotCatalog> {
    return this.request<BotCatalog>("GET", "/v1/bots");
  }

  reply(conversationId: string, text: string): Promise<{ message: Message }> {
    return this.request("POST", `/v1/conversations/${conversationId}/agent-messages`, { text });
  }

  release(conversationId: string): Promise<{ id: string; handedOff: boolean }> {
    return this.request("POST", `/v1/conversations/${conversationId}/release`);
  }

  private async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}${path}`, {
        method,
        headers: { Authorization: `Bearer ${this.key}`, ...(body === undefined ? {} : { "Content-Type": "application/json" }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (error) {
      throw new StratusError("network_error", String(error), null);
    }
    const json = (await response.json().catch(() => null)) as { error?: { code: string; message: string } } | null;
    if (!response.ok) throw new StratusError(json?.error?.code ?? "http_error", json?.error?.message ?? `HTTP ${response.status}`, response.status);
    return json as T;
  }
}
