/**
 * Checked element reads for the NLU's numeric kernels (classifier, calibration, tagger, features,
 * codec, model decoding).
 *
 * With `noUncheckedIndexedAccess`, every `array[i]` is typed `T | undefined`. In these kernels the
 * indexes are in range by construction — loop bounds are the arrays' own lengths or sizes that
 * loadModel checked once — so instead of an `as number` at each read, reads go through these
 * accessors: a read out of range (a bug) throws a RangeError that names it, where a cast would have
 * let `undefined` turn into NaN and silently rank every intent wrong. Writes need no accessor (a
 * kernel writes only where it has just read, or within an array it sized itself).
 *
 * One accessor per array type, so that each read site stays monomorphic in V8: a single generic
 * accessor would see every typed-array kind and go megamorphic.
 *
 * The one exception, justified here: the innermost kernels read with `array[i]!` — at run time
 * quantizedProbabilities and normaliseExponentials (classifier.ts), classify (parse.ts), vectorize,
 * tokenFeatureIds, sparseEmissionScores, viterbi and selectBest (entities/tagger.ts); in training
 * trainSoftmax, probabilities, trainTagger and denseEmissionScores. A call per read there made parse
 * ~15% slower at the median and training ~40% slower (V8 stops inlining in loops that large), so
 * their ranges are checked as a whole instead: on entry with expectLength for what the caller
 * passes, and by loadModel for the model's arrays (weights are rows × intents, every row and column
 * index points inside them, the tagger's CSR rows are built there), the rest being arrays the kernel
 * sized itself or indexes built against them (a vocabulary column, a tagger feature row).
 */

/** Throws unless `array` has at least `length` elements: one range check for a whole kernel. */
export function expectLength(array: { readonly length: number }, length: number, what: string): void {
  if (array.length < length) throw new RangeError(`NLU kernel: ${what} has ${array.length} elements, needs ${length}`);
}

function outOfRange(index: number, length: number): never {
  throw new RangeError(`NLU kernel read index ${index} of an array of length ${length}`);
}

export function f64(array: Float64Array, index: number): number {
  const value = array[index];
  if (value === undefined) outOfRange(index, array.length);
  return value;
}

export function f32(array: Float32Array, index: number): number {
  const value = array[index];
  if (value === undefined) outOfRange(index, array.length);
  return value;
}

export function i32(array: Int32Array, index: number): number {
  const value = array[index];
  if (value === undefined) outOfRange(index, array.length);
  return value;
}

export function u32(array: Uint32Array, index: number): number {
  const value = array[index];
  if (value === undefined) outOfRange(index, array.length);
  return value;
}

export function u16(array: Uint16Array, index: number): number {
  const value = array[index];
  if (value === undefined) outOfRange(index, array.length);
  return value;
}

export function i8(array: Int8Array, index: number): number {
  const value = array[index];
  if (value === undefined) outOfRange(index, array.length);
  return value;
}

export function u8(array: Uint8Array, index: number): number {
  const value = array[index];
  if (value === undefined) outOfRange(index, array.length);
  return value;
}

/** A plain array of numbers (sparse vectors' columns and values, labels, scales). */
export function num(array: readonly number[], index: number): number {
  const value = array[index];
  if (value === undefined) outOfRange(index, array.length);
  return value;
}

/** An element of an array of anything else (tokens, rows, sentences). */
export function item<T>(array: readonly T[], index: number): T {
  const value = array[index];
  if (value === undefined) outOfRange(index, array.length);
  return value;
}
