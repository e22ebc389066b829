import { hasLegacyProfileTables, takeOverLegacyProfile } from "./legacy-profile-tables.ts";
import { CREATE_PROFILE_TABLE, ProfileTable } from "./profile-table.ts";

/** The tables a profile has: one (the erasure test counts their rows, the storage test that there is no other). */
export const PROFILE_TABLES = ["profile"] as const;

/**
 * The profile's SQLite storage: its one table (profile-table.ts), created by the first write only.
 * Reading the profile of a user who was never seen (an export, "my conversations") creates
 * nothing, and after an erasure the object is empty again until its user comes back. Storage
 * written by older code (version 1's four tables) is taken over the first time it is opened.
 */
export class ProfileDatabase {
  readonly table: ProfileTable;
  /** Whether the `profile` table exists; looked up once per object start, then kept. */
  private present: boolean | undefined;

  constructor(private readonly storage: DurableObjectStorage) {
    this.table = new ProfileTable(storage.sql);
  }

  /** Whether anything is stored (the `profile` table exists). */
  exists(): boolean {
    if (this.present === undefined) {
      if (hasLegacyProfileTables(this.storage.sql)) takeOverLegacyProfile(this.storage, Date.now());
      this.present = this.storage.sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'profile'").toArray().length > 0;
    }
    return this.present;
  }

  /** Creates the table if the profile is new: its whole schema, one statement. */
  create(): void {
    if (this.exists()) return;
    this.storage.sql.exec(CREATE_PROFILE_TABLE);
    this.present = true;
  }

  /** Deletes every table and row and the alarm: the object is empty, as if its user had never been seen. */
  async eraseAll(): Promise<void> {
    await this.storage.deleteAlarm();
    await this.storage.deleteAll();
    this.present = false;
  }
}
