// Users who come back (docs/users.md), end to end on workerd: the real gateway, conversation and
// profile objects, queues, intent and dialogue Workers, and the demo order API on loopback checking
// the bots' user assertions. User tokens are signed here, as a host site's backend signs them.
import { generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StratusClient, memoryStore, type Message } from "../../clients/js/src/index.ts";
import { startDemoServices, type DemoServices } from "../../demo/services.ts";
import { TEST_ACTION_KEYS } from "../../devkit/action-keys.ts";
import { OPERATOR_API_KEY, startStratus, type ConversationHandle, type Stratus } from "../../devkit/local-stack.ts";
import { USER_TOKEN_SECRET, signDevUserToken } from "../../devkit/user-tokens.ts";
import { z } from "zod";
import {
  ConversationListSchema,
  ConversationSchema,
  ConversationSummarySchema,
  ErrorBodySchema,
  MessageSchema,
  RenewedTokenSchema,
  UserConversationListSchema,
  UserErasureSchema,
  UserExportSchema,
} from "../../shared/schemas/index.ts";
import { builtInBotDocument, publishBot, releaseBot } from "../harness/bot-versions.ts";

let demo: DemoServices;
let stratus: Stratus;
beforeAll(async () => {
  demo = await startDemoServices({ port: 0, actionKeys: TEST_ACTION_KEYS });
  stratus = await startStratus({ dialogueVars: { ORDER_API_URL: demo.url, MARKET_API_URL: demo.url, HEALTH_API_URL: demo.url } });
});
afterAll(async () => {
  await stratus?.close();
  await demo?.close();
});

/** A user id no other test uses (the stack is shared by the whole file). */
const newSub = (name: string) => `${name}-${crypto.randomUUID().slice(0, 8)}`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const asUser = (token: string) => ({ Authorization: `Bearer ${token}` });
const asOperator = { Authorization: `Bearer ${OPERATOR_API_KEY}` };

async function createFor(userToken: string, body: Record<string, unknown> = {}): Promise<ConversationHandle> {
  const response = await stratus.fetch("/v1/conversations", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ locale: "en", ...body, userToken }),
  });
  expect(response.status).toBe(201);
  return ConversationSchema.parse(await response.json());
}

async function summaryOf(conversation: ConversationHandle) {
  const response = await stratus.fetch(`/v1/conversations/${conversation.id}`, { headers: asUser(conversation.token) });
  expect(response.status).toBe(200);
  return ConversationSummarySchema.parse(await response.json());
}

async function myConversations(userToken: string) {
  const response = await stratus.fetch("/v1/users/me/conversations", { headers: asUser(userToken) });
  expect(response.status).toBe(200);
  expect(response.headers.get("Cache-Control")).toBe("no-store");
  return UserConversationListSchema.parse(await response.json()).conversations;
}

async function exportOf(userToken: string) {
  const response = await stratus.fetch("/v1/users/me/export", { headers: asUser(userToken) });
  expect(response.status).toBe(200);
  return UserExportSchema.parse(await response.json());
}

/** The user's remembered facts as the export shows them: field → value. */
async function factsOf(userToken: string): Promise<Record<string, unknown>> {
  return Object.fromEntries((await exportOf(userToken)).profile.facts.map((fact) => [fact.field, fact.value]));
}

/**
 * The names of a turn's replies (the bot's response names, or the platform's) and their text. The
 * finance bot's not-advice disclaimer, said once at the start of each conversation, is left out.
 */
async function say(conversation: ConversationHandle, text: string) {
  const { replies } = await stratus.say(conversation, text);
  const shown = replies.filter((reply) => reply.response !== "utter_disclaimer");
  return { names: shown.map((reply) => reply.response), text: shown.map((reply) => reply.text).join("\n") };
}

/** Every entry of the operator inbox (both states), one page each: enough for the few conversations here. */
async function inboxIds(): Promise<string[]> {
  const ids: string[] = [];
  for (const state of ["bot", "handed_off"]) {
    const response = await stratus.fetch(`/v1/operator/conversations?state=${state}&limit=100`, { headers: asOperator });
    expect(response.status).toBe(200);
    ids.push(...ConversationListSchema.parse(await response.json()).conversations.map((entry) => entry.id));
  }
  return ids;
}

describe("a user token on POST /v1/conversations", () => {
  it("makes the conversation the user's: its summary shows the user, an anonymous one shows null", async () => {
    const sub = newSub("ana");
    const conversation = await createFor(await signDevUserToken({ sub }));
    expect((await summaryOf(conversation)).user).toBe(sub);
    expect((await summaryOf(await stratus.createConversation({ locale: "en" }))).user).toBeNull();
  });

  const badTokens: [string, (sub: string) => Promise<string>][] = [
    ["expired", (sub) => signDevUserToken({ sub, expiresInSeconds: -120 })],
    ["signed with another secret", (sub) => signDevUserToken({ sub, secret: "not-the-deployment-secret-0123456789abcdef" })],
    [
      "alg none (unsigned)",
      (sub) => {
        const part = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url");
        const now = Math.floor(Date.now() / 1000);
        return Promise.resolve(`${part({ alg: "none", typ: "JWT" })}.${part({ sub, iat: now, exp: now + 600 })}.`);
      },
    ],
    [
      "HS512 with the deployment's own secret (another algorithm)",
      (sub) => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({}).setProtectedHeader({ alg: "HS512" }).setSubject(sub).setIssuedAt(now).setExpirationTime(now + 600).sign(new TextEncoder().encode(USER_TOKEN_SECRET));
      },
    ],
    [
      "RS256 with a key of its own",
      async (sub) => {
        const { privateKey } = await generateKeyPair("RS256");
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({}).setProtectedHeader({ alg: "RS256" }).setSubject(sub).setIssuedAt(now).setExpirationTime(now + 600).sign(privateKey);
      },
    ],
    [
      "without sub",
      () => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setIssuedAt(now).setExpirationTime(now + 600).sign(new TextEncoder().encode(USER_TOKEN_SECRET));
      },
    ],
  ];

  it.each(badTokens)("refuses a token %s with 401 JSON and creates nothing", async (_, sign) => {
    const sub = newSub("mallory");
    const before = await inboxIds();
    const response = await stratus.fetch("/v1/conversations", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ bot: "ecommerce", locale: "en", userToken: await sign(sub) }),
    });
    expect(response.status).toBe(401);
    expect(response.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(ErrorBodySchema.parse(await response.json()).error.code).toBe("unauthorized");
    // Nothing was created: the user (were the token good) has no conversation, the inbox no new entry.
    expect(await myConversations(await signDevUserToken({ sub }))).toEqual([]);
    expect(await inboxIds()).toEqual(before);
    // The same token is refused on the user's own routes too.
    expect((await stratus.fetch("/v1/users/me/conversations", { headers: asUser(await sign(sub)) })).status).toBe(401);
  });
});

describe("my conversations", () => {
  it("lists the user's conversations most recently active first across devices, and resumes the latest on a new device", async () => {
    const sub = newSub("bea");
    const laptop = await createFor(await signDevUserToken({ sub }), { bot: "finance" });
    await sleep(20);
    const phone = await createFor(await signDevUserToken({ sub }), { bot: "ecommerce" });
    await say(phone, "hello");
    // Someone else's and an anonymous conversation are not hers.
    await createFor(await signDevUserToken({ sub: newSub("carl") }));
    await stratus.createConversation({ locale: "en" });

    const listed = await myConversations(await signDevUserToken({ sub }));
    expect(listed.map((conversation) => [conversation.id, conversation.bot])).toEqual([
      [phone.id, "ecommerce"],
      [laptop.id, "finance"],
    ]);

    // Most recently active first: a message in the older conversation moves it to the top (once its
    // bot's directory has the message: the list reads when each was last active there).
    await say(laptop, "hello");
    await expect
      .poll(async () => (await myConversations(await signDevUserToken({ sub }))).map((conversation) => conversation.id), { timeout: 15_000 })
      .toEqual([laptop.id, phone.id]);
    const moved = (await myConversations(await signDevUserToken({ sub })))[0]!;
    expect(moved.lastActivity > moved.createdAt).toBe(true);
    // One bot's conversations only, as a client resuming its bot's latest asks.
    const onlyShop = await stratus.fetch("/v1/users/me/conversations?bot=ecommerce&limit=1", { headers: asUser(await signDevUserToken({ sub })) });
    expect(UserConversationListSchema.parse(await onlyShop.json()).conversations.map((conversation) => conversation.id)).toEqual([phone.id]);

    // A new device has only the user token: it resumes her latest conversation and reads its transcript.
    const newDeviceToken = await signDevUserToken({ sub });
    const latest = listed[0]!;
    const resumed = await stratus.fetch(`/v1/users/me/conversations/${latest.id}/token`, { method: "POST", headers: asUser(newDeviceToken) });
    expect(resumed.status).toBe(200);
    const { token } = RenewedTokenSchema.parse(await resumed.json());
    const transcript = await stratus.fetch(`/v1/conversations/${latest.id}/messages`, { headers: asUser(token) });
    expect(transcript.status).toBe(200);
    expect(z.object({ messages: z.array(MessageSchema) }).parse(await transcript.json()).messages.map((message) => message.text)).toContain("hello");

    // Another user cannot resume it: 404, as for a conversation that does not exist.
    const other = await stratus.fetch(`/v1/users/me/conversations/${latest.id}/token`, { method: "POST", headers: asUser(await signDevUserToken({ sub: newSub("carl") })) });
    expect(other.status).toBe(404);
  });
});

describe("the client SDK with a user token", () => {
  const answered = (client: StratusClient, count: number) =>
    expect.poll(() => client.messages.filter((message: Message) => message.role === "bot").length, { timeout: 20_000 }).toBeGreaterThanOrEqual(count);

  it("resumes the user's latest conversation on a new device, refreshing an expired token, and never an anonymous one stored there", async () => {
    const sub = newSub("gus");
    const laptop = new StratusClient({ baseUrl: stratus.url, bot: "ecommerce", locale: "en", userToken: await signDevUserToken({ sub }) });
    const started = await laptop.start();
    expect(started.user).toBe(sub);
    laptop.send("hello");
    await answered(laptop, 1);
    laptop.close();

    // The phone already holds an anonymous conversation of its own; signed in, it is not the one resumed.
    const phoneStore = memoryStore();
    const anonymous = new StratusClient({ baseUrl: stratus.url, bot: "ecommerce", locale: "en", store: phoneStore });
    const anonymousConversation = await anonymous.start();
    anonymous.close();

    let refreshes = 0;
    const phone = new StratusClient({
      baseUrl: stratus.url,
      bot: "ecommerce",
      locale: "en",
      store: phoneStore,
      userToken: await signDevUserToken({ sub, expiresInSeconds: -60 }),
      refreshUserToken: () => {
        refreshes++;
        return signDevUserToken({ sub });
      },
    });
    const resumed = await phone.start();
    expect(resumed.id).toBe(started.id);
    expect(resumed.id).not.toBe(anonymousConversation.id);
    expect(refreshes).toBe(1);
    await expect.poll(() => phone.messages.map((message) => message.text), { timeout: 10_000 }).toContain("hello");
    phone.send("where is my order ORD-4820193?");
    await answered(phone, 2);
    phone.close();

    // Without a refresh callback an expired token is an error the app hears, and nothing is created.
    const stale = new StratusClient({ baseUrl: stratus.url, bot: "ecommerce", locale: "en", userToken: await signDevUserToken({ sub, expiresInSeconds: -60 }) });
    const errors: string[] = [];
    stale.on("error", (error) => errors.push(error.code));
    await expect(stale.start()).rejects.toMatchObject({ status: 401 });
    expect(errors).toEqual(["unauthorized"]);
    stale.close();
    expect((await myConversations(await signDevUserToken({ sub }))).map((conversation) => conversation.id)).toEqual([started.id]);
  });
});

describe("export and erasure", () => {
  it("exports what is kept about the user, erases all of it (the conversations answer 404), and a repeat erases nothing", async () => {
    const sub = newSub("dora");
    const userToken = await signDevUserToken({ sub });
    const finance = await createFor(userToken, { bot: "finance" });
    expect((await say(finance, "what stock should i buy")).names).toEqual(["utter_no_advice", "utter_ask_horizon"]);
    expect((await say(finance, "10 years")).names).toEqual(["utter_horizon_guidance", "utter_ask_remember_finance"]);
    expect((await say(finance, "Yes, remember it")).names).toEqual(["platform:consent_given"]);
    const shop = await createFor(userToken, { bot: "ecommerce" });
    await say(shop, "hello");

    const exported = await exportOf(userToken);
    expect(exported.sub).toBe(sub);
    expect(exported.profile.facts).toEqual([expect.objectContaining({ field: "finance.horizon", value: 10, purpose: "financial_planning" })]);
    expect(exported.profile.consents.current).toEqual([expect.objectContaining({ purpose: "financial_planning", given: true })]);
    expect(exported.profile.consents.history.map((event) => [event.purpose, event.action, event.conversationId])).toEqual([
      ["financial_planning", "given", finance.id],
    ]);
    expect(exported.conversations.map((conversation) => conversation.id).sort()).toEqual([finance.id, shop.id].sort());
    const financeTranscript = exported.conversations.find((conversation) => conversation.id === finance.id)?.messages.map((message) => message.text);
    expect(financeTranscript).toEqual(expect.arrayContaining(["what stock should i buy", "10 years", "Yes, remember it"]));
    // The operator's export of the same user is the same document (but for when it was made).
    const byOperator = await stratus.fetch(`/v1/users/${encodeURIComponent(sub)}/export`, { headers: asOperator });
    expect(byOperator.status).toBe(200);
    const operatorExport = UserExportSchema.parse(await byOperator.json());
    expect(operatorExport.conversations.map((conversation) => conversation.id).sort()).toEqual([finance.id, shop.id].sort());
    expect(operatorExport.profile.facts).toEqual(exported.profile.facts);
    // A user token cannot reach the operator's routes.
    expect((await stratus.fetch(`/v1/users/${encodeURIComponent(sub)}/export`, { headers: asUser(userToken) })).status).toBe(401);

    await expect.poll(inboxIds, { timeout: 15_000 }).toEqual(expect.arrayContaining([finance.id, shop.id]));

    const erased = await stratus.fetch("/v1/users/me", { method: "DELETE", headers: asUser(userToken) });
    expect(erased.status).toBe(200);
    const counts = UserErasureSchema.parse(await erased.json()).erased;
    expect(counts.conversations).toBe(2);
    expect(counts.profiles).toBeGreaterThanOrEqual(1);

    // The transcripts are gone: the conversations answer 404 even to their own tokens.
    for (const conversation of [finance, shop]) {
      const read = await stratus.fetch(`/v1/conversations/${conversation.id}/messages`, { headers: asUser(conversation.token) });
      expect(read.status).toBe(404);
    }
    // The profile is gone: the export is empty, the list too, and the inbox no longer lists them.
    const after = await exportOf(userToken);
    expect(after.profile.facts).toEqual([]);
    expect(after.profile.consents).toEqual({ current: [], history: [] });
    expect(after.profile.conversations).toEqual([]);
    expect(after.conversations).toEqual([]);
    expect(after.directoryEntries).toEqual([]);
    expect(after.analytics.bots).toEqual([]);
    expect(await myConversations(userToken)).toEqual([]);
    const inbox = await inboxIds();
    expect(inbox).not.toContain(finance.id);
    expect(inbox).not.toContain(shop.id);
    // A new conversation for the same user starts afresh: the horizon is asked, not offered back.
    const fresh = await createFor(userToken, { bot: "finance" });
    expect((await say(fresh, "what stock should i buy")).names).toEqual(["utter_no_advice", "utter_ask_horizon"]);

    // Repeated (here by the operator): idempotent, it erases the one new conversation and nothing more.
    const again = await stratus.fetch(`/v1/users/${encodeURIComponent(sub)}`, { method: "DELETE", headers: asOperator });
    expect(again.status).toBe(200);
    expect(UserErasureSchema.parse(await again.json()).erased.conversations).toBe(1);
    const third = await stratus.fetch(`/v1/users/${encodeURIComponent(sub)}`, { method: "DELETE", headers: asOperator });
    expect(UserErasureSchema.parse(await third.json()).erased).toEqual({ conversations: 0, directoryEntries: 0, analyticsRows: 0, profiles: 0 });
  });
});

describe("consent for a financial fact", () => {
  it("stores the horizon only after consent, then offers it back next time; a changed answer is stored", async () => {
    const sub = newSub("eve");
    const userToken = await signDevUserToken({ sub });
    const first = await createFor(userToken, { bot: "finance" });
    await say(first, "what stock should i buy");
    const answered = await say(first, "10 years");
    expect(answered.names).toEqual(["utter_horizon_guidance", "utter_ask_remember_finance"]);
    expect(answered.text).toContain("10-year horizon");
    // Asked, not yet answered: nothing is stored.
    expect((await exportOf(userToken)).profile.facts).toEqual([]);
    const consented = await say(first, "Yes, remember it");
    expect(consented.names).toEqual(["platform:consent_given"]);
    expect(await factsOf(userToken)).toEqual({ "finance.horizon": 10 });

    // Next conversation: welcomed back with it, and offered it back instead of being asked.
    const second = await createFor(userToken, { bot: "finance" });
    const greeted = await say(second, "hello");
    expect(greeted.names).toEqual(["utter_greet_back"]);
    expect(greeted.text).toContain("10-year horizon");
    const offered = await say(second, "what stock should i buy");
    expect(offered.names).toEqual(["utter_no_advice", "utter_confirm_horizon"]);
    expect(offered.text).toContain("Still a 10-year horizon?");
    // "No": the question is asked again; the new answer replaces the old (consent stands).
    expect((await say(second, "no")).names).toEqual(["utter_ask_horizon"]);
    const changed = await say(second, "20 years");
    expect(changed.names).toEqual(["utter_horizon_guidance"]);
    expect(changed.text).toContain("20-year horizon");
    expect(await factsOf(userToken)).toEqual({ "finance.horizon": 20 });

    // "Forget my financial details": consent withdrawn, the fact erased; the next conversation asks again.
    const forgotten = await say(second, "forget my financial details");
    expect(forgotten.names).toEqual(["platform:profile_forgotten"]);
    const afterForget = await exportOf(userToken);
    expect(afterForget.profile.facts).toEqual([]);
    expect(afterForget.profile.consents.history.map((event) => event.action)).toEqual(["given", "withdrawn"]);
    const third = await createFor(userToken, { bot: "finance" });
    expect((await say(third, "what stock should i buy")).names).toEqual(["utter_no_advice", "utter_ask_horizon"]);
  });

  it("keeps nothing when the user declines, and asks again next conversation", async () => {
    const sub = newSub("finn");
    const userToken = await signDevUserToken({ sub });
    const first = await createFor(userToken, { bot: "finance" });
    await say(first, "what stock should i buy");
    await say(first, "5 years");
    expect((await say(first, "No thanks")).names).toEqual(["platform:consent_declined"]);
    const exported = await exportOf(userToken);
    expect(exported.profile.facts).toEqual([]);
    expect(exported.profile.consents.current).toEqual([]);
    const second = await createFor(userToken, { bot: "finance" });
    expect((await say(second, "hello")).names).toEqual(["utter_greet"]);
    expect((await say(second, "what stock should i buy")).names).toEqual(["utter_no_advice", "utter_ask_horizon"]);
  });
});

describe("a remembered savings goal and risk band", () => {
  it("offers the goal back in one question next time, and plans at the remembered risk band's assumed return; a version reads only what it declares", { timeout: 120_000 }, async () => {
    const sub = newSub("kai");
    const userToken = await signDevUserToken({ sub });
    const first = await createFor(userToken, { bot: "finance" });
    await say(first, "what is my risk profile?");
    for (const answer of ["10 years", "Hold", "Stable salary", "Basic"]) await say(first, answer);
    expect((await say(first, "Some growth")).names).toEqual(["utter_risk_profile", "utter_ask_remember_finance"]);
    expect((await say(first, "Yes, remember it")).names).toEqual(["platform:consent_given"]);
    expect((await say(first, "make a savings plan")).names).toEqual(["utter_ask_savings_purpose"]);
    expect((await say(first, "A home")).names).toEqual(["utter_ask_goal_amount"]);
    expect((await say(first, "20000")).names).toEqual(["utter_ask_goal_date"]);
    expect((await say(first, "1 January 2031")).names).toEqual(["utter_ask_saved_amount"]);
    // The band from the questionnaire gives the return: no question about it.
    const plan = await say(first, "2000");
    expect(plan.names).toEqual(["utter_savings_plan_by_band"]);
    expect(plan.text).toContain("I assumed 5.35% a year");
    expect(await factsOf(userToken)).toMatchObject({ "finance.risk_band": "growth", "finance.savings_purpose": "house", "finance.savings_goal": 20000, "finance.goal_date": "2031-01-01", "finance.savings_saved": 2000 });

    // Next conversation: the goal in one question; what is saved so far offered back, and changed.
    const second = await createFor(userToken, { bot: "finance" });
    const offered = await say(second, "make a savings plan");
    expect(offered.names).toEqual(["utter_ask_same_goal"]);
    expect(offered.text).toContain("Still saving 20,000 for a home by Jan 1, 2031?");
    const saved = await say(second, "yes");
    expect(saved.names).toEqual(["utter_confirm_saved_amount"]);
    expect(saved.text).toContain("Last time you had saved 2,000 towards it");
    const again = await say(second, "2500");
    expect(again.names).toEqual(["utter_savings_plan_by_band"]);
    expect(again.text).toContain("To reach 20,000 for a home by Jan 1, 2031, starting from 2,500");
    // The remembered risk band, not a question, gives the return.
    expect(again.text).toContain("your growth risk profile's model mix");
    expect((await factsOf(userToken))["finance.savings_saved"]).toBe(2500);

    // "No": each part is offered back on its own, so one can change.
    const third = await createFor(userToken, { bot: "finance" });
    await say(third, "make a savings plan");
    expect((await say(third, "no")).names).toEqual(["utter_confirm_savings_purpose"]);
    expect((await say(third, "yes")).names).toEqual(["utter_confirm_goal_amount"]);
    expect((await say(third, "30000")).names).toEqual(["utter_confirm_goal_date"]);
    expect((await say(third, "yes")).names).toEqual(["utter_confirm_saved_amount"]);
    const changed = await say(third, "yes");
    expect(changed.text).toContain("To reach 30,000 for a home by Jan 1, 2031, starting from 2,500");

    // A published version reads the profile as it declares, not as the built-in bot does: one that
    // does not read what was saved so far asks for it; back on the built-in version, it is offered back.
    const original = builtInBotDocument("finance");
    const withoutSaved = structuredClone(original);
    const profile = withoutSaved.bot.profile as { read: string[]; write: string[] };
    profile.read = profile.write.filter((field) => field !== "finance.savings_saved");
    const { version } = await publishBot(stratus, "finance", withoutSaved, "does not read the amount saved");
    const sameGoalOn = async () => {
      const conversation = await createFor(userToken, { bot: "finance" });
      expect((await say(conversation, "make a savings plan")).names).toEqual(["utter_ask_same_goal"]);
      return { version: (await summaryOf(conversation)).botVersion, next: await say(conversation, "yes") };
    };
    try {
      await releaseBot(stratus, "finance", version);
      const onVersion = await sameGoalOn();
      expect(onVersion.version).toBe(version);
      expect(onVersion.next.names).toEqual(["utter_ask_saved_amount"]);
    } finally {
      await releaseBot(stratus, "finance", 1);
    }
    const onBuiltIn = await sameGoalOn();
    expect(onBuiltIn.version).toBe(1);
    expect(onBuiltIn.next.names).toEqual(["utter_confirm_saved_amount"]);
  });
});

describe("health details for a medicine check", () => {
  /** The first medicine check of a signed-in user: 24 weeks pregnant, allergic to penicillin, taking warfarin. */
  async function firstCheck(conversation: ConversationHandle) {
    expect((await say(conversation, "can I take ibuprofen?")).names).toEqual(["utter_ask_for_whom"]);
    expect((await say(conversation, "For me")).names).toEqual(["utter_ask_my_age_band"]);
    expect((await say(conversation, "18 to 64")).names).toEqual(["utter_ask_pregnant"]);
    expect((await say(conversation, "Yes")).names).toEqual(["utter_ask_pregnancy_weeks"]);
    expect((await say(conversation, "24")).names).toEqual(["utter_ask_conditions"]);
    expect((await say(conversation, "None of these")).names).toEqual(["utter_ask_allergies"]);
    expect((await say(conversation, "Penicillin")).names).toEqual(["utter_ask_current_medicines"]);
    return say(conversation, "warfarin");
  }

  it("remembers pregnancy, conditions, allergies and medicines with consent, offers them back next time (in one question, or one by one), and the advice uses them", async () => {
    const sub = newSub("iris");
    const userToken = await signDevUserToken({ sub });
    const first = await createFor(userToken, { bot: "health" });
    const answered = await firstCheck(first);
    expect(answered.names).toEqual(["utter_my_medicine_warning", "utter_ask_remember_health"]);
    expect(answered.text).toContain("24 weeks pregnant; allergic to penicillin; taking warfarin");
    expect(answered.text).toContain("From 20 weeks of pregnancy");
    expect(answered.text).toContain("blood thinner");
    expect((await exportOf(userToken)).profile.facts).toEqual([]);
    expect((await say(first, "Yes, remember it")).names).toEqual(["platform:consent_given"]);
    const dueDate = new Date(Date.now() + 16 * 7 * 86_400_000).toISOString().slice(0, 10);
    const facts = (await exportOf(userToken)).profile.facts.map((fact) => [fact.field, fact.value, fact.purpose]);
    expect(facts).toEqual(
      expect.arrayContaining([
        ["health.age_band", "adult", "health_guidance"],
        ["health.pregnant", true, "health_guidance"],
        ["health.due_date", dueDate, "health_guidance"],
        ["health.chronic_conditions", "none", "health_guidance"],
        ["health.allergies", "penicillin", "health_guidance"],
        ["health.medicines", "warfarin", "health_guidance"],
      ]),
    );

    // A new conversation: the details are offered back in one question; yes, and the advice is checked against them.
    const dueOn = new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(`${dueDate}T00:00:00Z`));
    const again = await createFor(userToken, { bot: "health" });
    await say(again, "can I take aspirin?");
    const offered = await say(again, "For me");
    expect(offered.names).toEqual(["utter_ask_same_details_pregnant"]);
    expect(offered.text).toBe(
      `Last time you told me: an adult; pregnant, due on ${dueOn}; conditions: none of these; allergic to: penicillin; medicines: warfarin. Is that all still right?`,
    );
    const checked = await say(again, "Yes");
    expect(checked.names).toEqual(["utter_my_medicine_warning"]);
    expect(checked.text).toContain("About aspirin, checked against what you told me (24 weeks pregnant; allergic to penicillin; taking warfarin)");

    // Another: "no" to the one question offers each answer back on its own ("Still taking warfarin?").
    const second = await createFor(userToken, { bot: "health" });
    expect((await say(second, "is naproxen ok for me")).names).toEqual(["utter_ask_for_whom"]);
    expect((await say(second, "For me")).names).toEqual(["utter_ask_same_details_pregnant"]);
    expect((await say(second, "No")).names).toEqual(["utter_confirm_my_age_band"]);
    expect((await say(second, "yes")).names).toEqual(["utter_confirm_pregnant"]);
    expect((await say(second, "yes")).names).toEqual(["utter_confirm_due_date"]);
    expect((await say(second, "yes")).names).toEqual(["utter_confirm_conditions"]);
    const allergies = await say(second, "yes");
    expect(allergies.text).toContain("Allergic last time: penicillin. Still the same?");
    const medicines = await say(second, "yes");
    expect(medicines.names).toEqual(["utter_confirm_current_medicines"]);
    expect(medicines.text).toContain("Still taking the same medicines as last time: warfarin?");
    const advice = await say(second, "yes");
    expect(advice.names).toEqual(["utter_my_medicine_warning"]);
    expect(advice.text).toContain("About naproxen, checked against what you told me (24 weeks pregnant; allergic to penicillin; taking warfarin)");
    expect(advice.text).toContain("blood thinner");
    expect(advice.text).toContain("ask them or a pharmacist");
  });

  it("keeps nothing when the user declines: the next conversation asks from scratch", async () => {
    const sub = newSub("jon");
    const userToken = await signDevUserToken({ sub });
    const first = await createFor(userToken, { bot: "health" });
    expect((await firstCheck(first)).names).toEqual(["utter_my_medicine_warning", "utter_ask_remember_health"]);
    expect((await say(first, "No thanks")).names).toEqual(["platform:consent_declined"]);
    expect((await exportOf(userToken)).profile.facts).toEqual([]);
    const second = await createFor(userToken, { bot: "health" });
    await say(second, "can I take ibuprofen?");
    expect((await say(second, "For me")).names).toEqual(["utter_ask_my_age_band"]);
    expect((await say(second, "18 to 64")).names).toEqual(["utter_ask_pregnant"]);
  });
});

describe("the demo shop's orders", () => {
  // demo/orders.ts: ORD-4820193 and ORD-1000002 are Alice's (postcode 94103), ORD-2000001 Bob's.
  it("shows and cancels a signed-in customer's own orders without asking for proof", async () => {
    const alice = await createFor(await signDevUserToken({ sub: "alice" }), { bot: "ecommerce" });
    const status = await say(alice, "where is my order ORD-4820193?");
    expect(status.names).toEqual(["utter_order_shipped"]);
    expect(status.text).toContain("1Z999AA10123456784");
    expect((await say(alice, "cancel my order ORD-1000002")).names).toEqual(["utter_confirm_cancel"]);
    expect((await say(alice, "yes")).names).toEqual(["utter_cancel_done"]);
  });

  it("shows another customer's order to a signed-in user as to anyone: its status, then proof before details or a change", async () => {
    const bob = await createFor(await signDevUserToken({ sub: "bob" }), { bot: "ecommerce" });
    const status = await say(bob, "where is my order ORD-4820193?");
    expect(status.names).toEqual(["utter_order_status_only", "utter_ask_order_proof"]);
    expect(status.text).toContain("shipped");
    expect(status.text).not.toContain("1Z999AA10123456784");
    expect(status.text).not.toContain("UPS");
    // A wrong proof shows nothing more.
    const wrong = await say(bob, "SW1A 1AA");
    expect(wrong.names).toEqual(["utter_order_proof_mismatch"]);
    expect(wrong.text).not.toContain("1Z999AA10123456784");

    // Cancelling Alice's order: asked for proof; a wrong one changes nothing, and the order is still processing.
    const anonymous = await stratus.createConversation({ bot: "ecommerce", locale: "en" });
    expect((await say(anonymous, "cancel my order ORD-1000001")).names).toEqual(["utter_confirm_cancel"]);
    expect((await say(anonymous, "yes")).names).toEqual(["utter_proof_to_change", "utter_ask_order_proof"]);
    expect((await say(anonymous, "nobody@example.com")).names).toEqual(["utter_order_proof_mismatch"]);
    const order = await fetch(`${demo.url}/orders/ORD-1000001`);
    expect(await order.json()).toEqual({ id: "ORD-1000001", status: "processing", access: "status_only" });
  });
});
