// The bot registry in workerd, with its real SQLite storage: versions numbered after the built-in 1,
// content-addressed (the same document is one version), parts stored in chunks under the 2 MB row
// limit and given back whole, and the release rules (current, canary, rollback, an unknown version
// changes nothing).
import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CHUNK_BYTES } from "../registry-store.ts";

let bots = 0;
const newRegistry = () => env.BOT_REGISTRY.get(env.BOT_REGISTRY.idFromName(`test-bot-${++bots}-${Date.now()}`));
const hashOf = (n: number) => n.toString(16).padStart(64, "0");
const bytes = (length: number, seed: number) => {
  const out = new Uint8Array(length);
  // Not compressible, not uniform: a chunk boundary in the wrong place would show.
  for (let i = 0, x = seed; i < length; i++) out[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return out;
};
const parts = (seed: number, modelBytes = 1000) => ({ document: bytes(300, seed), dialogue: bytes(500, seed + 1), model: bytes(modelBytes, seed + 2) });
/** What a version of the health bot that remembers the age band declares (bot.yaml `profile`). */
const HEALTH_PROFILE = { bot: "health", purposes: ["health_guidance" as const], read: ["health.*"], write: ["health.age_band"] };

describe("the bot registry", () => {
  it("numbers versions after the built-in one, keeps one version per document, and gives its parts back whole", async () => {
    const registry = newRegistry();
    expect(await registry.release()).toEqual({ current: 1, canary: null, profiles: {} });
    expect(await registry.versions()).toEqual([]);
    const big = parts(1, 2 * CHUNK_BYTES + 12_345);
    const first = await registry.publish({ hash: hashOf(1), note: "bigger model", parts: big, profile: null });
    expect(first).toMatchObject({ version: 2, hash: hashOf(1), note: "bigger model", created: true, storedBytes: 300 + 500 + 2 * CHUNK_BYTES + 12_345 });
    expect(await registry.publish({ hash: hashOf(1), note: "the same again", parts: parts(9), profile: null })).toMatchObject({ version: 2, created: false, note: "bigger model" });
    expect(await registry.publish({ hash: hashOf(2), note: null, parts: parts(2), profile: null })).toMatchObject({ version: 3, created: true });
    expect((await registry.versions()).map((v) => v.version)).toEqual([3, 2]);
    expect(await registry.find(hashOf(2))).toMatchObject({ version: 3 });
    expect(await registry.find(2)).toMatchObject({ hash: hashOf(1) });
    expect(await registry.find(7)).toBeNull();

    expect(await registry.part(2, "model")).toEqual(big.model);
    expect(await registry.part(2, "document")).toEqual(big.document);
    expect(await registry.part(3, "dialogue")).toEqual(parts(2).dialogue);
    expect(await registry.part(4, "model")).toBeNull();
    // The model took three rows (two full chunks and the rest), each under the 2 MB a row may hold.
    const chunks = await runInDurableObject(registry, (_instance, state) =>
      state.storage.sql.exec<{ chunk: number; size: number }>("SELECT chunk, LENGTH(data) AS size FROM parts WHERE part = 'model' AND hash = ? ORDER BY chunk", hashOf(1)).toArray(),
    );
    expect(chunks).toEqual([
      { chunk: 0, size: CHUNK_BYTES },
      { chunk: 1, size: CHUNK_BYTES },
      { chunk: 2, size: 12_345 },
    ]);
  });

  it("releases a version, runs a canary, rolls back, and refuses a version it does not have", async () => {
    const registry = newRegistry();
    await registry.publish({ hash: hashOf(1), note: null, parts: parts(1), profile: null });
    await registry.publish({ hash: hashOf(2), note: null, parts: parts(2), profile: HEALTH_PROFILE });
    const refused = await registry.setRelease({ version: 9 });
    expect(refused).toMatchObject({ ok: false, error: { code: "version_not_found" } });
    expect(await registry.release()).toEqual({ current: 1, canary: null, profiles: {} });

    // Each released version comes with its profile declaration (null: it declares none).
    expect(await registry.setRelease({ version: 2 })).toEqual({ ok: true, release: { current: 2, canary: null, profiles: { "2": null } } });
    expect(await registry.setRelease({ version: 3, percent: 10 })).toEqual({
      ok: true,
      release: { current: 2, canary: { version: 3, percent: 10 }, profiles: { "2": null, "3": HEALTH_PROFILE } },
    });
    expect(await registry.release()).toEqual({ current: 2, canary: { version: 3, percent: 10 }, profiles: { "2": null, "3": HEALTH_PROFILE } });
    // A canary of the current version, or of 0 %, is no canary.
    expect(await registry.setRelease({ version: 2, percent: 50 })).toMatchObject({ ok: true, release: { current: 2, canary: null } });
    await registry.setRelease({ version: 3, percent: 10 });
    expect(await registry.setRelease({ version: 3, percent: 0 })).toMatchObject({ ok: true, release: { current: 2, canary: null } });
    // Rolling back: the built-in version, current again, and no canary.
    await registry.setRelease({ version: 3, percent: 25 });
    expect(await registry.setRelease({ version: 1 })).toEqual({ ok: true, release: { current: 1, canary: null, profiles: {} } });
    // The release is stored: a new instance of the object reads it back.
    await registry.setRelease({ version: 3, percent: 5 });
    const stored = await runInDurableObject(registry, (_instance, state) => state.storage.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'release'").one().value);
    expect(JSON.parse(stored)).toEqual({ current: 1, canary: { version: 3, percent: 5 } });
  });

  it("refuses what is not a version to store", async () => {
    const registry = newRegistry();
    // Inside the object, as RPC would call it (a rejected RPC promise is reported unhandled by the pool).
    const refusals = await runInDurableObject(registry, (instance) =>
      [{ hash: "not-a-hash", note: null, parts: parts(1) }, { hash: hashOf(1), note: null, parts: { document: "text" } }].map((request) => {
        try {
          instance.publish(request);
          return "stored";
        } catch (error) {
          return (error as Error).name;
        }
      }),
    );
    expect(refusals).toEqual(["ZodError", "ZodError"]);
    expect(await registry.versions()).toEqual([]);
  });
});
