/**
 * The profile's rules, as pure functions the object applies (no storage here):
 * - a bot reads and writes only the fields it declared, and only fields collected for a purpose it
 *   declared (bot.yaml validation says so already; the object enforces it again on every call);
 * - a special-category fact (finance, health) is stored only with consent for its purpose; any
 *   other fact is stored unless the user withdrew consent for its purpose;
 * - a value must be of its field's type.
 */
import {
  expandFieldPatterns,
  fieldDefinition,
  isSpecialCategory,
  PROFILE_VALUE_SCHEMAS,
  type ConsentEvent,
  type ProfileAccess,
  type ProfileField,
  type ProfilePurpose,
  type ProfileValue,
} from "../../shared/schemas/profile.ts";

export interface ResolvedAccess {
  bot: string;
  purposes: ReadonlySet<ProfilePurpose>;
  read: ReadonlySet<ProfileField>;
  write: ReadonlySet<ProfileField>;
}

/** The fields a bot's declaration allows, each collected for a purpose the bot declared. */
export function resolveAccess(access: ProfileAccess): ResolvedAccess {
  const purposes = new Set(access.purposes);
  const allowed = (field: ProfileField): boolean => purposes.has(fieldDefinition(field).purpose);
  return {
    bot: access.bot,
    purposes,
    read: new Set(expandFieldPatterns(access.read).filter(allowed)),
    write: new Set(expandFieldPatterns(access.write).filter(allowed)),
  };
}

export type WritePlan =
  | {
      ok: true;
      store: { field: ProfileField; value: ProfileValue; purpose: ProfilePurpose }[];
      consentRequired: { field: ProfileField; purpose: ProfilePurpose }[];
    }
  | { ok: false; code: "forbidden" | "invalid_request"; message: string };

/**
 * What a write may store, given where consent stands per purpose. A field the bot may not write,
 * or a value not of its field's type, refuses the whole write: the bot's definition is wrong, and
 * storing part of it would hide that.
 */
export function planWrite(
  access: ResolvedAccess,
  facts: readonly { field: ProfileField; value: ProfileValue }[],
  consent: (purpose: ProfilePurpose) => ConsentEvent["action"] | undefined,
): WritePlan {
  const store: Extract<WritePlan, { ok: true }>["store"] = [];
  const consentRequired: Extract<WritePlan, { ok: true }>["consentRequired"] = [];
  for (const { field, value } of facts) {
    if (!access.write.has(field)) return { ok: false, code: "forbidden", message: `bot ${access.bot} may not write profile field ${field}` };
    const { type, purpose } = fieldDefinition(field);
    const parsed = PROFILE_VALUE_SCHEMAS[type].safeParse(value);
    if (!parsed.success) return { ok: false, code: "invalid_request", message: `profile field ${field} holds ${type}` };
    const state = consent(purpose);
    const mayStore = isSpecialCategory(field) ? state === "given" : state !== "withdrawn";
    if (mayStore) store.push({ field, value: parsed.data, purpose });
    else consentRequired.push({ field, purpose });
  }
  return { ok: true, store, consentRequired };
}

const DAY_MS = 86_400_000;

export type RetentionVerdict = { erase: true } | { erase: false; checkAt: number | null };

/** Whether a profile last active at `lastActivity` is past the retention at `now`; if not, when to look again (null: kept for ever). */
export function retentionVerdict(lastActivity: number, retentionDays: number, now: number): RetentionVerdict {
  if (retentionDays === 0) return { erase: false, checkAt: null };
  const expiresAt = lastActivity + retentionDays * DAY_MS;
  return now >= expiresAt ? { erase: true } : { erase: false, checkAt: expiresAt };
}
