import { z } from "zod";
import { LocaleSchema } from "./nlu.ts";

export const BotIdSchema = z.string().regex(/^[a-z][a-z0-9_-]{0,63}$/, "not a bot id");

/** The bots a deployment serves, written by `npm run build:bots` to generated/catalog.json. */
export const BotCatalogSchema = z.object({
  defaultBot: BotIdSchema,
  bots: z
    .array(
      z.object({
        id: BotIdSchema,
        name: z.string(),
        locales: z.array(LocaleSchema).min(1),
        defaultLocale: LocaleSchema,
      }),
    )
    .min(1),
});
export type BotCatalog = z.infer<typeof BotCatalogSchema>;
export type BotCatalogEntry = BotCatalog["bots"][number];
