import { say, type Effect } from "./effects.ts";
import type { TurnView } from "./types.ts";
import { leadingYesOrNo } from "./yes-no.ts";

/** Nothing understood the message: ask to rephrase, or after enough misses in a row offer a human. */
export function fallBack(view: TurnView): Effect[] {
  const { fallback } = view.bot.definition;
  const misses = view.state.fallbackStreak + 1;
  return [{ type: "fallback" }, ...(misses >= fallback.offerHumanAfter ? offerHuman(view) : [say(fallback.rephrase)])];
}

export function offerHuman(view: TurnView): Effect[] {
  return [{ type: "offerHuman" }, say(view.bot.definition.fallback.offerHuman)];
}

/** Hands the conversation to a person: the bot says so and stays silent afterwards. */
export function handOff(view: TurnView): Effect[] {
  const active = view.state.activeForm;
  return [
    ...(active ? [{ type: "cancelForm", form: active.name, reason: "handoff" } as const] : []),
    { type: "handOff" },
    say(view.bot.definition.handoff.response),
  ];
}

/** This turn as the answer to last turn's "shall I get you a person?"; `answered`: nothing else to do. */
export interface HumanOfferAnswer {
  effects: Effect[];
  answered: boolean;
}

/**
 * The answer to a human offer from the previous turn: yes → handoff, no → acknowledged (a yes or no
 * in the words the message starts with counts too, yes-no.ts: "nah im good" and "ya" are heard as
 * goodbyes); anything else just
 * withdraws the offer and the turn goes on. Undefined when no offer is open. A request for a person
 * never gets here ("no wait, get me someone" hands off: turn.ts).
 */
export function answerHumanOffer(view: TurnView): HumanOfferAnswer | undefined {
  if (!view.state.handoffOffered) return undefined;
  const { definition } = view.bot;
  const leading = leadingYesOrNo(view);
  if (leading !== "no" && (definition.affirmIntents.includes(view.intent) || leading === "yes")) {
    return { answered: true, effects: [{ type: "closeHumanOffer", answer: "accepted" }, ...handOff(view)] };
  }
  if (definition.denyIntents.includes(view.intent) || leading === "no") {
    return {
      answered: true,
      effects: [{ type: "closeHumanOffer", answer: "declined" }, { type: "resetFallbackStreak" }, say(definition.fallback.declined)],
    };
  }
  return { answered: false, effects: [{ type: "closeHumanOffer", answer: "ignored" }] };
}
