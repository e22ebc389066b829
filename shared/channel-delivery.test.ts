import { describe, expect, it } from "vitest";
import { claimDelivery, ledgerOverStore, releaseDelivery, settleDelivery, type ChannelDeliveryRecord } from "./channel-delivery.ts";

const claim = (record: ChannelDeliveryRecord, seq: number, previous: number, lease: string, now = 1000) =>
  claimDelivery(record, { seq, previous, lease, leaseMs: 100 }, now);

describe("the per-chat delivery record", () => {
  it("lets a message be claimed only once everything before it is settled", () => {
    expect(claim({ sentThrough: 0 }, 5, 3, "a").result).toEqual({ kind: "wait", reason: "earlier_pending" });
    const first = claim({ sentThrough: 0 }, 3, 0, "a");
    expect(first.result).toEqual({ kind: "claimed", uncertain: false, attempt: 1 });
    const settled = settleDelivery(first.record, 3);
    expect(settled).toEqual({ sentThrough: 3 });
    expect(claim(settled, 5, 3, "b").result).toMatchObject({ kind: "claimed" });
  });

  it("skips a message that is settled, so a redelivery never sends it again", () => {
    expect(claim({ sentThrough: 7 }, 5, 3, "a").result).toEqual({ kind: "settled" });
    expect(claim({ sentThrough: 7 }, 7, 5, "a").result).toEqual({ kind: "settled" });
  });

  it("keeps a second attempt off a message under a live lease, and lets it take over an expired one as uncertain", () => {
    const held = claim({ sentThrough: 0 }, 2, 0, "a", 1000).record;
    expect(claim(held, 2, 0, "b", 1050).result).toEqual({ kind: "wait", reason: "in_flight", untilMs: 1100 });
    expect(claim(held, 2, 0, "b", 1101).result).toEqual({ kind: "claimed", uncertain: true, attempt: 2 });
    // The lease's own holder may claim again (a retry within one consumer invocation): not uncertain.
    expect(claim(held, 2, 0, "a", 1050).result).toEqual({ kind: "claimed", uncertain: false, attempt: 2 });
  });

  it("ends a lease released without sending, so the next claim is immediate and certain", () => {
    const held = claim({ sentThrough: 0 }, 2, 0, "a").record;
    expect(releaseDelivery(held, 2, "someone-else")).toBe(held);
    const released = releaseDelivery(held, 2, "a");
    expect(released).toEqual({ sentThrough: 0 });
    expect(claim(released, 2, 0, "b").result).toEqual({ kind: "claimed", uncertain: false, attempt: 1 });
  });

  it("settles whoever holds the lease: a send that happened is never repeated", () => {
    const takenOver = claim(claim({ sentThrough: 0 }, 2, 0, "a", 1000).record, 2, 0, "b", 2000).record;
    const settledByFirst = settleDelivery(takenOver, 2);
    expect(settledByFirst).toEqual({ sentThrough: 2 });
    expect(claim(settledByFirst, 2, 0, "b").result).toEqual({ kind: "settled" });
    expect(settleDelivery(settledByFirst, 1)).toBe(settledByFirst);
  });

  it("runs over a synchronous store, writing only when something changed", async () => {
    const writes: ChannelDeliveryRecord[] = [];
    const store = new Map<string, ChannelDeliveryRecord>();
    const ledger = ledgerOverStore(
      {
        read: (id) => store.get(id),
        write: (id, record) => {
          writes.push(record);
          store.set(id, record);
        },
      },
      () => 5000,
    );
    expect(await ledger.claim("c1", { seq: 4, previous: 2, lease: "x", leaseMs: 60_000 })).toEqual({ kind: "wait", reason: "earlier_pending" });
    expect(writes).toEqual([]);
    expect(await ledger.claim("c1", { seq: 2, previous: 0, lease: "x", leaseMs: 60_000 })).toMatchObject({ kind: "claimed" });
    await ledger.settle("c1", 2);
    expect(store.get("c1")).toEqual({ sentThrough: 2 });
    expect(store.get("c2")).toBeUndefined();
  });
});
