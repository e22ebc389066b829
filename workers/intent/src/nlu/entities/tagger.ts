import { createRandom, shuffleInPlace } from "../random.ts";
import { isInside, transitionAllowed } from "./bio.ts";

/**
 * First-order sequence tagger: a structured averaged perceptron with Viterbi decoding and hard BIO
 * constraints. Emission weights are row-major [features × tags]; transitions are
 * [(tags + 1) × tags], the last row being the sequence start.
 */
export interface TaggerWeights {
  emissions: ArrayLike<number>;
  /** Per-tag multiplier of the emission weights (quantisation scales; 1s while training). */
  emissionScales: ArrayLike<number>;
  transitions: ArrayLike<number>;
  tags: number;
}

/** A sentence as feature rows per token (rows of the emission matrix; unknown features dropped). */
export type FeatureRows = number[][];

export function decode(sentence: FeatureRows, weights: TaggerWeights): Uint16Array {
  const T = weights.tags;
  const n = sentence.length;
  const best = new Uint16Array(n);
  if (n === 0) return best;
  const score = new Float64Array(n * T);
  const back = new Uint16Array(n * T);
  const emission = new Float64Array(T);
  const { emissions, emissionScales, transitions } = weights;
  for (let i = 0; i < n; i++) {
    emission.fill(0);
    for (const row of sentence[i] as number[]) {
      const base = row * T;
      for (let k = 0; k < T; k++) emission[k] = (emission[k] as number) + (emissions[base + k] as number);
    }
    for (let k = 0; k < T; k++) {
      const e = (emission[k] as number) * (emissionScales[k] as number);
      if (i === 0) {
        score[k] = isInside(k) ? -Infinity : e + (transitions[T * T + k] as number);
        continue;
      }
      let bestScore = -Infinity;
      let bestPrevious = 0;
      const previousBase = (i - 1) * T;
      for (let p = 0; p < T; p++) {
        if (!transitionAllowed(p, k)) continue;
        const s = (score[previousBase + p] as number) + (transitions[p * T + k] as number);
        if (s > bestScore) {
          bestScore = s;
          bestPrevious = p;
        }
      }
      score[i * T + k] = bestScore + e;
      back[i * T + k] = bestPrevious;
    }
  }
  let last = 0;
  for (let k = 1; k < T; k++) if ((score[(n - 1) * T + k] as number) > (score[(n - 1) * T + last] as number)) last = k;
  for (let i = n - 1; i >= 0; i--) {
    best[i] = last;
    last = back[i * T + last] as number;
  }
  return best;
}

export function trainTagger(
  sentences: FeatureRows[],
  goldTags: Uint16Array[],
  featureCount: number,
  tags: number,
  options: { epochs: number; seed: number; onEpoch?: (epoch: number) => void },
): { emissions: Float32Array; transitions: Float32Array } {
  const T = tags;
  const emissions = new Float32Array(featureCount * T);
  const transitions = new Float32Array((T + 1) * T);
  // Averaging trick (Daumé): keep Σ c·update and subtract it divided by the final step count.
  const emissionSums = new Float32Array(featureCount * T);
  const transitionSums = new Float32Array((T + 1) * T);
  const ones = new Float32Array(T).fill(1);
  const current: TaggerWeights = { emissions, emissionScales: ones, transitions, tags: T };
  const random = createRandom(options.seed);
  const order = new Uint32Array(sentences.length).map((_, i) => i);
  let step = 1;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const index of order) {
      const sentence = sentences[index] as FeatureRows;
      const gold = goldTags[index] as Uint16Array;
      const predicted = decode(sentence, current);
      for (let i = 0; i < sentence.length; i++) {
        const g = gold[i] as number;
        const p = predicted[i] as number;
        const gPrev = i === 0 ? T : (gold[i - 1] as number);
        const pPrev = i === 0 ? T : (predicted[i - 1] as number);
        if (g !== p) {
          for (const row of sentence[i] as number[]) {
            emissions[row * T + g] = (emissions[row * T + g] as number) + 1;
            emissions[row * T + p] = (emissions[row * T + p] as number) - 1;
            emissionSums[row * T + g] = (emissionSums[row * T + g] as number) + step;
            emissionSums[row * T + p] = (emissionSums[row * T + p] as number) - step;
          }
        }
        if (g !== p || gPrev !== pPrev) {
          transitions[gPrev * T + g] = (transitions[gPrev * T + g] as number) + 1;
          transitions[pPrev * T + p] = (transitions[pPrev * T + p] as number) - 1;
          transitionSums[gPrev * T + g] = (transitionSums[gPrev * T + g] as number) + step;
          transitionSums[pPrev * T + p] = (transitionSums[pPrev * T + p] as number) - step;
        }
      }
      step++;
    }
    options.onEpoch?.(epoch + 1);
  }
  for (let i = 0; i < emissions.length; i++) emissions[i] = (emissions[i] as number) - (emissionSums[i] as number) / step;
  for (let i = 0; i < transitions.length; i++) transitions[i] = (transitions[i] as number) - (transitionSums[i] as number) / step;
  return { emissions, transitions };
}
