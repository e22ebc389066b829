import { z } from "zod";
import { BotIdSchema } from "./catalog.ts";
import { ClientMessageIdSchema, ConversationIdSchema } from "./conversation.ts";
import { MessageTextSchema } from "./text.ts";

/**
 * Messaging channels (docs/channels.md): what each platform sends to `POST /v1/channels/{channel}/{bot}`,
 * the inbound event every platform's message becomes, where a chat's replies go (its address), the
 * outbound queue message, what the platforms' send APIs answer, and the per-chat delivery record.
 *
 * Platform payloads are parsed with plain (non-strict) objects: platforms add fields without notice,
 * and a field Stratus does not read must not turn a verified delivery into an error.
 */

export const CHANNEL_NAMES = ["slack", "teams", "telegram", "whatsapp", "line", "wechat"] as const;
export const ChannelNameSchema = z.enum(CHANNEL_NAMES);
export type ChannelName = z.infer<typeof ChannelNameSchema>;

/** The path parameters of `/v1/channels/{channel}/{bot}`. */
export const ChannelParamsSchema = z.object({ channel: ChannelNameSchema, bot: BotIdSchema });

// ————————————————————————————————————————————— addresses

/** Where one chat's replies are sent, per platform: what its send API needs besides credentials. */
export const SlackAddressSchema = z.object({
  channel: z.literal("slack"),
  teamId: z.string().min(1).optional(),
  /** The Slack conversation: a DM (`D…`), a channel (`C…`) or a private group (`G…`). */
  channelId: z.string().min(1),
  /** Set when the user wrote in a thread: replies go to that thread. */
  threadTs: z.string().min(1).optional(),
});

export const TeamsAddressSchema = z.object({
  channel: z.literal("teams"),
  /** The Bot Connector endpoint of this conversation, from the activity (and its token's `serviceUrl` claim). */
  serviceUrl: z.url({ protocol: /^https?$/ }),
  conversationId: z.string().min(1),
  /** The bot's own account in this conversation (the activity's `recipient`): the reply's `from`. */
  botId: z.string().min(1),
  tenantId: z.string().min(1).optional(),
});

export const TelegramAddressSchema = z.object({
  channel: z.literal("telegram"),
  /** Telegram's chat id, kept as text: it can exceed 32 bits and is negative for groups. */
  chatId: z.string().regex(/^-?\d{1,20}$/),
});

export const WhatsAppAddressSchema = z.object({
  channel: z.literal("whatsapp"),
  /** The business phone number the user wrote to (the webhook's `metadata.phone_number_id`). */
  phoneNumberId: z.string().min(1),
  /** The user's WhatsApp id (`wa_id`). */
  to: z.string().min(1),
});

export const LineAddressSchema = z.object({
  channel: z.literal("line"),
  /** A user, group or room id: the push message's `to`. */
  to: z.string().min(1),
});

export const WeChatAddressSchema = z.object({
  channel: z.literal("wechat"),
  /** The user's OpenID for this Official Account. */
  openId: z.string().min(1),
});

export const ChannelAddressSchema = z.discriminatedUnion("channel", [
  SlackAddressSchema,
  TeamsAddressSchema,
  TelegramAddressSchema,
  WhatsAppAddressSchema,
  LineAddressSchema,
  WeChatAddressSchema,
]);
export type ChannelAddress = z.infer<typeof ChannelAddressSchema>;
export type ChannelAddressOf<C extends ChannelName> = Extract<ChannelAddress, { channel: C }>;

// ————————————————————————————————————————————— the normalised inbound event

/**
 * One user message from a platform, verified and normalised. `messageId` is the platform's own id
 * for the delivery (Slack's event_id, Telegram's update_id, WhatsApp's and LINE's message/event ids,
 * WeChat's MsgId, the Teams activity id): a delivery the platform repeats has the same one, and it
 * becomes the turn's clientMessageId, so the repeat makes no second turn.
 */
export const InboundChannelEventSchema = z.object({
  channel: ChannelNameSchema,
  bot: BotIdSchema,
  /** The chat: one conversation per (channel, bot, chatId). */
  chatId: z.string().min(1),
  /** Who wrote (in a group chat, one of several people). */
  userId: z.string().min(1),
  messageId: z.string().min(1),
  /** Valid message text (shared/schemas/text.ts): control characters removed, at most 4,000 code points. */
  text: z.string().min(1),
  /** True when the text was cut to fit the 4,000-character limit. */
  truncated: z.boolean(),
  receivedAt: z.iso.datetime(),
  /** The platform says this is a repeated delivery (Slack's X-Slack-Retry-Num, LINE's isRedelivery). */
  redelivery: z.boolean(),
  address: ChannelAddressSchema,
});
export type InboundChannelEvent = z.infer<typeof InboundChannelEventSchema>;

// ————————————————————————————————————————————— a channel conversation

/**
 * What a channel conversation's record keeps of its chat (row 0, `channel`; absent for a web
 * conversation): which platform and chat it is, and where its replies go — the address of the last
 * message the user wrote (a Slack thread, a Teams serviceUrl), rewritten only when it changes.
 */
export const ChannelChatSchema = z.object({
  channel: ChannelNameSchema,
  chatId: z.string().min(1),
  address: ChannelAddressSchema,
});
export type ChannelChat = z.infer<typeof ChannelChatSchema>;

/**
 * Gateway → conversation object (`receiveChannelMessage`, RPC): one verified user message of a
 * chat. The object creates the conversation on the chat's first message (and again after retention
 * deleted it); `clientMessageId` is the platform's id for the delivery, so a repeat makes no turn.
 */
export const ChannelTurnSchema = z.object({
  conversationId: ConversationIdSchema,
  bot: BotIdSchema,
  chat: ChannelChatSchema,
  text: MessageTextSchema.pipe(z.string().min(1)),
  clientMessageId: ClientMessageIdSchema,
  traceId: z.string().min(1),
  traceparent: z.string().min(1).optional(),
  receivedAt: z.iso.datetime(),
});
export type ChannelTurn = z.infer<typeof ChannelTurnSchema>;

// ————————————————————————————————————————————— Slack (Events API, interactivity)

export const SlackUrlVerificationSchema = z.object({
  type: z.literal("url_verification"),
  challenge: z.string().min(1).max(1024),
});

export const SlackMessageEventSchema = z.object({
  type: z.enum(["message", "app_mention"]),
  channel: z.string().min(1),
  /** Absent on some subtypes (bot messages, edits). */
  user: z.string().optional(),
  text: z.string().optional(),
  ts: z.string().min(1),
  thread_ts: z.string().optional(),
  /** `im` for a direct message; `channel`, `group`, `mpim` otherwise (message events only). */
  channel_type: z.string().optional(),
  /** Set on edits, deletions, bot messages, joins…: Stratus answers plain user messages only. */
  subtype: z.string().optional(),
  bot_id: z.string().optional(),
});

export const SlackEventCallbackSchema = z.object({
  type: z.literal("event_callback"),
  team_id: z.string().optional(),
  api_app_id: z.string().optional(),
  event_id: z.string().min(1),
  event_time: z.number().optional(),
  /** The app's own installation; `user_id` is the bot user, whose messages are ignored. */
  authorizations: z.array(z.object({ user_id: z.string().optional(), is_bot: z.boolean().optional() })).optional(),
  /** Any event type: the ones Stratus reads are parsed with SlackMessageEventSchema. */
  event: z.object({ type: z.string() }).loose(),
});

/** `app_rate_limited` and other envelope types are acknowledged and ignored. */
export const SlackEnvelopeSchema = z.object({ type: z.string() }).loose();

/** A button press on a Block Kit message (the interactivity request's `payload` field). */
export const SlackBlockActionsSchema = z.object({
  type: z.literal("block_actions"),
  trigger_id: z.string().min(1),
  user: z.object({ id: z.string().min(1) }),
  team: z.object({ id: z.string() }).nullable().optional(),
  channel: z.object({ id: z.string().min(1) }).optional(),
  container: z.object({ channel_id: z.string().optional(), thread_ts: z.string().optional() }).loose().optional(),
  actions: z
    .array(z.object({ type: z.string(), action_id: z.string(), value: z.string().optional(), action_ts: z.string().optional() }).loose())
    .min(1),
});

// ————————————————————————————————————————————— Microsoft Teams (Bot Framework activities)

const ChannelAccountSchema = z.object({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional() }).loose();

export const TeamsActivitySchema = z.object({
  type: z.string().min(1),
  id: z.string().min(1).optional(),
  timestamp: z.string().optional(),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  channelId: z.string().min(1),
  from: ChannelAccountSchema,
  recipient: ChannelAccountSchema,
  conversation: z.object({ id: z.string().min(1), tenantId: z.string().optional(), conversationType: z.string().optional() }).loose(),
  text: z.string().optional(),
  textFormat: z.string().optional(),
});
export type TeamsActivity = z.infer<typeof TeamsActivitySchema>;

/** The Bot Framework's OpenID metadata document (only what verification reads). */
export const OpenIdMetadataSchema = z.object({
  issuer: z.string().min(1),
  jwks_uri: z.url({ protocol: /^https?$/ }),
  id_token_signing_alg_values_supported: z.array(z.string()).optional(),
});

/** A signing key of the Bot Framework's key set: a JWK plus the channels it may sign for. */
export const BotFrameworkJwkSchema = z
  .object({ kty: z.string(), kid: z.string().min(1), endorsements: z.array(z.string()).optional() })
  .loose();
export const BotFrameworkJwksSchema = z.object({ keys: z.array(BotFrameworkJwkSchema) });

/** An OAuth 2.0 client-credentials token (Bot Framework's token endpoint). */
export const ClientCredentialsTokenSchema = z.object({
  access_token: z.string().min(1),
  expires_in: z.coerce.number().int().positive(),
  token_type: z.string().optional(),
});

// ————————————————————————————————————————————— Telegram

const TelegramUserSchema = z.object({ id: z.number().int(), is_bot: z.boolean(), username: z.string().optional() }).loose();
const TelegramInlineKeyboardSchema = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }).loose())),
});
export const TelegramMessageSchema = z
  .object({
    message_id: z.number().int(),
    from: TelegramUserSchema.optional(),
    chat: z.object({ id: z.number().int(), type: z.string() }).loose(),
    date: z.number().int(),
    text: z.string().optional(),
    reply_markup: TelegramInlineKeyboardSchema.optional(),
  })
  .loose();

export const TelegramUpdateSchema = z.object({
  update_id: z.number().int().nonnegative(),
  message: TelegramMessageSchema.optional(),
  /** Edits are not turns: the user already had an answer to what they first wrote. */
  edited_message: TelegramMessageSchema.optional(),
  /** A tap on an inline keyboard button of one of the bot's messages. */
  callback_query: z
    .object({ id: z.string().min(1), from: TelegramUserSchema, message: TelegramMessageSchema.optional(), data: z.string().optional() })
    .loose()
    .optional(),
});
export type TelegramUpdate = z.infer<typeof TelegramUpdateSchema>;

/** Every Bot API answer: `ok`, and on failure `error_code`, `description`, `parameters.retry_after`. */
export const TelegramApiResponseSchema = z.object({
  ok: z.boolean(),
  error_code: z.number().int().optional(),
  description: z.string().optional(),
  parameters: z.object({ retry_after: z.number().optional() }).loose().optional(),
});

// ————————————————————————————————————————————— WhatsApp Cloud API

const WhatsAppInboundMessageSchema = z
  .object({
    from: z.string().min(1),
    id: z.string().min(1),
    timestamp: z.string().optional(),
    type: z.string(),
    text: z.object({ body: z.string() }).optional(),
    /** A tap on a reply button or a list row the bot sent. */
    interactive: z
      .object({
        type: z.string(),
        button_reply: z.object({ id: z.string(), title: z.string() }).optional(),
        list_reply: z.object({ id: z.string(), title: z.string() }).loose().optional(),
      })
      .loose()
      .optional(),
    /** A quick-reply button of a template message. */
    button: z.object({ text: z.string() }).loose().optional(),
  })
  .loose();

export const WhatsAppWebhookSchema = z.object({
  object: z.string(),
  entry: z.array(
    z.object({
      id: z.string().optional(),
      changes: z.array(
        z.object({
          field: z.string(),
          value: z
            .object({
              messaging_product: z.string().optional(),
              metadata: z.object({ phone_number_id: z.string().min(1), display_phone_number: z.string().optional() }).loose().optional(),
              messages: z.array(WhatsAppInboundMessageSchema).optional(),
            })
            .loose(),
        }),
      ),
    }),
  ),
});

/** A Graph API error answer (`error.code` 130429 throughput, 131056 pair rate, …). */
export const GraphApiErrorSchema = z.object({
  error: z.object({ code: z.number().int().optional(), message: z.string().optional() }).loose(),
});

// ————————————————————————————————————————————— LINE Messaging API

export const LineWebhookSchema = z.object({
  destination: z.string().optional(),
  events: z.array(
    z
      .object({
        type: z.string(),
        /** `standby` while another channel (a module) has the chat: the bot must not answer. */
        mode: z.string().optional(),
        timestamp: z.number().optional(),
        webhookEventId: z.string().min(1),
        deliveryContext: z.object({ isRedelivery: z.boolean() }).optional(),
        source: z
          .object({ type: z.string(), userId: z.string().optional(), groupId: z.string().optional(), roomId: z.string().optional() })
          .optional(),
        message: z.object({ type: z.string(), id: z.string(), text: z.string().optional() }).loose().optional(),
      })
      .loose(),
  ),
});

// ————————————————————————————————————————————— WeChat Official Account (plain-text mode, XML)

/** A message as the XML parser returns it: every element a string (MsgId is a 64-bit number). */
export const WeChatMessageSchema = z.object({
  ToUserName: z.string().min(1),
  FromUserName: z.string().min(1),
  CreateTime: z.string().regex(/^\d+$/),
  MsgType: z.string().min(1),
  Content: z.string().optional(),
  MsgId: z.string().regex(/^\d+$/).optional(),
  Event: z.string().optional(),
});

/** The WeChat API's answer: `errcode` 0 (or absent) on success. */
export const WeChatApiResponseSchema = z.object({ errcode: z.number().int().optional(), errmsg: z.string().optional() }).loose();

export const WeChatAccessTokenSchema = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().int().positive() });

// ————————————————————————————————————————————— outbound

/** One message to send to a chat: a bot reply or an operator's message (MessageSchema's text and quick replies). */
export const ChannelReplySchema = z.object({
  /** The message's seq in its conversation: replies of one chat are sent in seq order, each once. */
  seq: z.number().int().positive(),
  text: z.string().min(1),
  quickReplies: z.array(z.string().min(1)).optional(),
});
export type ChannelReply = z.infer<typeof ChannelReplySchema>;

/**
 * Conversation object → outbound queue → sender (workers/gateway/src/channels/sender.ts). One
 * message per batch of messages the conversation produced at once (a turn's replies, an operator's
 * message). `after` chains them: the seq of the last message of the conversation's previous outbound
 * message (0 for the first), so the sender sends a batch only once everything before it is settled,
 * whatever order the queue delivers in.
 */
export const ChannelOutboundMessageSchema = z.object({
  v: z.literal(1),
  kind: z.literal("channel-send"),
  conversationId: ConversationIdSchema,
  bot: BotIdSchema,
  address: ChannelAddressSchema,
  after: z.number().int().nonnegative(),
  items: z.array(ChannelReplySchema).min(1),
  traceId: z.string().min(1).optional(),
  /** How many times the sender already put a copy back on the queue (rate limits past the retry budget). */
  requeues: z.number().int().nonnegative().default(0),
});
export type ChannelOutboundMessage = z.input<typeof ChannelOutboundMessageSchema>;
export type ParsedChannelOutboundMessage = z.output<typeof ChannelOutboundMessageSchema>;

/**
 * What a conversation stores about its channel deliveries (shared/channel-delivery.ts): every message
 * up to `sentThrough` is settled (sent, or refused for good by the platform), and at most one send is
 * under way, under a lease.
 */
export const ChannelDeliveryRecordSchema = z.object({
  sentThrough: z.number().int().nonnegative(),
  sending: z
    .object({ seq: z.number().int().positive(), lease: z.string().min(1), until: z.number().nonnegative(), attempts: z.number().int().positive() })
    .optional(),
});
export type ChannelDeliveryRecord = z.infer<typeof ChannelDeliveryRecordSchema>;

/** The sender's claim on one outbound message (shared/channel-delivery.ts `ClaimRequest`), as the conversation object receives it (RPC). */
export const DeliveryClaimSchema = z.object({
  seq: z.number().int().positive(),
  previous: z.number().int().nonnegative(),
  lease: z.string().min(1).max(128),
  leaseMs: z.number().int().positive().max(15 * 60 * 1000),
});
