/**
 * What a turn's steps decide, as data. Deciding modules (forms, steps, actions, fallback, FAQ, LLM)
 * read a TurnView and return effects; apply.ts applies them, in order, in one loop, and records
 * each one it applied. The record is what happened in the turn: forms completed or cancelled,
 * actions called (outcome and duration), fallbacks, handoffs — readable without the engine.
 * (Rasa's LoopAction.run returns events in the same way and the processor applies them.)
 */
import type { BotReply, SlotValue } from "../../../../shared/schemas/dialogue.ts";

/** How an action's call ended. */
export type ActionCallOutcome =
  /** The backend answered and one of the action's `responses` matched. */
  | "matched"
  /** The backend answered but no outcome matched (a 500, a 404 nobody handles): `onError` was said. */
  | "unmatched"
  /** The answer was not JSON: `onError`. */
  | "badJson"
  /** No answer: a timeout or a network error, after the retries: `onError`. */
  | "failed"
  /** Never sent: the URL needs an env var that is not set (or not declared): `onError`. */
  | "notSent";

export type Effect =
  // What the bot says.
  /**
   * Say a named response, rendered when applied (the turn's locale, the slots at that moment). As
   * recorded: how many recommendation cards the reply showed, when it showed any.
   */
  | { type: "say"; response: string; recommendationCards?: number }
  /**
   * Say a reply written elsewhere: an FAQ answer (`faq:<id>`), a document's passage (`doc:<passage id>`),
   * the LLM's (`llm_fallback`), or a platform sentence the bot did not define its own of (`platform:<name>`).
   */
  | { type: "sayText"; source: "faq" | "knowledge" | "llm" | "platform"; reply: BotReply }
  // Slots.
  | { type: "setSlot"; slot: string; value: SlotValue }
  | { type: "clearSlots"; slots: readonly string[] | "all" }
  /** Fill remembered slots with the signed-in user's answers from their profile (a step's `recall`); the values follow as setSlot effects. */
  | { type: "recallSlots"; slots: readonly string[] }
  /** Undo this turn's change of a slot: an entity value a form found invalid. */
  | { type: "rejectSlot"; slot: string }
  // Forms.
  /** Activate a form; it then asks for its first missing slot or completes at once. */
  | { type: "startForm"; form: string }
  /** Recorded by the applier instead of a `startForm` it refused: a form starts at most once per turn. */
  | { type: "formRefused"; form: string }
  /** The form asks for this slot (the question itself is a `say`). */
  | { type: "requestSlot"; form: string; slot: string }
  /** The form took an answer or a correction: reset its invalid count, ask for the next slot or complete. */
  | { type: "advanceForm"; form: string }
  /** An answer the form could not use: one more invalid attempt. */
  | { type: "invalidFormAnswer"; form: string; slot: string | null }
  /** Every slot is filled: close the form and run the first matching step of its `then`. */
  | { type: "completeForm"; form: string }
  | { type: "cancelForm"; form: string; reason: "user" | "stuck" | "handoff" | "undefined" }
  /**
   * The message is not for the active form (a side question, another request, an emergency): it is
   * answered, and the form stays where it was. `by`: what answers it.
   */
  | { type: "interruptForm"; form: string; by: "rule" | "faq" | "continueRule" }
  /**
   * The form goes on after an interruption: one reply, the resume line ("Back to your return:") and
   * the question of the slot, which the form asks again.
   */
  | { type: "resumeForm"; form: string; slot: string }
  /**
   * The bot asks whether a free-words answer meant this value, or (`remembered`) whether the signed-in
   * user's remembered answer still holds ("Still a 10-year horizon?"); the question itself is a say.
   */
  | { type: "confirmSlot"; form: string; slot: string; value: SlotValue; remembered?: true }
  // Cards.
  /** The message was a tap on a card's button (its postback); a recommendation card's counts as a click. */
  | { type: "postbackTapped"; recommendation: boolean }
  // Backend actions.
  /** Call a backend action; its outcome and what it says follow as further effects. */
  | { type: "callAction"; action: string }
  | { type: "actionCalled"; action: string; outcome: ActionCallOutcome; status?: number; durationMs: number }
  // Fallback, human handoff, disclaimer.
  /** Nothing understood the message: one more miss in a row. */
  | { type: "fallback" }
  | { type: "resetFallbackStreak" }
  /** The bot offered a person: a yes next turn hands off. */
  | { type: "offerHuman" }
  /** The offer from last turn is over: the user accepted, declined, or said something else. */
  | { type: "closeHumanOffer"; answer: "accepted" | "declined" | "ignored" }
  /** A person takes the conversation: the bot stays silent until released. */
  | { type: "handOff" }
  | { type: "markDisclaimerShown" };

export const say = (response: string): Effect => ({ type: "say", response });
