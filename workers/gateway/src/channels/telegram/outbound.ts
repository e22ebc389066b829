/**
 * A reply as the Bot API's `sendMessage` (https://core.telegram.org/bots/api#sendmessage), the quick
 * replies as an inline keyboard (https://core.telegram.org/bots/api#inlinekeyboardmarkup), one button
 * per row. A button's `callback_data` (at most 64 bytes) is its index, `qr:<n>`; the inbound side
 * reads the label back from the keyboard of the message the tap came from (telegram/inbound.ts).
 */
import { TelegramApiResponseSchema, type ChannelAddressOf, type ChannelReply } from "../../../../../shared/schemas/channels.ts";
import { reasonText, retryAfterSeconds, type PlatformAnswer, type SendRequest, type SendResult } from "../outbound-types.ts";
import { clip } from "../text.ts";

export const TELEGRAM_LIMITS = { text: 4096, buttonText: 64 } as const;

export const quickReplyData = (index: number): string => `qr:${index}`;

export function quickReplyIndex(data: string): number | undefined {
  const match = /^qr:(\d{1,3})$/.exec(data);
  return match === null ? undefined : Number(match[1]);
}

export function telegramMessage(address: ChannelAddressOf<"telegram">, reply: ChannelReply): Record<string, unknown> {
  const options = reply.quickReplies ?? [];
  return {
    chat_id: address.chatId,
    text: clip(reply.text, TELEGRAM_LIMITS.text),
    ...(options.length === 0
      ? {}
      : { reply_markup: { inline_keyboard: options.map((option, index) => [{ text: clip(option, TELEGRAM_LIMITS.buttonText), callback_data: quickReplyData(index) }]) } }),
  };
}

/** The URL holds the bot token (Telegram's design): it is never logged. */
export function telegramSendRequest(apiUrl: string, botToken: string, address: ChannelAddressOf<"telegram">, reply: ChannelReply): SendRequest {
  return {
    url: `${apiUrl}/bot${botToken}/sendMessage`,
    method: "POST",
    headers: { "Content-Type": "application/json; charset=utf-8" },
    body: JSON.stringify(telegramMessage(address, reply)),
  };
}

export function classifyTelegram(answer: PlatformAnswer, now: number): SendResult {
  let parsed: ReturnType<typeof TelegramApiResponseSchema.parse> | undefined;
  try {
    const result = TelegramApiResponseSchema.safeParse(JSON.parse(answer.body));
    parsed = result.success ? result.data : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed?.ok === true && answer.status < 300) return { kind: "sent" };
  const reason = reasonText(parsed?.description ?? `HTTP ${answer.status}`);
  // "Too Many Requests: retry after N", with parameters.retry_after (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this).
  if (answer.status === 429 || parsed?.error_code === 429) {
    const fromBody = parsed?.parameters?.retry_after;
    return { kind: "rate_limited", retryAfterSeconds: fromBody === undefined ? retryAfterSeconds(answer.headers, now, 30) : Math.max(1, Math.ceil(fromBody)) };
  }
  if (answer.status >= 500 || parsed === undefined) return { kind: "retryable", reason };
  if (answer.status === 401) return { kind: "token_rejected", reason };
  // 400 (chat not found, message too long) and 403 (the user blocked the bot): for good.
  return { kind: "rejected", reason };
}
