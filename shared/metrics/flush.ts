/**
 * Sends an isolate's recorded deltas to its aggregator shard, off every request's path.
 *
 * - A request that records something calls `schedule(ctx, …)`: the flush runs `delayMs` later in
 *   `ctx.waitUntil`, so the response never waits for it, and everything recorded by any request of
 *   the isolate until then goes in the same flush (at most one flush per `delayMs` per isolate, and
 *   at most one in flight). Each request's waitUntil promise uses only its own timers and I/O.
 * - Each flush carries the isolate's id and a sequence number. The aggregator applies a flush only
 *   if its seq is above the last one it applied for that isolate, so a flush resent after an
 *   uncertain failure (it may or may not have arrived) is counted once.
 * - A flush that failed is kept and resent, unchanged, before anything newer: merging new deltas
 *   into it would lose them if the first copy had in fact been applied. One older than
 *   MAX_UNACKED_AGE_MS is dropped: the aggregator forgets an isolate it has not heard from for a day
 *   (aggregator-storage.ts), so a resend must never be that late.
 * - An isolate evicted with deltas not yet flushed loses those deltas (at most `delayMs` of them,
 *   or the unacknowledged flush); it never counts anything twice.
 */
import type { MetricsFlush } from "../schemas/metrics.ts";
import type { MetricsRecorder } from "./recorder.ts";

export interface WaitUntil {
  waitUntil(promise: Promise<unknown>): void;
}

export type SendFlush = (flush: MetricsFlush) => Promise<void>;

/** Pauses between resends of a failed flush, within one scheduled flush. */
const RETRY_DELAYS_MS = [250, 1_000];
/** How often a scheduled flush looks again while another request's flush is being sent. */
const SENDING_POLL_MS = 20;
export const MAX_UNACKED_AGE_MS = 10 * 60_000;
/** Far above what the catalogue's bounded labels produce; a larger backlog goes in several flushes. */
const MAX_SERIES_PER_FLUSH = 5_000;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class MetricsFlusher {
  private source: string | undefined;
  private seq = 0;
  private unacked: { flush: MetricsFlush; createdAt: number } | undefined;
  private armed = false;
  private sending = false;

  constructor(
    private readonly recorder: MetricsRecorder,
    private readonly now: () => number = Date.now,
  ) {}

  /** This isolate's id: random, made on first use (Workers allow no randomness at start-up). */
  get isolateId(): string {
    this.source ??= [...crypto.getRandomValues(new Uint8Array(16))].map((byte) => byte.toString(16).padStart(2, "0")).join("");
    return this.source;
  }

  /**
   * Flushes `delayMs` from now, in the caller's waitUntil, unless a flush is already due. Callers
   * may schedule just before they record: what is recorded by then goes in.
   */
  schedule(ctx: WaitUntil, send: SendFlush, delayMs: number): void {
    if (this.armed) return;
    this.armed = true;
    ctx.waitUntil(this.flushAfter(send, delayMs));
  }

  private async flushAfter(send: SendFlush, delayMs: number): Promise<void> {
    await sleep(delayMs);
    while (this.sending) await sleep(SENDING_POLL_MS);
    // From here on, what is recorded goes into the next scheduled flush.
    this.armed = false;
    await this.flushNow(send);
  }

  /** Sends the unacknowledged flush, if any, then what was recorded since; resends a failure a few times. */
  async flushNow(send: SendFlush): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      let failures = 0;
      for (let flush = this.next(); flush; flush = this.next()) {
        try {
          await send(flush);
          this.unacked = undefined;
        } catch (error) {
          const delay = RETRY_DELAYS_MS[failures++];
          console.warn(JSON.stringify({ event: "metrics_flush_failed", seq: flush.seq, series: flush.series.length, error: String(error) }));
          // Kept as it is: the next flush sends it again first.
          if (delay === undefined) return;
          await sleep(delay);
        }
      }
    } finally {
      this.sending = false;
    }
  }

  private next(): MetricsFlush | undefined {
    if (this.unacked && this.now() - this.unacked.createdAt > MAX_UNACKED_AGE_MS) {
      console.warn(JSON.stringify({ event: "metrics_flush_dropped", seq: this.unacked.flush.seq, series: this.unacked.flush.series.length }));
      this.unacked = undefined;
    }
    if (!this.unacked) {
      if (this.recorder.isEmpty) return undefined;
      const flush: MetricsFlush = { v: 1, source: this.isolateId, seq: ++this.seq, series: this.recorder.take(MAX_SERIES_PER_FLUSH) };
      this.unacked = { flush, createdAt: this.now() };
    }
    return this.unacked.flush;
  }
}
