// Storage of the conversation object on real Durable Object SQLite storage: a new conversation gets
// its one table in one step; an object written by older code (before schema versions, with the
// meta/messages/turns tables) is migrated and converted to the log with nothing lost; each legacy
// migration is one transaction.
import { env } from "cloudflare:workers";
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CONVERSATION_STORAGE_VERSION } from "../../../shared/schemas/index.ts";
import { conversationStorageVersion, LEGACY_CONVERSATION_MIGRATIONS, migrateConversationStorage, storedSchemaVersion } from "../storage-migrations.ts";
import { tablesOf as tablesIn } from "../../test/rows-written.ts";
import { newConversation, say, transcript, type TestConversation, OPERATOR } from "./conversation-fixture.ts";

const LEGACY_LATEST = LEGACY_CONVERSATION_MIGRATIONS.at(-1)?.version ?? 0;

const tablesOf = (conversation: TestConversation) => runInDurableObject(conversation.stub, (_instance, state) => tablesIn(state.storage.sql));

/** The exact statements conversations ran at every start before versions were recorded (storage-schema.ts). */
const UNVERSIONED_SCHEMA = [
  `CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS messages (
     seq INTEGER PRIMARY KEY,
     id TEXT NOT NULL,
     role TEXT NOT NULL,
     text TEXT NOT NULL,
     created_at TEXT NOT NULL,
     client_message_id TEXT UNIQUE,
     reply_to INTEGER,
     response TEXT,
     nlu TEXT,
     quick_replies TEXT
   )`,
  `CREATE INDEX IF NOT EXISTS messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL`,
  `CREATE TABLE IF NOT EXISTS turns (
     seq INTEGER PRIMARY KEY,
     status TEXT NOT NULL,
     attempt INTEGER NOT NULL DEFAULT 0,
     trace_id TEXT NOT NULL,
     dispatched_at INTEGER,
     answered_at INTEGER,
     outcome TEXT
   )`,
  `CREATE INDEX IF NOT EXISTS turns_open ON turns (status, seq) WHERE status <> 'answered'`,
];

const NLU = JSON.stringify({ intent: { name: "greet", confidence: 0.97 }, intents: [{ name: "greet", confidence: 0.97 }], entities: [], locale: "en" });

/**
 * Replaces the object's storage with what the code before versions wrote: a conversation that an
 * operator took over while one turn was in flight and another queued behind it.
 */
async function writeUnversionedConversation(conversation: TestConversation): Promise<void> {
  await runInDurableObject(conversation.stub, (_instance, state) => {
    const { sql } = state.storage;
    for (const table of ["log", "meta", "messages", "turns"]) sql.exec(`DROP TABLE IF EXISTS ${table}`);
    for (const statement of UNVERSIONED_SCHEMA) sql.exec(statement);
    const info = { id: conversation.id, bot: "ecommerce", locale: "en", timezone: "Europe/Paris", createdAt: "2026-05-01T09:00:00.000Z" };
    const dialogueState = { slots: { order_id: "ORD-4820193" }, activeForm: null, fallbackStreak: 0, lastIntent: "greet", handoffOffered: false, disclaimerShown: false, lastLocale: "en" };
    const meta: [string, unknown][] = [["info", info], ["dialogue_state", dialogueState], ["handoff", true]];
    for (const [key, value] of meta) sql.exec("INSERT INTO meta (key, value) VALUES (?, ?)", key, JSON.stringify(value));
    const insertMessage = `INSERT INTO messages (id, role, text, created_at, client_message_id, reply_to, response, nlu, quick_replies)
                           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`;
    sql.exec(insertMessage, "m-1", "user", "hello", "2026-05-01T09:00:01.000Z", "client-1", null, null, null, null);
    sql.exec(insertMessage, "m-2", "bot", "Hi! How can I help?", "2026-05-01T09:00:01.500Z", null, 1, "utter_greet", NLU, JSON.stringify(["Track my order"]));
    sql.exec(insertMessage, "m-3", "user", "where is my order", "2026-05-01T09:00:05.000Z", null, null, null, null, null);
    sql.exec(insertMessage, "m-4", "agent", "Hi, I'm Dana from support.", "2026-05-01T09:00:06.000Z", null, null, null, null, null);
    sql.exec(insertMessage, "m-5", "user", "thanks Dana", "2026-05-01T09:00:07.000Z", null, null, null, null, null);
    const insertTurn = "INSERT INTO turns (seq, status, attempt, trace_id, dispatched_at, answered_at, outcome) VALUES (?, ?, ?, ?, ?, ?, ?)";
    sql.exec(insertTurn, 1, "answered", 1, "trace-1", 1777626001000, 1777626001500, "bot");
    sql.exec(insertTurn, 3, "dispatched", 2, "trace-3", 1777626005000, null, null);
    sql.exec(insertTurn, 5, "queued", 0, "trace-5", null, null, null);
  });
}

describe("conversation storage", () => {
  it("gives a new conversation its one table in one step, and an object nobody created no storage at all", async () => {
    const conversation = await newConversation();
    expect(await tablesOf(conversation)).toEqual(["log"]);
    expect(await runInDurableObject(conversation.stub, (_instance, state) => conversationStorageVersion(state.storage.sql))).toBe(CONVERSATION_STORAGE_VERSION);
    const never: TestConversation = { id: "f".repeat(32), stub: env.CONVERSATIONS.get(env.CONVERSATIONS.idFromName("f".repeat(32))) };
    expect(await never.stub.summary(OPERATOR)).toMatchObject({ ok: false, error: { code: "conversation_not_found" } });
    expect(await tablesOf(never)).toEqual([]);
  });

  it("migrate an object written before schema versions to the log, losing nothing", async () => {
    const conversation = await newConversation();
    await writeUnversionedConversation(conversation);
    await evictDurableObject(conversation.stub);

    // The next call starts the object again: the constructor migrates the storage it finds.
    const summary = await conversation.stub.summary(OPERATOR);
    expect(summary).toMatchObject({
      ok: true,
      conversation: {
        id: conversation.id,
        timezone: "Europe/Paris",
        handedOff: true,
        lastSeq: 5,
        state: { slots: { order_id: "ORD-4820193" }, lastIntent: "greet" },
      },
    });
    const after = await transcript(conversation);
    expect(after.map((m) => [m.seq, m.role, m.text, m.createdAt])).toEqual([
      [1, "user", "hello", "2026-05-01T09:00:01.000Z"],
      [2, "bot", "Hi! How can I help?", "2026-05-01T09:00:01.500Z"],
      [3, "user", "where is my order", "2026-05-01T09:00:05.000Z"],
      [4, "agent", "Hi, I'm Dana from support.", "2026-05-01T09:00:06.000Z"],
      [5, "user", "thanks Dana", "2026-05-01T09:00:07.000Z"],
    ]);
    expect(after[1]).toMatchObject({ replyTo: 1, response: "utter_greet", quickReplies: ["Track my order"], nlu: { intent: { name: "greet" } } });
    expect(after[0]?.clientMessageId).toBe("client-1");
    expect(await tablesOf(conversation)).toEqual(["log"]);
    expect(await runInDurableObject(conversation.stub, (_instance, state) => conversationStorageVersion(state.storage.sql))).toBe(CONVERSATION_STORAGE_VERSION);

    // The turns the handoff left open were held (legacy migration 2): no bot reply reaches the human's
    // conversation, and after release the next message gets the next seq and is the one dispatched.
    expect(await conversation.stub.waitForReplies(3, 10)).toEqual([]);
    await conversation.stub.setHandoff(false);
    expect((await say(conversation, "back to the bot")).seq).toBe(6);
    expect(await runInDurableObject(conversation.stub, (instance) => instance.watchdogDueAt())).not.toBeNull();
  });

  it("run each legacy migration in one transaction: a failing one leaves the storage and its version as they were", async () => {
    const conversation = await newConversation();
    await writeUnversionedConversation(conversation);
    const outcome = await runInDurableObject(conversation.stub, (_instance, state) => {
      const failing = {
        version: LEGACY_LATEST + 1,
        description: "fails half-way",
        up(sql: SqlStorage) {
          sql.exec("CREATE TABLE half_done (x INTEGER)");
          throw new Error("disk on fire");
        },
      };
      let error = "";
      try {
        migrateConversationStorage(state.storage, [...LEGACY_CONVERSATION_MIGRATIONS, failing]);
      } catch (thrown) {
        error = String(thrown);
      }
      const tables = state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'half_done'").toArray();
      return { error, tables: tables.length, version: storedSchemaVersion(state.storage.sql) };
    });
    expect(outcome).toEqual({ error: "Error: disk on fire", tables: 0, version: LEGACY_LATEST });
  });

  it("refuse a list that is out of order", async () => {
    const conversation = await newConversation();
    await writeUnversionedConversation(conversation);
    const error = await runInDurableObject(conversation.stub, (_instance, state) => {
      try {
        migrateConversationStorage(state.storage, [...LEGACY_CONVERSATION_MIGRATIONS].reverse());
        return "";
      } catch (thrown) {
        return String(thrown);
      }
    });
    expect(error).toMatch(/out of order/);
  });
});
