// The user profile Durable Object in workerd, with its real SQLite storage and alarm: consent
// before special-category facts, withdrawal that erases, reads limited to what a bot declared,
// "my conversations", export, erasure down to 0 rows, and retention with a moved clock.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CONSENT_HISTORY_PER_PURPOSE, type ProfileAccess, type UserConversation } from "../../../shared/schemas/profile.ts";
import { migrateStorage, storedSchemaVersion } from "../../../shared/storage-migrations.ts";
import { userIdentityConfig } from "../../../shared/user-identity-config.ts";
import { PROFILE_TABLES } from "../profile-database.ts";
import { rowsMeteredBy, rowsWrittenBy, tablesOf } from "../../test/rows-written.ts";

const DAY_MS = 86_400_000;
let users = 0;
/** A user never seen before, and their profile object. */
function newUser(): { sub: string; profile: ReturnType<typeof env.USER_PROFILES.get> } {
  const sub = `user-${++users}-${Date.now()}`;
  return { sub, profile: env.USER_PROFILES.get(env.USER_PROFILES.idFromName(sub)) };
}

// What the three example bots would declare in bot.yaml (`profile:`), as the dialogue Worker passes it.
const finance: ProfileAccess = { bot: "finance", purposes: ["financial_planning", "personalisation"], read: ["finance.*", "preferences.*"], write: ["finance.*"] };
const health: ProfileAccess = { bot: "health", purposes: ["health_guidance"], read: ["health.*"], write: ["health.*"] };
const shop: ProfileAccess = { bot: "ecommerce", purposes: ["service", "personalisation"], read: ["contact.*", "preferences.*"], write: ["contact.*", "preferences.interests"] };

const conversationId = (n: number): string => n.toString(16).padStart(32, "0");
const from = (access: ProfileAccess, slot: string | null = null, conversation = 1) => ({ bot: access.bot, conversationId: conversationId(conversation), slot });

/** A conversation of the user starts (as the gateway opens it), for a bot that declares no profile use. */
async function open(sub: string, profile: ReturnType<typeof newUser>["profile"], conversation: UserConversation): Promise<void> {
  expect(await profile.openConversation({ sub, conversation, access: null })).toEqual({ ok: true, facts: [], consents: [] });
}

/** The rows the object holds, table by table (0 tables when it is empty). */
async function rowsOf(profile: ReturnType<typeof newUser>["profile"]): Promise<Record<string, number>> {
  return runInDurableObject(profile, (_instance, state) => {
    const tables = tablesOf(state.storage.sql);
    return Object.fromEntries(tables.map((table) => [table, state.storage.sql.exec<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`).one().n]));
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe("consent before special-category facts", () => {
  it("keeps nothing of a financial answer until the user consents, then remembers it with its source and purpose", async () => {
    const { sub, profile } = newUser();
    const horizon = { sub, access: finance, source: from(finance, "horizon"), facts: [{ field: "finance.horizon", value: 10 }] } as const;

    expect(await profile.write(horizon)).toEqual({ ok: true, stored: [], consentRequired: [{ field: "finance.horizon", purpose: "financial_planning" }] });
    expect(await rowsOf(profile)).toEqual({});

    const consent = await profile.setConsent({ sub, purpose: "financial_planning", given: true, via: { bot: "finance", conversationId: conversationId(1) } });
    expect(consent).toMatchObject({ ok: true, consent: { purpose: "financial_planning", given: true }, erasedFacts: 0 });
    expect(await profile.write(horizon)).toEqual({ ok: true, stored: ["finance.horizon"], consentRequired: [] });

    const read = await profile.read({ sub, access: finance });
    expect(read).toEqual({
      ok: true,
      facts: [
        {
          field: "finance.horizon",
          value: 10,
          source: { bot: "finance", conversationId: conversationId(1), slot: "horizon" },
          purpose: "financial_planning",
          setAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) as string,
        },
      ],
      consents: [{ purpose: "financial_planning", given: true, since: expect.any(String) as string }],
    });
  });

  it("stores contact details and preferences without asking, unless the user withdrew that purpose", async () => {
    const { sub, profile } = newUser();
    const email = { sub, access: shop, source: from(shop, "email"), facts: [{ field: "contact.email", value: "jane@example.com" }] } as const;
    expect(await profile.write(email)).toMatchObject({ stored: ["contact.email"] });
    await profile.setConsent({ sub, purpose: "service", given: false, via: null });
    expect(await profile.read({ sub, access: shop })).toMatchObject({ ok: true, facts: [] });
    expect(await profile.write(email)).toMatchObject({ stored: [], consentRequired: [{ field: "contact.email", purpose: "service" }] });
  });

  it("erases a purpose's facts at once when consent is withdrawn, and keeps the history of both", async () => {
    const { sub, profile } = newUser();
    await profile.setConsent({ sub, purpose: "health_guidance", given: true, via: { bot: "health", conversationId: conversationId(2) } });
    await profile.write({
      sub,
      access: health,
      source: from(health, null, 2),
      facts: [
        { field: "health.pregnant", value: true },
        { field: "health.chronic_conditions", value: "kidney disease" },
      ],
    });
    await profile.write({ sub, access: shop, source: from(shop), facts: [{ field: "contact.postcode", value: "SW1A 1AA" }] });

    const withdrawn = await profile.setConsent({ sub, purpose: "health_guidance", given: false, via: { bot: "health", conversationId: conversationId(3) } });
    expect(withdrawn).toMatchObject({ ok: true, consent: { given: false }, erasedFacts: 2 });
    expect(await profile.read({ sub, access: health })).toMatchObject({ facts: [], consents: [{ purpose: "health_guidance", given: false }] });
    // Other purposes' facts stay.
    expect(await profile.read({ sub, access: shop })).toMatchObject({ facts: [{ field: "contact.postcode", value: "SW1A 1AA" }] });

    const exported = await profile.exportProfile({ sub });
    if (!exported.ok) throw new Error(exported.error.message);
    expect(exported.profile.consents.history.map(({ action, bot, conversationId: id }) => [action, bot, id])).toEqual([
      ["given", "health", conversationId(2)],
      ["withdrawn", "health", conversationId(3)],
    ]);
    // A new health fact needs consent again.
    expect(await profile.write({ sub, access: health, source: from(health), facts: [{ field: "health.allergies", value: "penicillin" }] })).toMatchObject({
      stored: [],
      consentRequired: [{ field: "health.allergies" }],
    });
  });

  it("keeps a bounded consent history however often it changes", async () => {
    const { sub, profile } = newUser();
    for (let i = 0; i < CONSENT_HISTORY_PER_PURPOSE + 10; i++) await profile.setConsent({ sub, purpose: "personalisation", given: i % 2 === 0, via: null });
    await profile.setConsent({ sub, purpose: "service", given: true, via: null });
    expect(await profile.consents({ sub })).toEqual({
      ok: true,
      consents: [
        { purpose: "personalisation", given: false, since: expect.any(String) as string },
        { purpose: "service", given: true, since: expect.any(String) as string },
      ],
    });
    // The newest 50 of the purpose are kept (the first ten went: the oldest kept is the 11th, a "given"), the other purpose's too.
    const exported = await profile.exportProfile({ sub });
    if (!exported.ok) throw new Error(exported.error.message);
    const history = exported.profile.consents.history;
    expect(history.filter((event) => event.purpose === "personalisation")).toHaveLength(CONSENT_HISTORY_PER_PURPOSE);
    expect(history.map((event) => [event.purpose, event.action]).slice(0, 2)).toEqual([["personalisation", "given"], ["personalisation", "withdrawn"]]);
    expect(history.at(-1)).toMatchObject({ purpose: "service", action: "given" });
    // However long the history, it is one row (besides the record).
    expect(await rowsOf(profile)).toEqual({ profile: 2 });
  });
});

describe("what each bot may see and change", () => {
  it("shows a bot only the fields it declared, of the purposes it declared: the shop never sees health facts", async () => {
    const { sub, profile } = newUser();
    await profile.setConsent({ sub, purpose: "health_guidance", given: true, via: null });
    await profile.write({ sub, access: health, source: from(health), facts: [{ field: "health.allergies", value: "penicillin" }] });
    await profile.write({ sub, access: shop, source: from(shop), facts: [{ field: "contact.email", value: "jane@example.com" }] });

    expect(await profile.read({ sub, access: shop })).toMatchObject({ facts: [{ field: "contact.email" }] });
    expect(await profile.read({ sub, access: health })).toMatchObject({ facts: [{ field: "health.allergies", value: "penicillin" }] });
    // A shop that lists health fields without serving that purpose still gets none of them.
    const greedyShop: ProfileAccess = { ...shop, read: ["contact.*", "health.*"] };
    const read = await profile.read({ sub, access: greedyShop });
    expect(read.ok && read.facts.map((fact) => fact.field)).toEqual(["contact.email"]);
  });

  it("refuses a whole write with a field the bot may not write or a value of the wrong type", async () => {
    const { sub, profile } = newUser();
    await profile.setConsent({ sub, purpose: "financial_planning", given: true, via: null });
    const facts = [
      { field: "finance.horizon", value: 10 },
      { field: "contact.email", value: "jane@example.com" },
    ] as const;
    expect(await profile.write({ sub, access: finance, source: from(finance), facts })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await profile.write({ sub, access: finance, source: from(finance), facts: [{ field: "finance.horizon", value: "ten" }] })).toMatchObject({
      ok: false,
      error: { code: "invalid_request" },
    });
    expect(await profile.write({ sub, access: finance, source: from(shop), facts: [{ field: "finance.horizon", value: 10 }] })).toMatchObject({
      ok: false,
      error: { code: "forbidden" },
    });
    expect(await profile.read({ sub, access: finance })).toMatchObject({ facts: [] });
    // Input that is not a profile call at all is refused by its schema, naming the problem.
    const unknownField = await profile.write({ sub, access: finance, source: from(finance), facts: [{ field: "finance.secret_plan", value: 1 }] });
    expect(unknownField).toMatchObject({ ok: false, error: { code: "invalid_request", message: expect.stringMatching(/facts\.0\.field: unknown profile field "finance.secret_plan"/) as string } });
    expect(await profile.read({ sub: "not a valid sub", access: finance })).toMatchObject({ ok: false, error: { code: "invalid_request" } });
  });

  it("belongs to one user: a call naming another sub is refused", async () => {
    const { sub, profile } = newUser();
    await profile.write({ sub, access: shop, source: from(shop), facts: [{ field: "contact.email", value: "jane@example.com" }] });
    const intruder = "someone-else";
    expect(await profile.read({ sub: intruder, access: shop })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await profile.exportProfile({ sub: intruder })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await profile.erase({ sub: intruder })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await profile.read({ sub, access: shop })).toMatchObject({ facts: [{ field: "contact.email" }] });
  });
});

describe("my conversations", () => {
  const conversation = (n: number, lastActivity: string, bot = "ecommerce"): UserConversation => ({
    id: conversationId(n),
    bot,
    createdAt: "2026-11-01T00:00:00.000Z",
    lastActivity,
  });

  it("lists the user's conversations across bots, most recently active first, in pages", async () => {
    const { sub, profile } = newUser();
    await open(sub, profile, conversation(1, "2026-11-02T10:00:00.000Z"));
    await open(sub, profile, conversation(2, "2026-11-03T10:00:00.000Z", "finance"));
    await open(sub, profile, conversation(3, "2026-11-01T10:00:00.000Z", "health"));
    // The oldest conversation opened again later (a retried creation) moves to the top; an older time does not move it back.
    await open(sub, profile, conversation(3, "2026-11-04T10:00:00.000Z", "health"));
    await open(sub, profile, conversation(3, "2026-11-01T12:00:00.000Z", "health"));

    const first = await profile.listConversations({ sub, limit: 2 });
    if (!first.ok) throw new Error(first.error.message);
    expect(first.conversations.map((listed) => [listed.id, listed.bot, listed.lastActivity])).toEqual([
      [conversationId(3), "health", "2026-11-04T10:00:00.000Z"],
      [conversationId(2), "finance", "2026-11-03T10:00:00.000Z"],
    ]);
    expect(first.nextCursor).toEqual({ lastActivity: "2026-11-03T10:00:00.000Z", id: conversationId(2) });
    const second = await profile.listConversations({ sub, limit: 2, before: first.nextCursor ?? undefined });
    expect(second).toMatchObject({ ok: true, conversations: [{ id: conversationId(1) }], nextCursor: null });

    await profile.removeConversation({ sub, conversationId: conversationId(2) });
    const after = await profile.listConversations({ sub, limit: 10 });
    expect(after.ok && after.conversations.map((listed) => listed.id)).toEqual([conversationId(3), conversationId(1)]);
  });

  it("creates nothing when an unknown user's profile is read, listed or exported", async () => {
    const { sub, profile } = newUser();
    expect(await profile.read({ sub, access: shop })).toEqual({ ok: true, facts: [], consents: [] });
    expect(await profile.listConversations({ sub, limit: 10 })).toEqual({ ok: true, conversations: [], nextCursor: null });
    expect(await profile.exportProfile({ sub })).toMatchObject({ ok: true, profile: { sub, facts: [], conversations: [] } });
    expect(await rowsOf(profile)).toEqual({});
  });
});

describe("export and erasure", () => {
  it("exports everything as one document, and erasure leaves an empty object (0 rows, no table, no alarm), idempotently", async () => {
    const { sub, profile } = newUser();
    await profile.setConsent({ sub, purpose: "financial_planning", given: true, via: null });
    await profile.write({ sub, access: finance, source: from(finance, "goal"), facts: [{ field: "finance.goal_amount", value: { amount: 20_000, currency: "EUR" } }] });
    await profile.write({ sub, access: shop, source: from(shop), facts: [{ field: "preferences.interests", value: "running, hiking" }] });
    await open(sub, profile, { id: conversationId(7), bot: "finance", createdAt: "2026-11-01T00:00:00.000Z", lastActivity: "2026-11-01T00:05:00.000Z" });

    const exported = await profile.exportProfile({ sub });
    expect(exported).toMatchObject({
      ok: true,
      profile: {
        sub,
        facts: [
          { field: "finance.goal_amount", value: { amount: 20_000, currency: "EUR" }, purpose: "financial_planning" },
          { field: "preferences.interests", value: "running, hiking", purpose: "personalisation" },
        ],
        consents: { current: [{ purpose: "financial_planning", given: true }], history: [{ action: "given" }] },
        conversations: [{ id: conversationId(7), bot: "finance" }],
      },
    });
    expect(Object.values(await rowsOf(profile)).reduce((sum, rows) => sum + rows, 0)).toBeGreaterThan(0);
    expect(Object.keys(await rowsOf(profile)).sort()).toEqual([...PROFILE_TABLES].sort());

    expect(await profile.erase({ sub })).toEqual({ ok: true, erased: true });
    expect(await rowsOf(profile)).toEqual({});
    expect(await runInDurableObject(profile, (_instance, state) => state.storage.getAlarm())).toBeNull();
    expect(await profile.exportProfile({ sub })).toMatchObject({ ok: true, profile: { facts: [], consents: { current: [], history: [] }, conversations: [] } });
    expect(await profile.erase({ sub })).toEqual({ ok: true, erased: false });
    expect(await rowsOf(profile)).toEqual({});

    // The user comes back: a new profile starts from nothing.
    expect(await profile.write({ sub, access: shop, source: from(shop), facts: [{ field: "contact.email", value: "jane@example.com" }] })).toMatchObject({ stored: ["contact.email"] });
    expect(await profile.read({ sub, access: finance })).toMatchObject({ facts: [], consents: [] });
  });
});

describe("retention", () => {
  it("erases a profile idle past STRATUS_PROFILE_RETENTION_DAYS, and keeps one whose user came back", async () => {
    const retentionDays = userIdentityConfig(env).STRATUS_PROFILE_RETENTION_DAYS;
    expect(retentionDays).toBe(365);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const advance = (ms: number) => vi.setSystemTime(Date.now() + ms);

    const idle = newUser();
    const back = newUser();
    for (const user of [idle, back]) {
      await user.profile.write({ sub: user.sub, access: shop, source: from(shop), facts: [{ field: "contact.email", value: "jane@example.com" }] });
    }
    advance(200 * DAY_MS);
    await open(back.sub, back.profile, { id: conversationId(9), bot: "ecommerce", createdAt: new Date().toISOString(), lastActivity: new Date().toISOString() });

    // The alarm fires a year after the first write: the idle profile goes, the other one is looked at again later.
    advance(166 * DAY_MS);
    expect(await runDurableObjectAlarm(idle.profile)).toBe(true);
    expect(await runDurableObjectAlarm(back.profile)).toBe(true);
    expect(await rowsOf(idle.profile)).toEqual({});
    // (An export is not the user's activity: reading it this way does not keep the profile.)
    expect(await back.profile.exportProfile({ sub: back.sub })).toMatchObject({ profile: { facts: [{ field: "contact.email" }] } });
    const nextCheck = await runInDurableObject(back.profile, (_instance, state) => state.storage.getAlarm());
    expect(nextCheck).toBeGreaterThan(Date.now() + 190 * DAY_MS);

    advance(200 * DAY_MS);
    expect(await runDurableObjectAlarm(back.profile)).toBe(true);
    expect(await rowsOf(back.profile)).toEqual({});
  });
});


/** The profile object's whole SQLite file, in bytes. */
const databaseSize = (profile: ReturnType<typeof newUser>["profile"]) => runInDurableObject(profile, (_instance, state) => state.storage.sql.databaseSize);

/** The statements version 1 of the profile's storage ran (four tables, three indexes), as released. */
const LEGACY_V1_SCHEMA = [
  `CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE facts (
    field TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    purpose TEXT NOT NULL,
    source_bot TEXT NOT NULL,
    source_conversation TEXT NOT NULL,
    source_slot TEXT,
    set_at TEXT NOT NULL
  ) WITHOUT ROWID`,
  `CREATE INDEX facts_by_purpose ON facts (purpose)`,
  `CREATE TABLE consent_events (
    id INTEGER PRIMARY KEY,
    purpose TEXT NOT NULL,
    action TEXT NOT NULL,
    at TEXT NOT NULL,
    bot TEXT,
    conversation_id TEXT
  )`,
  `CREATE INDEX consent_events_by_purpose ON consent_events (purpose, id)`,
  `CREATE TABLE conversations (
    id TEXT PRIMARY KEY,
    bot TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_activity TEXT NOT NULL
  ) WITHOUT ROWID`,
  `CREATE INDEX conversations_by_activity ON conversations (last_activity, id)`,
];

/** Every table and index the object holds (SQLite's and Cloudflare's own aside). */
const schemaOf = (profile: ReturnType<typeof newUser>["profile"]) =>
  runInDurableObject(profile, (_instance, state) =>
    state.storage.sql
      .exec<{ type: string; name: string }>("SELECT type, name FROM sqlite_master WHERE name NOT LIKE '\\_cf\\_%' ESCAPE '\\' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
      .toArray()
      .map((row) => `${row.type} ${row.name}`),
  );

describe("storage", () => {
  const opened = (n: number, at: string): UserConversation => ({ id: conversationId(n), bot: "finance", createdAt: at, lastActivity: at });

  it("costs a new user's first conversation its one table and two rows (a few KB), a returning user's next conversation one row", async () => {
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
    const { sub, profile } = newUser();
    const first = await rowsWrittenBy(profile, () => profile.openConversation({ sub, conversation: opened(1, new Date().toISOString()), access: finance }));
    // The table (two rows of SQLite's own), the record, the conversation.
    expect(first).toBe(4);
    expect(await schemaOf(profile)).toEqual(["table profile"]);
    expect(await rowsOf(profile)).toEqual({ profile: 2 });
    // Three pages: SQLite's first (its schema), the table's, and Cloudflare's own for the retention alarm.
    expect(await databaseSize(profile)).toBeLessThanOrEqual(3 * 4096);

    // Back within the hour: the conversation's row only.
    vi.setSystemTime(Date.now() + 60_000);
    expect(await rowsWrittenBy(profile, () => profile.openConversation({ sub, conversation: opened(2, new Date().toISOString()), access: finance }))).toBe(1);
    // Back the next day: the record's last activity moves on too.
    vi.setSystemTime(Date.now() + 86_400_000);
    expect(await rowsWrittenBy(profile, () => profile.openConversation({ sub, conversation: opened(3, new Date().toISOString()), access: finance }))).toBe(2);
    // Reading the profile writes nothing; a fact is its row.
    expect(await rowsWrittenBy(profile, () => profile.read({ sub, access: shop }))).toBe(0);
    expect(await rowsWrittenBy(profile, () => profile.write({ sub, access: shop, source: from(shop), facts: [{ field: "contact.email", value: "jane@example.com" }] }))).toBe(1);
    const listed = await profile.listConversations({ sub, limit: 10 });
    expect(listed.ok && listed.conversations.map((conversation) => conversation.id)).toEqual([conversationId(3), conversationId(2), conversationId(1)]);
  });

  it("reads its record and consents once per call: a write of three facts reads no more rows than a write of one", async () => {
    const { sub, profile } = newUser();
    await profile.setConsent({ sub, purpose: "financial_planning", given: true, via: { bot: "finance", conversationId: conversationId(1) } });
    const write = (facts: Array<{ field: "finance.horizon" | "finance.experience" | "finance.goal"; value: string | number }>) =>
      rowsMeteredBy(profile, async () => expect(await profile.write({ sub, access: finance, source: from(finance), facts })).toMatchObject({ stored: facts.map((fact) => fact.field) }));
    const one = await write([{ field: "finance.horizon", value: 10 }]);
    const three = await write([
      { field: "finance.horizon", value: 12 },
      { field: "finance.experience", value: "some" },
      { field: "finance.goal", value: "growth" },
    ]);
    expect(three.written - one.written).toBe(2);
    // The record and the consents, once each; read again for each fact they would cost two rows more per fact.
    expect(one.read).toBe(2);
    expect(three.read).toBe(one.read);
  });

  it("takes over a profile stored by version 1's four tables: the same export, listing and owner, the old tables dropped", async () => {
    const { sub, profile } = newUser();
    const lastActivity = Date.now() - 3 * 86_400_000;
    await runInDurableObject(profile, (_instance, state) => {
      const { sql } = state.storage;
      for (const statement of LEGACY_V1_SCHEMA) sql.exec(statement);
      for (const [key, value] of [["schema_version", 1], ["sub", sub], ["last_activity", lastActivity]] as const) {
        sql.exec("INSERT INTO meta (key, value) VALUES (?, ?)", key, JSON.stringify(value));
      }
      const fact = "INSERT INTO facts (field, value, purpose, source_bot, source_conversation, source_slot, set_at) VALUES (?, ?, ?, ?, ?, ?, ?)";
      sql.exec(fact, "finance.horizon", "10", "financial_planning", "finance", conversationId(1), "horizon", "2026-10-01T09:00:00.000Z");
      sql.exec(fact, "contact.email", JSON.stringify("jane@example.com"), "service", "ecommerce", conversationId(2), null, "2026-10-02T09:00:00.000Z");
      sql.exec(fact, "finance.goal_amount", JSON.stringify({ amount: 20_000, currency: "EUR" }), "financial_planning", "finance", conversationId(1), "goal", "2026-10-01T09:01:00.000Z");
      const event = "INSERT INTO consent_events (purpose, action, at, bot, conversation_id) VALUES (?, ?, ?, ?, ?)";
      sql.exec(event, "health_guidance", "given", "2026-09-01T09:00:00.000Z", "health", conversationId(3));
      sql.exec(event, "financial_planning", "given", "2026-10-01T09:00:30.000Z", "finance", conversationId(1));
      sql.exec(event, "health_guidance", "withdrawn", "2026-09-02T09:00:00.000Z", null, null);
      const listed = "INSERT INTO conversations (id, bot, created_at, last_activity) VALUES (?, ?, ?, ?)";
      sql.exec(listed, conversationId(1), "finance", "2026-10-01T08:59:00.000Z", "2026-10-01T08:59:00.000Z");
      sql.exec(listed, conversationId(2), "ecommerce", "2026-10-02T08:59:00.000Z", "2026-10-02T08:59:00.000Z");
      sql.exec(listed, conversationId(3), "health", "2026-09-01T08:59:00.000Z", "2026-10-03T08:59:00.000Z");
    });

    const exported = await profile.exportProfile({ sub });
    if (!exported.ok) throw new Error(exported.error.message);
    expect(exported.profile).toEqual({
      sub,
      exportedAt: expect.any(String) as string,
      facts: [
        { field: "contact.email", value: "jane@example.com", source: { bot: "ecommerce", conversationId: conversationId(2), slot: null }, purpose: "service", setAt: "2026-10-02T09:00:00.000Z" },
        { field: "finance.goal_amount", value: { amount: 20_000, currency: "EUR" }, source: { bot: "finance", conversationId: conversationId(1), slot: "goal" }, purpose: "financial_planning", setAt: "2026-10-01T09:01:00.000Z" },
        { field: "finance.horizon", value: 10, source: { bot: "finance", conversationId: conversationId(1), slot: "horizon" }, purpose: "financial_planning", setAt: "2026-10-01T09:00:00.000Z" },
      ],
      consents: {
        current: [
          { purpose: "financial_planning", given: true, since: "2026-10-01T09:00:30.000Z" },
          { purpose: "health_guidance", given: false, since: "2026-09-02T09:00:00.000Z" },
        ],
        // In the order they were recorded.
        history: [
          { purpose: "health_guidance", action: "given", at: "2026-09-01T09:00:00.000Z", bot: "health", conversationId: conversationId(3) },
          { purpose: "financial_planning", action: "given", at: "2026-10-01T09:00:30.000Z", bot: "finance", conversationId: conversationId(1) },
          { purpose: "health_guidance", action: "withdrawn", at: "2026-09-02T09:00:00.000Z", bot: null, conversationId: null },
        ],
      },
      conversations: [
        { id: conversationId(3), bot: "health", createdAt: "2026-09-01T08:59:00.000Z", lastActivity: "2026-10-03T08:59:00.000Z" },
        { id: conversationId(2), bot: "ecommerce", createdAt: "2026-10-02T08:59:00.000Z", lastActivity: "2026-10-02T08:59:00.000Z" },
        { id: conversationId(1), bot: "finance", createdAt: "2026-10-01T08:59:00.000Z", lastActivity: "2026-10-01T08:59:00.000Z" },
      ],
    });
    // One table now, no index; one row each: record, three facts, the consents, three conversations.
    expect(await schemaOf(profile)).toEqual(["table profile"]);
    expect(await rowsOf(profile)).toEqual({ profile: 8 });
    // Its owner and last activity came along: another sub is refused, the retention clock did not restart.
    expect(await profile.read({ sub: "someone-else", access: shop })).toMatchObject({ ok: false, error: { code: "forbidden" } });
    expect(await runInDurableObject(profile, (_instance, state) => state.storage.sql.exec<{ value: string }>("SELECT value FROM profile WHERE key = 'record'").one().value)).toBe(
      JSON.stringify({ v: 2, sub, lastActivity }),
    );
    // It behaves as any profile: withdrawing financial planning erases both financial facts.
    expect(await profile.setConsent({ sub, purpose: "financial_planning", given: false, via: null })).toMatchObject({ ok: true, erasedFacts: 2 });
    expect(await profile.erase({ sub })).toEqual({ ok: true, erased: true });
    expect(await rowsOf(profile)).toEqual({});
  });

  it("takes over a version 1 consent history past the bound as the newest events of each purpose, as a profile keeps it", async () => {
    const { sub, profile } = newUser();
    await runInDurableObject(profile, (_instance, state) => {
      const { sql } = state.storage;
      for (const statement of LEGACY_V1_SCHEMA) sql.exec(statement);
      for (const [key, value] of [["schema_version", 1], ["sub", sub], ["last_activity", Date.now()]] as const) {
        sql.exec("INSERT INTO meta (key, value) VALUES (?, ?)", key, JSON.stringify(value));
      }
      const event = "INSERT INTO consent_events (purpose, action, at, bot, conversation_id) VALUES (?, ?, ?, ?, NULL)";
      sql.exec(event, "service", "given", "2026-09-01T00:00:00.000Z", null);
      for (let i = 0; i < CONSENT_HISTORY_PER_PURPOSE + 3; i++) {
        sql.exec(event, "personalisation", i % 2 === 0 ? "given" : "withdrawn", new Date(Date.UTC(2026, 9, 1, 0, i)).toISOString(), null);
      }
    });
    const exported = await profile.exportProfile({ sub });
    if (!exported.ok) throw new Error(exported.error.message);
    const { history } = exported.profile.consents;
    expect(history[0]).toMatchObject({ purpose: "service", action: "given" });
    const personalisation = history.filter((event) => event.purpose === "personalisation");
    expect(personalisation).toHaveLength(CONSENT_HISTORY_PER_PURPOSE);
    // The three oldest went: the first kept is the fourth (a "withdrawn"), the last the newest.
    expect(personalisation[0]).toMatchObject({ action: "withdrawn", at: new Date(Date.UTC(2026, 9, 1, 0, 3)).toISOString() });
    expect(personalisation.at(-1)?.at).toBe(new Date(Date.UTC(2026, 9, 1, 0, CONSENT_HISTORY_PER_PURPOSE + 2)).toISOString());
  });

  it("leaves a version 1 profile whose first write never committed (its tables, no owner, no row) empty", async () => {
    const { sub, profile } = newUser();
    await runInDurableObject(profile, (_instance, state) => {
      for (const statement of LEGACY_V1_SCHEMA) state.storage.sql.exec(statement);
      state.storage.sql.exec("INSERT INTO meta (key, value) VALUES ('schema_version', '1')");
    });
    expect(await profile.exportProfile({ sub })).toMatchObject({ ok: true, profile: { facts: [], conversations: [] } });
    expect(await rowsOf(profile)).toEqual({});
  });

  it("migrates storage written by older code through the migrations after its version only", async () => {
    const ran: number[] = [];
    const migration = (version: number, statement: string) => ({ version, description: `v${version}`, up: (sql: SqlStorage) => { ran.push(version); sql.exec(statement); } });
    const v1 = migration(1, "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
    const v2 = migration(2, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)");
    await runInDurableObject(newUser().profile, (_instance, state) => {
      migrateStorage(state.storage, [v1], Date.now());
      expect(migrateStorage(state.storage, [v1, v2], Date.now())).toBe(2);
      expect(storedSchemaVersion(state.storage.sql)).toBe(2);
      // Migrated again: nothing runs.
      migrateStorage(state.storage, [v1, v2], Date.now());
    });
    expect(ran).toEqual([1, 2]);
  });
});
