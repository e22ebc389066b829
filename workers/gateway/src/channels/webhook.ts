/**
 * The channel webhook, `POST|GET /v1/channels/{channel}/{bot}` (docs/channels.md): verifies the
 * platform's request before anything is stored (inbound.ts), answers the set-up handshakes, and
 * appends each verified user message to its chat's conversation as a turn — then answers the
 * platform at once, the turn running behind through the queues as any turn does (Slack waits 3 s,
 * WeChat 5 s).
 *
 * The append is awaited (one call to the conversation object, tens of milliseconds), so a failure
 * answers 500 and the platform delivers again; the repeat is the same clientMessageId, which makes
 * no second turn. A delivery with several messages (WhatsApp, LINE) appends each chat's messages in
 * order, chats side by side.
 */
import { channelConfig } from "../../../../shared/channel-config.ts";
import { channelClientMessageId, channelConversationId } from "../../../../shared/channel-conversation.ts";
import { gatewayConfig } from "../../../../shared/gateway-config.ts";
import { takeRateLimit } from "../../../../shared/rate-limits.ts";
import type { ChannelName, InboundChannelEvent } from "../../../../shared/schemas/index.ts";
import { childSpan, formatTraceparent, type TraceContext } from "../../../../shared/trace-context.ts";
import { botCatalog } from "../bot-catalog.ts";
import { conversationStub } from "../conversation-stub.ts";
import { ApiError } from "../errors.ts";
import { answerResponse, receiveChannelRequest } from "./inbound.ts";

export interface ChannelWebhookRequest {
  channel: ChannelName;
  bot: string;
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
  trace: TraceContext;
}

/** What one verified message came to, for the log line (no text, no platform user id). */
type Appended = { conversationId: string; result: "appended" | "duplicate" | "refused" | "rate_limited"; created?: boolean; code?: string };

export async function handleChannelWebhook(env: GatewayEnv, request: ChannelWebhookRequest): Promise<Response> {
  const bot = botCatalog.bots.find((entry) => entry.id === request.bot);
  if (bot === undefined) throw new ApiError("not_found", `bot ${request.bot} does not listen on ${request.channel}`);
  const outcome = await receiveChannelRequest({
    channel: request.channel,
    bot: request.bot,
    request: { method: request.method, url: request.url, headers: request.headers, body: request.body },
    config: channelConfig(env),
    now: Date.now(),
    // Unbound: workerd refuses a fetch invoked as a method of another object.
    fetch: (input, init) => fetch(input, init),
  });
  const where = { channel: request.channel, bot: request.bot };
  if (outcome.kind === "handshake") {
    console.log(JSON.stringify({ event: "channel_handshake", ...where }));
    return answerResponse(outcome.answer);
  }
  if (outcome.kind === "ignore") {
    console.log(JSON.stringify({ event: "channel_ignored", ...where, reasons: outcome.reasons }));
    return answerResponse(outcome.answer);
  }
  const secret = gatewayConfig(env).TOKEN_SECRET;
  const chats = new Map<string, InboundChannelEvent[]>();
  for (const event of outcome.events) chats.set(event.chatId, [...(chats.get(event.chatId) ?? []), event]);
  const appended = await Promise.all(
    [...chats.values()].map(async (events) => {
      const results: Appended[] = [];
      for (const event of events) results.push(await appendEvent(env, secret, bot.jurisdiction, event, request.trace));
      return results;
    }),
  );
  console.log(JSON.stringify({ event: "channel_delivery", ...where, messages: appended.flat(), ignored: outcome.ignored }));
  return answerResponse(outcome.answer);
}

async function appendEvent(
  env: GatewayEnv,
  secret: string,
  jurisdiction: Parameters<typeof channelConversationId>[2],
  event: InboundChannelEvent,
  trace: TraceContext,
): Promise<Appended> {
  const conversationId = await channelConversationId(secret, event, jurisdiction);
  // The per-conversation message budget of the web API: a chat that floods is not answered past it
  // (a 429 would only make the platform deliver the same flood again).
  const budget = await takeRateLimit(env.MESSAGE_LIMITER, "MESSAGE_LIMITER", conversationId);
  if (!budget.ok) return { conversationId, result: "rate_limited" };
  const span = childSpan(trace);
  const result = await conversationStub(env, conversationId).receiveChannelMessage({
    conversationId,
    bot: event.bot,
    chat: { channel: event.channel, chatId: event.chatId, address: event.address },
    text: event.text,
    clientMessageId: await channelClientMessageId(event),
    traceId: span.traceId,
    traceparent: formatTraceparent(span),
    receivedAt: event.receivedAt,
  });
  // A refusal (a full conversation) is not the platform's to retry: it is logged, and the delivery answered.
  if (!result.ok) return { conversationId, result: "refused", code: result.error.code };
  return { conversationId, result: result.duplicate ? "duplicate" : "appended", created: result.created };
}
