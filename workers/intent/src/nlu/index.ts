/**
 * Stratus NLU engine — intent classification and entity extraction for English and Chinese, trained
 * per bot from its nlu.yaml, small and fast enough to run inside a Worker (no model download, no GPU).
 *
 * Design:
 * - Intents: multinomial logistic regression (averaged SGD, L2) over sparse hashed features — stemmed
 *   word unigrams/bigrams (contractions expanded, digits folded), character 2–5-grams inside words
 *   (typo robustness), Han character 1–3-grams (Chinese needs no word segmenter) — tf-idf weighted and
 *   L2-normalised. One model serves both languages. Weights are int8-quantised per intent.
 * - Confidence: softmax with a temperature fitted by 4-fold cross-validation on bot-sized data (a few
 *   examples per intent make the raw model over-confident); below the bot's threshold the intent is
 *   `out_of_scope`. An `out_of_scope` intent with examples may also be trained as a class.
 * - Entities: a bot's regexes and lookup lists (with synonyms); a structured averaged-perceptron BIO
 *   tagger (beam Viterbi, hard BIO constraints, word/affix/shape/context/lookup features) trained from
 *   `[text](entity)` annotations, with spans unlike every training span dropped; built-in numbers,
 *   money, dates/times (resolved in ctx.timezone against ctx.now), e-mails and phone numbers. A bot's
 *   entities and built-ins may overlap (both are reported); within each group priority then length wins.
 * - Artifacts are JSON with base64 typed arrays (artifact.ts); `loadModel` validates them with zod and
 *   checks array sizes. Pure TypeScript without Node APIs: the same code trains in Node and predicts in
 *   workerd. Training is deterministic for the same data and seed (seeded PRNG, sorted vocabularies).
 */
export { loadModel, type NluModel } from "./model.ts";
export { parse } from "./parse.ts";
export { train, type TrainOptions } from "./train.ts";
export type { ModelArtifact } from "./artifact.ts";
export type { TrainingData } from "../../../../shared/schemas/training.ts";
export type { Entity, NluContext, NluResult, Locale } from "../../../../shared/schemas/nlu.ts";
