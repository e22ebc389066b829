import {
  PROFILE_ROW_PREFIX,
  ProfileFieldSchema,
  StoredFactSchema,
  type ProfileFact,
  type ProfileField,
  type ProfilePurpose,
} from "../../shared/schemas/profile.ts";
import type { ProfileTable } from "./profile-table.ts";

const PREFIX = PROFILE_ROW_PREFIX.fact;

/** The key of a field's row. */
export const factKey = (field: ProfileField): string => PREFIX + field;

/** The profile's facts: the newest value of each field, its source, purpose and time; one row each (`fact:<field>`). */
export class FactStore {
  constructor(private readonly table: ProfileTable) {}

  put({ field, ...fact }: ProfileFact): void {
    this.table.put(factKey(field), fact);
  }

  /** Every fact, or those of the given fields, in field order. */
  list(fields?: ReadonlySet<ProfileField>): ProfileFact[] {
    const facts = this.table.under(PREFIX, StoredFactSchema).map(({ name, value }) => ({ field: ProfileFieldSchema.parse(name), ...value }));
    return fields === undefined ? facts : facts.filter((fact) => fields.has(fact.field));
  }

  /** Erases the facts collected for a purpose; returns how many there were. */
  deletePurpose(purpose: ProfilePurpose): number {
    return this.table.delete(this.list().filter((fact) => fact.purpose === purpose).map((fact) => factKey(fact.field)));
  }
}
