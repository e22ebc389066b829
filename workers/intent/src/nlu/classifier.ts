import { expectLength } from "./checked.ts";
import { createRandom, shuffleInPlace } from "./random.ts";
import type { SparseVector } from "./vectorize.ts";

/**
 * Multinomial logistic regression trained by SGD with L2 regularisation (weight-scale trick so the
 * decay costs O(1)) and a 1/t learning-rate schedule; the averaged iterate of the last epochs is kept
 * (averaged SGD generalises better than the last iterate and gives smoother confidences).
 */
export interface SoftmaxTrainingOptions {
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  onEpoch?: ((epoch: number) => void) | undefined;
}

export interface LinearWeights {
  /** Row-major [features × classes]. */
  weights: Float32Array;
  bias: Float32Array;
}

export function trainSoftmax(
  rows: SparseVector[],
  labels: readonly number[],
  featureCount: number,
  classCount: number,
  options: SoftmaxTrainingOptions,
): LinearWeights {
  const C = classCount;
  expectLength(labels, rows.length, "labels");
  // Reads with `!`: labels checked above, rows' columns index the vocabulary of featureCount, the
  // rest sized here (checked.ts).
  const weights = new Float32Array(featureCount * C);
  const bias = new Float32Array(C);
  // Averaged iterate, accumulated over the second half of training.
  const averageWeights = new Float64Array(featureCount * C);
  const averageBias = new Float64Array(C);
  let averagedSteps = 0;
  const averageFrom = Math.floor(options.epochs / 2);

  const random = createRandom(options.seed);
  const order = new Uint32Array(rows.length).map((_, i) => i);
  const scores = new Float64Array(C);
  let scale = 1;
  let step = 0;
  const { learningRate, l2 } = options;

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffleInPlace(order, random);
    for (const index of order) {
      const row = rows[index]!;
      const label = labels[index]!;
      const eta = learningRate / (1 + learningRate * l2 * step);
      step++;
      probabilities(row, weights, bias, C, scale, scores);
      // Gradient of the cross-entropy with respect to the scores: p − onehot(label).
      for (let k = 0; k < C; k++) scores[k] = scores[k]! - (k === label ? 1 : 0);
      scale *= 1 - eta * l2;
      const factor = eta / scale;
      for (let k = 0; k < C; k++) bias[k] = bias[k]! - eta * scores[k]!;
      for (let n = 0; n < row.columns.length; n++) {
        const base = row.columns[n]! * C;
        const coefficient = factor * row.values[n]!;
        for (let k = 0; k < C; k++) {
          const gradient = scores[k]!;
          // Tiny gradients change nothing measurable; skipping them makes training ~2× faster.
          if (gradient > -1e-4 && gradient < 1e-4) continue;
          weights[base + k] = weights[base + k]! - coefficient * gradient;
        }
      }
      if (scale < 1e-3) {
        for (let i = 0; i < weights.length; i++) weights[i] = weights[i]! * scale;
        scale = 1;
      }
    }
    if (epoch >= averageFrom) {
      // Averaging once per epoch (not per step) is cheap and gives the same benefit here.
      for (let i = 0; i < weights.length; i++) averageWeights[i] = averageWeights[i]! + weights[i]! * scale;
      for (let k = 0; k < C; k++) averageBias[k] = averageBias[k]! + bias[k]!;
      averagedSteps++;
    }
    options.onEpoch?.(epoch + 1);
  }
  const finalWeights = new Float32Array(featureCount * C);
  for (let i = 0; i < finalWeights.length; i++) finalWeights[i] = averageWeights[i]! / averagedSteps;
  const finalBias = new Float32Array(C);
  for (let k = 0; k < C; k++) finalBias[k] = averageBias[k]! / averagedSteps;
  return { weights: finalWeights, bias: finalBias };
}

/** Softmax probabilities of a row into `out` (weights are multiplied by `scale`). */
export function probabilities(
  row: SparseVector,
  weights: Float32Array,
  bias: Float32Array,
  classes: number,
  scale: number,
  out: Float64Array,
): void {
  expectLength(bias, classes, "bias");
  out.fill(0);
  // Reads with `!`: bias checked above, the row's columns index `weights` (checked.ts).
  for (let n = 0; n < row.columns.length; n++) {
    const base = row.columns[n]! * classes;
    const value = row.values[n]!;
    for (let k = 0; k < classes; k++) out[k] = out[k]! + value * weights[base + k]!;
  }
  let max = -Infinity;
  for (let k = 0; k < classes; k++) {
    const score = out[k]! * scale + bias[k]!;
    out[k] = score;
    if (score > max) max = score;
  }
  normaliseExponentials(out, classes, max);
}

/**
 * Run-time scoring with int8 weights and a softmax temperature (a separate function from training's so that each stays
 * monomorphic in V8): softmax of bias + scale × Σ value × code over the rows present.
 */
export function quantizedProbabilities(
  rows: Int32Array,
  values: Float64Array,
  count: number,
  codes: Int8Array,
  scales: Float64Array,
  bias: Float64Array,
  temperature: number,
  out: Float64Array,
): void {
  const classes = out.length;
  expectLength(rows, count, "rows");
  expectLength(values, count, "values");
  expectLength(scales, classes, "scales");
  expectLength(bias, classes, "bias");
  out.fill(0);
  // Reads with `!`: ranges checked above and by loadModel (see checked.ts).
  for (let n = 0; n < count; n++) {
    const base = rows[n]! * classes;
    const value = values[n]!;
    for (let k = 0; k < classes; k++) out[k] = out[k]! + value * codes[base + k]!;
  }
  let max = -Infinity;
  for (let k = 0; k < classes; k++) {
    const score = (out[k]! * scales[k]! + bias[k]!) / temperature;
    out[k] = score;
    if (score > max) max = score;
  }
  normaliseExponentials(out, classes, max);
}

/** In place, for k < classes: out[k] ← exp(out[k] − max) / Σ exp(out[j] − max), the stable softmax tail. */
function normaliseExponentials(out: Float64Array, classes: number, max: number): void {
  expectLength(out, classes, "out");
  let sum = 0;
  for (let k = 0; k < classes; k++) {
    const e = Math.exp(out[k]! - max);
    out[k] = e;
    sum += e;
  }
  for (let k = 0; k < classes; k++) out[k] = out[k]! / sum;
}
