// The rate limits as the Workers' wrangler.toml files declare them, per environment: what the
// tests check shared/rate-limits.ts against, and the budgets they flood.
import { z } from "zod";
import { readWorkerConfig } from "./worker-configs.ts";

const RateLimitsSchema = z.array(
  z.object({ name: z.string(), namespace_id: z.string(), simple: z.object({ limit: z.number().int().positive(), period: z.number() }) }),
);
export type DeclaredRateLimit = z.infer<typeof RateLimitsSchema>[number];

const RateLimitedConfigSchema = z.object({
  ratelimits: z.unknown().optional(),
  env: z.record(z.string(), z.object({ ratelimits: z.unknown().optional() })).optional(),
});

/** `[[ratelimits]]` of a Worker's config: its top level ("") and each `[env.<name>]`. */
export function declaredRateLimits(worker: "gateway" | "dialogue" = "gateway"): Map<string, DeclaredRateLimit[]> {
  const config = RateLimitedConfigSchema.parse(readWorkerConfig(worker));
  const environments = new Map<string, DeclaredRateLimit[]>([["", RateLimitsSchema.parse(config.ratelimits ?? [])]]);
  for (const [name, env] of Object.entries(config.env ?? {})) environments.set(name, RateLimitsSchema.parse(env.ratelimits ?? []));
  return environments;
}

/** The top-level (local and default deployment) limit of one limiter. */
export function declaredLimit(name: string, worker: "gateway" | "dialogue" = "gateway"): number {
  const limit = declaredRateLimits(worker).get("")?.find((entry) => entry.name === name)?.simple.limit;
  if (limit === undefined) throw new Error(`the ${worker}'s wrangler.toml declares no rate limiter ${name}`);
  return limit;
}
