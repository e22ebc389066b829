import { describe, expect, it } from "vitest";
import { localStorageStore, type WebStorage } from "./storage.ts";

function mapStorage(): WebStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return {
    data,
    getItem: (key) => data.get(key) ?? null,
    setItem: (key, value) => void data.set(key, value),
    removeItem: (key) => void data.delete(key),
  };
}

const saved = {
  conversation: { id: "a".repeat(32), token: "t", tokenExpiresAt: new Date(86_400_000).toISOString(), bot: "shop", locale: null, timezone: "UTC", createdAt: new Date(0).toISOString() },
  outbox: [{ clientMessageId: "m1", text: "hello" }],
};

describe("localStorageStore", () => {
  it("keeps the conversation and its outbox under its key", async () => {
    const storage = mapStorage();
    const store = localStorageStore("chat", storage);
    await store.save(saved);
    expect(store.load()).toEqual(saved);
    await store.clear();
    expect(store.load()).toBeNull();
  });

  it("treats a value it cannot read as no conversation, rather than failing", () => {
    const storage = mapStorage();
    const store = localStorageStore("chat", storage);
    for (const raw of ["{not json", "null", JSON.stringify({ conversation: { id: 1 }, outbox: [] }), JSON.stringify({ ...saved, outbox: [{ text: 1 }] })]) {
      storage.data.set("chat", raw);
      expect(store.load(), raw).toBeNull();
    }
  });
});
