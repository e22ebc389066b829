import { ProfileMetaSchema } from "../../shared/schemas/profile.ts";

/** Only write the last-seen time when it moved this much: a read per turn then costs no write. */
const ACTIVITY_GRANULARITY_MS = 3_600_000;

/**
 * Whose profile this is and when its user was last seen (the `meta` table). The object is named
 * by the user's `sub`; it keeps the `sub` it was created for and refuses a call for another, so a
 * wrong stub can never mix two people's data.
 */
export class ProfileOwner {
  constructor(private readonly sql: SqlStorage) {}

  /** Records `sub` as the owner of a new profile; false when the profile belongs to someone else. */
  claim(sub: string, now: number): boolean {
    const owner = this.sub();
    if (owner !== undefined) return owner === sub;
    this.set("sub", sub);
    this.set("last_activity", now);
    return true;
  }

  sub(): string | undefined {
    const value = this.get("sub");
    return value === undefined ? undefined : ProfileMetaSchema.shape.sub.parse(value);
  }

  lastActivity(): number | undefined {
    const value = this.get("last_activity");
    return value === undefined ? undefined : ProfileMetaSchema.shape.lastActivity.parse(value);
  }

  /** The user was active now (a bot read or wrote the profile, a conversation moved on). */
  touch(now: number): void {
    const last = this.lastActivity();
    if (last === undefined || now - last >= ACTIVITY_GRANULARITY_MS) this.set("last_activity", now);
  }

  private get(key: string): unknown {
    const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", key).toArray()[0];
    return row === undefined ? undefined : JSON.parse(row.value);
  }

  private set(key: string, value: unknown): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      key,
      JSON.stringify(value),
    );
  }
}
