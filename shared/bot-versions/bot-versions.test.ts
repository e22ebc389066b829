// The pure parts of bot versions: which version a new conversation starts on, what an isolate keeps
// of loaded versions, and the compression of stored parts.
import { describe, expect, it } from "vitest";
import { canaryPoint, versionFor } from "./assign.ts";
import { gunzipText, gzipText } from "./compression.ts";
import { VersionCache } from "./version-cache.ts";

/** Conversation ids as the gateway makes them (32 hex digits), from a seeded generator: the same every run. */
let seed = 20;
const ids = (count: number) =>
  Array.from({ length: count }, () =>
    Array.from({ length: 4 }, () => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) >>> 0).toString(16).padStart(8, "0")).join(""),
  );

describe("a new conversation's version", () => {
  it("sends a canary's share of new conversations to it, by a stable hash of the id", () => {
    const release = { current: 2, canary: { version: 3, percent: 10 } };
    const sample = ids(100_000);
    const onCanary = sample.filter((id) => versionFor(release, id) === 3).length;
    // 10 % of 100,000 has a standard deviation of about 95: within 0.5 points is five of them.
    expect(onCanary / sample.length).toBeGreaterThan(0.095);
    expect(onCanary / sample.length).toBeLessThan(0.105);
    expect(sample.every((id) => [2, 3].includes(versionFor(release, id)))).toBe(true);
    // The same id gets the same answer every time.
    for (const id of sample.slice(0, 1000)) expect(versionFor(release, id)).toBe(versionFor(release, id));
  });

  it("gives 1,000 conversations about 10 % on a 10 % canary, as the end-to-end test samples it", () => {
    for (let round = 0; round < 20; round++) {
      const share = ids(1000).filter((id) => versionFor({ current: 1, canary: { version: 2, percent: 10 } }, id) === 2).length / 10;
      expect(share).toBeGreaterThanOrEqual(7);
      expect(share).toBeLessThanOrEqual(13);
    }
  });

  it("samples each canary on its own, and keeps a conversation on the current version without a canary", () => {
    const sample = ids(20_000);
    const inFirst = new Set(sample.filter((id) => canaryPoint(id, 2) < 0.1));
    const inBoth = sample.filter((id) => canaryPoint(id, 3) < 0.1 && inFirst.has(id)).length;
    // Independent samples of 10 % overlap on about 1 % of conversations, not on all 10 %.
    expect(inBoth / sample.length).toBeLessThan(0.02);
    expect(sample.every((id) => versionFor({ current: 4, canary: null }, id) === 4)).toBe(true);
    expect(sample.every((id) => versionFor({ current: 4, canary: { version: 5, percent: 0 } }, id) === 4)).toBe(true);
    expect(sample.every((id) => versionFor({ current: 4, canary: { version: 5, percent: 100 } }, id) === 5)).toBe(true);
  });
});

describe("the isolate's cache of versions", () => {
  const loader = (value: string, bytes: number, calls: string[]) => () => {
    calls.push(value);
    return Promise.resolve({ value, bytes });
  };

  it("loads a version once, shares a load in progress, and keeps the most recently used within its bounds", async () => {
    const cache = new VersionCache<string>({ maxEntries: 2, maxBytes: 100 });
    const calls: string[] = [];
    const [a, again] = await Promise.all([cache.get("a", loader("A", 10, calls)), cache.get("a", loader("A", 10, calls))]);
    expect([a, again, calls]).toEqual(["A", "A", ["A"]]);
    await cache.get("b", loader("B", 10, calls));
    await cache.get("a", loader("A", 10, calls));
    await cache.get("c", loader("C", 10, calls));
    // Two entries at most: b was the least recently used.
    expect(cache.size).toEqual({ entries: 2, bytes: 20 });
    await cache.get("a", loader("A", 10, calls));
    await cache.get("b", loader("B", 10, calls));
    expect(calls).toEqual(["A", "B", "C", "B"]);
    // A version bigger than the byte bound on its own is kept alone, until the next one.
    await cache.get("huge", loader("H", 500, calls));
    expect(cache.size).toEqual({ entries: 1, bytes: 500 });
  });

  it("does not keep a failed load", async () => {
    const cache = new VersionCache<string>({ maxEntries: 4, maxBytes: 100 });
    await expect(cache.get("a", () => Promise.reject(new Error("registry unreachable")))).rejects.toThrow("registry unreachable");
    expect(await cache.get("a", () => Promise.resolve({ value: "A", bytes: 1 }))).toBe("A");
  });
});

describe("stored parts", () => {
  it("are gzip: smaller for JSON, and given back as they were", async () => {
    const text = JSON.stringify({ intents: Array.from({ length: 200 }, (_, i) => ({ name: `intent_${i}`, examples: ["where is my order", "何时发货", "¿dónde está?"] })) });
    const packed = await gzipText(text);
    expect(packed.byteLength).toBeLessThan(text.length / 5);
    expect(await gunzipText(packed)).toBe(text);
  });
});
