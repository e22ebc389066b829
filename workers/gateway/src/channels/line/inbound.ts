/**
 * LINE Messaging API webhooks (https://developers.line.biz/en/docs/messaging-api/verify-webhook-signature/,
 * https://developers.line.biz/en/reference/messaging-api/#webhooks).
 *
 * `x-line-signature` is the base64 HMAC-SHA256 of the raw body under the channel secret. A delivery
 * carries a list of events; the console's "Verify" sends an empty one. LINE redelivers events a bot
 * did not acknowledge (when redelivery is on) with `deliveryContext.isRedelivery` and the same
 * `webhookEventId`, which is the turn's idempotency key.
 */
import { LineWebhookSchema, type InboundChannelEvent } from "../../../../../shared/schemas/channels.ts";
import { fromBase64, verifyHmacSha256 } from "../crypto.ts";
import { ChannelVerificationError } from "../errors.ts";
import { bodyText, parseJson } from "../payload.ts";
import { inboundText } from "../text.ts";
import { outcomeOf, type IgnoreReason, type InboundContext, type InboundOutcome } from "../types.ts";

export async function receiveLine(context: InboundContext): Promise<InboundOutcome> {
  const secrets = context.config.secrets("line", context.bot);
  if (secrets === undefined) throw new ChannelVerificationError("this bot does not listen on line");
  const header = context.request.headers.get("X-Line-Signature");
  if (header === null) throw new ChannelVerificationError("missing X-Line-Signature");
  const digest = fromBase64(header);
  if (digest === undefined || !(await verifyHmacSha256(secrets.channelSecret, digest, context.request.body))) {
    throw new ChannelVerificationError("X-Line-Signature does not match the request");
  }
  const webhook = parseJson(bodyText(context.request.body), LineWebhookSchema, "LINE webhook");
  const results = webhook.events.map((event): InboundChannelEvent | IgnoreReason => {
    if (event.type !== "message") return "not_a_message";
    // Another channel (a module) has the chat: the bot must stay silent.
    if (event.mode === "standby") return "standby";
    if (event.message?.type !== "text") return "unsupported_type";
    const source = event.source;
    const chatId = source?.groupId ?? source?.roomId ?? source?.userId;
    if (chatId === undefined) return "unsupported_type";
    const text = inboundText(event.message.text);
    if (text === undefined) return "empty_text";
    return {
      channel: "line",
      bot: context.bot,
      chatId,
      userId: source?.userId ?? chatId,
      messageId: event.webhookEventId,
      ...text,
      receivedAt: new Date(context.now).toISOString(),
      redelivery: event.deliveryContext?.isRedelivery === true,
      address: { channel: "line", to: chatId },
    };
  });
  return outcomeOf(results);
}
