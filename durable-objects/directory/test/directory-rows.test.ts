// A bot's directory on real Durable Object SQLite in workerd: what listing a conversation costs in
// rows written (Cloudflare bills each, index rows included), and the layout written by older code
// taken over with its entries.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DirectoryEntry } from "../../../shared/schemas/index.ts";
import { migrateStorage } from "../../../shared/storage-migrations.ts";
import { DIRECTORY_MIGRATIONS } from "../directory-store.ts";
import { rowsWrittenBy } from "../../test/rows-written.ts";

afterEach(() => {
  vi.restoreAllMocks();
});

const directoryObject = () => env.DIRECTORY.get(env.DIRECTORY.idFromName(`test-${crypto.randomUUID()}`));

function entry(id: string, revision: number, fields: Partial<DirectoryEntry> = {}): DirectoryEntry {
  const at = new Date(Date.UTC(2026, 11, 7, 9, 0, revision)).toISOString();
  return {
    id,
    bot: "ecommerce",
    locale: "en",
    state: "bot",
    handedOffBy: null,
    createdAt: new Date(Date.UTC(2026, 11, 7, 9)).toISOString(),
    updatedAt: at,
    lastMessage: revision > 1 ? { seq: revision, role: "bot", text: `reply ${revision}`, createdAt: at } : null,
    revision,
    ...fields,
  };
}


const ids = (entries: DirectoryEntry[]) => entries.map((one) => one.id);
const A = "a".repeat(32);
const B = "b".repeat(32);

describe("a bot's directory", () => {
  it("lists a new conversation for two rows written, and a reply's refresh for one", async () => {
    const directory = directoryObject();
    await directory.list({ state: "bot", limit: 10 }); // the object started, its schema in place
    expect(await rowsWrittenBy(directory, () => directory.upsertMany([entry(A, 1)]))).toBe(2);
    expect(await rowsWrittenBy(directory, () => directory.upsertMany([entry(A, 2)]))).toBe(1);
    expect((await directory.list({ state: "bot", limit: 10 }))[0]?.lastMessage?.text).toBe("reply 2");
  });

  it("writes a conversation once when a batch holds it several times, its newest revision", async () => {
    const directory = directoryObject();
    await directory.list({ state: "bot", limit: 10 });
    const written = await rowsWrittenBy(directory, () => directory.upsertMany([entry(A, 1), entry(B, 1), entry(A, 3), entry(A, 2)]));
    expect(written).toBe(4);
    const listed = await directory.list({ state: "bot", limit: 10 });
    expect(listed.find((one) => one.id === A)?.revision).toBe(3);
    expect(listed).toHaveLength(2);
  });

  it("takes over the layout older code wrote (a rowid table), entries and order kept", async () => {
    const directory = directoryObject();
    await runInDurableObject(directory, (_instance, state) => {
      // Back to version 3's layout, with two entries in it.
      state.storage.sql.exec("DROP TABLE entries");
      state.storage.sql.exec("DELETE FROM meta");
      state.storage.sql.exec("DROP TABLE meta");
      migrateStorage(state.storage, DIRECTORY_MIGRATIONS.slice(0, 3), Date.now());
      for (const one of [entry(A, 2), entry(B, 3, { state: "handed_off", handedOffBy: "bot" })]) {
        state.storage.sql.exec("INSERT INTO entries (id, state, updated_at, revision, entry) VALUES (?, ?, ?, ?, ?)", one.id, one.state, one.updatedAt, one.revision, JSON.stringify(one));
      }
      migrateStorage(state.storage, DIRECTORY_MIGRATIONS, Date.now());
      const table = state.storage.sql.exec<{ sql: string }>("SELECT sql FROM sqlite_master WHERE name = 'entries'").one();
      expect(table.sql).toMatch(/WITHOUT ROWID/);
    });
    expect(ids(await directory.list({ state: "bot", limit: 10 }))).toEqual([A]);
    expect(ids(await directory.list({ state: "handed_off", limit: 10 }))).toEqual([B]);
    // An older revision arriving late still loses to the stored one.
    await directory.upsertMany([entry(A, 1)]);
    expect((await directory.list({ state: "bot", limit: 10 }))[0]?.revision).toBe(2);
  });
});
