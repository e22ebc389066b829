// Published bot versions on the real Workers (workerd): a changed bot published while a conversation
// is inside a form leaves that conversation on its version to the end while new conversations get the
// new one, in the NLU (intent Worker) and in the replies (dialogue Worker); a 10 % canary takes about
// 10 % of 1,000 new conversations, exactly those its hash picks; rolling back is effective for the
// next conversation; a bad bot gets every problem and changes nothing (docs/bot-versions.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { botDocumentText, checkBotDocument } from "../../devkit/bots/bot-document.ts";
import { OPERATOR_API_KEY, startStratus, type ConversationHandle, type Stratus } from "../../devkit/local-stack.ts";
import { versionFor } from "../../shared/bot-versions/assign.ts";
import { BotVersionListSchema, type BotDocument } from "../../shared/schemas/bot-versions.ts";
import { ConversationSchema, ConversationSummarySchema } from "../../shared/schemas/conversation.ts";
import { builtInBotDocument, publishBot, putBotDocument, releaseBot } from "../harness/bot-versions.ts";

let stratus: Stratus;
beforeAll(async () => {
  stratus = await startStratus();
});
afterAll(() => stratus?.close());

const operator = { Authorization: `Bearer ${OPERATOR_API_KEY}` };
const BOT = "health";

/** The health bot with a changed form (its questions say "(v2)") and a new intent the built-in NLU does not know. */
function changedHealthBot(): BotDocument {
  const original = builtInBotDocument(BOT);
  const document = structuredClone(original);
  const responses = document.bot.responses as Record<string, Record<string, { text: string } | string>>;
  const timeQuestion = responses.utter_ask_appointment_time as Record<string, { text: string }>;
  timeQuestion.en = { ...timeQuestion.en, text: "(v2) Which time of day suits you best?" };
  const summary = responses.utter_appointment_summary as Record<string, { text: string }>;
  summary.en = { ...summary.en, text: "(v2) Noted: {appointment_reason}, {appointment_time}. Shall I connect you to the nurse line?" };
  responses.utter_parrot = {
    en: "(v2) Our clinic parrot is called Pepper; she greets everyone in the waiting room.",
    zh: "(v2) 诊所的鹦鹉叫胡椒，她会在候诊室和大家打招呼。",
  };
  (document.bot.rules as unknown[]).push({ intent: "ask_about_parrot", response: "utter_parrot" });
  (document.nlu.intents as Record<string, unknown>).ask_about_parrot = {
    en: ["tell me about the clinic parrot", "is there a parrot at the clinic", "what is the parrot called", "the parrot in the waiting room", "does the clinic have a parrot", "who is the parrot", "what's the name of your parrot", "parrot"],
    zh: ["诊所的鹦鹉", "诊所有鹦鹉吗", "鹦鹉叫什么名字", "候诊室的鹦鹉", "那只鹦鹉是谁", "鹦鹉"],
  };
  return document;
}

const PARROT_QUESTION = "what is the name of the clinic parrot";

const put = (document: BotDocument | string, note?: string, contentType?: string) => putBotDocument(stratus, BOT, document, { note, contentType });
const release = (version: number, percent?: number) => releaseBot(stratus, BOT, version, percent);

async function versions() {
  const response = await stratus.fetch(`/v1/bots/${BOT}/versions`, { headers: operator });
  expect(response.status).toBe(200);
  return BotVersionListSchema.parse(await response.json());
}

async function summary(conversation: ConversationHandle) {
  const response = await stratus.fetch(`/v1/conversations/${conversation.id}`, { headers: { Authorization: `Bearer ${conversation.token}` } });
  return ConversationSummarySchema.parse(await response.json());
}

const texts = (replies: { text: string }[]) => replies.map((reply) => reply.text).join("\n");

/** A new conversation from its own client address (the creation limit counts per address). */
async function create(address: string) {
  const response = await stratus.fetch("/v1/conversations", {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": address },
    body: JSON.stringify({ bot: BOT, locale: "en" }),
  });
  if (response.status !== 201) throw new Error(`create: ${response.status} ${await response.text()}`);
  const { id, botVersion } = ConversationSchema.parse(await response.json());
  if (botVersion === undefined) throw new Error("a new conversation was created without its botVersion");
  return { id, botVersion };
}

/** The health bot's appointment form asks whom the appointment is for after the time of day. */
const AGE_QUESTION = "Is the appointment for a child (under 12), an adult, or someone over 65?";

describe("published bot versions", () => {
  let v2 = 0;

  it("keeps a conversation inside a form on the version it started on when a changed bot is published and released; a new one gets the new version", async () => {
    const before = await stratus.createConversation({ bot: BOT, locale: "en" });
    expect((await summary(before)).botVersion).toBe(1);
    await stratus.say(before, "I'd like to make an appointment");
    const asked = await stratus.say(before, "my knee is swollen since Monday");
    expect(texts(asked.replies)).toContain("Which time of day suits you best?");
    expect(texts(asked.replies)).not.toContain("(v2)");

    // Published and released while `before` waits inside the form for its last answer.
    const started = Date.now();
    const version = await publishBot(stratus, BOT, changedHealthBot(), "appointment questions say v2; the clinic parrot");
    const publishWallMs = Date.now() - started;
    expect(version).toMatchObject({ bot: BOT, version: 2, created: true });
    v2 = version.version;
    console.log(`publish of the changed health bot: ${publishWallMs} ms end to end (training ${version.trainingMs} ms), ${version.storedBytes} bytes stored`);
    expect(await release(v2)).toEqual({ bot: BOT, current: v2, canary: null });

    // The conversation in the form finishes on version 1: its replies, and its NLU.
    const ageAsked = await stratus.say(before, "after lunch");
    expect(texts(ageAsked.replies)).toContain(AGE_QUESTION);
    const finished = await stratus.say(before, "an adult");
    expect(texts(finished.replies)).toContain("Thanks. I'll pass this on to the nurse line: a new symptom, in the afternoon, for an adult.");
    expect(texts(finished.replies)).not.toContain("(v2)");
    const oldParrot = await stratus.say(before, PARROT_QUESTION);
    expect(oldParrot.replies.some((reply) => reply.nlu?.intent.name === "ask_about_parrot")).toBe(false);
    expect(texts(oldParrot.replies)).not.toContain("Pepper");
    expect((await summary(before)).botVersion).toBe(1);

    // A new conversation starts on version 2, in the dialogue and in the NLU.
    const after = await stratus.createConversation({ bot: BOT, locale: "en" });
    expect((await summary(after)).botVersion).toBe(v2);
    await stratus.say(after, "I'd like to make an appointment");
    expect(texts((await stratus.say(after, "my knee is swollen since Monday")).replies)).toContain("(v2) Which time of day suits you best?");
    expect(texts((await stratus.say(after, "after lunch")).replies)).toContain(AGE_QUESTION);
    expect(texts((await stratus.say(after, "an adult")).replies)).toContain("(v2) Noted: a new symptom, in the afternoon. Shall I connect you to the nurse line?");
    const parrot = await stratus.say(after, PARROT_QUESTION);
    expect(parrot.replies[0]?.nlu?.intent.name).toBe("ask_about_parrot");
    expect(texts(parrot.replies)).toContain("clinic parrot is called Pepper");
  });

  it("lists the versions, returns a version's document as published, and publishes the same document once", async () => {
    const list = await versions();
    expect(list.current).toBe(v2);
    expect(list.versions.map(({ version, builtIn, current, canaryPercent }) => ({ version, builtIn, current, canaryPercent }))).toEqual([
      { version: v2, builtIn: false, current: true, canaryPercent: null },
      { version: 1, builtIn: true, current: false, canaryPercent: null },
    ]);
    expect(list.versions[0]?.note).toBe("appointment questions say v2; the clinic parrot");
    expect(Date.parse(list.versions[0]?.createdAt ?? "")).toBeGreaterThan(Date.now() - 600_000);

    // The document as published, in the form PUT takes (JSON, or YAML on request), fetched by number or hash.
    const asJson = await stratus.fetch(`/v1/bots/${BOT}/versions/${v2}`, { headers: operator });
    expect(asJson.status).toBe(200);
    expect(await asJson.json()).toEqual(changedHealthBot());
    const asYaml = await stratus.fetch(`/v1/bots/${BOT}/versions/${list.versions[0]?.hash}`, { headers: { ...operator, Accept: "application/yaml" } });
    expect(asYaml.headers.get("Content-Type")).toMatch(/^application\/yaml/);
    expect(asYaml.headers.get("X-Bot-Version")).toBe(String(v2));
    const yamlText = await asYaml.text();
    expect(yamlText).toBe(botDocumentText(changedHealthBot()));
    const builtIn = await stratus.fetch(`/v1/bots/${BOT}/versions/1`, { headers: operator });
    expect(await builtIn.json()).toEqual(builtInBotDocument(BOT));

    // Published again (as JSON this time): the version that holds it, and nothing new stored.
    const again = await put(JSON.stringify(changedHealthBot()), "again", "application/json");
    expect(again.status).toBe(200);
    expect(await again.json()).toMatchObject({ version: v2, created: false });
    const unchanged = await put(builtInBotDocument(BOT));
    expect(await unchanged.json()).toMatchObject({ version: 1, created: false, storedBytes: 0 });
    expect((await versions()).versions).toHaveLength(2);

    const missing = await stratus.fetch(`/v1/bots/${BOT}/versions/99`, { headers: operator });
    expect([missing.status, ((await missing.json()) as { error: { code: string } }).error.code]).toEqual([404, "version_not_found"]);
  });

  it("sends a 10 % canary about 10 % of 1,000 new conversations: exactly those the hash of their id picks", { timeout: 300_000 }, async () => {
    expect(await release(1)).toEqual({ bot: BOT, current: 1, canary: null });
    expect(await release(v2, 10)).toEqual({ bot: BOT, current: 1, canary: { version: v2, percent: 10 } });
    const started = Date.now();
    const created: { id: string; botVersion: number }[] = [];
    const COUNT = 1000;
    const CONCURRENCY = 8;
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < COUNT) {
          const i = next++;
          // 100 creations per address, under the per-address limit of 120 a minute.
          created.push(await create(`10.20.${Math.floor(i / 100)}.1`));
        }
      }),
    );
    const onCanary = created.filter((conversation) => conversation.botVersion === v2).length;
    console.log(`canary 10 %: ${onCanary} of ${COUNT} new conversations on version ${v2}, created in ${Date.now() - started} ms`);
    expect(created.every((conversation) => conversation.botVersion === 1 || conversation.botVersion === v2)).toBe(true);
    expect(onCanary / COUNT).toBeGreaterThanOrEqual(0.07);
    expect(onCanary / COUNT).toBeLessThanOrEqual(0.13);
    // Exactly the conversations the stable hash picks: a conversation's version depends on nothing else.
    const release10 = { current: 1, canary: { version: v2, percent: 10 } };
    expect(created.filter((conversation) => conversation.botVersion !== versionFor(release10, conversation.id))).toEqual([]);
    const list = await versions();
    expect(list.versions.find((one) => one.version === v2)).toMatchObject({ current: false, canaryPercent: 10 });
  });

  it("rolls back for the next new conversation, while a conversation on the newer version keeps it", async () => {
    await release(v2);
    const onV2 = await stratus.createConversation({ bot: BOT, locale: "en" });
    expect((await summary(onV2)).botVersion).toBe(v2);

    expect(await release(1)).toEqual({ bot: BOT, current: 1, canary: null });
    const next = await stratus.createConversation({ bot: BOT, locale: "en" });
    expect((await summary(next)).botVersion).toBe(1);
    expect(texts((await stratus.say(next, PARROT_QUESTION)).replies)).not.toContain("Pepper");
    // The conversation that started on version 2 stays on it.
    expect(texts((await stratus.say(onV2, PARROT_QUESTION)).replies)).toContain("Pepper");
  });

  it("refuses a bad bot with every problem npm run validate finds, and changes nothing", async () => {
    const before = await versions();
    const bad = changedHealthBot();
    (bad.bot.rules as unknown[]).push({ intent: "no_such_intent", response: "utter_no_such_response" });
    delete (bad.documents as Record<string, string>)["zh/visiting.md"];
    (bad.documents as Record<string, string>)["en/empty.md"] = "---\ntitle: Nothing here\n---\n";
    const problems = checkBotDocument(bad, BOT);
    expect(problems.length).toBeGreaterThanOrEqual(3);
    const refused = await put(bad, "should not be stored");
    expect(refused.status).toBe(422);
    const body = (await refused.json()) as { error: { code: string; message: string; problems: string[] } };
    expect(body.error.code).toBe("invalid_bot");
    expect(body.error.problems).toEqual(problems);
    const added = (bad.bot.rules as unknown[]).length - 1;
    expect(body.error.problems).toContain(`bots/health/bot.yaml: rules[${added}].intent: unknown intent "no_such_intent" (not in nlu.yaml)`);
    expect(body.error.problems).toContain("bots/health/help/en/empty.md: no text to answer from");

    // What a deployment fixed for the bot is not a version's to change.
    const otherLocales = changedHealthBot();
    otherLocales.bot.locales = ["en"];
    const fixed = await put(otherLocales);
    expect(fixed.status).toBe(422);
    expect(((await fixed.json()) as { error: { problems: string[] } }).error.problems).toContainEqual(
      expect.stringMatching(/^bots\/health\/bot\.yaml: locales: a published version speaks the deployment's locales of the bot \(en, zh\); other locales need a deploy$/),
    );
    // Not a document at all, or not YAML/JSON.
    expect((await put("bot: [unclosed\n")).status).toBe(422);
    expect((await put("hello", undefined, "text/plain")).status).toBe(415);

    expect(await versions()).toEqual(before);
    const next = await stratus.createConversation({ bot: BOT, locale: "en" });
    expect((await summary(next)).botVersion).toBe(before.current);
  });

  it("compares the versions in the bot's analytics: each conversation counted under the version it ran on", async () => {
    // Chatted above: on version 1 the conversation in the form (5 turns) and the one after the
    // rollback (1 turn); on version 2 the new conversation (5 turns) and the one kept after the rollback (1).
    const read = async () => {
      const response = await stratus.fetch(`/v1/analytics?bot=${BOT}`, { headers: operator });
      expect(response.status).toBe(200);
      const { versions } = (await response.json()) as { versions: { version: number; conversations: number; turns: { total: number }; fallbackRate: number | null; containmentRate: number | null }[] };
      return versions.map(({ version, conversations, turns }) => ({ version, conversations, turns: turns.total }));
    };
    await expect
      .poll(read, { timeout: 20_000, interval: 500 })
      .toEqual([
        { version: v2, conversations: 2, turns: 6 },
        { version: 1, conversations: 2, turns: 6 },
      ]);
  });

  it("moves a running conversation to another version when an operator migrates it: mid-form, on its next turn", async () => {
    // Version 1 is current (the rollback above; after the analytics comparison, which counts the conversations above only): this conversation starts on it and opens the appointment form.
    const conversation = await stratus.createConversation({ bot: BOT, locale: "en" });
    expect((await summary(conversation)).botVersion).toBe(1);
    await stratus.say(conversation, "I'd like to make an appointment");
    expect(texts((await stratus.say(conversation, "my knee is swollen since Monday")).replies)).not.toContain("(v2)");

    const migrate = (body: unknown, headers: Record<string, string> = operator) =>
      stratus.fetch(`/v1/conversations/${conversation.id}/migrate`, { method: "POST", headers: { ...headers, "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const moved = await migrate({ version: v2 });
    expect(moved.status, await moved.clone().text()).toBe(200);
    expect(await moved.json()).toEqual({ id: conversation.id, bot: BOT, botVersion: v2, previousVersion: 1 });
    expect((await summary(conversation)).botVersion).toBe(v2);

    // The form goes on where it was, now with version 2's words and NLU.
    expect(texts((await stratus.say(conversation, "after lunch")).replies)).toContain(AGE_QUESTION);
    expect(texts((await stratus.say(conversation, "an adult")).replies)).toContain("(v2) Noted: a new symptom, in the afternoon.");
    expect(texts((await stratus.say(conversation, PARROT_QUESTION)).replies)).toContain("Pepper");

    // A version the bot does not have, a user's own token, a bad body: refused, and nothing changes.
    expect((await migrate({ version: 99 })).status).toBe(404);
    expect((await migrate({ version: 1 }, { Authorization: `Bearer ${conversation.token}` })).status).toBe(401);
    expect((await migrate({ version: "latest" })).status).toBe(400);
    expect((await summary(conversation)).botVersion).toBe(v2);
  });

  it("answers clearly for a bot the deployment does not serve, a version it does not have, and without the operator key", async () => {
    const unknown = await stratus.fetch("/v1/bots/nobot/versions", { headers: operator });
    expect([unknown.status, ((await unknown.json()) as { error: { code: string } }).error.code]).toEqual([404, "bot_not_found"]);
    const noKey = await stratus.fetch(`/v1/bots/${BOT}/versions`);
    expect(noKey.status).toBe(401);
    const noVersion = await stratus.fetch(`/v1/bots/${BOT}/release`, { method: "POST", headers: { ...operator, "Content-Type": "application/json" }, body: JSON.stringify({ version: 42 }) });
    expect([noVersion.status, ((await noVersion.json()) as { error: { code: string } }).error.code]).toEqual([404, "version_not_found"]);
    const badPercent = await stratus.fetch(`/v1/bots/${BOT}/release`, { method: "POST", headers: { ...operator, "Content-Type": "application/json" }, body: JSON.stringify({ version: 1, percent: 150 }) });
    expect(badPercent.status).toBe(400);
  });
});
