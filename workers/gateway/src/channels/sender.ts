/**
 * The outbound queue's consumer logic: sends each chat's messages in order, each once, through
 * rate limits and failures (docs/channels.md, "Replies out").
 *
 * - **Order per chat.** A queue message is one batch of a conversation's messages, chained to the
 *   previous batch by `after`; the conversation's delivery record (shared/channel-delivery.ts) lets
 *   a message be claimed only once everything before it is settled. A batch that arrives early waits
 *   (it is retried with a short delay); within one delivered batch, a conversation's queue messages
 *   are handled one after another, oldest chain position first.
 * - **Never twice.** A message is claimed under a lease before the platform is called and settled
 *   after; a redelivered queue message finds it settled and skips it, and a concurrent delivery finds
 *   the lease and waits. A lease that ran out unsettled is taken over and logged as uncertain.
 * - **Retries.** A network error, a timeout or a 5xx is retried at once with exponential backoff
 *   and full jitter (a few times within the lease), then the queue message is retried with a longer,
 *   jittered delay (`message.retry({ delaySeconds })`), and after the consumer's max_retries it goes
 *   to the dead-letter queue. A refused access token is renewed and the send tried again.
 * - **429 and Retry-After.** The claim is released and the queue message retried after the delay the
 *   platform asked for (Cloudflare Queues delays up to 12 hours). A rate limit never drops a
 *   message: at the last allowed attempt the sender puts a copy back on the queue (`requeue`) instead
 *   of letting it dead-letter; so does a batch waiting its turn.
 * - A message the platform refuses for good (the user blocked the bot, the chat is gone, WeChat's
 *   48-hour window passed) is settled as refused, logged and counted, so the chat's later messages
 *   are not held behind it for ever.
 */
import type { ChannelDeliveryLedger } from "../../../../shared/channel-delivery.ts";
import { DELIVERY_LEASE_MS } from "../../../../shared/channel-delivery.ts";
import { CHANNEL_OUTBOUND_MAX_RETRIES } from "../../../../shared/channel-outbound-queue.ts";
import { ChannelOutboundMessageSchema, type ParsedChannelOutboundMessage } from "../../../../shared/schemas/channels.ts";
import { describeZodError } from "../../../../shared/zod-issues.ts";
import { sendChannelReply, type OutboundDeps } from "./outbound.ts";
import type { SendResult } from "./outbound-types.ts";

/** Sends of one message within one consumer invocation before the queue takes over the retrying. */
export const IN_PROCESS_ATTEMPTS = 3;
/** Backoff between those: full jitter over base × 2^n, at most the cap. */
export const IN_PROCESS_BACKOFF_BASE_MS = 250;
export const IN_PROCESS_BACKOFF_CAP_MS = 4000;
/** The queue's retry delay after a failed invocation: base × 2^(attempts−1), equal jitter, capped. */
export const QUEUE_BACKOFF_BASE_SECONDS = 5;
export const QUEUE_BACKOFF_CAP_SECONDS = 15 * 60;
/** The longest delay Cloudflare Queues accepts. */
export const MAX_QUEUE_DELAY_SECONDS = 12 * 60 * 60;
/** The consumer's max_retries the docs recommend for the outbound queue (Cloudflare's maximum). */
export const DEFAULT_MAX_RETRIES = CHANNEL_OUTBOUND_MAX_RETRIES;

export interface SenderDeps extends OutboundDeps {
  ledger: ChannelDeliveryLedger;
  /** [0, 1): jitter. */
  random: () => number;
  sleep: (ms: number) => Promise<void>;
  newLease: () => string;
  /** One JSON line per event; never a secret, a token or message text. */
  log: (event: Record<string, unknown>) => void;
  /** The outbound consumer's max_retries: a message delivered for the (max_retries + 1)th time is its last. */
  maxRetries?: number;
}

export type DeliveryDecision =
  | { action: "ack"; sent: number; skipped: number; refused: number }
  | { action: "retry"; delaySeconds: number; reason: string }
  /** Ack this delivery and send a copy (requeues + 1) with this delay: the retry budget is spent on waiting, not failing. */
  | { action: "requeue"; delaySeconds: number; reason: string };

const clampDelay = (seconds: number): number => Math.min(MAX_QUEUE_DELAY_SECONDS, Math.max(1, Math.ceil(seconds)));

/** The queue retry delay after `attempts` deliveries of a failing message. */
export function queueBackoffSeconds(attempts: number, random: () => number): number {
  const ceiling = Math.min(QUEUE_BACKOFF_CAP_SECONDS, QUEUE_BACKOFF_BASE_SECONDS * 2 ** Math.max(0, attempts - 1));
  return clampDelay(ceiling / 2 + (random() * ceiling) / 2);
}

/** The pause before in-process attempt n + 1 (n ≥ 1). */
export function inProcessBackoffMs(attempt: number, random: () => number): number {
  return random() * Math.min(IN_PROCESS_BACKOFF_CAP_MS, IN_PROCESS_BACKOFF_BASE_MS * 2 ** attempt);
}

/** A rate limit's delay: what the platform asked for, plus up to 10% (at most 5 s) so a crowd of chats does not return at once. */
export function rateLimitDelaySeconds(retryAfterSeconds: number, random: () => number): number {
  return clampDelay(retryAfterSeconds + random() * Math.min(5, retryAfterSeconds * 0.1));
}

type ItemOutcome = { kind: "sent" | "skipped" | "refused" } | { kind: "stop"; delaySeconds: number; reason: string; waiting: boolean };

/** Sends one queue message's items in order. The queue consumer acts on the decision. */
export async function deliverOutbound(message: ParsedChannelOutboundMessage, attempts: number, deps: SenderDeps): Promise<DeliveryDecision> {
  const counts = { sent: 0, skipped: 0, refused: 0 };
  let previous = message.after;
  for (const item of message.items) {
    const outcome = await deliverItem(message, item, previous, attempts, deps);
    if (outcome.kind === "stop") {
      const lastAttempt = attempts > (deps.maxRetries ?? DEFAULT_MAX_RETRIES);
      // Waiting (for a rate limit, or for an earlier message) is not failing: it must not dead-letter.
      if (outcome.waiting && lastAttempt) return { action: "requeue", delaySeconds: outcome.delaySeconds, reason: outcome.reason };
      return { action: "retry", delaySeconds: outcome.delaySeconds, reason: outcome.reason };
    }
    counts[outcome.kind]++;
    previous = item.seq;
  }
  return { action: "ack", ...counts };
}

async function deliverItem(
  message: ParsedChannelOutboundMessage,
  item: ParsedChannelOutboundMessage["items"][number],
  previous: number,
  attempts: number,
  deps: SenderDeps,
): Promise<ItemOutcome> {
  const where = { event: "channel_send", channel: message.address.channel, bot: message.bot, conversationId: message.conversationId, seq: item.seq };
  const lease = deps.newLease();
  const claim = await deps.ledger.claim(message.conversationId, { seq: item.seq, previous, lease, leaseMs: DELIVERY_LEASE_MS });
  if (claim.kind === "settled") return { kind: "skipped" };
  if (claim.kind === "wait") {
    const delaySeconds =
      claim.reason === "in_flight" ? clampDelay((claim.untilMs - deps.now()) / 1000 + 1) : clampDelay(Math.min(60, 2 * attempts) + deps.random() * 2);
    return { kind: "stop", delaySeconds, reason: claim.reason, waiting: true };
  }
  if (claim.uncertain) deps.log({ ...where, result: "uncertain_resend", claimAttempt: claim.attempt });

  let tokenRenewed = false;
  let last: SendResult = { kind: "retryable", reason: "not sent" };
  for (let attempt = 1; attempt <= IN_PROCESS_ATTEMPTS; attempt++) {
    last = await sendChannelReply(message, item, deps);
    if (last.kind === "sent") {
      await deps.ledger.settle(message.conversationId, item.seq);
      deps.log({ ...where, result: "sent", attempts, attempt });
      return { kind: "sent" };
    }
    if (last.kind === "rejected") {
      await deps.ledger.settle(message.conversationId, item.seq);
      deps.log({ ...where, result: "refused", reason: last.reason });
      return { kind: "refused" };
    }
    if (last.kind === "rate_limited") {
      await deps.ledger.release(message.conversationId, item.seq, lease);
      const delaySeconds = rateLimitDelaySeconds(last.retryAfterSeconds, deps.random);
      deps.log({ ...where, result: "rate_limited", retryAfterSeconds: last.retryAfterSeconds, delaySeconds });
      return { kind: "stop", delaySeconds, reason: "rate_limited", waiting: true };
    }
    if (last.kind === "token_rejected" && !tokenRenewed) {
      // The cached token was dropped (outbound.ts): the next attempt fetches a new one, at once.
      tokenRenewed = true;
      attempt--;
      continue;
    }
    if (attempt < IN_PROCESS_ATTEMPTS) await deps.sleep(inProcessBackoffMs(attempt, deps.random));
  }
  await deps.ledger.release(message.conversationId, item.seq, lease);
  const { reason } = last;
  const delaySeconds = queueBackoffSeconds(attempts, deps.random);
  deps.log({ ...where, result: "failed", reason, attempts, delaySeconds });
  return { kind: "stop", delaySeconds, reason, waiting: false };
}

/** The part of a Cloudflare queue message the consumer uses (Message<unknown> has it). */
export interface OutboundQueueMessage {
  readonly body: unknown;
  readonly attempts: number;
  ack(): void;
  retry(options?: { delaySeconds?: number }): void;
}

/** Puts a copy of a message back on the outbound queue with a delay (the consumer's `requeue`). */
export type Requeue = (body: ParsedChannelOutboundMessage, delaySeconds: number) => Promise<void>;

/**
 * A delivered batch: each conversation's messages one after another (oldest chain position first),
 * conversations side by side. Once one message of a conversation is retried, its later ones are
 * retried with it, unsent: they could only wait behind it.
 */
export async function handleOutboundBatch(messages: readonly OutboundQueueMessage[], deps: SenderDeps, requeue: Requeue): Promise<void> {
  const byConversation = new Map<string, { message: OutboundQueueMessage; body: ParsedChannelOutboundMessage }[]>();
  for (const message of messages) {
    const parsed = ChannelOutboundMessageSchema.safeParse(message.body);
    if (!parsed.success) {
      // A bug, not a platform problem: retrying cannot help, and the body may hold message text.
      deps.log({ event: "channel_outbound_invalid", error: describeZodError(parsed.error) });
      message.ack();
      continue;
    }
    const list = byConversation.get(parsed.data.conversationId) ?? [];
    list.push({ message, body: parsed.data });
    byConversation.set(parsed.data.conversationId, list);
  }
  await Promise.all(
    [...byConversation.values()].map(async (list) => {
      list.sort((a, b) => a.body.after - b.body.after);
      let held: number | undefined;
      for (const { message, body } of list) {
        if (held !== undefined) {
          message.retry({ delaySeconds: held });
          continue;
        }
        const decision = await deliverOutbound(body, message.attempts, deps).catch((error: unknown): DeliveryDecision => {
          // The ledger (the conversation object) could not be reached: retry the whole message later.
          deps.log({ event: "channel_send", conversationId: body.conversationId, result: "error", error: error instanceof Error ? error.message : String(error) });
          return { action: "retry", delaySeconds: queueBackoffSeconds(message.attempts, deps.random), reason: "ledger unavailable" };
        });
        if (decision.action === "ack") message.ack();
        else if (decision.action === "retry") {
          message.retry({ delaySeconds: decision.delaySeconds });
          held = decision.delaySeconds;
        } else {
          held = decision.delaySeconds;
          try {
            await requeue({ ...body, requeues: body.requeues + 1 }, decision.delaySeconds);
            message.ack();
          } catch (error) {
            // The copy could not be queued: keep this delivery instead (one retry of the budget more).
            deps.log({ event: "channel_send", conversationId: body.conversationId, result: "requeue_failed", error: error instanceof Error ? error.message : String(error) });
            message.retry({ delaySeconds: decision.delaySeconds });
          }
        }
      }
    }),
  );
}
