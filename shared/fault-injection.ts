/**
 * Test traffic can ask a stage to fail, to prove retries, dead-lettering, the watchdog and replays.
 * Two keys, both needed: a development build (STRATUS_DEV_FAULTS, shared/dev-build.d.ts: the callers
 * only call in behind it, and deploy bundles leave this code out) and the Worker's FAULT_INJECTION
 * var "on":
 *   "#fail-<stage>"                  fails every delivery;
 *   "#fail-<stage>-once"             fails the first delivery only (the queue's retry then succeeds);
 *   "#fail-<stage>-until-attempt-<n>" fails every delivery of the turn's dispatches before the n-th
 *                                    (a turn that dead-letters, then succeeds when sent again: a replay).
 */
const FAIL_MARKER = "#fail-";
const DUPLICATE_MARKER = "#dup-";
const INJECTED_FAULT_NAME = "InjectedFault";

/**
 * Strings only this module's code holds (call sites pass none of them): `npm run check`
 * (cli/dry-run.ts) fails when a deploy bundle contains one, i.e. when the fault code was not
 * compiled out.
 */
export const FAULT_CODE_MARKERS: readonly string[] = [FAIL_MARKER, DUPLICATE_MARKER, INJECTED_FAULT_NAME];

/** A failure made on purpose: logs and dead letters say so ("InjectedFault: injected intent failure …"). */
export class InjectedFault extends Error {
  override readonly name = INJECTED_FAULT_NAME;
}

export function injectedFault(
  flag: string | undefined,
  stage: "intent" | "dialogue",
  text: string,
  deliveryAttempt: number,
  turnAttempt: number,
): Error | undefined {
  if (flag !== "on") return undefined;
  const until = new RegExp(`${FAIL_MARKER}${stage}-until-attempt-(\\d+)`).exec(text);
  if (until) return turnAttempt < Number(until[1]) ? new InjectedFault(`injected ${stage} failure (dispatch ${turnAttempt})`) : undefined;
  if (text.includes(`${FAIL_MARKER}${stage}-once`)) {
    return deliveryAttempt === 1 ? new InjectedFault(`injected ${stage} failure (first delivery)`) : undefined;
  }
  return text.includes(`${FAIL_MARKER}${stage}`) ? new InjectedFault(`injected ${stage} failure`) : undefined;
}

/** "#dup-<stage>": the stage's output is sent twice, as an at-least-once queue may deliver it. */
export function injectedDuplicate(flag: string | undefined, stage: "dialogue", text: string): boolean {
  return flag === "on" && text.includes(`${DUPLICATE_MARKER}${stage}`);
}
