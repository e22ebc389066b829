import { LISTING_EXCERPT_LENGTH, type DirectoryEntry, type Message } from "../../shared/schemas/index.ts";
import type { ConversationRecord } from "./conversation-record.ts";

/**
 * The conversation's entry in its bot's directory, as of `now`. Its revision is the time it was made
 * (one more than the last one's, should the clock stand still), so entries made one after the other
 * carry increasing revisions even when the directory receives them out of order — and no row is
 * written to remember it.
 */
export function directoryEntry(
  record: Pick<ConversationRecord, "info" | "handedOff" | "handedOffBy" | "channel">,
  lastMessage: Message | undefined,
  now: Date,
  revision: number,
): DirectoryEntry | undefined {
  const info = record.info();
  if (!info) return undefined;
  const handedOff = record.handedOff();
  const chat = record.channel();
  return {
    id: info.id,
    bot: info.bot,
    // A web conversation's entry stays as it was: no field.
    ...(chat === undefined ? {} : { channel: chat.channel }),
    locale: info.locale,
    state: handedOff ? "handed_off" : "bot",
    handedOffBy: handedOff ? (record.handedOffBy() ?? "operator") : null,
    createdAt: info.createdAt,
    ...(info.user === undefined ? {} : { user: info.user }),
    updatedAt: now.toISOString(),
    lastMessage: lastMessage
      ? {
          seq: lastMessage.seq,
          role: lastMessage.role,
          text: excerpt(lastMessage.text),
          createdAt: lastMessage.createdAt,
        }
      : null,
    revision,
  };
}

function excerpt(text: string): string {
  const chars = [...text];
  return chars.length <= LISTING_EXCERPT_LENGTH ? text : `${chars.slice(0, LISTING_EXCERPT_LENGTH - 1).join("")}…`;
}
