import { expectLength } from "../checked.ts";
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
  // Reads with `!`: loadModel built this CSR, rows index rowStart, tags are < tagCount (checked.ts).
  for (let i = 0; i < sentence.length; i++) {
    const base = i * tagCount;
    for (const row of sentence[i]!) {
      const end = emissions.rowStart[row + 1]!;
      for (let j = emissions.rowStart[row]!; j < end; j++) {
        const tag = emissions.tags[j]!;
        scores[base + tag] = scores[base + tag]! + emissions.weights[j]!;
      }
    }
  }
  return scores;
}

function denseEmissionScores(sentence: FeatureRows, emissions: Float32Array, tagCount: number): Float64Array {
  const scores = new Float64Array(sentence.length * tagCount);
  // Reads with `!`: trainTagger numbered every row of `emissions` (checked.ts).
  for (let i = 0; i < sentence.length; i++) {
    const base = i * tagCount;
    for (const row of sentence[i]!) {
      const rowBase = row * tagCount;
      for (let k = 0; k < tagCount; k++) scores[base + k] = scores[base + k]! + emissions[rowBase + k]!;
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
  expectLength(emission, length * T, "emission scores");
  expectLength(transitions, (T + 1) * T, "transitions");
  const score = new Float64Array(length * T);
  const back = new Uint16Array(length * T);
  const beamSize = Math.min(BEAM, T);
  const beam = new Int32Array(beamSize);
  // Reads with `!`: sizes checked above, the other arrays sized here (checked.ts).
  for (let k = 0; k < T; k++) score[k] = isInside(k) ? -Infinity : emission[k]! + transitions[T * T + k]!;
  for (let i = 1; i < length; i++) {
    const previous = (i - 1) * T;
    const candidates = T <= 2 * BEAM ? T : selectBest(score, previous, T, beam);
    for (let k = 0; k < T; k++) {
      let bestScore = -Infinity;
      let bestPrevious = 0;
      if (isInside(k)) {
        // Only B-X (k - 1) and I-X (k) may precede I-X.
        for (let p = k - 1; p <= k; p++) {
          const s = score[previous + p]! + transitions[p * T + k]!;
          if (s > bestScore) {
            bestScore = s;
            bestPrevious = p;
          }
        }
      } else {
        for (let c = 0; c < candidates; c++) {
          const p = candidates === T ? c : beam[c]!;
          const s = score[previous + p]! + transitions[p * T + k]!;
          if (s > bestScore) {
            bestScore = s;
            bestPrevious = p;
          }
        }
      }
      score[i * T + k] = bestScore + emission[i * T + k]!;
      back[i * T + k] = bestPrevious;
    }
  }
  let last = 0;
  const lastBase = (length - 1) * T;
  for (let k = 1; k < T; k++) if (score[lastBase + k]! > score[lastBase + last]!) last = k;
  for (let i = length - 1; i >= 0; i--) {
    best[i] = last;
    last = back[i * T + last]!;
  }
  return best;
}

/** Indices of the beam.length best scores in score[offset … offset + T), by insertion into a sorted beam. */
function selectBest(score: Float64Array, offset: number, T: number, beam: Int32Array): number {
  const size = beam.length;
  let filled = 0;
  // Reads with `!`: viterbi sized both arrays (checked.ts).
  for (let p = 0; p < T; p++) {
    const value = score[offset + p]!;
    if (filled === size && value <= score[offset + beam[size - 1]!]!) continue;
    let at = filled < size ? filled++ : size - 1;
    while (at > 0 && score[offset + beam[at - 1]!]! < value) {
      beam[at] = beam[at - 1]!;
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
  expectLength(goldTags, sentences.length, "gold tags");
  // Reads with `!`: gold tags checked above (one per token, as the sentences), feature rows are
  // < featureCount, the rest sized here (checked.ts).
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
      const sentence = sentences[index]!;
      const gold = goldTags[index]!;
      const predicted = viterbi(denseEmissionScores(sentence, emissions, T), sentence.length, T, transitions);
      for (let i = 0; i < sentence.length; i++) {
        const g = gold[i]!;
        const p = predicted[i]!;
        const gPrev = i === 0 ? T : gold[i - 1]!;
        const pPrev = i === 0 ? T : predicted[i - 1]!;
        if (g !== p) {
          for (const row of sentence[i]!) {
            emissions[row * T + g] = emissions[row * T + g]! + 1;
            emissions[row * T + p] = emissions[row * T + p]! - 1;
            emissionSums[row * T + g] = emissionSums[row * T + g]! + step;
            emissionSums[row * T + p] = emissionSums[row * T + p]! - step;
          }
        }
        if (g !== p || gPrev !== pPrev) {
          transitions[gPrev * T + g] = transitions[gPrev * T + g]! + 1;
          transitions[pPrev * T + p] = transitions[pPrev * T + p]! - 1;
          transitionSums[gPrev * T + g] = transitionSums[gPrev * T + g]! + step;
          transitionSums[pPrev * T + p] = transitionSums[pPrev * T + p]! - step;
        }
      }
      step++;
    }
    options.onEpoch?.(epoch + 1);
  }
  for (let i = 0; i < emissions.length; i++) emissions[i] = emissions[i]! - emissionSums[i]! / step;
  for (let i = 0; i < transitions.length; i++) transitions[i] = transitions[i]! - transitionSums[i]! / step;
  return { emissions, transitions };
}
