import {
  FactRowSchema,
  ProfileFactSchema,
  type ProfileFact,
  type ProfileField,
  type ProfilePurpose,
} from "../../shared/schemas/profile.ts";

/** The profile's facts: the newest value of each field, its source, purpose and time. */
export class FactStore {
  constructor(private readonly sql: SqlStorage) {}

  put(fact: ProfileFact): void {
    this.sql.exec(
      `INSERT INTO facts (field, value, purpose, source_bot, source_conversation, source_slot, set_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (field) DO UPDATE SET value = excluded.value, purpose = excluded.purpose,
         source_bot = excluded.source_bot, source_conversation = excluded.source_conversation,
         source_slot = excluded.source_slot, set_at = excluded.set_at`,
      fact.field,
      JSON.stringify(fact.value),
      fact.purpose,
      fact.source.bot,
      fact.source.conversationId,
      fact.source.slot,
      fact.setAt,
    );
  }

  /** Every fact, or those of the given fields, in field order. */
  list(fields?: ReadonlySet<ProfileField>): ProfileFact[] {
    const facts = this.sql.exec("SELECT * FROM facts ORDER BY field").toArray().map(toFact);
    return fields === undefined ? facts : facts.filter((fact) => fields.has(fact.field));
  }

  /** Erases the facts collected for a purpose; returns how many there were. */
  deletePurpose(purpose: ProfilePurpose): number {
    return this.sql.exec("DELETE FROM facts WHERE purpose = ?", purpose).rowsWritten;
  }
}

function toFact(raw: Record<string, SqlStorageValue>): ProfileFact {
  const row = FactRowSchema.parse(raw);
  return ProfileFactSchema.parse({
    field: row.field,
    value: JSON.parse(row.value) as unknown,
    purpose: row.purpose,
    source: { bot: row.source_bot, conversationId: row.source_conversation, slot: row.source_slot },
    setAt: row.set_at,
  });
}
