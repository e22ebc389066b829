/**
 * The fault-injection vars of the queue Workers (intent and dialogue), with their defaults here and
 * nowhere else; each Worker's src/config.ts parses them. What they make a delivery do is in
 * shared/fault-injection.ts. In a deploy build they do nothing whatever their values: the fault
 * code is compiled out there (STRATUS_DEV_FAULTS, shared/dev-build.d.ts).
 */
import type { z } from "zod";
import { positiveIntVar, rateVar, switchVar } from "./env.ts";

export const FAULT_VARS = {
  /** "on" is the runtime key (the build is the other): test traffic may then ask for failures. */
  FAULT_INJECTION: switchVar("off"),
  /** Share of deliveries that throw, so the queue retries them (and dead-letters one that keeps failing). 0 = none. */
  FAULT_THROW_RATE: rateVar(0),
  /** Share of deliveries that first wait FAULT_STALL_MS, then carry on as usual. 0 = none. */
  FAULT_STALL_RATE: rateVar(0),
  /**
   * How long a stalled delivery waits. Longer than the gateway's TURN_TIMEOUT_MS (15 s by default),
   * its result arrives after the watchdog sent the turn again: the conversation must drop one.
   */
  FAULT_STALL_MS: positiveIntVar(20_000),
};

type FaultVars = { [Name in keyof typeof FAULT_VARS]: z.output<(typeof FAULT_VARS)[Name]> };

/** One draw decides a delivery's fault (shared/fault-injection.ts), so the two shares cannot add up to more than every delivery. */
export function checkFaultRates(vars: FaultVars, ctx: z.RefinementCtx): void {
  if (vars.FAULT_THROW_RATE + vars.FAULT_STALL_RATE > 1) {
    ctx.addIssue({ code: "custom", path: ["FAULT_STALL_RATE"], message: "FAULT_THROW_RATE and FAULT_STALL_RATE add up to more than 1" });
  }
}

/** The fault settings a Worker's config hands to shared/fault-injection.ts. */
export interface FaultSettings {
  /** The runtime key. */
  injection: "on" | "off";
  throwRate: number;
  stallRate: number;
  stallMs: number;
}

export function faultSettingsOf(vars: FaultVars): FaultSettings {
  return { injection: vars.FAULT_INJECTION, throwRate: vars.FAULT_THROW_RATE, stallRate: vars.FAULT_STALL_RATE, stallMs: vars.FAULT_STALL_MS };
}
