import { PROFILE_RECORD_KEY, PROFILE_STORAGE_VERSION, ProfileRecordSchema, type ProfileRecord } from "../../shared/schemas/profile.ts";
import type { ProfileTable } from "./profile-table.ts";

/** Only write the last-seen time when it moved this much: a read per turn then costs no write. */
const ACTIVITY_GRANULARITY_MS = 3_600_000;

/**
 * Whose profile this is and when its user was last seen (the `record` row). The object is named
 * by the user's `sub`; it keeps the `sub` it was created for and refuses a call for another, so a
 * wrong stub can never mix two people's data.
 */
export class ProfileOwner {
  /** The `record` row as read (or last written) by this unit, which lives for one call; absent until first needed. */
  private known: { record: ProfileRecord | undefined } | undefined;

  constructor(private readonly table: ProfileTable) {}

  /** Records `sub` as the owner of a new profile; false when the profile belongs to someone else. */
  claim(sub: string, now: number): boolean {
    const owner = this.sub();
    if (owner !== undefined) return owner === sub;
    this.write({ v: PROFILE_STORAGE_VERSION, sub, lastActivity: now });
    return true;
  }

  sub(): string | undefined {
    return this.record()?.sub;
  }

  lastActivity(): number | undefined {
    return this.record()?.lastActivity;
  }

  /** The user was active now (a bot read or wrote the profile, a conversation moved on): the record is rewritten hourly at most. */
  touch(now: number): void {
    const record = this.record();
    if (record !== undefined && now - record.lastActivity >= ACTIVITY_GRANULARITY_MS) this.write({ ...record, lastActivity: now });
  }

  private record(): ProfileRecord | undefined {
    this.known ??= { record: this.table.get(PROFILE_RECORD_KEY, ProfileRecordSchema) };
    return this.known.record;
  }

  private write(record: ProfileRecord): void {
    this.table.put(PROFILE_RECORD_KEY, record);
    this.known = { record };
  }
}
