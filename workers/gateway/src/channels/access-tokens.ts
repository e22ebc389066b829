/**
 * Short-lived access tokens the send APIs take (the Bot Framework's client-credentials token,
 * WeChat's access_token), cached per isolate until shortly before they expire. Concurrent sends share
 * one fetch; a token a platform refuses is dropped (only if it is still the cached one) so the next
 * send gets a new one.
 */
export interface LoadedToken {
  value: string;
  expiresInSeconds: number;
}

interface Entry {
  value: string;
  /** When to fetch the next one: TOKEN_RENEW_MARGIN_MS before expiry, or halfway for a short-lived token. */
  renewAt: number;
}

/**
 * A token is renewed when less than this is left of it (the Bot Framework's tokens last an hour,
 * WeChat's two), or halfway through a shorter one (WeChat hands out its current token, which may have
 * only 5 minutes left).
 */
export const TOKEN_RENEW_MARGIN_MS = 5 * 60 * 1000;

export class AccessTokenCache {
  private readonly entries = new Map<string, Promise<Entry>>();

  async get(key: string, now: number, load: () => Promise<LoadedToken>): Promise<string> {
    const cached = this.entries.get(key);
    if (cached !== undefined) {
      const entry = await cached.catch(() => undefined);
      if (entry !== undefined && now < entry.renewAt) return entry.value;
      if (this.entries.get(key) !== cached) return this.get(key, now, load);
    }
    const loading = load().then((token) => {
      const lifetime = token.expiresInSeconds * 1000;
      return { value: token.value, renewAt: now + lifetime - Math.min(TOKEN_RENEW_MARGIN_MS, lifetime / 2) };
    });
    this.entries.set(key, loading);
    loading.catch(() => {
      if (this.entries.get(key) === loading) this.entries.delete(key);
    });
    return (await loading).value;
  }

  /** Forgets `value` for `key` if it is still the cached token (another send may have renewed it already). */
  async invalidate(key: string, value: string): Promise<void> {
    const cached = this.entries.get(key);
    if (cached === undefined) return;
    const entry = await cached.catch(() => undefined);
    if (this.entries.get(key) === cached && (entry === undefined || entry.value === value)) this.entries.delete(key);
  }
}

/** The isolate's cache. */
export const accessTokens = new AccessTokenCache();
