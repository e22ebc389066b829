import { describe, expect, it, vi } from "vitest";
import type { MetricsFlush } from "../schemas/metrics.ts";
import { MAX_UNACKED_AGE_MS, MetricsFlusher } from "./flush.ts";
import { labelBounds } from "./label-domains.ts";
import { MetricsRecorder } from "./recorder.ts";

const bounds = labelBounds({ shop: { locales: ["en"], intents: [], actions: [], forms: [] } });
const deadLetter = (recorder: MetricsRecorder): void => recorder.count("stratus_dead_letters_total", { queue: "intent" });

/** A waitUntil that remembers the promises it was given. */
function executionContext(): { waitUntil(promise: Promise<unknown>): void; settled(): Promise<unknown[]> } {
  const promises: Promise<unknown>[] = [];
  return { waitUntil: (promise) => promises.push(promise), settled: () => Promise.all(promises) };
}

describe("MetricsFlusher", () => {
  it("gathers everything recorded before the flush is due into one flush, sent in the caller's waitUntil", async () => {
    const recorder = new MetricsRecorder(bounds);
    const flusher = new MetricsFlusher(recorder);
    const sent: MetricsFlush[] = [];
    const ctx = executionContext();
    const waitUntil = vi.spyOn(ctx, "waitUntil");
    for (let request = 0; request < 3; request++) {
      deadLetter(recorder);
      flusher.schedule(ctx, (flush) => Promise.resolve(void sent.push(flush)), 20);
    }
    expect(sent).toHaveLength(0); // nothing on the requests' path
    expect(waitUntil).toHaveBeenCalledTimes(1);
    await ctx.settled();
    expect(sent).toEqual([
      { v: 1, source: flusher.isolateId, seq: 1, series: [{ metric: "stratus_dead_letters_total", labels: ["intent"], value: 3 }] },
    ]);
    expect(flusher.isolateId).toMatch(/^[0-9a-f]{32}$/);
  });

  it("resends a failed flush unchanged (same seq, same deltas) before anything newer, then numbers on", async () => {
    const recorder = new MetricsRecorder(bounds);
    const flusher = new MetricsFlusher(recorder);
    const attempts: MetricsFlush[] = [];
    let failuresLeft = 3; // more than one scheduled flush resends
    const send = (flush: MetricsFlush): Promise<void> => {
      attempts.push(structuredClone(flush));
      return failuresLeft-- > 0 ? Promise.reject(new Error("aggregator unreachable")) : Promise.resolve();
    };
    deadLetter(recorder);
    await flusher.flushNow(send); // 1 try + 2 resends, all failing: kept
    expect(attempts.map((flush) => flush.seq)).toEqual([1, 1, 1]);
    deadLetter(recorder);
    deadLetter(recorder);
    await flusher.flushNow(send);
    expect(attempts.map((flush) => flush.seq)).toEqual([1, 1, 1, 1, 2]);
    expect(attempts[3]).toEqual(attempts[0]);
    expect(attempts[4]?.series).toEqual([{ metric: "stratus_dead_letters_total", labels: ["intent"], value: 2 }]);
  });

  it("gives up on a flush too old to be recognised as a resend, and goes on with a new seq", async () => {
    let now = 1_000_000;
    const recorder = new MetricsRecorder(bounds);
    const flusher = new MetricsFlusher(recorder, () => now);
    const seqs: number[] = [];
    let fail = true;
    const send = (flush: MetricsFlush): Promise<void> => {
      seqs.push(flush.seq);
      return fail ? Promise.reject(new Error("down")) : Promise.resolve();
    };
    deadLetter(recorder);
    await flusher.flushNow(send);
    now += MAX_UNACKED_AGE_MS + 1;
    fail = false;
    deadLetter(recorder);
    await flusher.flushNow(send);
    expect(seqs).toEqual([1, 1, 1, 2]);
  });

  it("sends nothing when nothing was recorded by the time the flush is due", async () => {
    const flusher = new MetricsFlusher(new MetricsRecorder(bounds));
    const ctx = executionContext();
    const send = vi.fn(() => Promise.resolve());
    flusher.schedule(ctx, send, 0);
    await ctx.settled();
    expect(send).not.toHaveBeenCalled();
  });
});
