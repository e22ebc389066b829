import type { z } from "zod";
import { BotRowBodySchema, StoredLogRowSchema, type LogRow } from "../../shared/schemas/index.ts";
import { decodeRowBody, encodeRowBody, textBytes, textBytesOfStored } from "./row-codec.ts";

/**
 * The one table a conversation stores everything in (shared/schemas/conversation-storage.ts says
 * what each row holds): row 0 is the conversation's record, every other row one or more transcript
 * messages keyed by the first one's seq. One table and no secondary index, so that
 *
 *  - a turn costs two rows written: the user message (with its turn) and the bot's replies (which
 *    close it, with the dialogue state after it); an index would add a row to each;
 *  - a conversation of eight turns fits the table's first page: 8 KB with SQLite's own page (bodies
 *    are compressed where that makes them smaller: row-codec.ts);
 *  - a new conversation gets its schema in one statement, and an expired one, after deleteAll, has
 *    nothing until it is written again (the table is created on the first write, not at start).
 *
 * Lookups that an index would serve read a few rows from the end instead (rows read cost a
 * thousandth of rows written): recent clientMessageIds, the open turns, the dialogue state.
 */
export class ConversationLog {
  /** Whether the table exists; read once per object start. */
  private present: boolean | undefined;
  /** The last message's seq; read once per object start, then kept. */
  private last: number | undefined;
  /** Bytes of text the message rows hold (the per-conversation cap counts them); summed once per object start, then kept. */
  private size: number | undefined;
  /**
   * Rows already decoded, by seq: a turn reads the same recent rows several times (its ids, the open
   * turns, the dialogue state), and each read would inflate and validate them again. A row changes
   * only through `insert` and `update` here, which keep this current.
   */
  private readonly decoded = new Map<number, LogRow>();

  constructor(private readonly sql: SqlStorage) {}

  exists(): boolean {
    this.present ??= this.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'log'").toArray().length > 0;
    return this.present;
  }

  /** Creates the table: a new conversation's whole schema, in one step. */
  create(): void {
    this.sql.exec("CREATE TABLE IF NOT EXISTS log (seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, at INTEGER NOT NULL, body TEXT NOT NULL)");
    this.present = true;
  }

  /** Drops what is cached from storage: after the object's storage was deleted. */
  forget(): void {
    this.decoded.clear();
    this.present = undefined;
    this.last = undefined;
    this.size = undefined;
  }

  row(seq: number): LogRow | undefined {
    if (!this.exists()) return undefined;
    const raw = this.sql.exec("SELECT seq, kind, at, body FROM log WHERE seq = ?", seq).toArray()[0];
    return raw === undefined ? undefined : this.read(raw);
  }

  /** Message rows with seq ≥ `from`, in order. */
  rowsFrom(from: number, limit: number): LogRow[] {
    if (!this.exists()) return [];
    return this.sql
      .exec("SELECT seq, kind, at, body FROM log WHERE seq >= ? AND seq > 0 ORDER BY seq LIMIT ?", from, limit)
      .toArray()
      .map((raw) => this.read(raw));
  }

  /** Message rows with seq < `before`, newest first. */
  rowsBefore(before: number, limit: number): LogRow[] {
    if (!this.exists()) return [];
    return this.sql
      .exec("SELECT seq, kind, at, body FROM log WHERE seq < ? AND seq > 0 ORDER BY seq DESC LIMIT ?", before, limit)
      .toArray()
      .map((raw) => this.read(raw));
  }

  /** The row holding message `seq` (a bot row holds several): the last row keyed at or before it. */
  rowHolding(seq: number): LogRow | undefined {
    if (!this.exists() || seq < 1) return undefined;
    const raw = this.sql.exec("SELECT seq, kind, at, body FROM log WHERE seq <= ? AND seq > 0 ORDER BY seq DESC LIMIT 1", seq).toArray()[0];
    return raw === undefined ? undefined : this.read(raw);
  }

  /** The first message row of a kind (rows are read up to it: a conversation's first bot row is near its start). */
  firstOfKind(kind: LogRow["kind"]): LogRow | undefined {
    if (!this.exists()) return undefined;
    const raw = this.sql.exec("SELECT seq, kind, at, body FROM log WHERE seq > 0 AND kind = ? ORDER BY seq LIMIT 1", kind).toArray()[0];
    return raw === undefined ? undefined : this.read(raw);
  }

  insert(seq: number, kind: LogRow["kind"], at: number, body: object): void {
    if (!this.exists()) this.create();
    const json = JSON.stringify(body);
    const stored = encodeRowBody(json);
    this.sql.exec("INSERT INTO log (seq, kind, at, body) VALUES (?, ?, ?, ?)", seq, kind, at, stored);
    if (this.size !== undefined) this.size += textBytes(json);
    this.keep({ seq, kind, at, body: json });
  }

  /**
   * Writes a row that is not a message (the outbound row, seq -1: conversation-storage.ts), creating or
   * replacing it in one statement; it is not counted in the messages' bytes.
   */
  putSpecial(seq: number, kind: LogRow["kind"], at: number, body: object): void {
    if (!this.exists()) this.create();
    const json = JSON.stringify(body);
    this.sql.exec(
      "INSERT INTO log (seq, kind, at, body) VALUES (?, ?, ?, ?) ON CONFLICT (seq) DO UPDATE SET at = excluded.at, body = excluded.body",
      seq,
      kind,
      at,
      json,
    );
    this.keep({ seq, kind, at, body: json });
  }

  /** Rewrites a row's body (a turn's progress off the common path, the record's rare changes). */
  update(seq: number, body: object): void {
    const json = JSON.stringify(body);
    this.sql.exec("UPDATE log SET body = ? WHERE seq = ?", encodeRowBody(json), seq);
    this.size = undefined;
    const kept = this.decoded.get(seq);
    if (kept) this.keep({ ...kept, body: json });
  }

  /** A row as SQLite returned it, decoded once per object life. */
  private read(raw: Record<string, SqlStorageValue>): LogRow {
    const seq = raw.seq;
    const kept = typeof seq === "number" ? this.decoded.get(seq) : undefined;
    if (kept) return kept;
    const row = readRow(raw);
    this.keep(row);
    return row;
  }

  private keep(row: LogRow): void {
    this.decoded.delete(row.seq);
    this.decoded.set(row.seq, row);
    // The most recently used rows stay (Map keeps insertion order): a turn reads the recent ones.
    if (this.decoded.size > DECODED_ROWS_KEPT) {
      const oldest = this.decoded.keys().next();
      if (!oldest.done) this.decoded.delete(oldest.value);
    }
  }

  /** The last message's seq (0: none yet). */
  lastSeq(): number {
    if (this.last === undefined) {
      const row = this.rowsBefore(Number.MAX_SAFE_INTEGER, 1)[0];
      this.last = row === undefined ? 0 : row.seq + messagesIn(row) - 1;
    }
    return this.last;
  }

  /** Takes the next `count` seqs for a row of that many messages; returns the first. */
  takeSeqs(count: number): number {
    const first = this.lastSeq() + 1;
    this.last = first + count - 1;
    return first;
  }

  /**
   * Bytes of text the conversation's message rows hold, compressed or not (what the per-conversation
   * cap counts: a repetitive text that compresses well is no smaller to read back). Summed from each
   * row's stored length and, for a compressed one, the length its header carries: no row is inflated.
   */
  bytes(): number {
    if (this.size === undefined) {
      let total = 0;
      if (this.exists()) {
        const rows = this.sql.exec<{ head: ArrayBuffer | null; stored: number }>(
          "SELECT CASE WHEN typeof(body) = 'blob' THEN substr(body, 1, 5) END AS head, LENGTH(CAST(body AS BLOB)) AS stored FROM log WHERE seq > 0",
        );
        for (const { head, stored } of rows) total += textBytesOfStored(head, stored);
      }
      this.size = total;
    }
    return this.size;
  }
}

/** How many decoded rows an object keeps: the recent ones a turn reads, a few hundred KB at most. */
const DECODED_ROWS_KEPT = 64;

/** A row as SQLite returns it, its body as JSON text. */
function readRow(raw: unknown): LogRow {
  const row = StoredLogRowSchema.parse(raw);
  return { ...row, body: decodeRowBody(row.body) };
}

/** How many transcript messages a row holds: a bot row its replies, any other message row one. */
export function messagesIn(row: LogRow): number {
  return row.kind === "b" ? rowBody(row, BotRowBodySchema).m.length : 1;
}

/**
 * A row's body, parsed and validated by `schema`, once per row object: a turn reads the same few
 * recent rows several times (its ids, its open turns, the state, the replies it sends), and each
 * read validated them again, a tenth of the conversation object's CPU (#17). A row that changes is
 * a new object (`ConversationLog.update`, `keep`), so nothing stale is returned. The value is
 * shared between callers: it is read, never changed in place.
 */
export function rowBody<S extends z.ZodType>(row: LogRow, schema: S): z.output<S> {
  let bySchema = parsedBodies.get(row);
  if (!bySchema) {
    bySchema = new Map();
    parsedBodies.set(row, bySchema);
  }
  if (bySchema.has(schema)) return bySchema.get(schema) as z.output<S>;
  const parsed = schema.parse(JSON.parse(row.body));
  bySchema.set(schema, parsed);
  return parsed;
}

const parsedBodies = new WeakMap<LogRow, Map<z.ZodType, unknown>>();
