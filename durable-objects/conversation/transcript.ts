import { MessageSchema, NluResultSchema, type Message, type NluResult } from "../../shared/schemas/index.ts";
import { z } from "zod";

interface MessageRow extends Record<string, SqlStorageValue> {
  seq: number;
  id: string;
  role: string;
  text: string;
  created_at: string;
  client_message_id: string | null;
  reply_to: number | null;
  response: string | null;
  nlu: string | null;
  quick_replies: string | null;
  replayed: number | null;
}

export interface NewUserMessage {
  text: string;
  clientMessageId?: string | undefined;
}

export interface NewBotMessage {
  text: string;
  replyTo: number;
  response?: string | undefined;
  nlu?: NluResult | undefined;
  quickReplies?: string[] | undefined;
  /** The answer of an operator's replay, after the user had the pipeline fallback. */
  replayed?: boolean | undefined;
}

const QuickRepliesSchema = z.array(z.string());

const encoder = new TextEncoder();

/** The conversation's append-only transcript in the Durable Object's SQLite database. */
export class Transcript {
  /** UTF-8 bytes of all message text, summed once per object start and then kept up to date. */
  private bytes: number | undefined;

  constructor(private readonly sql: SqlStorage) {}

  /** UTF-8 bytes of every message's text (the per-conversation cap counts them). */
  textBytes(): number {
    this.bytes ??= this.sql.exec<{ bytes: number | null }>("SELECT SUM(LENGTH(CAST(text AS BLOB))) AS bytes FROM messages").one().bytes ?? 0;
    return this.bytes;
  }

  /** Drops what is cached from storage: after the conversation's storage was deleted. */
  forget(): void {
    this.bytes = undefined;
  }

  /** The newest message, if any. */
  last(): Message | undefined {
    const rows = this.sql.exec<MessageRow>("SELECT * FROM messages ORDER BY seq DESC LIMIT 1").toArray();
    return rows[0] && toMessage(rows[0]);
  }

  lastSeq(): number {
    const row = this.sql.exec<{ seq: number | null }>("SELECT MAX(seq) AS seq FROM messages").one();
    return row.seq ?? 0;
  }

  appendUser(message: NewUserMessage, now: Date): Message {
    return this.insert({ role: "user", text: message.text, clientMessageId: message.clientMessageId }, now);
  }

  appendBot(message: NewBotMessage, now: Date): Message {
    return this.insert({ role: "bot", ...message }, now);
  }

  /** A human operator's message, while the conversation is handed off. */
  appendAgent(text: string, now: Date): Message {
    return this.insert({ role: "agent", text }, now);
  }

  findByClientMessageId(clientMessageId: string): Message | undefined {
    const rows = this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE client_message_id = ?", clientMessageId)
      .toArray();
    return rows[0] && toMessage(rows[0]);
  }

  get(seq: number): Message | undefined {
    const rows = this.sql.exec<MessageRow>("SELECT * FROM messages WHERE seq = ?", seq).toArray();
    return rows[0] && toMessage(rows[0]);
  }

  /** Messages with seq > after, oldest first. */
  listAfter(after: number, limit: number): Message[] {
    return this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?", after, limit)
      .toArray()
      .map(toMessage);
  }

  repliesTo(seq: number): Message[] {
    return this.sql
      .exec<MessageRow>("SELECT * FROM messages WHERE reply_to = ? ORDER BY seq", seq)
      .toArray()
      .map(toMessage);
  }

  private insert(
    fields: { role: Message["role"]; text: string; clientMessageId?: string | undefined } & Partial<NewBotMessage>,
    now: Date,
  ): Message {
    // seq is the table's rowid: SQLite assigns max(seq) + 1, and nothing is ever deleted.
    const stored = this.sql
      .exec<MessageRow>(
        `INSERT INTO messages (id, role, text, created_at, client_message_id, reply_to, response, nlu, quick_replies, replayed)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
        crypto.randomUUID(),
        fields.role,
        fields.text,
        now.toISOString(),
        fields.clientMessageId ?? null,
        fields.replyTo ?? null,
        fields.response ?? null,
        fields.nlu ? JSON.stringify(fields.nlu) : null,
        fields.quickReplies?.length ? JSON.stringify(fields.quickReplies) : null,
        fields.replayed === true ? 1 : null,
      )
      .one();
    if (this.bytes !== undefined) this.bytes += encoder.encode(fields.text).byteLength;
    return toMessage(stored);
  }
}

function toMessage(row: MessageRow): Message {
  return MessageSchema.parse({
    id: row.id,
    seq: row.seq,
    role: row.role,
    text: row.text,
    createdAt: row.created_at,
    clientMessageId: row.client_message_id ?? undefined,
    replyTo: row.reply_to ?? undefined,
    response: row.response ?? undefined,
    nlu: row.nlu ? NluResultSchema.parse(JSON.parse(row.nlu)) : undefined,
    quickReplies: row.quick_replies ? QuickRepliesSchema.parse(JSON.parse(row.quick_replies)) : undefined,
    replayed: row.replayed === 1 ? true : undefined,
  });
}
