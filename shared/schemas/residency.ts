import { z } from "zod";

/**
 * Where a bot's conversations live: a Durable Objects jurisdiction keeps each conversation object
 * (its transcript, its dialogue state) running and stored inside that region. Cloudflare's list:
 * https://developers.cloudflare.com/durable-objects/reference/data-location/ (read 2026-12-01).
 */
export const JURISDICTIONS = ["eu", "us", "fedramp", "fedramp-high"] as const;
export const JurisdictionSchema = z.enum(JURISDICTIONS);
export type Jurisdiction = z.infer<typeof JurisdictionSchema>;

/** bot.yaml `residency:` — absent: conversations are created wherever Cloudflare places them. */
export const ResidencySchema = z.object({ jurisdiction: JurisdictionSchema }).strict();
