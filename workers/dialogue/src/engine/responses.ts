import { hashString } from "../../../../shared/hash.ts";
import { languageOf, localeEntries } from "../../../../shared/languages/index.ts";
import type { BotReply, Postback } from "../../../../shared/schemas/dialogue.ts";
import { renderCards } from "./cards.ts";
import { formatSlotValue } from "./format.ts";
import { PROFILE_FIELDS, type ProfileField } from "../../../../shared/schemas/profile.ts";
import { profileValue } from "./profile-values.ts";
import { enumValueLabel } from "./slot-labels.ts";
import { renderTemplate } from "./templates.ts";
import type { TurnView } from "./types.ts";

/**
 * Renders a variable for a reply: a slot (formatted by its type; an enum value by its label) or
 * `bot_name`. A slot the bot is asking about ("That sounds like “{return_reason}” — right?") reads
 * as the value it asks about.
 */
function replyVariable(view: TurnView, name: string): string | undefined {
  const { definition } = view.bot;
  if (name === "bot_name") return definition.name;
  // `{profile.finance.horizon}`: what the signed-in user's profile says (the fields the bot reads); empty for an anonymous user.
  if (name.startsWith("profile.")) return profileVariable(view, name.slice("profile.".length));
  const slot = definition.slots[name];
  const confirming = view.state.activeForm?.confirming;
  const value = confirming?.slot === name ? confirming.value : view.state.slots[name];
  if (slot?.type === "enum" && typeof value === "string") return enumValueLabel(slot, value, view.locale, definition.defaultLocale);
  return formatSlotValue(value, slot?.type, view.locale, view.input.timezone);
}

/**
 * A profile field as a reply shows it: as the slot remembered in it would (an enum's label, a date
 * in the reply's language), else by the field's type.
 */
function profileVariable(view: TurnView, field: string): string {
  const { definition } = view.bot;
  const value = profileValue(view, field);
  const slot = view.bot.slotOfField.get(field);
  if (slot?.type === "enum" && typeof value === "string") return enumValueLabel(slot, value, view.locale, definition.defaultLocale);
  const fieldType = Object.hasOwn(PROFILE_FIELDS, field) ? PROFILE_FIELDS[field as ProfileField].type : undefined;
  return formatSlotValue(value, slot?.type ?? (fieldType === "date" ? "date" : undefined), view.locale, view.input.timezone);
}

/**
 * The named response as a reply: in the turn's locale (else the bot's default), one variation,
 * chosen by a hash of (conversation, seq, response, replies so far) so that a re-delivered turn
 * gets the same answer. Undefined for an unknown or empty response.
 */
export function renderResponse(view: TurnView, name: string): BotReply | undefined {
  return renderReply(view, name)?.reply;
}

/** The named response as a reply, with its cards' postbacks and how many of them are recommendations (cards.ts). */
export function renderReply(view: TurnView, name: string): { reply: BotReply; postbacks: Postback[]; recommendations: number } | undefined {
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
  const render = (text: string) => renderTemplate(text, (variable) => replyVariable(view, variable));
  // Quick replies are templates too; one that renders empty (a slot with no value) is left out.
  const quickReplies = localized.quickReplies?.map((text) => render(text).trim().slice(0, 200)).filter((text) => text !== "");
  const rendered = reply(render(template), name, quickReplies);
  if (localized.cards === undefined || localized.cards.length === 0) return { reply: rendered, postbacks: [], recommendations: 0 };
  const { cards, postbacks, recommendations } = renderCards(view, localized.cards, render);
  return { reply: cards.length > 0 ? { ...rendered, cards } : rendered, postbacks, recommendations };
}

/** A reply within the BotReply limits (text 1–8000 characters). */
export function reply(text: string, response: string, quickReplies?: string[]): BotReply {
  const trimmed = text.trim().slice(0, 8000) || "…";
  return quickReplies && quickReplies.length > 0 ? { text: trimmed, response, quickReplies } : { text: trimmed, response };
}

/**
 * A form's question asked again after an interruption, as one reply: the resume line (the form's
 * `resume`, else the bot's `digressions.resume`, else the platform's sentence for the language) and
 * then the slot's `ask`, with the ask's name and quick replies. Undefined if the slot has no question.
 */
export function renderResumedQuestion(view: TurnView, formName: string, slotName: string): BotReply | undefined {
  const { definition } = view.bot;
  const form = definition.forms[formName];
  const formSlot = form?.slots.find((candidate) => candidate.slot === slotName);
  const question = formSlot ? renderResponse(view, formSlot.ask) : undefined;
  if (!form || !question) return undefined;
  const resumeName = form.resume ?? definition.digressions.resume;
  const resume = resumeName === undefined ? languageOf(view.locale).formResume : renderResponse(view, resumeName)?.text;
  if (resume === undefined) return question;
  const separator = languageOf(view.locale).segmentation === "characters" ? "" : " ";
  return reply(`${resume}${separator}${question.text}`, question.response ?? slotName, question.quickReplies);
}

/** The platform's "That sounds like “…” — is that right?" for a value, in the turn's locale, with yes/no quick replies. */
export function platformConfirmation(view: TurnView, label: string): BotReply {
  const language = languageOf(view.locale);
  return reply(language.slotConfirm.replace("{value}", label), PLATFORM_CONFIRM_RESPONSE, [...language.confirmQuickReplies]);
}

/** The reply name of the platform's confirmation question (a bot's own `confirm` response has its own name). */
export const PLATFORM_CONFIRM_RESPONSE = "platform:confirm_slot";
