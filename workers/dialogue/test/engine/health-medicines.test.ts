// The health bot's medicine check on the engine, against the demo clinic service: the user's own
// health (asked once, offered back from the profile), someone else's one fact, and the engine
// features it leans on — multiple-choice slots, a yes to "Still …?", an answer naming a medicine
// that leaves the medicine asked about alone.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startDemoServices, type DemoServices } from "../../../../demo/services.ts";
import type { ProfileSnapshot } from "../../../../shared/schemas/dialogue.ts";
import type { EngineDeps } from "../../src/engine/index.ts";
import { Conversation, entity, exampleBot, nlu, responses, texts } from "./helpers.ts";

let demo: DemoServices;
let deps: EngineDeps;
beforeAll(async () => {
  demo = await startDemoServices({ port: 0, today: () => "2026-03-01" });
  deps = { fetch: (input, init) => fetch(input, init), env: { HEALTH_API_URL: demo.url } };
});
afterAll(async () => {
  await demo.close();
});

const bot = exampleBot("health");
const medicine = (id: string, text = id) => entity("medicine", id, text);

/** A signed-in user's conversation whose profile holds these health facts, with consent. */
function returning(facts: ProfileSnapshot["facts"]): Conversation {
  const conversation = new Conversation(bot, deps);
  conversation.state = { ...conversation.state, disclaimerShown: true, profile: { facts, consents: { health_guidance: true }, asking: null, declined: [] } };
  return conversation;
}

describe("the user's own medicine check", () => {
  it("asks pregnancy, conditions, allergies and medicines, and warns from 20 weeks and about warfarin", async () => {
    const conversation = new Conversation(bot, deps);
    expect(responses(await conversation.say("can I take ibuprofen?", nlu("medicine_question", [medicine("ibuprofen")])))).toEqual(["utter_disclaimer", "utter_ask_for_whom"]);
    expect(responses(await conversation.say("For me", nlu("out_of_scope")))).toEqual(["utter_ask_my_age_band"]);
    expect(responses(await conversation.say("18 to 64", nlu("out_of_scope", [entity("number", 18)])))).toEqual(["utter_ask_pregnant"]);
    expect(responses(await conversation.say("Yes", nlu("affirm")))).toEqual(["utter_ask_pregnancy_weeks"]);
    expect(responses(await conversation.say("24 weeks", nlu("out_of_scope", [entity("number", 24)])))).toEqual(["utter_ask_conditions"]);
    expect(responses(await conversation.say("None of these", nlu("deny")))).toEqual(["utter_ask_allergies"]);
    expect(responses(await conversation.say("Neither", nlu("deny")))).toEqual(["utter_ask_current_medicines"]);
    // The answer names a medicine: it is the list of current medicines, not a new question about warfarin.
    const answer = await conversation.say("warfarin", nlu("medicine_question", [medicine("warfarin")]));
    expect(responses(answer)).toEqual(["utter_my_medicine_warning"]);
    expect(texts(answer)).toContain("About ibuprofen, checked against what you told me (24 weeks pregnant; taking warfarin)");
    expect(texts(answer)).toContain("From 20 weeks of pregnancy");
    expect(texts(answer)).toContain("blood thinner");
    expect(conversation.state.slots).toMatchObject({ medicine: "ibuprofen", conditions: "none", allergies: "none", current_medicines: "warfarin", due_date: "2026-06-21", pregnant: true });
  });

  it("takes every condition an answer names, and reads them back as a list", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("is naproxen ok for me", nlu("medicine_question", [medicine("naproxen")]));
    await conversation.say("me", nlu("out_of_scope"));
    await conversation.say("65 or over", nlu("out_of_scope", [entity("number", 65)]));
    // Over 65: no pregnancy question.
    expect(responses(await conversation.say("I have kidney disease and asthma", nlu("out_of_scope")))).toEqual(["utter_ask_allergies"]);
    expect(conversation.state.slots.conditions).toBe("kidney_disease,asthma");
    expect(responses(await conversation.say("no", nlu("deny")))).toEqual(["utter_ask_current_medicines"]);
    const answer = await conversation.say("none", nlu("deny"));
    expect(texts(answer)).toContain("checked against what you told me (kidney disease, asthma)");
    expect(texts(answer)).toContain("kidneys");
    expect(texts(answer)).toContain("Over 65");
  });

  it("asks which medicines after a bare yes, and says which names it could not check", async () => {
    const conversation = new Conversation(bot, deps);
    await conversation.say("can I take paracetamol", nlu("medicine_question", [medicine("paracetamol")]));
    await conversation.say("For me", nlu("out_of_scope"));
    await conversation.say("65 or over", nlu("out_of_scope"));
    await conversation.say("none", nlu("deny"));
    await conversation.say("penicillin", nlu("out_of_scope"));
    expect(responses(await conversation.say("yes", nlu("affirm")))).toEqual(["utter_invalid_current_medicines"]);
    const answer = await conversation.say("warfarin and vitamin D", nlu("out_of_scope", [medicine("warfarin")]));
    expect(texts(answer)).toContain("regularly for several days can change how warfarin works");
    expect(texts(answer)).toContain("I couldn't check vitamin D against it");
    expect(conversation.state.slots.current_medicines).toBe("warfarin, vitamin D");
  });
});

describe("a returning user's remembered health", () => {
  const remembered = { "health.age_band": "adult", "health.pregnant": false, "health.chronic_conditions": "none", "health.allergies": "nsaid", "health.medicines": "warfarin" };

  it("offers the details back in one question; yes takes them all, and the advice uses them", async () => {
    const conversation = returning(remembered);
    await conversation.say("can I take ibuprofen", nlu("medicine_question", [medicine("ibuprofen")]));
    const offered = await conversation.say("for me", nlu("out_of_scope"));
    expect(responses(offered)).toEqual(["utter_ask_same_details_not_pregnant"]);
    expect(texts(offered)).toBe(
      "Last time you told me: an adult; not pregnant; conditions: none of these; allergic to: aspirin and other anti-inflammatory painkillers (NSAIDs); medicines: warfarin. Is that all still right?",
    );
    const answer = await conversation.say("yes", nlu("affirm"));
    expect(responses(answer)).toEqual(["utter_my_medicine_warning"]);
    expect(answer.replies[0]?.text).toContain("allergic to aspirin and other NSAIDs; taking warfarin");
    expect(answer.replies[0]?.text).toContain("Do not take this one");
    expect(conversation.state.slots).toMatchObject({ age_band: "adult", pregnant: false, conditions: "none", allergies: "nsaid", current_medicines: "warfarin" });
  });

  it("after a no, offers each answer back on its own; yes keeps it", async () => {
    const conversation = returning(remembered);
    await conversation.say("can I take ibuprofen", nlu("medicine_question", [medicine("ibuprofen")]));
    await conversation.say("for me", nlu("out_of_scope"));
    const age = await conversation.say("no", nlu("deny"));
    expect(responses(age)).toEqual(["utter_confirm_my_age_band"]);
    expect(texts(age)).toContain("“an adult”");
    const pregnancy = await conversation.say("yes", nlu("affirm"));
    expect(texts(pregnancy)).toContain("you said “no”");
    // A yes keeps "not pregnant": the yes answers "Still right?", not "Are you pregnant?".
    expect(responses(await conversation.say("yes", nlu("affirm")))).toEqual(["utter_confirm_conditions"]);
    expect(conversation.state.slots.pregnant).toBe(false);
    expect(texts(await conversation.say("yes", nlu("affirm")))).toContain("Allergic last time: aspirin and other anti-inflammatory painkillers (NSAIDs)");
    expect(texts(await conversation.say("yes", nlu("affirm")))).toContain("Still taking the same medicines as last time: warfarin?");
    const answer = await conversation.say("I take warfarin and sertraline", nlu("medicine_question", [medicine("warfarin"), medicine("sertraline")]));
    expect(responses(answer)).toEqual(["utter_my_medicine_warning"]);
    expect(answer.replies[0]?.text).toContain("taking warfarin, sertraline");
    expect(answer.replies[0]?.text).toContain("SSRI");
  });

  it("a no to a remembered condition asks again: it is not the answer none", async () => {
    const conversation = returning({ ...remembered, "health.chronic_conditions": "kidney_disease" });
    await conversation.say("can I take ibuprofen", nlu("medicine_question", [medicine("ibuprofen")]));
    await conversation.say("for me", nlu("out_of_scope"));
    await conversation.say("no", nlu("deny"));
    await conversation.say("yes", nlu("affirm"));
    const conditions = await conversation.say("yes", nlu("affirm"));
    expect(texts(conditions)).toContain("Your conditions last time: kidney disease. Still the same?");
    expect(responses(await conversation.say("no", nlu("deny")))).toEqual(["utter_ask_conditions"]);
    expect(conversation.state.slots.conditions).toBeUndefined();
  });

  it("offers a remembered due date back, and counts today's weeks from it", async () => {
    const conversation = returning({ ...remembered, "health.pregnant": true, "health.due_date": "2026-06-21", "health.allergies": "none", "health.medicines": "none" });
    await conversation.say("can I take ibuprofen", nlu("medicine_question", [medicine("ibuprofen")]));
    const offered = await conversation.say("for me", nlu("out_of_scope"));
    expect(responses(offered)).toEqual(["utter_ask_same_details_pregnant"]);
    expect(texts(offered)).toContain("pregnant, due on Jun 21, 2026");
    const answer = await conversation.say("yes", nlu("affirm"));
    // 21 June 2026 is 16 weeks after 1 March 2026, the service's today: 24 weeks.
    expect(texts(answer)).toContain("24 weeks pregnant");
    expect(texts(answer)).toContain("From 20 weeks of pregnancy");
  });

  it("asks the one question only once in a conversation: the next medicine uses the answers given", async () => {
    const conversation = returning(remembered);
    await conversation.say("can I take ibuprofen", nlu("medicine_question", [medicine("ibuprofen")]));
    await conversation.say("for me", nlu("out_of_scope"));
    await conversation.say("yes", nlu("affirm"));
    await conversation.say("and paracetamol?", nlu("medicine_question", [medicine("paracetamol")]));
    const next = await conversation.say("for me", nlu("out_of_scope"));
    expect(responses(next)).toEqual(["utter_my_medicine_warning"]);
    expect(texts(next)).toContain("About paracetamol");
  });
});

describe("someone else's medicine", () => {
  it("takes who it is for from the question, asks their age and one fact, and keeps nothing of them", async () => {
    const conversation = returning({ "health.age_band": "adult", "health.medicines": "warfarin" });
    const asked = await conversation.say("how much calpol can I give my son", nlu("medicine_question", [medicine("paracetamol", "calpol")]));
    expect(responses(asked)).toEqual(["utter_ask_medicine_age_band"]);
    await conversation.say("A child", nlu("out_of_scope"));
    const answer = await conversation.say("none", nlu("deny"));
    expect(responses(answer)).toEqual(["utter_medicine_warning"]);
    expect(texts(answer)).toContain("won't give one here");
    expect(texts(answer)).not.toContain("warfarin");
    expect(conversation.state.slots.age_band).toBeUndefined();
  });
});
