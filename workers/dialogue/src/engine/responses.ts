import { hashString } from "../../../../shared/hash.ts";
import { localeEntries } from "../../../../shared/languages/index.ts";
import type { BotReply } from "../../../../shared/schemas/dialogue.ts";
import { formatSlotValue } from "./format.ts";
import { renderTemplate } from "./templates.ts";
import type { TurnView } from "./types.ts";

/** Renders a variable for a reply: a slot (formatted by its type) or `bot_name`. */
function replyVariable(view: TurnView, name: string): string | undefined {
  if (name === "bot_name") return view.bot.definition.name;
  const type = view.bot.definition.slots[name]?.type;
  return formatSlotValue(view.state.slots[name], type, view.locale, view.input.timezone);
}

/**
 * The named response as a reply: in the turn's locale (else the bot's default), one variation,
 * chosen by a hash of (conversation, seq, response, replies so far) so that a re-delivered turn
 * gets the same answer. Undefined for an unknown or empty response.
 */
export function renderResponse(view: TurnView, name: string): BotReply | undefined {
  const { definition } = view.bot;
  const response = definition.responses[name];
  // `npm run validate` rejects unknown responses; at run time a missing one is skipped, not thrown.
  if (!response) return undefined;
  const localized = response[view.locale] ?? response[definition.defaultLocale] ?? localeEntries(response)[0]?.[1];
  if (!localized || localized.text.length === 0) return undefined;
  const occurrence = view.replies.length;
  // A stable hash (FNV-1a), so a re-delivered turn picks the same variation.
  const index = hashString(`${view.input.conversationId}:${view.input.seq}:${name}:${occurrence}`) % localized.text.length;
  const template = localized.text[index] ?? localized.text[0] ?? "";
  return reply(renderTemplate(template, (variable) => replyVariable(view, variable)), name, localized.quickReplies);
}

/** A reply within the BotReply limits (text 1–8000 characters). */
export function reply(text: string, response: string, quickReplies?: string[]): BotReply {
  const trimmed = text.trim().slice(0, 8000) || "…";
  return quickReplies && quickReplies.length > 0 ? { text: trimmed, response, quickReplies } : { text: trimmed, response };
}
