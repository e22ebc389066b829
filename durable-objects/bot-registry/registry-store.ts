import { ProfileAccessSchema, type ProfileAccess } from "../../shared/schemas/profile.ts";
import {
  BUILT_IN_RELEASE,
  PART_CHUNK_BYTES,
  ReleaseStateSchema,
  StoredVersionRowSchema,
  type PublishedVersion,
  type ReleaseState,
  type VersionPart,
} from "../../shared/schemas/bot-versions.ts";
import type { StorageMigration } from "../../shared/storage-migrations.ts";

/** Parts are stored in chunks under the 2 MB a row may hold (PART_CHUNK_BYTES). */
export const CHUNK_BYTES = PART_CHUNK_BYTES;

/** The registry's SQLite schema (the runner: shared/storage-migrations.ts). */
export const REGISTRY_MIGRATIONS: readonly StorageMigration[] = [
  {
    version: 1,
    description: "versions by number and content hash, their parts in chunks, the release",
    up(sql) {
      // `meta` holds the schema version and the release (ReleaseStateSchema as JSON).
      sql.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      sql.exec(`CREATE TABLE versions (
        version INTEGER PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        created_at INTEGER NOT NULL,
        note TEXT,
        stored_bytes INTEGER NOT NULL
      )`);
      // Content-addressed: a version's parts are keyed by its document's hash, gzip-compressed.
      sql.exec(`CREATE TABLE parts (
        hash TEXT NOT NULL,
        part TEXT NOT NULL,
        chunk INTEGER NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (hash, part, chunk)
      ) WITHOUT ROWID`);
    },
  },
];

const RELEASE_KEY = "release";
/** `meta` key of a published version's profile declaration (one row per version, written when it is published). */
const profileKey = (version: number): string => `profile:${version}`;

/** One bot's versions and release, in its registry object's SQLite. Lean: a version is one row and a few chunk rows; the release one row. */
export class RegistryStore {
  private release: ReleaseState | undefined;
  /** Profile declarations read so far, by version (a version's never changes). */
  private readonly profiles = new Map<number, ProfileAccess | null | undefined>();

  constructor(private readonly sql: SqlStorage) {}

  /** Which version new conversations start on; read once per object start. */
  currentRelease(): ReleaseState {
    if (this.release === undefined) {
      const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", RELEASE_KEY).toArray()[0];
      this.release = row === undefined ? BUILT_IN_RELEASE : ReleaseStateSchema.parse(JSON.parse(row.value));
    }
    return this.release;
  }

  setRelease(release: ReleaseState): void {
    this.sql.exec(
      "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      RELEASE_KEY,
      JSON.stringify(ReleaseStateSchema.parse(release)),
    );
    this.release = release;
  }

  /** The version's profile declaration: null when it declares none, undefined when none was kept (the built-in version, or one published before they were). */
  profileOf(version: number): ProfileAccess | null | undefined {
    if (!this.profiles.has(version)) {
      const row = this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = ?", profileKey(version)).toArray()[0];
      this.profiles.set(version, row === undefined ? undefined : ProfileAccessSchema.nullable().parse(JSON.parse(row.value)));
    }
    return this.profiles.get(version);
  }

  /** Every published version, newest first. */
  versions(): PublishedVersion[] {
    return this.sql
      .exec("SELECT version, hash, created_at, note, stored_bytes FROM versions ORDER BY version DESC")
      .toArray()
      .map((raw) => toVersion(StoredVersionRowSchema.parse(raw)));
  }

  byNumber(version: number): PublishedVersion | undefined {
    const raw = this.sql.exec("SELECT version, hash, created_at, note, stored_bytes FROM versions WHERE version = ?", version).toArray()[0];
    return raw === undefined ? undefined : toVersion(StoredVersionRowSchema.parse(raw));
  }

  byHash(hash: string): PublishedVersion | undefined {
    const raw = this.sql.exec("SELECT version, hash, created_at, note, stored_bytes FROM versions WHERE hash = ?", hash).toArray()[0];
    return raw === undefined ? undefined : toVersion(StoredVersionRowSchema.parse(raw));
  }

  /**
   * Stores a new version: its parts in chunks and its row, numbered after the newest (the built-in
   * bot is 1, so the first published version is 2). The caller runs it in one transaction.
   */
  insert(hash: string, note: string | null, parts: Record<VersionPart, Uint8Array>, profile: ProfileAccess | null, now: number): PublishedVersion {
    let storedBytes = 0;
    for (const [part, bytes] of Object.entries(parts)) {
      for (let chunk = 0, offset = 0; offset < bytes.byteLength || chunk === 0; chunk++, offset += CHUNK_BYTES) {
        const data = bytes.slice(offset, offset + CHUNK_BYTES);
        this.sql.exec("INSERT INTO parts (hash, part, chunk, data) VALUES (?, ?, ?, ?)", hash, part, chunk, data.buffer);
        storedBytes += data.byteLength;
      }
    }
    const { newest } = this.sql.exec<{ newest: number | null }>("SELECT MAX(version) AS newest FROM versions").one();
    const version = Math.max(newest ?? 1, 1) + 1;
    this.sql.exec("INSERT INTO versions (version, hash, created_at, note, stored_bytes) VALUES (?, ?, ?, ?, ?)", version, hash, now, note, storedBytes);
    this.sql.exec("INSERT INTO meta (key, value) VALUES (?, ?)", profileKey(version), JSON.stringify(profile));
    this.profiles.set(version, profile);
    return { version, hash, createdAt: new Date(now).toISOString(), note, storedBytes };
  }

  /** A version's part as stored (gzip), its chunks joined; undefined when there is none. */
  part(hash: string, part: VersionPart): Uint8Array | undefined {
    const chunks = this.sql
      .exec<{ data: ArrayBuffer }>("SELECT data FROM parts WHERE hash = ? AND part = ? ORDER BY chunk", hash, part)
      .toArray()
      .map((row) => new Uint8Array(row.data));
    if (chunks.length === 0) return undefined;
    const joined = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0));
    let offset = 0;
    for (const chunk of chunks) {
      joined.set(chunk, offset);
      offset += chunk.byteLength;
    }
    return joined;
  }
}

function toVersion(row: ReturnType<typeof StoredVersionRowSchema.parse>): PublishedVersion {
  return { version: row.version, hash: row.hash, createdAt: new Date(row.created_at).toISOString(), note: row.note, storedBytes: row.stored_bytes };
}
