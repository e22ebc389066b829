/**
 * Cards on a messaging platform: each channel's outbound formatter knows text and quick replies, so
 * a reply's cards reach it as text — a line per card (its name, price and subtitle) after the
 * reply's text — and their first buttons as quick replies after the reply's own. Tapping such a
 * quick reply sends the button's text, which the bot answers as the button (its postback), as in
 * the widget. The conversation object uses the same view to resolve a numbered answer ("2") on a
 * platform that showed the options as a numbered list.
 */
import type { ReplyCard } from "./schemas/dialogue.ts";

/** A platform shows at most this many quick replies (Teams, LINE and WhatsApp lists fall back to numbers well before). */
const MAX_QUICK_REPLIES = 10;

export interface ChannelText {
  text: string;
  quickReplies?: string[];
}

/** The message as a channel without cards shows it. A message without cards is unchanged. */
export function withCardsAsText(message: { text: string; quickReplies?: readonly string[] | undefined; cards?: readonly ReplyCard[] | undefined }): ChannelText {
  const own = message.quickReplies === undefined || message.quickReplies.length === 0 ? undefined : [...message.quickReplies];
  const cards = message.cards ?? [];
  if (cards.length === 0) return own === undefined ? { text: message.text } : { text: message.text, quickReplies: own };
  const lines = cards.map((card) => `• ${[card.title, card.price, card.subtitle].filter((part) => part !== undefined && part !== "").join(" — ")}`);
  const buttons = cards.flatMap((card) => (card.buttons[0] === undefined ? [] : [card.buttons[0].text]));
  const quickReplies = [...new Set([...(own ?? []), ...buttons])].slice(0, MAX_QUICK_REPLIES);
  return { text: `${message.text}\n\n${lines.join("\n")}`, ...(quickReplies.length > 0 ? { quickReplies } : {}) };
}
