import { describe, expect, it } from "vitest";
import { AccessTokenCache } from "../../src/channels/access-tokens.ts";

describe("the access-token cache", () => {
  it("fetches once for concurrent sends and reuses the token until 5 minutes before it expires", async () => {
    const cache = new AccessTokenCache();
    let fetches = 0;
    const load = () => Promise.resolve({ value: `token-${++fetches}`, expiresInSeconds: 3600 });
    expect(await Promise.all([cache.get("k", 0, load), cache.get("k", 0, load), cache.get("k", 0, load)])).toEqual(["token-1", "token-1", "token-1"]);
    expect(await cache.get("k", 3_294_000, load)).toBe("token-1");
    expect(await cache.get("k", 3_301_000, load)).toBe("token-2");
    expect(fetches).toBe(2);
  });

  it("renews a token with only minutes left halfway through them", async () => {
    const cache = new AccessTokenCache();
    let fetches = 0;
    const load = () => Promise.resolve({ value: `token-${++fetches}`, expiresInSeconds: 300 });
    await cache.get("k", 0, load);
    expect(await cache.get("k", 149_000, load)).toBe("token-1");
    expect(await cache.get("k", 151_000, load)).toBe("token-2");
  });

  it("drops a refused token only if it is still the cached one, and forgets a failed fetch", async () => {
    const cache = new AccessTokenCache();
    let fetches = 0;
    const load = () => Promise.resolve({ value: `token-${++fetches}`, expiresInSeconds: 3600 });
    await cache.get("k", 0, load);
    await cache.invalidate("k", "some-older-token");
    expect(await cache.get("k", 1, load)).toBe("token-1");
    await cache.invalidate("k", "token-1");
    expect(await cache.get("k", 2, load)).toBe("token-2");
    await expect(cache.get("other", 0, () => Promise.reject(new Error("token endpoint down")))).rejects.toThrow("token endpoint down");
    expect(await cache.get("other", 1, load)).toBe("token-3");
  });
});
