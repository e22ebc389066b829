/**
 * The intent Worker's own settings, parsed once per env object with their defaults here and nowhere
 * else (wrangler.toml sets the same value for local runs).
 */
import type { z } from "zod";
import { definePlatformEnv, envParser, switchVar } from "../../../shared/env.ts";

export const IntentConfigSchema = definePlatformEnv({
  /** "on" lets test traffic ask for failures (shared/fault-injection.ts); never in production. */
  FAULT_INJECTION: switchVar("off"),
}).transform(({ FAULT_INJECTION }) => ({ faultInjection: FAULT_INJECTION }));
export type IntentConfig = z.output<typeof IntentConfigSchema>;

export const intentConfig = envParser(IntentConfigSchema);
