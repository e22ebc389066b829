/**
 * Stratus NLU engine — intent classification and entity extraction in any language of
 * shared/languages (English, Chinese and Spanish today), trained per bot from its nlu.yaml, small and
 * fast enough to run inside a Worker (no model download, no GPU).
 *
 * Design:
 * - Intents: multinomial logistic regression (averaged SGD, L2) over sparse hashed features — stemmed
 *   word unigrams/bigrams (contractions expanded, digits folded), character 2–5-grams inside words
 *   (typo robustness), 1–3-grams of characters of scripts written without spaces (Han: no word
 *   segmenter needed; which scripts those are comes from the language data) — tf-idf weighted and
 *   L2-normalised. One model serves all of a bot's languages. Weights are int8-quantised per intent.
 * - Locale: given by the conversation, or detected among the bot's locales (shared/languages/detect.ts):
 *   by script, and between locales of one script (en/es) by a character n-gram profile trained here
 *   from the bot's own examples (stored in the artifact). A message without words of its own
 *   ("ORD-4820193") gets the bot's default locale with `localeEvidence: "none"`.
 * - Confidence: softmax with a temperature fitted by 4-fold cross-validation on bot-sized data (a few
 *   examples per intent make the raw model over-confident); below the bot's threshold the intent is
 *   `out_of_scope`. An `out_of_scope` intent with examples may also be trained as a class.
 * - Entities: a bot's regexes and lookup lists (with synonyms); a structured averaged-perceptron BIO
 *   tagger (beam Viterbi, hard BIO constraints, word/affix/shape/context/lookup features) trained from
 *   `[text](entity)` annotations, with spans unlike every training span dropped; built-in numbers,
 *   money, dates/times (resolved in ctx.timezone against ctx.now) with each language's word lists
 *   (entities/languages/), e-mails and phone numbers; no built-in yields a number beyond
 *   ±MAX_SAFE_INTEGER. A bot's entities and built-ins may overlap (both are reported); within each
 *   group priority then length wins.
 * - Artifacts are JSON with base64 typed arrays (artifact.ts); `loadModel` validates them with zod and
 *   checks array sizes. The numeric kernels read typed arrays through checked accessors (checked.ts). Pure TypeScript without Node APIs: the same code trains in Node and predicts in
 *   workerd. Training is deterministic for the same data and seed (seeded PRNG, sorted vocabularies).
 */
export { loadModel, type NluModel } from "./model.ts";
export { parse } from "./parse.ts";
export { train, type TrainOptions } from "./train.ts";
export type { ModelArtifact } from "./artifact.ts";
export type { TrainingData } from "../../../../shared/schemas/training.ts";
export type { Entity, NluContext, NluResult, Locale } from "../../../../shared/schemas/nlu.ts";
