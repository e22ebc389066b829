// The gateway's rate limits as the root wrangler.toml declares them, per environment: what the
// tests check shared/rate-limits.ts against, and the budgets they flood.
import { join } from "node:path";
import * as wrangler from "wrangler";
import { z } from "zod";
import { ROOT } from "./local-stack.ts";

/**
 * wrangler's own config reader (TOML or JSON, as `wrangler deploy` reads it). Its declared types
 * come from a package wrangler bundles but does not ship, so its shape is stated here and the
 * result is validated below.
 */
const readRawConfig = (wrangler as unknown as { experimental_readRawConfig(this: void, args: { config: string }): { rawConfig: unknown } })
  .experimental_readRawConfig;

const RawConfigSchema = z.object({
  ratelimits: z.unknown().optional(),
  env: z.record(z.string(), z.object({ ratelimits: z.unknown().optional() })).optional(),
});

const RateLimitsSchema = z.array(
  z.object({ name: z.string(), namespace_id: z.string(), simple: z.object({ limit: z.number().int().positive(), period: z.number() }) }),
);
export type DeclaredRateLimit = z.infer<typeof RateLimitsSchema>[number];

/** `[[ratelimits]]` of the top level ("") and of each `[env.<name>]` that declares any. */
export function declaredRateLimits(configPath = join(ROOT, "wrangler.toml")): Map<string, DeclaredRateLimit[]> {
  const rawConfig = RawConfigSchema.parse(readRawConfig({ config: configPath }).rawConfig);
  const environments = new Map<string, DeclaredRateLimit[]>([["", RateLimitsSchema.parse(rawConfig.ratelimits ?? [])]]);
  for (const [name, env] of Object.entries(rawConfig.env ?? {})) environments.set(name, RateLimitsSchema.parse(env.ratelimits ?? []));
  return environments;
}

/** The top-level (local and default deployment) limit of one limiter. */
export function declaredLimit(name: string): number {
  const limit = declaredRateLimits().get("")?.find((entry) => entry.name === name)?.simple.limit;
  if (limit === undefined) throw new Error(`wrangler.toml declares no rate limiter ${name}`);
  return limit;
}
