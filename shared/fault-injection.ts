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
export function injectedFault(
  flag: string | undefined,
  stage: "intent" | "dialogue",
  text: string,
  deliveryAttempt: number,
  turnAttempt: number,
): Error | undefined {
  if (flag !== "on") return undefined;
  const until = new RegExp(`#fail-${stage}-until-attempt-(\\d+)`).exec(text);
  if (until) return turnAttempt < Number(until[1]) ? new Error(`injected ${stage} failure (dispatch ${turnAttempt})`) : undefined;
  if (text.includes(`#fail-${stage}-once`)) {
    return deliveryAttempt === 1 ? new Error(`injected ${stage} failure (first delivery)`) : undefined;
  }
  return text.includes(`#fail-${stage}`) ? new Error(`injected ${stage} failure`) : undefined;
}

/** "#dup-<stage>": the stage's output is sent twice, as an at-least-once queue may deliver it. */
export function injectedDuplicate(flag: string | undefined, stage: "dialogue", text: string): boolean {
  return flag === "on" && text.includes(`#dup-${stage}`);
}
