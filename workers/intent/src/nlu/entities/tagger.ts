import { createRandom, shuffleInPlace } from "../random.ts";
import { isInside } from "./bio.ts";

/**
 * First-order sequence tagger: a structured averaged perceptron with Viterbi decoding and hard BIO
 * constraints (I-X only after B-X or I-X). Emission scores are computed separately (dense weights while
 * training, sparse int8-derived weights at run time) so that Viterbi always sees the same array types.
 */

/** A sentence as feature rows per token (rows of the emission matrix; unknown features dropped). */
export type FeatureRows = number[][];

/** Run-time emission weights: for each feature row, its non-zero (tag, weight) pairs (CSR layout). */
export interface SparseEmissions {
  rowStart: Uint32Array;
  tags: Uint16Array;
  weights: Float32Array;
}

export function sparseEmissionScores(sentence: FeatureRows, emissions: SparseEmissions, tagCount: number): Float64Array {
  const scores = new Float64Array(sentence.length * tagCount);
  for (let i = 0; i < sentence.length; i++) {
    const base = i * tagCount;
    for (const row of sentence[i] as number[]) {
      const end = emissions.rowStart[row + 1] as number;
      for (let j = emissions.rowStart[row] as number; j < end; j++) {
        const tag = emissions.tags[j] as number;
        scores[base + tag] = (scores[base + tag] as number) + (emissions.weights[j] as number);
      }
    }
  }
  return scores;
}

function denseEmissionScores(sentence: FeatureRows, emissions: Float32Array, tagCount: number): Float64Array {
  const scores = new Float64Array(sentence.length * tagCount);
  for (let i = 0; i < sentence.length; i++) {
    const base = i * tagCount;
    for (const row of sentence[i] as number[]) {
      const rowBase = row * tagCount;
      for (let k = 0; k < tagCount; k++) scores[base + k] = (scores[base + k] as number) + (emissions[rowBase + k] as number);
    }
  }
  return scores;
}

/**
 * Previous-tag candidates kept per position when a tag set is large. Exact Viterbi over all tag pairs
 * costs T² per token (ATIS: 167 tags → 0.3 ms per message); keeping the best BEAM previous tags (plus
 * the exact B-X/I-X predecessors of each I-X) gives the same tags in practice at a fraction of the cost.
 */
const BEAM = 12;

/** Best tag sequence. `transitions` is [(tags + 1) × tags]; its last row scores the first tag. */
export function viterbi(emission: Float64Array, length: number, tagCount: number, transitions: Float64Array): Uint16Array {
  const T = tagCount;
  const best = new Uint16Array(length);
  if (length === 0) return best;
  const score = new Float64Array(length * T);
  const back = new Uint16Array(length * T);
  const beamSize = Math.min(BEAM, T);
  const beam = new Int32Array(beamSize);
  for (let k = 0; k < T; k++) score[k] = isInside(k) ? -Infinity : (emission[k] as number) + (transitions[T * T + k] as number);
  for (let i = 1; i < length; i++) {
    const previous = (i - 1) * T;
    const candidates = T <= 2 * BEAM ? T : selectBest(score, previous, T, beam);
    for (let k = 0; k < T; k++) {
      let bestScore = -Infinity;
      let bestPrevious = 0;
      if (isInside(k)) {
        // Only B-X (k - 1) and I-X (k) may precede I-X.
        for (let p = k - 1; p <= k; p++) {
          const s = (score[previous + p] as number) + (transitions[p * T + k] as number);
          if (s > bestScore) {
            bestScore = s;
            bestPrevious = p;
          }
        }
      } else {
        for (let c = 0; c < candidates; c++) {
          const p = candidates === T ? c : (beam[c] as number);
          const s = (score[previous + p] as number) + (transitions[p * T + k] as number);
          if (s > bestScore) {
            bestScore = s;
            bestPrevious = p;
          }
        }
      }
      score[i * T + k] = bestScore + (emission[i * T + k] as number);
      back[i * T + k] = bestPrevious;
    }
  }
  let last = 0;
  const lastBase = (length - 1) * T;
  for (let k = 1; k < T; k++) if ((score[lastBase + k] as number) > (score[lastBase + last] as number)) last = k;
  for (let i = length - 1; i >= 0; i--) {
    best[i] = last;
    last = back[i * T + last] as number;
  }
  return best;
}

/** Indices of the beam.length best scores in score[offset … offset + T), by insertion into a sorted beam. */
function selectBest(score: Float64Array, offset: number, T: number, beam: Int32Array): number {
  const size = beam.length;
  let filled = 0;
  for (let p = 0; p < T; p++) {
    const value = score[offset + p] as number;
    if (filled === size && value <= (score[offset + (beam[size - 1] as number)] as number)) continue;
    let at = filled < size ? filled++ : size - 1;
    while (at > 0 && (score[offset + (beam[at - 1] as number)] as number) < value) {
      beam[at] = beam[at - 1] as number;
      at--;
    }
    beam[at] = p;
  }
  return filled;
}

export function trainTagger(
  sentences: FeatureRows[],
  goldTags: Uint16Array[],
  featureCount: number,
  tags: number,
  options: { epochs: number; seed: number; onEpoch?: (epoch: number) => void },
): { emissions: Float32Array; transitions: Float64Array } {
  const T = tags;
  const emissions = new Float32Array(featureCount * T);
  const transitions = new Float64Array((T + 1) * T);
  // Averaging trick (Daumé): keep Σ c·update and subtract it divided by the final step count.
  const emissionSums = new Float32Array(featureCount * T);
  const transitionSums = new Float64Array((T + 1) * T);
  const random = createRandom(options.seed);
  const order = new Uint32Array(sentences.length).map((_, i) => i);
  let step = 1;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const index of order) {
      const sentence = sentences[index] as FeatureRows;
      const gold = goldTags[index] as Uint16Array;
      const predicted = viterbi(denseEmissionScores(sentence, emissions, T), sentence.length, T, transitions);
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
