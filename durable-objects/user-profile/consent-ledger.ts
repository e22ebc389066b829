import {
  CONSENT_HISTORY_PER_PURPOSE,
  PROFILE_CONSENTS_KEY,
  StoredConsentsSchema,
  type ConsentEvent,
  type ConsentState,
  type ProfilePurpose,
} from "../../shared/schemas/profile.ts";
import type { ProfileTable } from "./profile-table.ts";

/** The history as kept: each purpose's newest CONSENT_HISTORY_PER_PURPOSE events, in their order (oldest first). */
export function boundedHistory(events: readonly ConsentEvent[]): ConsentEvent[] {
  const newerOfPurpose = new Map<ProfilePurpose, number>();
  return events
    .toReversed()
    .filter((event) => {
      const rank = (newerOfPurpose.get(event.purpose) ?? 0) + 1;
      newerOfPurpose.set(event.purpose, rank);
      return rank <= CONSENT_HISTORY_PER_PURPOSE;
    })
    .reverse();
}

/**
 * Consent per purpose, as a history of given / withdrawn events (GDPR Article 7(1): being able to
 * show that, and when, the user consented), kept as one row (`consents`): a change of consent
 * writes that row only. The newest event of a purpose is where it stands.
 */
export class ConsentLedger {
  /** The `consents` row's events as read (or last written) by this unit, which lives for one call; absent until first needed. */
  private known: readonly ConsentEvent[] | undefined;

  constructor(private readonly table: ProfileTable) {}

  /** Appends an event; a purpose's oldest events beyond CONSENT_HISTORY_PER_PURPOSE are dropped. */
  record(event: ConsentEvent): void {
    const bounded = boundedHistory([...this.events(), event]);
    this.table.put(PROFILE_CONSENTS_KEY, { events: bounded });
    this.known = bounded;
  }

  /** Where consent stands for each purpose it was ever asked for, by purpose. */
  current(): ConsentState[] {
    const newest = new Map<ProfilePurpose, ConsentEvent>();
    for (const event of this.events()) newest.set(event.purpose, event);
    return [...newest.values()]
      .sort((a, b) => (a.purpose < b.purpose ? -1 : a.purpose > b.purpose ? 1 : 0))
      .map((event) => ({ purpose: event.purpose, given: event.action === "given", since: event.at }));
  }

  /** The newest event of a purpose: given, withdrawn, or never asked (undefined). */
  state(purpose: ProfilePurpose): ConsentEvent["action"] | undefined {
    return this.events().findLast((event) => event.purpose === purpose)?.action;
  }

  /** Every event kept, oldest first. */
  history(): ConsentEvent[] {
    return [...this.events()];
  }

  private events(): readonly ConsentEvent[] {
    this.known ??= this.table.get(PROFILE_CONSENTS_KEY, StoredConsentsSchema)?.events ?? [];
    return this.known;
  }
}
