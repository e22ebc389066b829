import type { BotReply, DialogueState, SlotValue } from "../../../../shared/schemas/dialogue.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { visibleEnv } from "./bot-env.ts";
import type { Effect } from "./effects.ts";
import { matchFaq } from "./faq-answer.ts";
import type { FaqAnswer } from "./faq/index.ts";
import { keptPostbacks } from "./cards.ts";
import { renderReply, renderResumedQuestion } from "./responses.ts";
import { sameSlotValue } from "./slots.ts";
import type { Bot, EngineDeps, TurnDecision, TurnInput, TurnView } from "./types.ts";

/**
 * What an applied effect leads to within the same turn: a started form asks its first question,
 * a completed form runs its `then`, an action call comes back with its outcome. The turn's policy
 * (turn.ts) supplies it, so this module knows how to apply effects, not what follows from them.
 */
export type FollowUp = (effect: Effect, view: TurnView) => readonly Effect[] | Promise<readonly Effect[]>;

/**
 * The only place a turn's state, replies and handoff flag change. Deciding modules read `view`
 * and return effects; `apply` applies them in order, in one loop, with what each one leads to
 * applied right after it (before the effects that follow it), and records every effect it applied.
 *
 * An effect that would change nothing is not recorded: a `say` of a response already said this
 * turn (a response is said at most once per turn), a `setSlot` to the value the slot has, a form
 * effect for a form that is not the active one.
 *
 * Chain guard: a form starts at most once per turn. A form whose `then` starts itself again, or
 * forms that start each other (A → B → A), would otherwise loop within one turn; the second start
 * is refused and recorded as `formRefused`, so the chain stops there and the refusal is visible in
 * the turn's effects (and its log line). A form may still restart itself once in a turn (e.g. `clearSlots` + `form` in its own
 * `then`, to ask again), since it was continued, not started, before completing.
 */
export class TurnApplier {
  readonly view: TurnView;
  readonly #state: DialogueState;
  readonly #replies: BotReply[] = [];
  readonly #slotChanges = new Map<string, SlotValue | undefined>();
  readonly #effects: Effect[] = [];
  readonly #startedForms = new Set<string>();
  readonly #followUp: FollowUp;
  #handoff = false;

  constructor(bot: Bot, input: TurnInput, deps: EngineDeps, locale: Locale, followUp: FollowUp) {
    const { state, ...message } = input;
    // A copy: the caller's state must not change, so a retried turn starts from the same one.
    // The queue consumer already validated it (DialogueStateSchema).
    this.#state = structuredClone(state);
    this.#followUp = followUp;
    let faqMatches: readonly FaqAnswer[] | undefined;
    this.view = {
      bot,
      input: message,
      locale,
      intent: input.nlu.intent.name,
      entities: input.nlu.entities,
      state: this.#state,
      replies: this.#replies,
      slotChanges: this.#slotChanges,
      effects: this.#effects,
      env: visibleEnv(bot.definition.env, deps.env),
      io: { fetch: deps.fetch, actionFetch: deps.actionFetch ?? deps.fetch, llm: deps.llm, llmBudget: deps.llmBudget, streamReply: deps.streamReply },
      // The message and the locale do not change within a turn: one FAQ search serves it all.
      faqMatches: () => (faqMatches ??= matchFaq(bot, locale, input.text)),
    };
  }

  /** Applies the effects in order; each one's follow-ups run before the next (a stack, next on top). */
  async apply(effects: readonly Effect[]): Promise<void> {
    const pending = [...effects].reverse();
    for (let effect = pending.pop(); effect !== undefined; effect = pending.pop()) {
      const recorded = this.#change(effect);
      if (recorded === undefined) continue;
      this.#effects.push(recorded);
      const next = await this.#followUp(recorded, this.view);
      pending.push(...next.toReversed());
    }
  }

  /** Ends the turn: remembers its intent and locale for the next one. */
  finish(): TurnDecision {
    this.#state.lastIntent = this.view.intent;
    this.#state.lastLocale = this.view.locale;
    return { replies: this.#replies, state: this.#state, handoff: this.#handoff, effects: this.#effects };
  }

  /** Changes the turn by one effect; returns what to record (the effect, its refusal) or undefined if nothing changed. */
  #change(effect: Effect): Effect | undefined {
    const state = this.#state;
    switch (effect.type) {
      case "say": {
        if (this.#said(effect.response)) return undefined;
        const rendered = renderReply(this.view, effect.response);
        if (!rendered) return undefined;
        this.#replies.push(rendered.reply);
        // Cards shown: their buttons' postbacks are what a tap on them will mean (cards.ts).
        if (rendered.postbacks.length > 0) state.postbacks = keptPostbacks(rendered.postbacks, state.postbacks);
        return rendered.recommendations > 0 ? { ...effect, recommendationCards: rendered.recommendations } : effect;
      }
      case "sayText":
        if (this.#said(effect.reply.response)) return undefined;
        this.#replies.push(effect.reply);
        return effect;
      case "setSlot": {
        const previous = state.slots[effect.slot];
        // An answer to the slot settles a question about it.
        if (state.activeForm?.confirming?.slot === effect.slot) state.activeForm.confirming = null;
        if (sameSlotValue(previous, effect.value)) return undefined;
        if (!this.#slotChanges.has(effect.slot)) this.#slotChanges.set(effect.slot, previous);
        state.slots[effect.slot] = effect.value;
        return effect;
      }
      case "clearSlots":
        if (effect.slots === "all") state.slots = {};
        else for (const slot of effect.slots) delete state.slots[slot];
        return effect;
      case "rejectSlot": {
        if (!this.#slotChanges.has(effect.slot)) return undefined;
        const previous = this.#slotChanges.get(effect.slot);
        if (previous === undefined) delete state.slots[effect.slot];
        else state.slots[effect.slot] = previous;
        this.#slotChanges.delete(effect.slot);
        return effect;
      }
      case "startForm":
        if (!this.view.bot.definition.forms[effect.form]) return undefined;
        if (this.#startedForms.has(effect.form)) return { type: "formRefused", form: effect.form };
        this.#startedForms.add(effect.form);
        state.activeForm = { name: effect.form, requestedSlot: null, invalidAttempts: 0, confirming: null };
        return effect;
      case "formRefused":
      case "recallSlots":
      case "postbackTapped":
      case "callAction":
      case "actionCalled":
        // Records only: the refusal, the recall, the card tap (postbackTapped) and the call, whose values, outcome and replies follow them.
        return effect;
      case "interruptForm":
        return this.#activeForm(effect.form) ? effect : undefined;
      case "requestSlot": {
        const active = this.#activeForm(effect.form);
        if (!active) return undefined;
        active.requestedSlot = effect.slot;
        active.confirming = null;
        return effect;
      }
      case "advanceForm": {
        const active = this.#activeForm(effect.form);
        if (!active) return undefined;
        active.invalidAttempts = 0;
        active.confirming = null;
        return effect;
      }
      case "invalidFormAnswer": {
        const active = this.#activeForm(effect.form);
        if (!active) return undefined;
        active.invalidAttempts++;
        active.confirming = null;
        return effect;
      }
      case "confirmSlot": {
        const active = this.#activeForm(effect.form);
        if (!active) return undefined;
        active.confirming = { slot: effect.slot, value: effect.value, ...(effect.remembered ? { remembered: true as const } : {}) };
        return effect;
      }
      case "resumeForm": {
        const active = this.#activeForm(effect.form);
        if (!active) return undefined;
        const resumed = renderResumedQuestion(this.view, effect.form, effect.slot);
        if (!resumed || this.#said(resumed.response)) return undefined;
        active.requestedSlot = effect.slot;
        active.confirming = null;
        this.#replies.push(resumed);
        return effect;
      }
      case "completeForm":
      case "cancelForm":
        if (!this.#activeForm(effect.form)) return undefined;
        state.activeForm = null;
        return effect;
      case "fallback":
        state.fallbackStreak++;
        return effect;
      case "resetFallbackStreak":
        if (state.fallbackStreak === 0) return undefined;
        state.fallbackStreak = 0;
        return effect;
      case "offerHuman":
        state.handoffOffered = true;
        return effect;
      case "closeHumanOffer":
        state.handoffOffered = false;
        return effect;
      case "handOff":
        this.#handoff = true;
        state.activeForm = null;
        state.handoffOffered = false;
        state.fallbackStreak = 0;
        return effect;
      case "markDisclaimerShown":
        state.disclaimerShown = true;
        return effect;
    }
  }

  #said(response: string | undefined): boolean {
    return this.#replies.some((existing) => existing.response === response);
  }

  #activeForm(name: string): DialogueState["activeForm"] {
    const active = this.#state.activeForm;
    return active?.name === name ? active : null;
  }
}
