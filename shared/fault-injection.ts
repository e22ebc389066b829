/**
 * Test traffic can ask a stage to fail, to prove retries, dead-lettering and the watchdog.
 * Only when the Worker's FAULT_INJECTION var is "on" (never in production):
 *   "#fail-<stage>"       fails every delivery;
 *   "#fail-<stage>-once"  fails the first delivery only (the queue's retry then succeeds).
 */
export function injectedFault(
  flag: string | undefined,
  stage: "intent" | "dialogue",
  text: string,
  deliveryAttempt: number,
): Error | undefined {
  if (flag !== "on") return undefined;
  if (text.includes(`#fail-${stage}-once`)) {
    return deliveryAttempt === 1 ? new Error(`injected ${stage} failure (first delivery)`) : undefined;
  }
  return text.includes(`#fail-${stage}`) ? new Error(`injected ${stage} failure`) : undefined;
}

/** "#dup-<stage>": the stage's output is sent twice, as an at-least-once queue may deliver it. */
export function injectedDuplicate(flag: string | undefined, stage: "dialogue", text: string): boolean {
  return flag === "on" && text.includes(`#dup-${stage}`);
}
