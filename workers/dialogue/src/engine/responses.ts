import type { BotReply } from "../../../../shared/schemas/dialogue.ts";
import { formatSlotValue } from "./format.ts";
import { renderTemplate } from "./templates.ts";
import type { TurnContext } from "./types.ts";

/** FNV-1a: a stable hash so a re-delivered turn picks the same variation. */
function stableHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** Renders a variable for a reply: a slot (formatted by its type) or `bot_name`. */
function replyVariable(ctx: TurnContext, name: string): string | undefined {
  if (name === "bot_name") return ctx.bot.definition.name;
  const type = ctx.bot.definition.slots[name]?.type;
  return formatSlotValue(ctx.state.slots[name], type, ctx.locale, ctx.input.timezone);
}

/**
 * Adds a reply: the named response in the turn's locale (else the bot's default), one variation.
 * A response is said at most once per turn (an emergency rule and an emergency intent may both ask).
 */
export function say(ctx: TurnContext, name: string): void {
  if (ctx.replies.some((existing) => existing.response === name)) return;
  const reply = renderResponse(ctx, name);
  if (reply) ctx.replies.push(reply);
}

function renderResponse(ctx: TurnContext, name: string): BotReply | undefined {
  const { definition } = ctx.bot;
  const response = definition.responses[name];
  // `npm run validate` rejects unknown responses; at run time a missing one is skipped, not thrown.
  if (!response) return undefined;
  const localized = response[ctx.locale] ?? response[definition.defaultLocale] ?? response.en ?? response.zh;
  if (!localized || localized.text.length === 0) return undefined;
  const occurrence = ctx.replies.length;
  const index = stableHash(`${ctx.input.conversationId}:${ctx.input.seq}:${name}:${occurrence}`) % localized.text.length;
  const template = localized.text[index] ?? localized.text[0] ?? "";
  return reply(renderTemplate(template, (variable) => replyVariable(ctx, variable)), name, localized.quickReplies);
}

/** A reply within the BotReply limits (text 1–8000 characters). */
export function reply(text: string, response: string, quickReplies?: string[]): BotReply {
  const trimmed = text.trim().slice(0, 8000) || "…";
  return quickReplies && quickReplies.length > 0 ? { text: trimmed, response, quickReplies } : { text: trimmed, response };
}
