import { withCardsAsText } from "../../shared/channel-cards.ts";
import { isNumberedAnswer, resolveNumberedReply } from "../../shared/channel-conversation.ts";
import { numberedListShown } from "../../shared/channel-numbered-lists.ts";
import { failure, type Outcome } from "../../shared/errors.ts";
import type { ChannelTurn, Message } from "../../shared/schemas/index.ts";
import type { ChannelOutbox } from "./channel-outbox.ts";
import type { ConversationRecord } from "./conversation-record.ts";
import type { Transcript } from "./transcript.ts";
import type { NewUserTurn } from "./turn-ledger.ts";

export type ChannelTurnResult = Outcome<{ message: Message; duplicate: boolean; created: boolean }>;

/** What a channel message needs of the conversation object that hosts it. */
export interface ChannelIntakeHost {
  readonly record: Pick<ConversationRecord, "info" | "channel" | "setInfo" | "setChannelAddress">;
  readonly transcript: Pick<Transcript, "findByClientMessageId" | "get">;
  readonly outbox: Pick<ChannelOutbox, "beforeUserTurn" | "lastOutboundSeq">;
  /** The conversation was just created: its directory learns it. */
  created(): void;
  /** The bot version a new conversation with this id starts on (the release's current one, or its canary: docs/bot-versions.md). */
  versionForNew(bot: string, conversationId: string): Promise<number>;
  /** Stores the user message and opens its turn, exactly as a web message (idempotent by clientMessageId). */
  openUserTurn(turn: NewUserTurn): Promise<Outcome<{ message: Message; duplicate: boolean }>>;
}

/**
 * One verified user message of a messaging channel's chat (docs/channels.md): the chat's
 * conversation is created on its first message (and again after retention deleted it), the address
 * replies go to follows the user's latest message, and the message becomes a turn like any web
 * message — a delivery the platform repeats has the same clientMessageId and makes no second turn.
 * On a platform that showed the last options as a numbered list, a bare number is that option.
 */
export async function receiveChannelTurn(host: ChannelIntakeHost, turn: ChannelTurn): Promise<ChannelTurnResult> {
  let created = false;
  let info = host.record.info();
  // A new chat's conversation starts on the bot's released version, read before it is created.
  const botVersion = info === undefined ? await host.versionForNew(turn.bot, turn.conversationId) : undefined;
  // Another delivery of the chat may have created it while the release was read (on the same version: it depends on the id).
  info ??= host.record.info();
  if (info === undefined) {
    // Locale null: detected per message, as for a web conversation started without one.
    host.record.setInfo({ id: turn.conversationId, bot: turn.bot, ...(botVersion === undefined ? {} : { botVersion }), locale: null, timezone: "UTC", createdAt: turn.receivedAt }, { channel: turn.chat });
    host.created();
    created = true;
  } else {
    const chat = host.record.channel();
    if (info.id !== turn.conversationId || info.bot !== turn.bot || chat?.channel !== turn.chat.channel || chat.chatId !== turn.chat.chatId) {
      return failure("conversation_not_found", "this conversation is not that chat's");
    }
    if (JSON.stringify(chat.address) !== JSON.stringify(turn.chat.address)) host.record.setChannelAddress(turn.chat.address);
  }

  let { text } = turn;
  if (!created && isNumberedAnswer(text)) {
    // A repeated delivery is the message stored the first time, whatever the bot has said since.
    const original = host.transcript.findByClientMessageId(turn.clientMessageId);
    if (original !== undefined) return { ok: true, message: original, duplicate: true, created };
    const lastSeq = host.outbox.lastOutboundSeq();
    const last = lastSeq === 0 ? undefined : host.transcript.get(lastSeq);
    // As the platform showed it: a card's button is one of the options (shared/channel-cards.ts).
    const shown = last === undefined ? undefined : withCardsAsText(last);
    if (shown !== undefined && numberedListShown(turn.chat.channel, shown)) text = resolveNumberedReply(text, shown.quickReplies);
  }
  if (!created) host.outbox.beforeUserTurn();
  const appended = await host.openUserTurn({
    text,
    clientMessageId: turn.clientMessageId,
    traceId: turn.traceId,
    ...(turn.traceparent === undefined ? {} : { traceparent: turn.traceparent }),
  });
  return appended.ok ? { ...appended, created } : appended;
}
