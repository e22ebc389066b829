/**
 * The intent Worker's own settings, parsed once per env object with their defaults in one place
 * (shared/fault-settings.ts for the fault vars; wrangler.toml sets FAULT_INJECTION's for local runs).
 */
import type { z } from "zod";
import { definePlatformEnv, envParser } from "../../../shared/env.ts";
import { FAULT_VARS, checkFaultRates, faultSettingsOf } from "../../../shared/fault-settings.ts";

export const IntentConfigSchema = definePlatformEnv({
  /** Fault injection for tests and fault benchmarks (shared/fault-injection.ts); nothing in a deploy build. */
  ...FAULT_VARS,
})
  .superRefine(checkFaultRates)
  .transform((vars) => ({ faults: faultSettingsOf(vars) }));
export type IntentConfig = z.output<typeof IntentConfigSchema>;

export const intentConfig = envParser(IntentConfigSchema);
