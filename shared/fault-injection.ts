/**
 * Faults on purpose, for tests and fault benchmarks: a stage's delivery of a turn fails (the queue
 * retries it, and dead-letters it after max_retries), stalls (it waits, then carries on: its result
 * arrives late, after the conversation's watchdog sent the turn again, and the conversation must
 * drop one of the two), or is sent on twice.
 *
 * Two keys, both needed:
 *   - the build: STRATUS_DEV_FAULTS (shared/dev-build.d.ts), true only in the configs devkit writes
 *     for local runs. The stages call in here only behind `if (STRATUS_DEV_FAULTS)`; the committed
 *     wrangler.toml files, which `wrangler deploy` bundles, define it false, so esbuild drops those
 *     branches and this module with them (`npm run check` fails on a deploy bundle that holds it);
 *   - the Worker's FAULT_INJECTION var "on" (shared/fault-settings.ts).
 *
 * What a delivery gets, once both keys are on:
 *   - a marker in the message text for the delivery's stage, and nothing else —
 *       "#fail-<stage>"                   fails every delivery;
 *       "#fail-<stage>-once"              fails the first delivery only (the queue's retry then succeeds);
 *       "#fail-<stage>-until-attempt-<n>" fails every delivery of the turn's dispatches before the n-th
 *                                         (a turn that dead-letters, then succeeds when sent again: a replay);
 *       "#dup-dialogue"                   the intent Worker sends the understood turn on twice;
 *   - otherwise the Worker's rates, one draw per delivery: it throws with FAULT_THROW_RATE, stalls
 *     for FAULT_STALL_MS with FAULT_STALL_RATE, and goes through untouched the rest of the time.
 */
import type { FaultSettings } from "./fault-settings.ts";
import type { Metrics } from "./metrics/recorder.ts";
import type { PipelineStage } from "./schemas/index.ts";
import { log } from "./turn-log.ts";

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

/** Both keys and the rates: what a stage hands in. */
export interface FaultSwitch {
  /** The build key, STRATUS_DEV_FAULTS as the caller was compiled. Checked here again, so that a call outside its branch still faults nothing in a deploy build. */
  devBuild: boolean;
  settings: FaultSettings;
}

/** One queue delivery of a turn to a stage. */
export interface TurnDelivery {
  stage: PipelineStage;
  turn: { text: string; conversationId: string; seq: number; traceId: string; /** The conversation's dispatch of the turn (1 = first). */ attempt: number };
  /** The queue's delivery of this message (1 = first; a retry counts up). */
  deliveryAttempt: number;
}

export type DeliveryFault = { kind: "throw"; error: InjectedFault } | { kind: "stall"; ms: number };

/** The fault one delivery gets, if any (see the module comment). `random` is [0, 1), as Math.random. */
export function deliveryFault(faults: FaultSwitch, delivery: TurnDelivery, random: () => number = Math.random): DeliveryFault | undefined {
  if (!faults.devBuild || faults.settings.injection !== "on") return undefined;
  const { stage, turn, deliveryAttempt } = delivery;
  if (turn.text.includes(`${FAIL_MARKER}${stage}`)) {
    const error = markedFailure(stage, turn.text, deliveryAttempt, turn.attempt);
    return error ? { kind: "throw", error } : undefined;
  }
  const { throwRate, stallRate, stallMs } = faults.settings;
  if (throwRate === 0 && stallRate === 0) return undefined;
  const draw = random();
  if (draw < throwRate) return { kind: "throw", error: new InjectedFault(`injected ${stage} failure (throw rate ${throwRate})`) };
  if (draw < throwRate + stallRate) return { kind: "stall", ms: stallMs };
  return undefined;
}

/** How a fault takes effect: waiting is Workers' setTimeout; tests pass their own clock and draw. */
export interface FaultEffects {
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
}

/**
 * What a stage runs first for each delivery, behind `if (STRATUS_DEV_FAULTS)`: throws the fault's
 * error, or waits out its stall and returns, or returns at once. A fault is logged and counted
 * (`stratus_injected_faults_total`), so a benchmark can read from /metrics what it injected.
 */
export async function injectDeliveryFault(faults: FaultSwitch, delivery: TurnDelivery, metrics: Metrics, effects: FaultEffects = {}): Promise<void> {
  const fault = deliveryFault(faults, delivery, effects.random);
  if (!fault) return;
  const { stage, turn, deliveryAttempt } = delivery;
  log("fault_injected", turn, { stage, kind: fault.kind, deliveries: deliveryAttempt, ...(fault.kind === "stall" ? { ms: fault.ms } : {}) });
  metrics.count("stratus_injected_faults_total", { stage, kind: fault.kind });
  if (fault.kind === "throw") throw fault.error;
  await (effects.sleep ?? wait)(fault.ms);
}

/** "#dup-<stage>": whether the stage's input is to be sent twice, as an at-least-once queue may deliver it (counted when it is). */
export function sendsTwice(faults: FaultSwitch, stage: "dialogue", text: string, metrics: Metrics): boolean {
  const twice = faults.devBuild && faults.settings.injection === "on" && text.includes(`${DUPLICATE_MARKER}${stage}`);
  if (twice) metrics.count("stratus_injected_faults_total", { stage, kind: "duplicate" });
  return twice;
}

function markedFailure(stage: PipelineStage, text: string, deliveryAttempt: number, turnAttempt: number): InjectedFault | undefined {
  const until = new RegExp(`${FAIL_MARKER}${stage}-until-attempt-(\\d+)`).exec(text);
  if (until) return turnAttempt < Number(until[1]) ? new InjectedFault(`injected ${stage} failure (dispatch ${turnAttempt})`) : undefined;
  if (text.includes(`${FAIL_MARKER}${stage}-once`)) {
    return deliveryAttempt === 1 ? new InjectedFault(`injected ${stage} failure (first delivery)`) : undefined;
  }
  return new InjectedFault(`injected ${stage} failure`);
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
