import {
  AgentRowBodySchema,
  BotRowBodySchema,
  UserRowBodySchema,
  type BotRowBody,
  type LogRow,
  type Message,
  type NluResult,
} from "../../shared/schemas/index.ts";
import { rowBody, type ConversationLog } from "./conversation-log.ts";

/** The most replies one bot row holds (a turn's replies): a read of the messages after a seq starts this many rows back. */
export const MAX_REPLIES_PER_ROW = 16;
/** How far back a resent clientMessageId is looked for: the SDK resends only what is still in its outbox. */
const CLIENT_MESSAGE_ID_LOOKBACK_ROWS = 128;

/**
 * The conversation's transcript, read from its log (conversation-log.ts) as the API shows it: user,
 * bot and agent messages numbered 1, 2, 3… A bot row holds all the replies of one turn, each with its
 * own seq. A message's id is derived (conversation id and seq), not stored.
 */
export class Transcript {
  /** clientMessageIds this object stored or found, with their seq: a resend is usually the last message. */
  private readonly recentClientIds = new Map<string, number>();

  constructor(
    private readonly log: ConversationLog,
    private readonly conversationId: () => string,
  ) {}

  lastSeq(): number {
    return this.log.lastSeq();
  }

  /** The newest message, if any. */
  last(): Message | undefined {
    const seq = this.log.lastSeq();
    return seq === 0 ? undefined : this.get(seq);
  }

  /** Bytes the stored messages hold (the per-conversation cap). */
  textBytes(): number {
    return this.log.bytes();
  }

  get(seq: number): Message | undefined {
    const row = this.log.rowHolding(seq);
    return row === undefined ? undefined : this.messagesOf(row).find((message) => message.seq === seq);
  }

  /** Messages with seq > after, oldest first. */
  listAfter(after: number, limit: number): Message[] {
    const rows = this.log.rowsFrom(Math.max(1, after + 2 - MAX_REPLIES_PER_ROW), limit + MAX_REPLIES_PER_ROW);
    return rows
      .flatMap((row) => this.messagesOf(row))
      .filter((message) => message.seq > after)
      .slice(0, limit);
  }

  /** The bot's replies to user message `seq` (its turn's, and a replay's), in order. */
  repliesTo(seq: number): Message[] {
    const replies: Message[] = [];
    for (const row of this.log.rowsFrom(seq + 1, CLIENT_MESSAGE_ID_LOOKBACK_ROWS)) {
      if (row.kind !== "b") continue;
      const body = rowBody(row, BotRowBodySchema);
      if (replyToOf(row.seq, body) === seq) replies.push(...this.botMessages(row, body));
    }
    return replies;
  }

  /** The message a clientMessageId was stored with, among the recent ones. */
  findByClientMessageId(clientMessageId: string): Message | undefined {
    const known = this.recentClientIds.get(clientMessageId);
    if (known !== undefined) return this.get(known);
    for (const row of this.log.rowsBefore(Number.MAX_SAFE_INTEGER, CLIENT_MESSAGE_ID_LOOKBACK_ROWS)) {
      if (row.kind !== "u") continue;
      const body = rowBody(row, UserRowBodySchema);
      if (body.c === clientMessageId) return this.messagesOf(row)[0];
    }
    return undefined;
  }

  /** A new user message was stored with this clientMessageId (turn-ledger.ts writes user rows). */
  rememberClientMessageId(clientMessageId: string | undefined, seq: number): void {
    if (clientMessageId === undefined) return;
    if (this.recentClientIds.size >= CLIENT_MESSAGE_ID_LOOKBACK_ROWS) this.recentClientIds.clear();
    this.recentClientIds.set(clientMessageId, seq);
  }

  /** A human operator's message, while the conversation is handed off. */
  appendAgent(text: string, now: Date): Message {
    const seq = this.log.takeSeqs(1);
    const at = now.getTime();
    this.log.insert(seq, "a", at, { x: text });
    return this.message(seq, "agent", text, at);
  }

  /** Drops what is cached from storage: after the conversation's storage was deleted. */
  forget(): void {
    this.recentClientIds.clear();
  }

  /** The messages a row holds (none for the record). */
  messagesOf(row: LogRow): Message[] {
    switch (row.kind) {
      case "c":
      case "o":
        return [];
      case "u": {
        const user = rowBody(row, UserRowBodySchema);
        return [this.message(row.seq, "user", user.x, row.at, { clientMessageId: user.c })];
      }
      case "a":
        return [this.message(row.seq, "agent", rowBody(row, AgentRowBodySchema).x, row.at)];
      case "b":
        return this.botMessages(row, rowBody(row, BotRowBodySchema));
    }
  }

  private botMessages(row: LogRow, body: BotRowBody): Message[] {
    const nlu = body.n ? storedNluResult(body.n) : undefined;
    return body.m.map((reply, i) =>
      this.message(row.seq + i, "bot", reply.x, row.at, {
        replyTo: replyToOf(row.seq, body),
        response: reply.rs,
        nlu,
        quickReplies: reply.q,
        sources: reply.so,
        cards: reply.cd,
        replayed: body.rp === 1 ? true : undefined,
      }),
    );
  }

  private message(
    seq: number,
    role: Message["role"],
    text: string,
    at: number,
    extra: Partial<Pick<Message, "clientMessageId" | "replyTo" | "response" | "nlu" | "quickReplies" | "sources" | "cards" | "replayed">> = {},
  ): Message {
    const message: Message = { id: `${this.conversationId()}:${seq}`, seq, role, text, createdAt: new Date(at).toISOString() };
    for (const [key, value] of Object.entries(extra)) if (value !== undefined) Object.assign(message, { [key]: value });
    // Built from rows validated as they were read (their schemas in conversation-storage.ts) and typed
    // as a Message: validating it again cost every turn more CPU than building it (#17).
    return message;
  }
}

type StoredEntity = NonNullable<NonNullable<BotRowBody["n"]>["e"]>[number];

/** The user message a bot row answers: stored only when it is not the message right before the row. */
export function replyToOf(seq: number, body: Pick<BotRowBody, "r">): number {
  return body.r ?? seq - 1;
}

/** Four decimals: what a person reads of a confidence, in fewer bytes. */
const roundConfidence = (confidence: number): number => Math.round(confidence * 10_000) / 10_000;

/** What a bot row keeps of the NLU result, as the API shows it: the best intent and the runner-up, the entities, the locale. */
function storedNluResult(stored: NonNullable<BotRowBody["n"]>): NluResult {
  const intent = { name: stored.i, confidence: stored.c };
  const [runnerUp, runnerUpConfidence] = stored.k ?? [];
  return {
    intent,
    intents: runnerUp === undefined || runnerUpConfidence === undefined ? [intent] : [intent, { name: runnerUp, confidence: runnerUpConfidence }],
    // The text is left out only when it is the (string) value itself.
    entities: (stored.e ?? []).map(([entity, value, start, end, source, text]) => ({ entity, value, start, end, source, text: text ?? (typeof value === "string" ? value : "") })),
    locale: stored.l,
    ...(stored.v ? { localeEvidence: stored.v } : {}),
  };
}

/** The NLU result as a bot row keeps it: what the transcript shows of it, in a few dozen bytes. */
export function storedNlu(nlu: NluResult): NonNullable<BotRowBody["n"]> {
  // The ranking's best entry other than the intent given (out_of_scope may stand for the first).
  const runnerUp = nlu.intents.find((score) => score.name !== nlu.intent.name);
  return {
    i: nlu.intent.name,
    c: roundConfidence(nlu.intent.confidence),
    ...(runnerUp ? { k: [runnerUp.name, roundConfidence(runnerUp.confidence)] as [string, number] } : {}),
    l: nlu.locale,
    ...(nlu.localeEvidence ? { v: nlu.localeEvidence } : {}),
    ...(nlu.entities.length > 0
      ? {
          e: nlu.entities.map((entity): StoredEntity =>
            entity.text === entity.value
              ? [entity.entity, entity.value, entity.start, entity.end, entity.source]
              : [entity.entity, entity.value, entity.start, entity.end, entity.source, entity.text],
          ),
        }
      : {}),
  };
}
