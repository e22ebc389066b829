/**
 * Cards in replies (a product: picture, name, price, buttons) and their buttons' postbacks.
 * A response's cards are templates (bot.yaml `cards:`); shown, each button's postback — the message
 * a tap sends, and the button's step with its slot values rendered then — is kept in the dialogue
 * state (`postbacks`, newest first). A later message that is one of those texts is that tap: the
 * bot runs the button's step (the product's details, add to cart), and a tap on a recommendation
 * card's button counts as a click (decision-summary.ts → the analytics' click-through).
 */
import type { CardTemplate } from "../../../../shared/schemas/bot.ts";
import {
  CardImageUrlSchema,
  MAX_CARD_BUTTON_TEXT,
  MAX_CARD_BUTTON_TITLE,
  MAX_CARD_PRICE,
  MAX_CARD_SUBTITLE,
  MAX_CARD_TITLE,
  MAX_POSTBACKS,
  type Postback,
  type ReplyCard,
  type SlotValue,
} from "../../../../shared/schemas/dialogue.ts";
import { say, type Effect } from "./effects.ts";
import { coerceSlotValue } from "./slots.ts";
import { normalizeAnswer } from "./text.ts";
import type { DeepReadonly, TurnView } from "./types.ts";

export interface RenderedCards {
  cards: ReplyCard[];
  postbacks: Postback[];
  /** How many of the cards are recommendations (counted as shown). */
  recommendations: number;
}

/**
 * `text` trimmed and cut to at most `max` UTF-16 units — what the reply schema's `.max` counts, so a
 * title of emoji is cut rather than refused there — never inside a character.
 */
function clip(text: string, max: number): string {
  let kept = "";
  for (const character of text.trim()) {
    if (kept.length + character.length > max) break;
    kept += character;
  }
  return kept;
}

/** The cards of a response in the reply's language; `render` fills a template's variables. */
export function renderCards(view: TurnView, templates: readonly CardTemplate[], render: (template: string) => string): RenderedCards {
  const rendered: RenderedCards = { cards: [], postbacks: [], recommendations: 0 };
  for (const template of templates) {
    const title = clip(render(template.title), MAX_CARD_TITLE);
    // A card whose title renders empty has nothing to show (a third product that did not come back).
    if (title === "") continue;
    const card: ReplyCard = { title, buttons: [] };
    const subtitle = template.subtitle === undefined ? "" : clip(render(template.subtitle), MAX_CARD_SUBTITLE);
    if (subtitle !== "") card.subtitle = subtitle;
    const price = template.price === undefined ? "" : clip(render(template.price), MAX_CARD_PRICE);
    if (price !== "") card.price = price;
    const imageUrl = template.imageUrl === undefined ? "" : render(template.imageUrl).trim();
    if (imageUrl !== "" && CardImageUrlSchema.safeParse(imageUrl).success) card.imageUrl = imageUrl;
    for (const button of template.buttons) {
      const label = clip(render(button.title), MAX_CARD_BUTTON_TITLE);
      if (label === "") continue;
      const text = clip(button.text === undefined ? `${label}: ${title}` : render(button.text), MAX_CARD_BUTTON_TEXT);
      if (text === "") continue;
      card.buttons.push({ title: label, text });
      const setSlots: Record<string, SlotValue> = {};
      for (const [slot, value] of Object.entries(button.setSlots ?? {})) {
        const definition = view.bot.definition.slots[slot];
        const typed = definition ? coerceSlotValue(definition, render(value)) : undefined;
        if (typed !== undefined && typed !== null && typed !== "") setSlots[slot] = typed;
      }
      rendered.postbacks.push({
        text,
        ...(Object.keys(setSlots).length > 0 ? { setSlots } : {}),
        ...(button.response === undefined ? {} : { response: button.response }),
        ...(button.action === undefined ? {} : { action: button.action }),
        ...(button.form === undefined ? {} : { form: button.form }),
        ...(template.recommendation === true ? { recommendation: true as const } : {}),
      });
    }
    rendered.cards.push(card);
    if (template.recommendation === true) rendered.recommendations++;
  }
  return rendered;
}

/** The postbacks kept after new cards were shown: theirs first, then older ones with other texts. */
export function keptPostbacks(shown: readonly Postback[], before: readonly Postback[] | undefined): Postback[] {
  const texts = new Set(shown.map((postback) => normalizeAnswer(postback.text)));
  // The older ones are the applier's own copy of the state's (apply.ts), which nothing changes in place: kept as they are.
  const older = (before ?? []).filter((postback) => !texts.has(normalizeAnswer(postback.text)));
  return [...shown, ...older].slice(0, MAX_POSTBACKS);
}

/** The card button this message is a tap on (its text, as the button sent it), if any. */
export function tappedPostback(view: TurnView): DeepReadonly<Postback> | undefined {
  const postbacks = view.state.postbacks;
  if (postbacks === undefined || postbacks.length === 0) return undefined;
  const message = normalizeAnswer(view.input.text);
  return postbacks.find((postback) => normalizeAnswer(postback.text) === message);
}

/** A tap's effects: counted, then the button's step (slots, response, action, form). */
export function postbackEffects(view: TurnView, postback: DeepReadonly<Postback>): Effect[] {
  const effects: Effect[] = [{ type: "postbackTapped", recommendation: postback.recommendation === true }];
  for (const [slot, value] of Object.entries(postback.setSlots ?? {})) {
    const definition = view.bot.definition.slots[slot];
    const typed = definition ? coerceSlotValue(definition, structuredClone(value)) : undefined;
    if (typed !== undefined) effects.push({ type: "setSlot", slot, value: typed });
  }
  if (postback.response !== undefined) effects.push(say(postback.response));
  if (postback.action !== undefined) effects.push({ type: "callAction", action: postback.action });
  if (postback.form !== undefined) effects.push({ type: "startForm", form: postback.form });
  return effects;
}
