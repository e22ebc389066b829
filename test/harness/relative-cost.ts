/**
 * What a call on hostile input costs against a call on an ordinary input of the same length, measured
 * in the same run so that both see the same machine (issue #22: nobody can make a message slow on
 * purpose). Costs are the fastest of several samples — a shared machine's load only ever adds time, so
 * the minimum is the steadiest estimate — each sample repeating the call until it lasts a few
 * milliseconds, the two inputs sampled in turn. An input over budget is measured again before it counts:
 * a super-linear cost is over every time, a busy moment of a 2-core machine running workerd beside the
 * test is not.
 */

export interface CostBudget {
  /** Hostile cost ≤ ratio × the ordinary input's. */
  ratio: number;
  /**
   * Below this many milliseconds a call is fast whatever its ratio: a 4,000-character input handled in
   * under a millisecond cannot hide a super-linear pattern (the quadratic ones this guards against took
   * tens of milliseconds to seconds), while a sub-millisecond call's ratio is at the mercy of a GC pause.
   */
  floorMs: number;
}

export interface RelativeCost {
  /** Milliseconds per call of the hostile input. */
  ms: number;
  /** Milliseconds per call of the ordinary input. */
  baseline: number;
}

const SAMPLES = 5;
const SAMPLE_MS = 2;
/** Further measurements of an input over budget before it counts. */
const MAX_RETRIES = 4;

/** Milliseconds per call, over calls repeated until SAMPLE_MS have passed. */
function sample(run: () => unknown): number {
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    run();
    calls++;
    elapsed = performance.now() - started;
  } while (elapsed < SAMPLE_MS);
  return elapsed / calls;
}

/** Milliseconds per call, the fastest of SAMPLES samples (after one warming call). */
export function cost(run: () => unknown): number {
  run();
  return Math.min(...Array.from({ length: SAMPLES }, () => sample(run)));
}

export const isOverBudget = (measured: RelativeCost, budget: CostBudget): boolean => measured.ms > budget.floorMs && measured.ms > budget.ratio * measured.baseline;

/** One measurement; a first hostile call longer than `enoughMs` is its cost at once (far over any budget). */
function measureOnce(hostile: () => unknown, ordinary: () => unknown, enoughMs: number): RelativeCost {
  const first = performance.now();
  hostile();
  const firstMs = performance.now() - first;
  if (firstMs > enoughMs) return { ms: firstMs, baseline: cost(ordinary) };
  ordinary();
  const hostileSamples: number[] = [];
  const ordinarySamples: number[] = [];
  for (let s = 0; s < SAMPLES; s++) {
    ordinarySamples.push(sample(ordinary));
    hostileSamples.push(sample(hostile));
  }
  return { ms: Math.min(...hostileSamples), baseline: Math.min(...ordinarySamples) };
}

/**
 * The hostile input's cost and the ordinary one's, measured up to MAX_RETRIES more times while over
 * `budget`. `ordinaryMs`, the ordinary input's cost when the caller has measured it already, only
 * sets how long a first hostile call may take before it counts at once.
 */
export function relativeCost(hostile: () => unknown, ordinary: () => unknown, budget: CostBudget, ordinaryMs = cost(ordinary)): RelativeCost {
  const enoughMs = (baseline: number): number => 20 * budget.ratio * baseline + 20;
  let measured = measureOnce(hostile, ordinary, enoughMs(ordinaryMs));
  for (let retry = 0; retry < MAX_RETRIES && isOverBudget(measured, budget); retry++) measured = measureOnce(hostile, ordinary, enoughMs(measured.baseline));
  return measured;
}
