import {
  LegacyConsentEventRowSchema,
  LegacyFactRowSchema,
  LegacyProfileMetaSchema,
  LegacyUserConversationRowSchema,
  PROFILE_CONSENTS_KEY,
  PROFILE_RECORD_KEY,
  PROFILE_STORAGE_VERSION,
  ProfileRecordSchema,
  StoredConsentsSchema,
  StoredFactSchema,
  StoredUserConversationSchema,
  type ConsentEvent,
} from "../../shared/schemas/profile.ts";
import { storedSchemaVersion } from "../../shared/storage-migrations.ts";
import { boundedHistory } from "./consent-ledger.ts";
import { conversationKey } from "./conversation-index.ts";
import { factKey } from "./fact-store.ts";
import { CREATE_PROFILE_TABLE, ProfileTable } from "./profile-table.ts";

/**
 * Version 1 of a profile's storage: four tables and three indexes (`meta` with the schema version,
 * the owner and the last activity; `facts` + `facts_by_purpose`; `consent_events` +
 * `consent_events_by_purpose`; `conversations` + `conversations_by_activity`). A new user's first
 * conversation cost 24 rows written there. Today's code keeps the profile in one table
 * (profile-table.ts); storage written by version 1 is taken over when the object first opens it.
 */
export const LEGACY_PROFILE_TABLES = ["meta", "facts", "consent_events", "conversations"] as const;

/** Whether the storage holds version 1's tables (their `meta` table: the `profile` table has none). */
export function hasLegacyProfileTables(sql: SqlStorage): boolean {
  return sql.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").toArray().length > 0;
}

/**
 * Reads version 1's tables into the `profile` table's rows and drops them (their indexes go with
 * them), in one transaction: a failure leaves version 1 as it was, to be taken over next time. A
 * profile whose first write never committed (the tables but no owner and no row) is left empty.
 * Every row is validated as it is read, and again as it is written.
 */
export function takeOverLegacyProfile(storage: DurableObjectStorage, now: number): void {
  const version = storedSchemaVersion(storage.sql);
  if (version !== 1) throw new Error(`profile storage at version ${version}: only version 1's tables can be taken over`);
  storage.transactionSync(() => {
    const { sql } = storage;
    const meta = Object.fromEntries(
      sql.exec<{ key: string; value: string }>("SELECT key, value FROM meta WHERE key IN ('sub', 'last_activity')").toArray().map((row) => [row.key, JSON.parse(row.value) as unknown]),
    );
    const owner = LegacyProfileMetaSchema.parse(meta);
    const facts = sql.exec("SELECT * FROM facts ORDER BY field").toArray().map((raw) => LegacyFactRowSchema.parse(raw));
    const events = sql.exec("SELECT * FROM consent_events ORDER BY id").toArray().map((raw) => LegacyConsentEventRowSchema.parse(raw));
    const conversations = sql.exec("SELECT * FROM conversations").toArray().map((raw) => LegacyUserConversationRowSchema.parse(raw));
    for (const table of LEGACY_PROFILE_TABLES) sql.exec(`DROP TABLE ${table}`);
    if (owner.sub === undefined && facts.length + events.length + conversations.length === 0) return;

    sql.exec(CREATE_PROFILE_TABLE);
    const table = new ProfileTable(sql);
    if (owner.sub !== undefined) {
      table.put(PROFILE_RECORD_KEY, ProfileRecordSchema.parse({ v: PROFILE_STORAGE_VERSION, sub: owner.sub, lastActivity: owner.last_activity ?? now }));
    }
    for (const fact of facts) {
      table.put(
        factKey(fact.field),
        StoredFactSchema.parse({
          value: JSON.parse(fact.value) as unknown,
          source: { bot: fact.source_bot, conversationId: fact.source_conversation, slot: fact.source_slot },
          purpose: fact.purpose,
          setAt: fact.set_at,
        }),
      );
    }
    if (events.length > 0) {
      const history: ConsentEvent[] = events.map((event) => ({ purpose: event.purpose, action: event.action, at: event.at, bot: event.bot, conversationId: event.conversation_id }));
      // Version 1 kept the same bound per purpose; kept here too, should a row have escaped it.
      table.put(PROFILE_CONSENTS_KEY, StoredConsentsSchema.parse({ events: boundedHistory(history) }));
    }
    for (const conversation of conversations) {
      table.put(
        conversationKey(conversation.id),
        StoredUserConversationSchema.parse({ bot: conversation.bot, createdAt: conversation.created_at, lastActivity: conversation.last_activity }),
      );
    }
  });
}
