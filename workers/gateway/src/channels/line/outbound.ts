/**
 * A reply as a LINE push message (https://developers.line.biz/en/reference/messaging-api/#send-push-message),
 * its quick replies as quick reply buttons with message actions
 * (https://developers.line.biz/en/docs/messaging-api/using-quick-reply/): up to 13, labels of at most
 * 20 characters; a tap sends the option's text (at most 300 characters). More options go as a
 * numbered list. Push rather than reply: a reply token is single-use and expires within a minute,
 * and the turn may take longer or be answered by an operator.
 *
 * Every push carries `X-Line-Retry-Key`, a UUID derived from the conversation and the message's seq
 * (https://developers.line.biz/en/docs/messaging-api/retrying-api-request/): LINE accepts one key
 * once and answers a repeat with 409, so a retry after a lost answer cannot deliver a reply twice.
 */
import type { ChannelAddressOf, ChannelReply } from "../../../../../shared/schemas/channels.ts";
import { sha256, toHex } from "../crypto.ts";
import { classifyByStatus, reasonText, withNumberedOptions, type PlatformAnswer, type SendRequest, type SendResult } from "../outbound-types.ts";
import { clip } from "../text.ts";

export const LINE_LIMITS = { text: 5000, quickReplies: 13, label: 20, actionText: 300 } as const;

/** The retry key of one message: the same for every attempt at it, a different one for every message. */
export async function lineRetryKey(conversationId: string, seq: number): Promise<string> {
  const bytes = (await sha256(`stratus/line-retry-key/v1\n${conversationId}\n${seq}`)).slice(0, 16);
  // Shaped as a version-4 UUID, the form LINE asks for.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  const hex = toHex(bytes);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function lineMessage(address: ChannelAddressOf<"line">, reply: ChannelReply): Record<string, unknown> {
  const options = reply.quickReplies ?? [];
  const asQuickReplies = options.length > 0 && options.length <= LINE_LIMITS.quickReplies;
  const message: Record<string, unknown> = { type: "text", text: clip(asQuickReplies ? reply.text : withNumberedOptions(reply.text, options), LINE_LIMITS.text) };
  if (asQuickReplies) {
    message.quickReply = {
      items: options.map((option) => ({
        type: "action",
        action: { type: "message", label: clip(option, LINE_LIMITS.label), text: clip(option, LINE_LIMITS.actionText) },
      })),
    };
  }
  return { to: address.to, messages: [message] };
}

export async function lineSendRequest(
  apiUrl: string,
  channelAccessToken: string,
  conversationId: string,
  address: ChannelAddressOf<"line">,
  reply: ChannelReply,
): Promise<SendRequest> {
  return {
    url: `${apiUrl}/v2/bot/message/push`,
    method: "POST",
    headers: {
      Authorization: `Bearer ${channelAccessToken}`,
      "Content-Type": "application/json; charset=utf-8",
      "X-Line-Retry-Key": await lineRetryKey(conversationId, reply.seq),
    },
    body: JSON.stringify(lineMessage(address, reply)),
  };
}

export function classifyLine(answer: PlatformAnswer, now: number): SendResult {
  // The retry key was accepted before: the message is already on its way.
  if (answer.status === 409) return { kind: "sent" };
  // The monthly message quota is a 429 too; waiting minutes will not lift it.
  if (answer.status === 429 && /monthly limit/i.test(answer.body)) return { kind: "rejected", reason: reasonText(answer.body) };
  return classifyByStatus(answer, now);
}
