// One message cannot take its batch down (issue #22): each message is acknowledged as soon as it is
// done, first deliveries go before redeliveries, and a redelivered message runs alone, last.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { metricsOff } from "./metrics/recorder.ts";
import { consumeEach } from "./queue-consumer.ts";

interface FakeMessage {
  body: unknown;
  attempts: number;
  ack(): void;
  retry(): void;
}

function batch(...specs: [id: string, attempts: number][]) {
  const events: string[] = [];
  const messages: FakeMessage[] = specs.map(([id, attempts]) => ({
    body: { id },
    attempts,
    ack: () => events.push(`ack ${id}`),
    retry: () => events.push(`retry ${id}`),
  }));
  return { events, batch: { queue: "stratus-intent", messages } };
}

const Body = z.object({ id: z.string() });
const options = (concurrency: number) => ({ stage: "intent" as const, reportFailure: () => Promise.resolve(), metrics: metricsOff, concurrency });

describe("consumeEach", () => {
  it("with concurrency 1, acknowledges each message before it starts the next, so a batch cut short keeps what was done", async () => {
    const { events, batch: delivered } = batch(["a", 1], ["b", 1], ["c", 1]);
    await consumeEach(delivered, Body, ({ id }) => Promise.resolve(void events.push(`start ${id}`)), options(1));
    expect(events).toEqual(["start a", "ack a", "start b", "ack b", "start c", "ack c"]);
  });

  it("runs redelivered messages last and alone: a message that keeps failing fails by itself, the others are answered", async () => {
    const { events, batch: delivered } = batch(["poison", 3], ["a", 1], ["b", 1]);
    await consumeEach(
      delivered,
      Body,
      ({ id }) => {
        events.push(`start ${id}`);
        return id === "poison" ? Promise.reject(new Error("this message always fails")) : Promise.resolve();
      },
      options(8),
    );
    expect(events.indexOf("ack a")).toBeLessThan(events.indexOf("start poison"));
    expect(events.indexOf("ack b")).toBeLessThan(events.indexOf("start poison"));
    expect(events.at(-1)).toBe("retry poison");
    expect(events.filter((event) => event.startsWith("ack"))).toEqual(["ack a", "ack b"]);
  });

  it("retries an unreadable message alone and answers the rest", async () => {
    const { events, batch: delivered } = batch(["a", 1], ["b", 1]);
    delivered.messages.push({ body: { wrong: true }, attempts: 1, ack: () => events.push("ack bad"), retry: () => events.push("retry bad") });
    await consumeEach(delivered, Body, () => Promise.resolve(), options(2));
    expect(events.toSorted()).toEqual(["ack a", "ack b", "retry bad"]);
  });
});
