import {
  ConsentEventRowSchema,
  type ConsentEvent,
  type ConsentState,
  type ProfilePurpose,
} from "../../shared/schemas/profile.ts";

/** Events kept per purpose: enough to show when consent was given and withdrawn, bounded however often it changes. */
export const CONSENT_HISTORY_PER_PURPOSE = 50;

/**
 * Consent per purpose, as a history of given / withdrawn events (GDPR Article 7(1): being able to
 * show that, and when, the user consented). The newest event of a purpose is where it stands.
 */
export class ConsentLedger {
  constructor(private readonly sql: SqlStorage) {}

  record(event: ConsentEvent): void {
    this.sql.exec(
      "INSERT INTO consent_events (purpose, action, at, bot, conversation_id) VALUES (?, ?, ?, ?, ?)",
      event.purpose,
      event.action,
      event.at,
      event.bot,
      event.conversationId,
    );
    this.sql.exec(
      `DELETE FROM consent_events WHERE purpose = ? AND id NOT IN (
         SELECT id FROM consent_events WHERE purpose = ? ORDER BY id DESC LIMIT ?)`,
      event.purpose,
      event.purpose,
      CONSENT_HISTORY_PER_PURPOSE,
    );
  }

  /** Where consent stands for each purpose it was ever asked for. */
  current(): ConsentState[] {
    const newest = this.sql
      .exec(
        `SELECT * FROM consent_events WHERE id IN (SELECT MAX(id) FROM consent_events GROUP BY purpose) ORDER BY purpose`,
      )
      .toArray()
      .map(toEvent);
    return newest.map((event) => ({ purpose: event.purpose, given: event.action === "given", since: event.at }));
  }

  /** The newest event of a purpose: given, withdrawn, or never asked (undefined). */
  state(purpose: ProfilePurpose): ConsentEvent["action"] | undefined {
    const row = this.sql.exec("SELECT * FROM consent_events WHERE purpose = ? ORDER BY id DESC LIMIT 1", purpose).toArray()[0];
    return row === undefined ? undefined : toEvent(row).action;
  }

  /** Every event kept, oldest first. */
  history(): ConsentEvent[] {
    return this.sql.exec("SELECT * FROM consent_events ORDER BY id").toArray().map(toEvent);
  }
}

function toEvent(raw: Record<string, SqlStorageValue>): ConsentEvent {
  const row = ConsentEventRowSchema.parse(raw);
  return { purpose: row.purpose, action: row.action, at: row.at, bot: row.bot, conversationId: row.conversation_id };
}
