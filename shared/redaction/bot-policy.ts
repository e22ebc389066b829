/**
 * What a bot marks sensitive (bot.yaml: a slot's `sensitive: true`, `redaction.entities`), turned
 * into the redaction policy of one turn: the bot's languages, the values its sensitive slots hold
 * and the offsets of sensitive entities in the message.
 */
import type { Locale } from "../languages/index.ts";
import type { BotDefinition } from "../schemas/bot.ts";
import type { DialogueState } from "../schemas/dialogue.ts";
import type { Entity } from "../schemas/nlu.ts";
import type { RedactionPolicy } from "./redact.ts";

export interface BotRedactionSettings {
  locales: readonly Locale[];
  sensitiveSlots: ReadonlySet<string>;
  /** Entity types whose values are sensitive: those the bot lists, and those that fill a sensitive slot. */
  sensitiveEntities: ReadonlySet<string>;
}

export function botRedactionSettings(bot: Pick<BotDefinition, "locales" | "slots" | "redaction">): BotRedactionSettings {
  const sensitiveSlots = Object.entries(bot.slots).filter(([, slot]) => slot.sensitive === true);
  return {
    locales: bot.locales,
    sensitiveSlots: new Set(sensitiveSlots.map(([name]) => name)),
    sensitiveEntities: new Set([...(bot.redaction?.entities ?? []), ...sensitiveSlots.flatMap(([, slot]) => slot.entity)]),
  };
}

/** The policy for one message (its NLU entities) and the state after it (its slots). */
export function turnRedactionPolicy(
  settings: BotRedactionSettings,
  turn: { entities?: readonly Entity[]; slots?: DialogueState["slots"] },
): RedactionPolicy & { sensitiveSlots: ReadonlySet<string> } {
  const values: (string | number)[] = [];
  for (const [name, value] of Object.entries(turn.slots ?? {})) {
    if (!settings.sensitiveSlots.has(name) || value === null || typeof value === "boolean") continue;
    values.push(typeof value === "object" ? value.amount : value);
  }
  const spans = (turn.entities ?? []).filter((entity) => settings.sensitiveEntities.has(entity.entity)).map(({ start, end }) => ({ start, end }));
  return { locales: settings.locales, values, spans, sensitiveSlots: settings.sensitiveSlots };
}
