import { withCardsAsText } from "../../shared/channel-cards.ts";
import {
  EMPTY_DELIVERY_RECORD,
  claimDelivery,
  releaseDelivery,
  settleDelivery,
  type ClaimRequest,
  type ClaimResult,
} from "../../shared/channel-delivery.ts";
import {
  OUTBOUND_ROW_SEQ,
  OutboundRowBodySchema,
  type ChannelDeliveryRecord,
  type ChannelOutboundMessage,
  type ChannelReply,
  type Message,
} from "../../shared/schemas/index.ts";
import { messagesIn, type ConversationLog } from "./conversation-log.ts";
import type { ConversationRecord } from "./conversation-record.ts";
import type { Transcript } from "./transcript.ts";

/**
 * A messaging channel's replies on their way out (docs/channels.md, "Replies out"). Every bot reply
 * and agent message of a channel conversation goes to the platform, in seq order, once:
 *
 *  - **Queued after it is stored.** When the conversation stores a turn's replies (or an operator's
 *    message) this puts one `ChannelOutboundMessage` on the outbound queue, chained to the message
 *    before it by `after`, the seq of the conversation's previous bot or agent message — read from
 *    the transcript, so queueing writes nothing. A web conversation has no chat: nothing happens.
 *  - **The delivery record** (row -1 of the log: shared/channel-delivery.ts) is the sender's ledger:
 *    claim before the platform is called, settle after, release to retry later. Each call is one
 *    synchronous read-modify-write of that row, so the transitions of one chat never interleave.
 *  - **Nothing is left behind.** A queue send that fails is retried at once, then from the object's
 *    alarm until it succeeds. What this object instance has not queued itself since it started (it
 *    was evicted or restarted right after storing a reply) is queued again from the transcript when
 *    the sender finds the chain waiting on it, or when the user writes next. A copy queued twice is
 *    harmless: the delivery record sends each message once.
 */
export interface ChannelOutboxHost {
  readonly record: Pick<ConversationRecord, "info" | "channel">;
  readonly log: Pick<ConversationLog, "row" | "rowsBefore" | "putSpecial" | "lastSeq">;
  readonly transcript: Pick<Transcript, "listAfter">;
  /** Puts a message on the conversation's shard of the outbound queue. */
  send(message: ChannelOutboundMessage): Promise<void>;
  /** Keeps work going after the call that started it (ctx.waitUntil). */
  background(work: Promise<void>): void;
  /** Arms the object's storage alarm for `at`, unless it is already armed earlier. */
  wakeAt(at: number): Promise<void>;
  sleep(ms: number): Promise<void>;
  now(): number;
  /** One JSON line per event: ids and counts, never message text. */
  report(event: Record<string, unknown>): void;
}

/** Sends of one queue message before the alarm takes over. */
export const ENQUEUE_ATTEMPTS = 3;
export const ENQUEUE_BACKOFF_MS = 200;
/** The alarm's first try after a failed send; it doubles up to the cap while the queue refuses. */
export const REQUEUE_ALARM_MS = 30_000;
export const REQUEUE_ALARM_CAP_MS = 10 * 60_000;
/** How often one object instance may queue its pending messages again on its own initiative. */
export const HEAL_INTERVAL_MS = 60_000;
/** The most items one queue message carries (a turn has at most 16 replies: transcript.ts). */
export const MAX_ITEMS_PER_MESSAGE = 16;
/** How many rows a backwards search for the previous bot or agent message reads at a time. */
const SCAN_PAGE = 16;

export class ChannelOutbox {
  /** The delivery record, read once per object start, then kept (every write goes through here). */
  private delivery: ChannelDeliveryRecord | undefined;
  /** The first seq this instance put on the queue itself (or found settled): what comes after it is known to be queued. */
  private knownFrom: number | undefined;
  private lastHealAt = Number.NEGATIVE_INFINITY;
  private alarmDelay = REQUEUE_ALARM_MS;

  constructor(private readonly host: ChannelOutboxHost) {}

  /** Bot replies or an agent message were just stored: if this is a channel conversation, they go out. */
  afterStored(messages: readonly Message[]): void {
    const chat = this.host.record.channel();
    if (chat === undefined) return;
    const items = messages.filter((message) => message.role !== "user").map(replyOf);
    const first = items[0];
    if (first === undefined) return;
    const after = this.previousOutboundSeq(first.seq);
    const message = this.outboundMessage(items, after);
    if (message === undefined) return;
    // The first this instance queues: if everything before it is settled, the whole chain is known from here on.
    if (this.knownFrom === undefined) {
      const { sentThrough } = this.read();
      this.knownFrom = after <= sentThrough ? sentThrough + 1 : first.seq;
    }
    this.host.background(this.enqueue(message));
  }

  /** The seq of the conversation's last bot or agent message (0: none yet). */
  lastOutboundSeq(): number {
    return this.previousOutboundSeq(this.host.log.lastSeq() + 1);
  }

  /** The sender claims message `seq` (shared/channel-delivery.ts); a chain waiting on a message nobody queued gets it queued. */
  claim(request: ClaimRequest): ClaimResult {
    if (this.host.record.channel() === undefined) return { kind: "settled" };
    const { record, result } = claimDelivery(this.read(), request, this.host.now());
    this.write(record);
    if (result.kind === "wait" && result.reason === "earlier_pending" && !this.queuedFrom(record.sentThrough + 1)) this.heal("chain_waiting");
    return result;
  }

  settle(seq: number): void {
    this.write(settleDelivery(this.read(), seq));
  }

  release(seq: number, lease: string): void {
    this.write(releaseDelivery(this.read(), seq, lease));
  }

  /**
   * The outbound queue gave up on a message (its dead-letter queue): its items are settled as not
   * delivered, so the chat's later messages are not held behind them for ever — only when the
   * message before it is settled (else it is not this message that holds the chain).
   */
  abandon(after: number, through: number): boolean {
    const record = this.read();
    if (record.sentThrough < after || record.sentThrough >= through) return false;
    this.write(settleDelivery(record, through));
    return true;
  }

  /** The user wrote: whatever is pending and was not queued by this instance is queued again (it may have been lost). */
  beforeUserTurn(): void {
    if (this.host.record.channel() === undefined) return;
    const { sentThrough } = this.read();
    if (this.queuedFrom(sentThrough + 1)) return;
    this.heal("user_wrote");
  }

  /** The alarm a failed queue send armed: the pending messages are queued again, whoever queued them. */
  async onAlarm(): Promise<void> {
    if (this.host.record.channel() === undefined) return;
    const message = this.pendingMessage();
    if (message === undefined) return;
    await this.enqueue(message, "alarm");
  }

  /** After the conversation's storage was deleted (retention). */
  forget(): void {
    this.delivery = undefined;
    this.knownFrom = undefined;
    this.lastHealAt = Number.NEGATIVE_INFINITY;
    this.alarmDelay = REQUEUE_ALARM_MS;
  }

  /** Whether this instance queued (or found settled) every message from `seq` on. */
  private queuedFrom(seq: number): boolean {
    return this.knownFrom !== undefined && this.knownFrom <= seq;
  }

  /** Queues what is pending from the head of the chain, at most once a minute, unless a live lease shows the sender has it. */
  private heal(cause: "chain_waiting" | "user_wrote"): void {
    const now = this.host.now();
    if (now - this.lastHealAt < HEAL_INTERVAL_MS) return;
    const record = this.read();
    if (record.sending !== undefined && record.sending.until > now) return;
    this.lastHealAt = now;
    const message = this.pendingMessage();
    if (message === undefined) {
      // Nothing pending: everything up to now is settled, and what comes next this instance will queue.
      this.knownFrom ??= this.host.log.lastSeq() + 1;
      return;
    }
    this.knownFrom = Math.min(this.knownFrom ?? Number.POSITIVE_INFINITY, message.after + 1);
    this.host.report({ event: "channel_outbound_requeued", conversationId: message.conversationId, cause, after: message.after, items: message.items.length });
    this.host.background(this.enqueue(message));
  }

  /** One message with the chat's first unsettled bot and agent messages (after the settled ones), or undefined when all are settled. */
  private pendingMessage(): ChannelOutboundMessage | undefined {
    const { sentThrough } = this.read();
    const items: ChannelReply[] = [];
    let after = sentThrough;
    while (items.length < MAX_ITEMS_PER_MESSAGE) {
      const page = this.host.transcript.listAfter(after, 64);
      if (page.length === 0) break;
      for (const message of page) if (message.role !== "user" && items.length < MAX_ITEMS_PER_MESSAGE) items.push(replyOf(message));
      after = page.at(-1)?.seq ?? after;
      if (page.length < 64) break;
    }
    return items.length === 0 ? undefined : this.outboundMessage(items, sentThrough);
  }

  private outboundMessage(items: ChannelReply[], after: number): ChannelOutboundMessage | undefined {
    const info = this.host.record.info();
    const chat = this.host.record.channel();
    if (info === undefined || chat === undefined) return undefined;
    return { v: 1, kind: "channel-send", conversationId: info.id, bot: info.bot, address: chat.address, after, items, requeues: 0 };
  }

  /** The seq of the last bot or agent message before `seq` (0: none): every one of them went out before it. */
  private previousOutboundSeq(seq: number): number {
    let before = seq;
    for (;;) {
      const rows = this.host.log.rowsBefore(before, SCAN_PAGE);
      for (const row of rows) if (row.kind === "b" || row.kind === "a") return row.seq + messagesIn(row) - 1;
      const last = rows.at(-1);
      if (last === undefined || rows.length < SCAN_PAGE) return 0;
      before = last.seq;
    }
  }

  /** Sends the message to the queue, a few times at once; after that, from the alarm until the queue takes it. */
  private async enqueue(message: ChannelOutboundMessage, cause: "stored" | "alarm" = "stored"): Promise<void> {
    let failure = "";
    for (let attempt = 1; attempt <= ENQUEUE_ATTEMPTS; attempt++) {
      try {
        await this.host.send(message);
        this.alarmDelay = REQUEUE_ALARM_MS;
        return;
      } catch (error) {
        failure = error instanceof Error ? error.message : String(error);
        if (attempt < ENQUEUE_ATTEMPTS) await this.host.sleep(ENQUEUE_BACKOFF_MS * 2 ** (attempt - 1));
      }
    }
    const delay = this.alarmDelay;
    this.alarmDelay = Math.min(REQUEUE_ALARM_CAP_MS, this.alarmDelay * 2);
    this.host.report({ event: "channel_outbound_enqueue_failed", conversationId: message.conversationId, cause, after: message.after, items: message.items.length, error: failure.slice(0, 200), retryInMs: delay });
    await this.host.wakeAt(this.host.now() + delay);
  }

  private read(): ChannelDeliveryRecord {
    if (this.delivery === undefined) {
      const row = this.host.log.row(OUTBOUND_ROW_SEQ);
      this.delivery = row === undefined ? EMPTY_DELIVERY_RECORD : OutboundRowBodySchema.parse(JSON.parse(row.body));
    }
    return this.delivery;
  }

  /** Stores a changed record (an unchanged one writes nothing). */
  private write(record: ChannelDeliveryRecord): void {
    const before = this.read();
    if (record === before) return;
    this.delivery = record;
    if (this.knownFrom === undefined && record.sentThrough >= this.host.log.lastSeq()) this.knownFrom = record.sentThrough + 1;
    this.host.log.putSpecial(OUTBOUND_ROW_SEQ, "o", this.host.now(), record);
  }
}

/** A message as a platform gets it: cards as lines of text, their buttons as quick replies (shared/channel-cards.ts). */
const replyOf = (message: Message): ChannelReply => ({ seq: message.seq, ...withCardsAsText(message) });
