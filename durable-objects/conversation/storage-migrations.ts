import { z } from "zod";
import {
  AnalyticsFactsSchema,
  CONVERSATION_STORAGE_VERSION,
  ConversationInfoSchema,
  DialogueStateSchema,
  HandedOffBySchema,
  NluResultSchema,
  type ConversationRecordBody,
  type StoredBotRow,
  type UserRowBody,
} from "../../shared/schemas/index.ts";
import { migrateStorage, storedSchemaVersion, type StorageMigration } from "../../shared/storage-migrations.ts";
import { storedNlu } from "./transcript.ts";
import { encodeRowBody } from "./row-codec.ts";

export { storedSchemaVersion, type StorageMigration } from "../../shared/storage-migrations.ts";

/**
 * A conversation's storage before the log (conversation-log.ts): the `meta`, `messages` and `turns`
 * tables, versioned 1–5 by an ordered list of migrations (the runner and its rules:
 * shared/storage-migrations.ts). A migration is never edited once released. Today's code writes
 * the log only; these bring an object written by older code to version 5, which is then converted.
 */
export const LEGACY_CONVERSATION_MIGRATIONS: readonly StorageMigration[] = [
  {
    version: 1,
    description: "the tables conversations had before versions were recorded (so those are adopted as they are)",
    up(sql) {
      sql.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      // The append-only transcript: user, bot and agent messages in the order clients see them.
      sql.exec(`CREATE TABLE IF NOT EXISTS messages (
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
      )`);
      sql.exec(`CREATE INDEX IF NOT EXISTS messages_reply_to ON messages (reply_to) WHERE reply_to IS NOT NULL`);
      // One row per user message: where it is on its way to an answer (turn-ledger.ts).
      sql.exec(`CREATE TABLE IF NOT EXISTS turns (
        seq INTEGER PRIMARY KEY,
        status TEXT NOT NULL,
        attempt INTEGER NOT NULL DEFAULT 0,
        trace_id TEXT NOT NULL,
        dispatched_at INTEGER,
        answered_at INTEGER,
        outcome TEXT
      )`);
      sql.exec(`CREATE INDEX IF NOT EXISTS turns_open ON turns (status, seq) WHERE status <> 'answered'`);
    },
  },
  {
    version: 2,
    description:
      "a handed-off conversation has no open turn (turn-scheduler.ts): turns left queued or in flight by a handoff are held",
    up(sql, now) {
      sql.exec(
        `UPDATE turns SET status = 'answered', outcome = 'held', answered_at = ?
         WHERE status <> 'answered' AND EXISTS (SELECT 1 FROM meta WHERE key = 'handoff' AND value = 'true')`,
        now,
      );
    },
  },
  {
    version: 3,
    description:
      "dead letters an operator can act on: the last failure a consumer reported for each turn, the attempt a replay started after, and which bot replies a replay gave",
    up(sql) {
      for (const column of ["failure_attempt INTEGER", "failure_stage TEXT", "failure_deliveries INTEGER", "failure_error TEXT", "replay_from INTEGER"]) {
        sql.exec(`ALTER TABLE turns ADD COLUMN ${column}`);
      }
      sql.exec(`ALTER TABLE messages ADD COLUMN replayed INTEGER`);
    },
  },
  {
    version: 4,
    description:
      "turn facts: when the turn was opened, the client's trace context it continues, and its stage timestamps once answered",
    up(sql) {
      sql.exec(`ALTER TABLE turns ADD COLUMN opened_at INTEGER`);
      sql.exec(`ALTER TABLE turns ADD COLUMN traceparent TEXT`);
      sql.exec(`ALTER TABLE turns ADD COLUMN timings TEXT`);
    },
  },
  {
    version: 5,
    description: "each turn's writer as the per-address budgets key it (a keyed hash, never the address): the LLM fallback's budget counts it",
    up(sql) {
      sql.exec(`ALTER TABLE turns ADD COLUMN client TEXT`);
    },
  },
];

/**
 * Brings a conversation's storage to the log, and returns its version: a new (or expired) object
 * has no storage and gets none here — its table is created by its first write, in one step; one
 * written by older code is migrated to version 5 and converted, in one transaction, to the log.
 */
export function migrateConversationStorage(
  storage: DurableObjectStorage,
  legacy: readonly StorageMigration[] = LEGACY_CONVERSATION_MIGRATIONS,
  now: number = Date.now(),
): number {
  const tables = new Set(
    storage.sql
      .exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('log', 'meta')")
      .toArray()
      .map((row) => row.name),
  );
  if (tables.has("log")) return CONVERSATION_STORAGE_VERSION;
  if (!tables.has("meta")) return 0;
  migrateStorage(storage, legacy, now);
  storage.transactionSync(() => convertToLog(storage.sql));
  return CONVERSATION_STORAGE_VERSION;
}

/** The schema version of a conversation's storage (0: nothing stored; 6: the log). */
export function conversationStorageVersion(sql: SqlStorage): number {
  const log = sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'log'").toArray().length > 0;
  return log ? CONVERSATION_STORAGE_VERSION : storedSchemaVersion(sql);
}

const LegacyMessageSchema = z.object({
  seq: z.number().int().positive(),
  role: z.enum(["user", "bot", "agent"]),
  text: z.string(),
  created_at: z.string(),
  client_message_id: z.string().nullable(),
  reply_to: z.number().int().nullable(),
  response: z.string().nullable(),
  nlu: z.string().nullable(),
  quick_replies: z.string().nullable(),
  replayed: z.number().nullable(),
});
const LegacyTurnSchema = z.object({
  seq: z.number().int().positive(),
  status: z.enum(["queued", "dispatched", "answered"]),
  attempt: z.number().int().nonnegative(),
  trace_id: z.string(),
  dispatched_at: z.number().nullable(),
  outcome: z.enum(["bot", "fallback", "held"]).nullable(),
  failure_attempt: z.number().int().positive().nullable(),
  failure_stage: z.enum(["intent", "dialogue"]).nullable(),
  failure_deliveries: z.number().int().positive().nullable(),
  failure_error: z.string().nullable(),
  replay_from: z.number().int().nonnegative().nullable(),
  traceparent: z.string().nullable(),
  client: z.string().nullable(),
});

/** Version 5's tables into the log (one row per message; each turn's state written out on its user message's row), then dropped. */
function convertToLog(sql: SqlStorage): void {
  const meta = new Map(sql.exec<{ key: string; value: string }>("SELECT key, value FROM meta").toArray().map((row) => [row.key, JSON.parse(row.value) as unknown]));
  const turns = new Map(sql.exec("SELECT * FROM turns").toArray().map((raw) => { const turn = LegacyTurnSchema.parse(raw); return [turn.seq, turn] as const; }));
  const messages = sql.exec("SELECT * FROM messages ORDER BY seq").toArray().map((raw) => LegacyMessageSchema.parse(raw));
  sql.exec("CREATE TABLE log (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, at INTEGER NOT NULL, body TEXT NOT NULL)");
  const insert = (seq: number, kind: string, at: number, body: object) => sql.exec("INSERT INTO log (seq, kind, at, body) VALUES (?, ?, ?, ?)", seq, kind, at, encodeRowBody(JSON.stringify(body)));
  const replaying: number[] = [];
  for (const message of messages) {
    const at = Date.parse(message.created_at);
    if (message.role === "agent") insert(message.seq, "a", at, { x: message.text });
    else if (message.role === "bot") {
      const body: StoredBotRow = {
        r: message.reply_to ?? message.seq - 1,
        m: [{ x: message.text, ...(message.response ? { rs: message.response } : {}), ...(message.quick_replies ? { q: z.array(z.string()).parse(JSON.parse(message.quick_replies)) } : {}) }],
        ...(message.nlu ? { n: storedNlu(NluResultSchema.parse(JSON.parse(message.nlu))) } : {}),
        ...(message.replayed === 1 ? { rp: 1 as const } : {}),
      };
      insert(message.seq, "b", at, body);
    } else {
      const turn = turns.get(message.seq);
      const failure =
        turn?.failure_attempt && turn.failure_stage && turn.failure_deliveries
          ? { f: { attempt: turn.failure_attempt, stage: turn.failure_stage, deliveries: turn.failure_deliveries, error: turn.failure_error ?? "" } }
          : {};
      const replay = turn?.replay_from === null || turn?.replay_from === undefined ? {} : { r: turn.replay_from, rs: message.seq };
      if (turn && turn.status !== "answered" && turn.replay_from !== null) replaying.push(turn.seq);
      const body: UserRowBody = {
        x: message.text,
        ...(message.client_message_id ? { c: message.client_message_id } : {}),
        i: turn?.trace_id ?? crypto.randomUUID().replaceAll("-", ""),
        ...(turn?.traceparent ? { p: turn.traceparent } : {}),
        ...(turn?.client ? { k: turn.client } : {}),
        // Written out in full: older code marked no reply as the one that closes its turn.
        t: {
          s: !turn || turn.status === "answered" ? "a" : turn.status === "queued" ? "q" : "d",
          a: turn?.attempt ?? 0,
          ...(turn?.dispatched_at ? { d: turn.dispatched_at } : {}),
          ...(!turn || turn.status === "answered" ? { o: turn?.outcome ?? "held" } : {}),
          ...failure,
          ...replay,
        },
      };
      insert(message.seq, "u", at, body);
    }
  }
  const lastSeq = messages.at(-1)?.seq ?? 0;
  const record: ConversationRecordBody = {
    v: CONVERSATION_STORAGE_VERSION,
    info: ConversationInfoSchema.parse(meta.get("info")),
    handedOff: meta.get("handoff") === true,
    handedOffBy: HandedOffBySchema.nullable().catch(null).parse(meta.get("handed_off_by") ?? null),
    analytics: AnalyticsFactsSchema.catch({ startedMinute: null, startedLocale: null, handoffs: 0 }).parse(meta.get("analytics")),
    tokensValidFrom: z.number().catch(0).parse(meta.get("tokens_valid_from") ?? 0),
    usedTickets: [],
    replaying,
    state: { seq: lastSeq, value: DialogueStateSchema.catch(DialogueStateSchema.parse({})).parse(meta.get("dialogue_state") ?? {}) },
  };
  insert(0, "c", Date.parse(record.info.createdAt), record);
  for (const table of ["messages", "turns", "meta"]) sql.exec(`DROP TABLE ${table}`);
}
