/**
 * The per-chat delivery record that keeps a chat's outbound messages in order and sends each once
 * (docs/channels.md, "Replies out"). It lives with the conversation (one conversation per chat):
 * `sentThrough` is the seq up to which every outbound message is settled (sent, or refused for good
 * by the platform); `sending` is the one send under way, under a lease.
 *
 * The sender claims a message before calling the platform and settles it after; the claim succeeds
 * only when everything before it is settled (so a chat's messages go out in seq order, whatever order
 * the queue delivers them in) and no other live lease holds it (so two deliveries of one queue
 * message cannot both send). A claim whose lease ran out without a settle (a consumer that died
 * mid-send) is taken over and marked `uncertain`: the platform may have the message already. That is
 * the one case a reply can go out twice, and the sender passes the platform an idempotency key where
 * the platform has one (LINE's X-Line-Retry-Key).
 *
 * Pure transitions over the stored record, plus an async ledger the sender calls: the conversation
 * object implements it over its storage (each call one synchronous read-modify-write, so transitions
 * of one chat never interleave); `ledgerOverStore` does it over any synchronous store.
 */
import type { ChannelDeliveryRecord } from "./schemas/channels.ts";

export type { ChannelDeliveryRecord } from "./schemas/channels.ts";

/** How long a claim holds: longer than one send with its in-process retries (see the sender). */
export const DELIVERY_LEASE_MS = 60_000;

export const EMPTY_DELIVERY_RECORD: ChannelDeliveryRecord = { sentThrough: 0 };

export interface ClaimRequest {
  /** The message to send. */
  seq: number;
  /** The seq of the chat's outbound message before it (0 for the first): it must be settled first. */
  previous: number;
  /** This attempt's own id (a random UUID). */
  lease: string;
  leaseMs: number;
}

export type ClaimResult =
  /** Already sent (or refused for good): skip it, never send it again. */
  | { kind: "settled" }
  /** An earlier message of the chat is not settled yet: try again later, in order. */
  | { kind: "wait"; reason: "earlier_pending" }
  /** Another attempt holds a live lease on it: try again after `untilMs`. */
  | { kind: "wait"; reason: "in_flight"; untilMs: number }
  /** Send it now. `uncertain`: an earlier attempt's lease ran out unsettled, it may have been sent. */
  | { kind: "claimed"; uncertain: boolean; attempt: number };

export function claimDelivery(
  record: ChannelDeliveryRecord,
  request: ClaimRequest,
  now: number,
): { record: ChannelDeliveryRecord; result: ClaimResult } {
  if (record.sentThrough >= request.seq) return { record, result: { kind: "settled" } };
  if (record.sentThrough < request.previous) return { record, result: { kind: "wait", reason: "earlier_pending" } };
  const { sending } = record;
  if (sending !== undefined && sending.until > now && sending.lease !== request.lease) {
    return { record, result: { kind: "wait", reason: "in_flight", untilMs: sending.until } };
  }
  const sameSeq = sending !== undefined && sending.seq === request.seq;
  const attempt = sameSeq ? sending.attempts + 1 : 1;
  return {
    record: { sentThrough: record.sentThrough, sending: { seq: request.seq, lease: request.lease, until: now + request.leaseMs, attempts: attempt } },
    // Our own lease again (a retry within one consumer invocation) is not uncertain: we know we did not send.
    result: { kind: "claimed", uncertain: sameSeq && sending.lease !== request.lease, attempt },
  };
}

/**
 * The message was sent (or the platform refused it for good): everything up to `seq` is settled.
 * Applied whoever holds the lease now: the send happened, and a later attempt must skip it.
 */
export function settleDelivery(record: ChannelDeliveryRecord, seq: number): ChannelDeliveryRecord {
  if (record.sentThrough >= seq) return record;
  const { sending } = record;
  return sending === undefined || sending.seq <= seq ? { sentThrough: seq } : { sentThrough: seq, sending };
}

/** The attempt gives up without sending (a rate limit, an error it will retry): its lease ends now. */
export function releaseDelivery(record: ChannelDeliveryRecord, seq: number, lease: string): ChannelDeliveryRecord {
  const { sending } = record;
  if (sending === undefined || sending.seq !== seq || sending.lease !== lease) return record;
  // Nothing was sent: the next claim starts afresh, and is not uncertain.
  return { sentThrough: record.sentThrough };
}

/** What the sender needs of a chat's record; the conversation object implements it (RPC). */
export interface ChannelDeliveryLedger {
  claim(conversationId: string, request: ClaimRequest): Promise<ClaimResult>;
  settle(conversationId: string, seq: number): Promise<void>;
  release(conversationId: string, seq: number, lease: string): Promise<void>;
}

/** Where records are kept, read and written synchronously (a Durable Object's storage, a Map). */
export interface DeliveryRecordStore {
  read(conversationId: string): ChannelDeliveryRecord | undefined;
  write(conversationId: string, record: ChannelDeliveryRecord): void;
}

/** The ledger over a synchronous store: each call is one read-modify-write, so calls never interleave. */
export function ledgerOverStore(store: DeliveryRecordStore, now: () => number = Date.now): ChannelDeliveryLedger {
  const update = <T>(conversationId: string, change: (record: ChannelDeliveryRecord) => { record: ChannelDeliveryRecord; value: T }): T => {
    const before = store.read(conversationId) ?? EMPTY_DELIVERY_RECORD;
    const { record, value } = change(before);
    if (record !== before) store.write(conversationId, record);
    return value;
  };
  return {
    claim: (conversationId, request) =>
      Promise.resolve(
        update(conversationId, (record) => {
          const claimed = claimDelivery(record, request, now());
          return { record: claimed.record, value: claimed.result };
        }),
      ),
    settle: (conversationId, seq) => Promise.resolve(update(conversationId, (record) => ({ record: settleDelivery(record, seq), value: undefined }))),
    release: (conversationId, seq, lease) =>
      Promise.resolve(update(conversationId, (record) => ({ record: releaseDelivery(record, seq, lease), value: undefined }))),
  };
}
