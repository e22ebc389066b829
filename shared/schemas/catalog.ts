import { z } from "zod";
import { LocaleSchema } from "./nlu.ts";
import { JurisdictionSchema } from "./residency.ts";

export const BotIdSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, "not a bot id");

/**
 * The bots a deployment serves, written by `npm run build:bots` to generated/catalog.json and
 * served as it is at `GET /v1/bots`: only what a client may know.
 */
export const BotCatalogSchema = z.object({
  defaultBot: BotIdSchema,
  bots: z
    .array(
      z.object({
        id: BotIdSchema,
        name: z.string(),
        locales: z.array(LocaleSchema).min(1),
        defaultLocale: LocaleSchema,
        /** Where the bot's conversations are stored (bot.yaml `residency`), if it is bound to a jurisdiction. */
        jurisdiction: JurisdictionSchema.optional(),
      }),
    )
    .min(1),
});
export type BotCatalog = z.infer<typeof BotCatalogSchema>;
export type BotCatalogEntry = BotCatalog["bots"][number];

/**
 * What the conversation object says for a bot when the pipeline could not answer a turn: the
 * bot's `fallback.unavailable` response, compiled per locale by `npm run build:bots` into
 * generated/bot-fallbacks.json. The object renders it without the dialogue engine, so its texts
 * have no variables. For the gateway's bundle only, never served.
 */
export const BotFallbackSchema = z.object({
  /** The bot response's name, reported as the reply's `response`. */
  response: z.string().min(1),
  defaultLocale: LocaleSchema,
  locales: z.partialRecord(
    LocaleSchema,
    z.object({ text: z.array(z.string().min(1)).min(1), quickReplies: z.array(z.string().min(1)).optional() }),
  ),
});
export type BotFallback = z.infer<typeof BotFallbackSchema>;

/** generated/bot-fallbacks.json: bots that name no `fallback.unavailable` response are absent. */
export const BotFallbacksSchema = z.record(BotIdSchema, BotFallbackSchema);
export type BotFallbacks = z.infer<typeof BotFallbacksSchema>;
