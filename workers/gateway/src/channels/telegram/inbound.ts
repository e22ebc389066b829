/**
 * Telegram Bot API webhooks (https://core.telegram.org/bots/api#setwebhook). Telegram signs nothing:
 * the webhook is set with a `secret_token`, which every request carries in
 * `X-Telegram-Bot-Api-Secret-Token`, compared here in constant time. Telegram repeats an update it got
 * no 2xx for; `update_id` is the turn's idempotency key.
 *
 * A tap on an inline keyboard button (the bot's quick replies) comes as a `callback_query`: its
 * `data` names the button (`qr:<n>`), whose label is read back from the message's own keyboard, so
 * what the user "says" is the option's text. The webhook's answer acknowledges the tap
 * (`answerCallbackQuery` in the response body, as "Making requests when getting updates" allows).
 */
import { TelegramUpdateSchema, type InboundChannelEvent, type TelegramUpdate } from "../../../../../shared/schemas/channels.ts";
import { equalSecrets } from "../crypto.ts";
import { ChannelVerificationError } from "../errors.ts";
import { bodyText, parseJson } from "../payload.ts";
import { inboundText } from "../text.ts";
import { EMPTY_OK, outcomeOf, type HttpAnswer, type IgnoreReason, type InboundContext, type InboundOutcome } from "../types.ts";
import { quickReplyIndex } from "./outbound.ts";

/** The check is a header comparison, the rest a JSON parse: synchronous, under the dispatcher's async interface. */
export function receiveTelegram(context: InboundContext): Promise<InboundOutcome> {
  return Promise.resolve().then(() => receiveUpdate(context));
}

function receiveUpdate(context: InboundContext): InboundOutcome {
  const secrets = context.config.secrets("telegram", context.bot);
  if (secrets === undefined) throw new ChannelVerificationError("this bot does not listen on telegram");
  const presented = context.request.headers.get("X-Telegram-Bot-Api-Secret-Token");
  if (presented === null) throw new ChannelVerificationError("missing X-Telegram-Bot-Api-Secret-Token");
  if (!equalSecrets(secrets.webhookSecret, presented)) throw new ChannelVerificationError("X-Telegram-Bot-Api-Secret-Token is not this bot's webhook secret");
  const update = parseJson(bodyText(context.request.body), TelegramUpdateSchema, "Telegram update");
  const answer: HttpAnswer =
    update.callback_query === undefined
      ? EMPTY_OK
      : { status: 200, contentType: "application/json", body: JSON.stringify({ method: "answerCallbackQuery", callback_query_id: update.callback_query.id }) };
  return outcomeOf([eventOf(context, update)], answer);
}

function eventOf(context: InboundContext, update: TelegramUpdate): InboundChannelEvent | IgnoreReason {
  const base = { channel: "telegram" as const, bot: context.bot, messageId: String(update.update_id), receivedAt: new Date(context.now).toISOString(), redelivery: false };
  if (update.callback_query !== undefined) {
    const { from, message, data } = update.callback_query;
    if (message === undefined || data === undefined) return "unsupported_type";
    const index = quickReplyIndex(data);
    const label = index === undefined ? undefined : message.reply_markup?.inline_keyboard.flat().find((button) => button.callback_data === data)?.text;
    const text = inboundText(label);
    if (text === undefined) return "unsupported_type";
    const chatId = String(message.chat.id);
    return { ...base, chatId, userId: String(from.id), ...text, address: { channel: "telegram", chatId } };
  }
  if (update.edited_message !== undefined) return "edited";
  const { message } = update;
  // channel_post, inline queries, polls, member updates…: not something a user said to the bot.
  if (message === undefined) return "not_a_message";
  if (message.from === undefined || message.from.is_bot) return "bot_message";
  const text = inboundText(message.text);
  if (text === undefined) return message.text === undefined ? "unsupported_type" : "empty_text";
  const chatId = String(message.chat.id);
  return { ...base, chatId, userId: String(message.from.id), ...text, address: { channel: "telegram", chatId } };
}
