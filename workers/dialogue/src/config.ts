/**
 * The dialogue Worker's own settings, parsed once per env object with their defaults in one place:
 * here, or for the fault vars (shared with the intent Worker) shared/fault-settings.ts. Every other
 * var of the Worker (ORDER_API_URL, MARKET_API_TOKEN …) belongs to the bots, and a bot sees only the
 * names it declares (engine/bot-env.ts).
 */
import type { z } from "zod";
import { definePlatformEnv, envParser, optionalStringVar } from "../../../shared/env.ts";
import { FAULT_VARS, checkFaultRates, faultSettingsOf } from "../../../shared/fault-settings.ts";
import type { LlmConfig } from "./engine/index.ts";

const httpUrl = (value: string | undefined) => {
  if (value === undefined) return true;
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
};

export const DialogueConfigSchema = definePlatformEnv({
  /** Fault injection for tests and fault benchmarks (shared/fault-injection.ts); nothing in a deploy build. */
  ...FAULT_VARS,
  /** The LLM fallback (docs/bots.md) is on only when all three are set. */
  LLM_BASE_URL: optionalStringVar().refine(httpUrl, "must be an http(s) URL"),
  LLM_API_KEY: optionalStringVar(),
  LLM_MODEL: optionalStringVar(),
})
  .superRefine(checkFaultRates)
  .transform((vars) => {
    const { LLM_BASE_URL, LLM_API_KEY, LLM_MODEL } = vars;
    const llm: LlmConfig | undefined =
      LLM_BASE_URL !== undefined && LLM_API_KEY !== undefined && LLM_MODEL !== undefined
        ? { baseUrl: LLM_BASE_URL, apiKey: LLM_API_KEY, model: LLM_MODEL }
        : undefined;
    return { faults: faultSettingsOf(vars), llm };
  });
export type DialogueConfig = z.output<typeof DialogueConfigSchema>;

export const dialogueConfig = envParser(DialogueConfigSchema);
