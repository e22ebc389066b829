/**
 * A turn with the user's profile around it (docs/privacy.md): the dialogue engine decides the turn
 * as always; this module
 *
 *  - hears "forget my health details" (in the bot's languages, shared/languages/profile-phrases.ts):
 *    consent for that purpose is withdrawn, which erases its facts, and the conversation forgets the
 *    remembered answers it holds;
 *  - takes the yes or no to the consent question it asked, and records it (with its time);
 *  - after the engine, saves the remembered slots that changed (bot.yaml `remember`) to a signed-in
 *    user's profile — a special-category answer (finance, health) only with consent for its purpose,
 *    asked once the form that collected it is done; declined, it lives only in this conversation.
 *
 * The profile is never read here: the conversation carries what its bot may read (the dialogue
 * state's `profile`, read once when it was created). A write happens only when a remembered answer or
 * consent changes. An anonymous user's turn calls nothing.
 */
import { forgetRequest, languageOf, PROFILE_PHRASES, type ForgettablePurpose } from "../../../../shared/languages/index.ts";
import { rememberedField } from "../../../../shared/schemas/bot.ts";
import type { BotReply, DialogueState, ProfileSnapshot, SlotValue } from "../../../../shared/schemas/dialogue.ts";
import { isSpecialCategory, PROFILE_FIELDS, PROFILE_VALUE_SCHEMAS, type ProfileField, type ProfilePurpose } from "../../../../shared/schemas/profile.ts";
import type { Locale } from "../../../../shared/schemas/nlu.ts";
import { TurnApplier } from "../engine/apply.ts";
import { say } from "../engine/effects.ts";
import { decideTurn, replyLocale } from "../engine/turn.ts";
import { reply } from "../engine/responses.ts";
import { normalizeAnswer } from "../engine/text.ts";
import type { Bot, EngineDeps, TurnDecision, TurnInput } from "../engine/types.ts";
import type { ProfileStore, RememberedFact } from "./profile-store.ts";

/** The reply names of the platform's own sentences here (for tests, analytics and the transcript). */
export const PROFILE_RESPONSES = {
  forgotten: "platform:profile_forgotten",
  consentGiven: "platform:consent_given",
  consentDeclined: "platform:consent_declined",
} as const;

/** The turn's user: their profile's calls when signed in, none when anonymous. */
export interface ProfileContext {
  store: ProfileStore | undefined;
}

/** What the turn did with the profile, for the log line (never a value). */
export interface ProfileTurnFacts {
  written: number;
  consent?: { purpose: ProfilePurpose; given: boolean };
  forgotten?: ProfilePurpose;
}

export async function decideProfileTurn(
  bot: Bot,
  input: TurnInput,
  deps: EngineDeps,
  context: ProfileContext,
): Promise<{ decision: TurnDecision; facts: ProfileTurnFacts }> {
  const locale = replyLocale(bot, input);
  const forget = forgetRequest(input.text, bot.definition.locales);
  if (forget !== undefined) return forgetPurpose(bot, input, locale, forget, context);
  const asking = input.state.profile?.asking ?? null;
  if (asking !== null) {
    const answer = consentAnswer(bot, input, locale, asking);
    if (answer !== undefined) return answerConsent(bot, input, locale, asking, answer, context);
  }
  const state = asking === null ? input.state : { ...input.state, profile: { ...(input.state.profile as ProfileSnapshot), asking: null } };
  const decision = await decideTurn(bot, { ...input, state }, deps);
  const facts = await remember(bot, input, deps, decision, context);
  return { decision, facts };
}

/** "Forget my health details": consent withdrawn (its facts erased) and the conversation's remembered answers of that purpose cleared. */
async function forgetPurpose(bot: Bot, input: TurnInput, locale: Locale, purpose: ForgettablePurpose, context: ProfileContext) {
  const state = structuredClone(input.state);
  for (const [name, slot] of Object.entries(bot.definition.slots)) {
    const field = rememberedField(slot);
    if (field !== undefined && PROFILE_FIELDS[field].purpose === purpose) delete state.slots[name];
  }
  if (state.profile) {
    for (const field of Object.keys(state.profile.facts)) if (purposeOf(field) === purpose) delete state.profile.facts[field];
    state.profile.consents[purpose] = false;
    if (state.profile.asking === purpose) state.profile.asking = null;
  }
  await context.store?.setConsent(purpose, false);
  const phrases = PROFILE_PHRASES[locale];
  const text = phrases.forgotten.replace("{what}", phrases.purposeNames[purpose]);
  return { decision: platformDecision(input, state, locale, [reply(text, PROFILE_RESPONSES.forgotten)]), facts: { written: 0, forgotten: purpose } };
}

/** A yes or a no to the consent question, else undefined (the message is about something else). */
function consentAnswer(bot: Bot, input: TurnInput, locale: Locale, purpose: string): boolean | undefined {
  const { definition } = bot;
  const intent = input.nlu.intent.name;
  const question = definition.profile?.consent[purpose as ProfilePurpose];
  const offered = question === undefined ? undefined : (definition.responses[question]?.[locale] ?? definition.responses[question]?.[definition.defaultLocale]);
  const [yes, no] = offered?.quickReplies ?? languageOf(locale).confirmQuickReplies;
  const answer = normalizeAnswer(input.text);
  if (definition.affirmIntents.includes(intent) || (yes !== undefined && answer === normalizeAnswer(yes))) return true;
  if (definition.denyIntents.includes(intent) || (no !== undefined && answer === normalizeAnswer(no))) return false;
  return undefined;
}

async function answerConsent(
  bot: Bot,
  input: TurnInput,
  locale: Locale,
  purpose: string,
  given: boolean,
  context: ProfileContext,
): Promise<{ decision: TurnDecision; facts: ProfileTurnFacts }> {
  const state = structuredClone(input.state);
  const profile = state.profile ?? emptySnapshot();
  profile.asking = null;
  state.profile = profile;
  const phrases = PROFILE_PHRASES[locale];
  const what = phrases.purposeNames[purpose as ForgettablePurpose] ?? purpose;
  const consent = { purpose: purpose as ProfilePurpose, given };
  if (!given) {
    profile.declined = [...new Set([...profile.declined, purpose])];
    return { decision: platformDecision(input, state, locale, [reply(phrases.consentDeclined, PROFILE_RESPONSES.consentDeclined)]), facts: { written: 0, consent } };
  }
  await context.store?.setConsent(consent.purpose, true);
  profile.consents[purpose] = true;
  const written = await writeFacts(changedFacts(bot, state).filter((fact) => PROFILE_FIELDS[fact.field].purpose === purpose), profile, context);
  const text = phrases.consentGiven.replace("{what}", what);
  return { decision: platformDecision(input, state, locale, [reply(text, PROFILE_RESPONSES.consentGiven)]), facts: { written, consent } };
}

/**
 * After the engine: remembered answers that changed are written — those that need consent once it
 * is given; otherwise the consent question is asked when no form is waiting for an answer and the
 * turn's reply asks nothing itself (once per conversation: declined, the answers stay in this
 * conversation only).
 */
async function remember(bot: Bot, input: TurnInput, deps: EngineDeps, decision: TurnDecision, context: ProfileContext): Promise<ProfileTurnFacts> {
  const profile = decision.state.profile;
  if (context.store === undefined || profile === undefined) return { written: 0 };
  const changed = changedFacts(bot, decision.state);
  const ready: RememberedFact[] = [];
  const needConsent = new Set<ProfilePurpose>();
  for (const fact of changed) {
    const { purpose } = PROFILE_FIELDS[fact.field];
    if (!isSpecialCategory(fact.field) || profile.consents[purpose] === true) ready.push(fact);
    else if (!profile.declined.includes(purpose)) needConsent.add(purpose);
  }
  const written = await writeFacts(ready, profile, context);
  const purpose = [...needConsent][0];
  const question = purpose === undefined ? undefined : bot.definition.profile?.consent[purpose];
  // Not on top of a question the turn's own reply asks (its quick replies: "Shall I connect you now?"):
  // a yes would answer both. Asked on a later turn that asks nothing.
  const asksItself = decision.replies.at(-1)?.quickReplies !== undefined;
  if (purpose !== undefined && question !== undefined && decision.state.activeForm === null && !decision.handoff && !asksItself) {
    const asked = await renderResponse(bot, input, deps, decision.state, question);
    if (asked) {
      decision.replies.push(asked);
      profile.asking = purpose;
    }
  }
  return { written };
}

/** Writes facts and moves the conversation's snapshot on for those stored; a purpose the profile says needs consent is marked so. */
async function writeFacts(facts: readonly RememberedFact[], profile: ProfileSnapshot, context: ProfileContext): Promise<number> {
  if (facts.length === 0 || context.store === undefined) return 0;
  const result = await context.store.write(facts);
  for (const field of result.stored) {
    const fact = facts.find((candidate) => candidate.field === field);
    if (fact) profile.facts[field] = fact.value;
  }
  // Consent was withdrawn elsewhere since this conversation started: ask again here.
  for (const { purpose } of result.consentRequired) profile.consents[purpose] = false;
  return result.stored.length;
}

/** The remembered slots whose value differs from what the profile holds, as facts of their fields' types. */
function changedFacts(bot: Bot, state: DialogueState): RememberedFact[] {
  const facts: RememberedFact[] = [];
  const known = state.profile?.facts ?? {};
  for (const [name, slot] of Object.entries(bot.definition.slots)) {
    const field = rememberedField(slot);
    const value = state.slots[name];
    if (field === undefined || value === undefined || value === null) continue;
    const typed = factValue(field, value);
    if (typed === undefined) continue;
    if (Object.hasOwn(known, field) && JSON.stringify(known[field]) === JSON.stringify(typed)) continue;
    facts.push({ field, value: typed, slot: name });
  }
  return facts;
}

function factValue(field: ProfileField, value: SlotValue): RememberedFact["value"] | undefined {
  const parsed = PROFILE_VALUE_SCHEMAS[PROFILE_FIELDS[field].type].safeParse(value);
  return parsed.success ? (parsed.data) : undefined;
}

function purposeOf(field: string): ProfilePurpose | undefined {
  return Object.hasOwn(PROFILE_FIELDS, field) ? PROFILE_FIELDS[field as ProfileField].purpose : undefined;
}

const emptySnapshot = (): ProfileSnapshot => ({ facts: {}, consents: {}, asking: null, declined: [] });

/** A bot response rendered as the engine renders it (locale, variation, slots), outside a turn's steps. */
async function renderResponse(bot: Bot, input: TurnInput, deps: EngineDeps, state: DialogueState, name: string): Promise<BotReply | undefined> {
  const applier = new TurnApplier(bot, { ...input, state }, deps, replyLocale(bot, { ...input, state }), () => []);
  await applier.apply([say(name)]);
  return applier.finish().replies[0];
}

/** A turn this module answered itself: its replies, the state, no handoff, no engine effects. */
function platformDecision(input: TurnInput, state: DialogueState, locale: Locale, replies: BotReply[]): TurnDecision {
  return { replies, state: { ...state, lastIntent: input.nlu.intent.name, lastLocale: locale }, handoff: false, effects: [] };
}
