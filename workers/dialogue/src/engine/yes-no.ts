/**
 * A yes or a no in the words a message starts with, for a question the bot asked that takes one (the
 * offer of a person, a form's yes/no question): the NLU hears "nope, leave it as is" as nothing
 * (0.52), "nah im good" and "ya" as goodbyes, "好，帮我转" as nothing. Words that only open a sentence
 * ("hmm", "actually", "嗯", "pues"; the language's `fillers` and `openers`) are passed over; then a
 * message that starts turning the question down (`declines`) is a no; one that is a yes word alone
 * (`accepts`), or starts with one and neither says a no word later nor is heard as a goodbye ("ok
 * bye" is no yes; "sure why not", heard as a no, is one), is a yes. Not for a message the NLU is sure is another request.
 */
import { languageOf } from "../../../../shared/languages/index.ts";
import { OUT_OF_SCOPE } from "../../../../shared/schemas/nlu.ts";
import { containsTerm, normalizeText } from "./text.ts";
import type { TurnView } from "./types.ts";

export function leadingYesOrNo(view: TurnView): "yes" | "no" | undefined {
  const { definition } = view.bot;
  // A message the NLU is sure asks something else ("no, where's my refund?") is that request.
  const other = ![...definition.affirmIntents, ...definition.denyIntents, "goodbye", OUT_OF_SCOPE].includes(view.intent);
  if (other && view.input.nlu.intent.confidence >= definition.digressions.minConfidence) return undefined;
  const language = languageOf(view.locale);
  const message = withoutOpeners(words(view.input.text), [...language.fillers, ...language.openers]);
  if (message === "") return undefined;
  if (language.declines.some((start) => startsWith(message, start))) return "no";
  if (language.accepts.includes(message)) return "yes";
  // "ok bye" is no yes; "sure why not", heard as a no at 0.87, is one.
  const heardOtherwise = view.intent === "goodbye";
  const saysNoLater = language.declines.some((no) => containsTerm(message, no));
  return !heardOtherwise && !saysNoLater && language.accepts.some((start) => startsWith(message, start)) ? "yes" : undefined;
}

/** The message, lowercase, its punctuation turned to spaces. */
function words(text: string): string {
  return normalizeText(text)
    .replace(/[^\p{L}\p{N}' ]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** `message` without the openers it starts with ("hmm actually no leave it" → "no leave it"; "嗯嗯好的" → "好的"). */
function withoutOpeners(message: string, openers: readonly string[]): string {
  let rest = message;
  for (let changed = true; changed; ) {
    changed = false;
    for (const opener of openers) {
      if (opener !== "" && startsWith(rest, opener)) {
        rest = rest.slice(opener.length).trim();
        changed = true;
      }
    }
  }
  return rest;
}

/** Does `message` start with `phrase` as whole words (a phrase in a script written without spaces: as characters)? */
function startsWith(message: string, phrase: string): boolean {
  if (!message.startsWith(phrase)) return false;
  const next = message.charAt(phrase.length);
  return next === "" || next === " " || !/[a-z0-9'\u00c0-\u024f]$/.test(phrase);
}
