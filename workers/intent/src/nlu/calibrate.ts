import { f64, item, num } from "./checked.ts";
import { probabilities, trainSoftmax, type SoftmaxTrainingOptions } from "./classifier.ts";
import { createRandom, shuffleInPlace } from "./random.ts";
import type { SparseVector } from "./vectorize.ts";

const FOLDS = 4;
const TEMPERATURES = [0.5, 0.75, 1, 1.25, 1.5, 2, 2.5, 3, 4, 5, 6, 8];

/**
 * Softmax temperature from cross-validation: a model trained many epochs on a few examples per intent
 * is over-confident (a question about the weather gets 0.7 for `order_status`), so the bot's threshold
 * would rarely fire. Held-out predictions of K fold models pick the temperature with the lowest
 * negative log-likelihood; confidences are then calibrated and the threshold means what it says.
 */
export function fitTemperature(
  rows: SparseVector[],
  labels: number[],
  featureCount: number,
  classCount: number,
  options: SoftmaxTrainingOptions,
): number {
  const order = Array.from(rows.keys());
  shuffleInPlace(order, createRandom(options.seed + 1));
  const foldOf = new Uint8Array(rows.length);
  order.forEach((index, position) => (foldOf[index] = position % FOLDS));
  const heldOutLogProbabilities: Float64Array[] = [];
  const heldOutLabels: number[] = [];
  const out = new Float64Array(classCount);
  for (let fold = 0; fold < FOLDS; fold++) {
    const trainIndexes = order.filter((i) => foldOf[i] !== fold);
    const model = trainSoftmax(
      trainIndexes.map((i) => item(rows, i)),
      trainIndexes.map((i) => num(labels, i)),
      featureCount,
      classCount,
      { ...options, onEpoch: undefined },
    );
    for (let i = 0; i < rows.length; i++) {
      if (foldOf[i] !== fold) continue;
      probabilities(item(rows, i), model.weights, model.bias, classCount, 1, out);
      heldOutLogProbabilities.push(Float64Array.from(out, (p) => Math.log(Math.max(p, 1e-12))));
      heldOutLabels.push(num(labels, i));
    }
  }
  let bestTemperature = 1;
  let bestLoss = Infinity;
  for (const temperature of TEMPERATURES) {
    let loss = 0;
    heldOutLogProbabilities.forEach((logProbabilities, n) => {
      let max = -Infinity;
      for (const value of logProbabilities) max = Math.max(max, value / temperature);
      let sum = 0;
      for (const value of logProbabilities) sum += Math.exp(value / temperature - max);
      loss -= f64(logProbabilities, num(heldOutLabels, n)) / temperature - max - Math.log(sum);
    });
    if (loss < bestLoss) {
      bestLoss = loss;
      bestTemperature = temperature;
    }
  }
  return bestTemperature;
}
