/**
 * A messaging channel's chat as a Stratus conversation: which conversation a chat is, the turn's
 * idempotency key for a platform delivery, and a numbered answer to a plain-text menu.
 */
import { ClientMessageIdSchema } from "./schemas/conversation.ts";
import type { ChannelName } from "./schemas/channels.ts";
import type { Jurisdiction } from "./schemas/residency.ts";

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer): string => [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

/**
 * The conversation id of one chat: (channel, bot, chat) → 128 bits of an HMAC under TOKEN_SECRET,
 * so the same chat always finds its conversation without a lookup table, and nobody can compute the
 * id of a chat (the id is what a conversation token signs). A bot with a residency jurisdiction gets
 * its prefix, as newConversationId does.
 */
export async function channelConversationId(
  secret: string,
  chat: { channel: ChannelName; bot: string; chatId: string },
  jurisdiction?: Jurisdiction,
): Promise<string> {
  const key = await crypto.subtle.importKey("raw", Uint8Array.from(encoder.encode(secret)), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, Uint8Array.from(encoder.encode(`stratus/channel-chat/v1\n${chat.channel}\n${chat.bot}\n${chat.chatId}`)));
  const id = hex(mac).slice(0, 32);
  return jurisdiction ? `${jurisdiction}-${id}` : id;
}

/**
 * The user turn's clientMessageId for a platform delivery: `<channel>:<the platform's id>`, or, for
 * an id that is not 1–128 visible ASCII characters once prefixed, `<channel>#` and its SHA-256. A
 * delivery the platform repeats has the same id, so the conversation returns the stored message and
 * starts no second turn.
 */
export async function channelClientMessageId(event: { channel: ChannelName; messageId: string }): Promise<string> {
  const plain = `${event.channel}:${event.messageId}`;
  if (ClientMessageIdSchema.safeParse(plain).success) return plain;
  const digest = await crypto.subtle.digest("SHA-256", Uint8Array.from(encoder.encode(event.messageId)));
  return `${event.channel}#${hex(digest)}`;
}

/**
 * On a channel without buttons the options come as a numbered list (WeChat, and WhatsApp past its
 * limits); a user who answers with the number means that option. `quickReplies` are those of the
 * bot's last message; any other text is returned as it is. Full-width digits count (NFKC).
 */
const NUMBERED_ANSWER = /^\s*(\d{1,2})\s*[.)、．]?\s*$/u;

/** Whether the text is only a number of one or two digits (`2`, `2.`, `２`): an answer to a numbered list, maybe. */
export const isNumberedAnswer = (text: string): boolean => NUMBERED_ANSWER.test(text.normalize("NFKC"));

export function resolveNumberedReply(text: string, quickReplies: readonly string[] | undefined): string {
  if (quickReplies === undefined || quickReplies.length === 0) return text;
  const match = NUMBERED_ANSWER.exec(text.normalize("NFKC"));
  if (match === null) return text;
  const option = quickReplies[Number(match[1]) - 1];
  return option ?? text;
}
