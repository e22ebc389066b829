// Storage migrations of the conversation object (storage-migrations.ts) on real Durable Object
// SQLite storage: an object written before schema versions existed is opened by today's code and
// migrated with nothing lost; each migration is one transaction.
import { evictDurableObject, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CONVERSATION_MIGRATIONS, migrateConversationStorage, storedSchemaVersion } from "../storage-migrations.ts";
import { newConversation, say, transcript, type TestConversation, OPERATOR } from "./conversation-fixture.ts";

const LATEST = CONVERSATION_MIGRATIONS.at(-1)?.version ?? 0;

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
    for (const table of ["meta", "messages", "turns"]) sql.exec(`DROP TABLE IF EXISTS ${table}`);
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

describe("storage migrations", () => {
  it("migrate an object written before schema versions, losing nothing", async () => {
    const conversation = await newConversation();
    await writeUnversionedConversation(conversation);
    const before = await transcript(conversation); // read by the instance that has not restarted
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
    expect(after).toEqual(before);
    expect(after.map((m) => [m.seq, m.role])).toEqual([[1, "user"], [2, "bot"], [3, "user"], [4, "agent"], [5, "user"]]);
    expect(after[1]).toMatchObject({ replyTo: 1, response: "utter_greet", quickReplies: ["Track my order"], nlu: { intent: { name: "greet" } } });
    expect(after[0]?.clientMessageId).toBe("client-1");

    const { version, turns } = await runInDurableObject(conversation.stub, (_instance, state) => ({
      version: storedSchemaVersion(state.storage.sql),
      turns: state.storage.sql.exec("SELECT seq, status, attempt, trace_id, outcome FROM turns ORDER BY seq").toArray(),
    }));
    expect(version).toBe(LATEST);
    // Migration 2: the turns the handoff left open are held, so no bot reply can reach the human's conversation.
    expect(turns).toEqual([
      { seq: 1, status: "answered", attempt: 1, trace_id: "trace-1", outcome: "bot" },
      { seq: 3, status: "answered", attempt: 2, trace_id: "trace-3", outcome: "held" },
      { seq: 5, status: "answered", attempt: 0, trace_id: "trace-5", outcome: "held" },
    ]);

    // The migrated conversation carries on: after release the next message gets the next seq and a turn.
    await conversation.stub.setHandoff(false);
    expect((await say(conversation, "back to the bot")).seq).toBe(6);
  });

  it("migrate a new object to the latest version and do nothing on the next start", async () => {
    const conversation = await newConversation();
    const first = await runInDurableObject(conversation.stub, (_instance, state) => ({
      version: storedSchemaVersion(state.storage.sql),
      again: migrateConversationStorage(state.storage),
    }));
    expect(first).toEqual({ version: LATEST, again: LATEST });
    await say(conversation, "hello");
    await evictDurableObject(conversation.stub);
    expect((await transcript(conversation)).map((m) => m.text)).toEqual(["hello"]);
  });

  it("run each migration in one transaction: a failing one leaves the storage and its version as they were", async () => {
    const conversation = await newConversation();
    const outcome = await runInDurableObject(conversation.stub, (_instance, state) => {
      const failing = {
        version: LATEST + 1,
        description: "fails half-way",
        up(sql: SqlStorage) {
          sql.exec("CREATE TABLE half_done (x INTEGER)");
          throw new Error("disk on fire");
        },
      };
      let error = "";
      try {
        migrateConversationStorage(state.storage, [...CONVERSATION_MIGRATIONS, failing]);
      } catch (thrown) {
        error = String(thrown);
      }
      const tables = state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'half_done'").toArray();
      return { error, tables: tables.length, version: storedSchemaVersion(state.storage.sql) };
    });
    expect(outcome).toEqual({ error: "Error: disk on fire", tables: 0, version: LATEST });
  });

  it("refuse a list that is out of order", async () => {
    const conversation = await newConversation();
    const error = await runInDurableObject(conversation.stub, (_instance, state) => {
      try {
        migrateConversationStorage(state.storage, [...CONVERSATION_MIGRATIONS].reverse());
        return "";
      } catch (thrown) {
        return String(thrown);
      }
    });
    expect(error).toMatch(/out of order/);
  });
});
