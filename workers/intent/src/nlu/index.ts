/**
 * Stratus NLU engine — intent classification and entity extraction for English and Chinese, trained
 * per bot from its nlu.yaml, small and fast enough to run inside a Worker (no model download, no GPU).
 *
 * Design:
 * - Intents: multinomial logistic regression (averaged SGD, L2) over sparse hashed features — stemmed
 *   word unigrams/bigrams, character 2–5-grams inside words (typo robustness), Han character 1–3-grams
 *   (Chinese needs no word segmenter) — tf-idf weighted and L2-normalised. One model serves both
 *   languages. Weights are int8-quantised per intent; the softmax gives the confidence, and below the
 *   bot's threshold the intent is `out_of_scope` (an `out_of_scope` intent may also be trained).
 * - Entities: a bot's regexes and lookup lists (with synonyms); a structured averaged-perceptron BIO
 *   tagger (Viterbi, hard BIO constraints) trained from `[text](entity)` annotations; built-in
 *   extractors for numbers, money, dates/times (resolved in ctx.timezone against ctx.now), e-mails and
 *   phone numbers. Overlaps are resolved by source priority, then span length.
 * - Artifacts are JSON with base64 typed arrays (see artifact.ts); `loadModel` validates them with zod.
 * Pure TypeScript without Node APIs: the same code trains in Node and predicts in workerd.
 */
export { loadModel, type NluModel } from "./model.ts";
export { parse } from "./parse.ts";
export { train, type TrainOptions } from "./train.ts";
export type { ModelArtifact } from "./artifact.ts";
export type { TrainingData } from "../../../../shared/schemas/training.ts";
export type { Entity, NluContext, NluResult, Locale } from "../../../../shared/schemas/nlu.ts";
