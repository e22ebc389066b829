/**
 * What an isolate keeps of published bot versions (the intent Worker's models, the dialogue Worker's
 * definitions), so that a version is loaded from the registry once per isolate, not per turn.
 * Bounded twice, since an isolate has 128 MB: at most `maxEntries` versions, and at most `maxBytes`
 * of their estimated size; the least recently used goes first (the one just loaded always stays).
 * Concurrent turns of a version not yet loaded share one load; a failed load is not kept.
 */
export class VersionCache<T> {
  private readonly entries = new Map<string, { value: T; bytes: number }>();
  private readonly loading = new Map<string, Promise<T>>();
  private bytes = 0;

  constructor(private readonly limits: { maxEntries: number; maxBytes: number }) {}

  async get(key: string, load: () => Promise<{ value: T; bytes: number }>): Promise<T> {
    const cached = this.entries.get(key);
    if (cached) {
      // Most recently used last: Map keeps insertion order.
      this.entries.delete(key);
      this.entries.set(key, cached);
      return cached.value;
    }
    const pending = this.loading.get(key);
    if (pending) return pending;
    const started = load()
      .then((loaded) => {
        this.add(key, loaded);
        return loaded.value;
      })
      .finally(() => this.loading.delete(key));
    this.loading.set(key, started);
    return started;
  }

  /** Versions kept and their estimated bytes (for tests and logs). */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private add(key: string, loaded: { value: T; bytes: number }): void {
    this.entries.set(key, loaded);
    this.bytes += loaded.bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= 1 || (this.entries.size <= this.limits.maxEntries && this.bytes <= this.limits.maxBytes)) break;
      if (oldest === key) continue;
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }
}
