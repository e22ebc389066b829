/**
 * Slack: the Events API and interactivity (button presses), one request URL for both.
 *
 * Verification (https://api.slack.com/authentication/verifying-requests-from-slack): the signature
 * `X-Slack-Signature: v0=<hex>` is the HMAC-SHA256, under the app's signing secret, of
 * `v0:{X-Slack-Request-Timestamp}:{raw body}`; a timestamp more than five minutes from now is refused
 * (a captured request cannot be replayed later). Slack retries an event it got no 2xx for within 3 s
 * (`X-Slack-Retry-Num`), with the same `event_id`, which is the turn's idempotency key.
 */
import {
  SlackBlockActionsSchema,
  SlackEnvelopeSchema,
  SlackEventCallbackSchema,
  SlackMessageEventSchema,
  SlackUrlVerificationSchema,
  type InboundChannelEvent,
} from "../../../../../shared/schemas/channels.ts";
import { fromHex, verifyHmacSha256 } from "../crypto.ts";
import { ChannelVerificationError } from "../errors.ts";
import { bodyText, parseJson, parsePayload } from "../payload.ts";
import { inboundText } from "../text.ts";
import { outcomeOf, type IgnoreReason, type InboundContext, type InboundOutcome } from "../types.ts";

/** Slack's replay window: requests signed more than five minutes from now are refused. */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60;

export async function verifySlackRequest(context: InboundContext, signingSecret: string): Promise<void> {
  const { headers, body } = context.request;
  const timestamp = headers.get("X-Slack-Request-Timestamp");
  const signature = headers.get("X-Slack-Signature");
  if (timestamp === null || signature === null) throw new ChannelVerificationError("missing X-Slack-Signature or X-Slack-Request-Timestamp");
  if (!/^\d{1,12}$/.test(timestamp)) throw new ChannelVerificationError("X-Slack-Request-Timestamp is not a Unix time");
  if (Math.abs(context.now / 1000 - Number(timestamp)) > SLACK_MAX_SKEW_SECONDS) {
    throw new ChannelVerificationError("X-Slack-Request-Timestamp is more than five minutes from now");
  }
  const digest = signature.startsWith("v0=") ? fromHex(signature.slice(3)) : undefined;
  if (digest === undefined || !(await verifyHmacSha256(signingSecret, digest, `v0:${timestamp}:`, body))) {
    throw new ChannelVerificationError("X-Slack-Signature does not match the request");
  }
}

export async function receiveSlack(context: InboundContext): Promise<InboundOutcome> {
  const secrets = context.config.secrets("slack", context.bot);
  if (secrets === undefined) throw new ChannelVerificationError("this bot does not listen on slack");
  await verifySlackRequest(context, secrets.signingSecret);

  const text = bodyText(context.request.body);
  const contentType = context.request.headers.get("Content-Type") ?? "";
  if (contentType.toLowerCase().startsWith("application/x-www-form-urlencoded")) return interaction(context, text);

  const envelope = parseJson(text, SlackEnvelopeSchema, "Slack request");
  if (envelope.type === "url_verification") {
    const { challenge } = parsePayload(envelope, SlackUrlVerificationSchema, "Slack url_verification");
    return { kind: "handshake", answer: { status: 200, contentType: "text/plain; charset=utf-8", body: challenge } };
  }
  if (envelope.type !== "event_callback") return outcomeOf(["not_a_message"]);
  const callback = parsePayload(envelope, SlackEventCallbackSchema, "Slack event_callback");
  return outcomeOf([eventOf(context, callback)]);
}

type EventCallback = ReturnType<typeof SlackEventCallbackSchema.parse>;

function eventOf(context: InboundContext, callback: EventCallback): InboundChannelEvent | IgnoreReason {
  if (callback.event.type !== "message" && callback.event.type !== "app_mention") return "not_a_message";
  const event = parsePayload(callback.event, SlackMessageEventSchema, "Slack message event");
  if (event.subtype === "message_changed" || event.subtype === "message_deleted") return "edited";
  const botUser = callback.authorizations?.find((authorization) => authorization.is_bot === true)?.user_id;
  if (event.bot_id !== undefined || event.subtype === "bot_message" || (botUser !== undefined && event.user === botUser)) return "bot_message";
  // Joins, topic changes, file shares…: only what a person typed is a turn.
  if (event.subtype !== undefined) return "unsupported_type";
  // In a channel the bot answers when it is mentioned (app_mention), not every message people exchange;
  // a direct message is always for it.
  if (event.type === "message" && event.channel_type !== "im") return "not_addressed";
  if (event.user === undefined) return "unsupported_type";
  const text = inboundText(event.text?.replace(/<@[A-Z0-9]+(?:\|[^>]*)?>/g, ""));
  if (text === undefined) return "empty_text";
  return {
    channel: "slack",
    bot: context.bot,
    chatId: event.channel,
    userId: event.user,
    messageId: callback.event_id,
    ...text,
    receivedAt: new Date(context.now).toISOString(),
    redelivery: context.request.headers.has("X-Slack-Retry-Num"),
    address: {
      channel: "slack",
      channelId: event.channel,
      ...(callback.team_id === undefined ? {} : { teamId: callback.team_id }),
      ...(event.thread_ts === undefined ? {} : { threadTs: event.thread_ts }),
    },
  };
}

/** A button of one of the bot's messages (Block Kit `block_actions`): its value is what the user says. */
function interaction(context: InboundContext, text: string): InboundOutcome {
  const payload = new URLSearchParams(text).get("payload");
  if (payload === null) return outcomeOf(["not_a_message"]);
  const parsed = parseJson(payload, SlackEnvelopeSchema, "Slack interaction payload");
  if (parsed.type !== "block_actions") return outcomeOf(["not_a_message"]);
  const actions = parsePayload(parsed, SlackBlockActionsSchema, "Slack block_actions payload");
  const chat = actions.channel?.id ?? actions.container?.channel_id;
  const said = inboundText(actions.actions[0]?.value);
  if (chat === undefined) return outcomeOf(["unsupported_type"]);
  if (said === undefined) return outcomeOf(["empty_text"]);
  const threadTs = actions.container?.thread_ts;
  const teamId = actions.team?.id;
  return outcomeOf([
    {
      channel: "slack",
      bot: context.bot,
      chatId: chat,
      userId: actions.user.id,
      messageId: `action:${actions.trigger_id}`,
      ...said,
      receivedAt: new Date(context.now).toISOString(),
      redelivery: false,
      address: { channel: "slack", channelId: chat, ...(teamId === undefined ? {} : { teamId }), ...(threadTs === undefined ? {} : { threadTs }) },
    },
  ]);
}
