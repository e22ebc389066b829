import { type IntentScore, type Locale, type NluContext, type NluResult, OUT_OF_SCOPE } from "../../../../shared/schemas/nlu.ts";
import { f64, item } from "./checked.ts";
import { quantizedProbabilities } from "./classifier.ts";
import { isValidTimezone } from "./entities/calendar.ts";
import { extractEmails, extractPhones } from "./entities/contact.ts";
import { extractFuzzyLookupEntities, extractLookupEntities, extractRegexEntities } from "./entities/custom.ts";
import { extractDateTimes } from "./entities/datetime.ts";
import { extractMoney } from "./entities/money.ts";
import { extractNumbers } from "./entities/number.ts";
import { resolveOverlaps } from "./entities/resolve.ts";
import { extractTaggedEntities } from "./entities/sequence.ts";
import type { Entity, ExtractionInput } from "./entities/types.ts";
import { detectLocale, languageOf, type LocaleDetection } from "../../../../shared/languages/index.ts";
import { repairHomophones } from "./homophones.ts";
import type { NluModel } from "./model.ts";
import { foldDiacritics, normalizeKeepingOffsets } from "./text.ts";
import { type Token, tokenize, tokenizeNormalized } from "./tokenize.ts";
import { vectorize } from "./vectorize.ts";

const TOP_INTENTS = 5;

/** Intent probabilities of a text (one per model.intents entry); `tokens` when the caller already has them. */
export function classify(model: NluModel, text: string, tokens: readonly Token[] = tokenize(text)): Float64Array {
  const vector = vectorize(tokens, model.vocabulary);
  const rows = new Int32Array(vector.columns.length);
  const values = new Float64Array(vector.columns.length);
  let count = 0;
  // Reads with `!`: vectorize's columns index the model's vocabulary, as long as rowOfColumn (checked.ts).
  for (let i = 0; i < vector.columns.length; i++) {
    const row = model.rowOfColumn[vector.columns[i]!]!;
    if (row < 0) continue;
    rows[count] = row;
    values[count] = vector.values[i]!;
    count++;
  }
  const out = new Float64Array(model.intents.length);
  quantizedProbabilities(rows, values, count, model.weights, model.scales, model.bias, model.temperature, out);
  return out;
}

export function rankIntents(model: NluModel, confidences: Float64Array, limit = TOP_INTENTS): IntentScore[] {
  const order = Array.from(confidences.keys()).sort((a, b) => f64(confidences, b) - f64(confidences, a) || a - b);
  return order.slice(0, limit).map((k) => ({ name: item(model.intents, k), confidence: round(f64(confidences, k)) }));
}

function round(confidence: number): number {
  return Math.min(1, Math.max(0, Math.round(confidence * 1e4) / 1e4));
}

/**
 * Entities of a text. `normalized` (normalizeKeepingOffsets of the text) and its `tokens` are passed
 * by parse, which computes them once per message.
 */
export function extractEntities(
  model: NluModel,
  text: string,
  locale: Locale,
  ctx: NluContext,
  normalized: string = normalizeKeepingOffsets(text),
  tokens: readonly Token[] = tokenizeNormalized(normalized),
): Entity[] {
  const parsedNow = ctx.now === undefined ? NaN : Date.parse(ctx.now);
  const input: ExtractionInput = {
    text,
    normalized,
    folded: foldDiacritics(normalized),
    locale,
    nowMs: Number.isFinite(parsedNow) ? parsedNow : Date.now(),
    timezone: ctx.timezone && isValidTimezone(ctx.timezone) ? ctx.timezone : "UTC",
  };
  const lookups = extractLookupEntities(input, model.custom);
  const regexes = extractRegexEntities(input, model.custom);
  const candidates = [...regexes, ...lookups, ...extractFuzzyLookupEntities(input, model.custom, [...regexes, ...lookups])];
  if (model.tagger) candidates.push(...extractTaggedEntities(input, tokens, lookups, model.tagger, model.custom));
  candidates.push(...extractEmails(input), ...extractMoney(input), ...extractDateTimes(input), ...extractPhones(input), ...extractNumbers(input));
  return resolveOverlaps(candidates);
}

export function parse(model: NluModel, text: string, ctx: NluContext): NluResult {
  const detection: LocaleDetection | { locale: Locale; evidence: "given" } =
    ctx.locale !== undefined ? { locale: ctx.locale, evidence: "given" } : detectLocale(text, model.locales, model.languageProfile);
  const { locale } = detection;
  const { normalized, tokens, intents } = readingOf(model, text);
  const best = intents[0] ?? { name: OUT_OF_SCOPE, confidence: 0 };
  // Below the threshold the bot should not act on its guess; the confidence then says how sure it is
  // that the message is out of scope.
  const intent = saysOnlyFillers(model, tokens) || onlyLaughs(model, tokens)
    ? { name: OUT_OF_SCOPE, confidence: 1 }
    : best.confidence >= model.threshold
      ? best
      : { name: OUT_OF_SCOPE, confidence: round(1 - best.confidence) };
  const afterDrop = classifyAfterDrop(model, normalized);
  const entities = extractEntities(model, text, locale, ctx, normalized, tokens);
  return { intent, intents, entities, locale, localeEvidence: detection.evidence, ...(afterDrop ? { afterDrop } : {}) };
}

/**
 * Is the message nothing but sounds that fill a pause, two different ones at least ("嗯嗯啊啊", "umm
 * uhh"; `fillers` of the model's languages)? The classifier may hear a yes in them (嗯 is one), but
 * the message says nothing to act on.
 */
function saysOnlyFillers(model: NluModel, tokens: readonly Token[]): boolean {
  const said = new Set<string>();
  for (const token of tokens) {
    if (token.kind === "punct") continue;
    if (!model.locales.some((locale) => languageOf(locale).fillers.includes(token.text))) return false;
    said.add(token.text);
  }
  return said.size >= 2;
}

/** Is the message laughter and nothing else ("hahaha", "哈哈哈", "jajaj", "lol"; `laughter` of the model's languages)? */
function onlyLaughs(model: NluModel, tokens: readonly Token[]): boolean {
  const said = tokens.flatMap((token) => (token.kind === "punct" ? [] : [token.text])).join("");
  if (said === "") return false;
  return model.locales.some((locale) => {
    const { syllables, words } = languageOf(locale).laughter;
    return words.includes(said) || syllables.some((syllable) => repeats(said, syllable));
  });
}

/** Is `text` `syllable` twice or more, perhaps cut short at the end ("jajaj")? */
function repeats(text: string, syllable: string): boolean {
  let at = 0;
  while (text.startsWith(syllable, at)) at += syllable.length;
  return at >= 2 * syllable.length && syllable.startsWith(text.slice(at));
}

interface Reading {
  /** normalizeKeepingOffsets of the message, or of its homophone repair (same offsets). */
  normalized: string;
  tokens: Token[];
  intents: IntentScore[];
}

/**
 * The message as typed, or its homophone repair ("ORD-2718281 的退宽到帐没" read as 退款到账;
 * homophones.ts) when that is understood better: its best intent surer, over the threshold and not out of scope, or a
 * lookup name in it that the message as typed does not hold (腾迅 read as 腾讯, a company). A
 * repair that helps neither is a guess with nothing to show for it, and the message is read as typed.
 */
function readingOf(model: NluModel, text: string): Reading {
  const normalized = normalizeKeepingOffsets(text);
  const tokens = tokenizeNormalized(normalized);
  const typed: Reading = { normalized, tokens, intents: rankIntents(model, classify(model, text, tokens)) };
  const repaired = repairHomophones(normalized, model.hanBigrams);
  if (repaired === undefined) return typed;
  const repairedTokens = tokenizeNormalized(repaired);
  const reading: Reading = { normalized: repaired, tokens: repairedTokens, intents: rankIntents(model, classify(model, repaired, repairedTokens)) };
  const typedBest = typed.intents[0]?.confidence ?? 0;
  const repairedBest = reading.intents[0] ?? { name: OUT_OF_SCOPE, confidence: 0 };
  // Surer that the message is out of scope is not understood better (路由器 read as 路由气).
  const surer = repairedBest.name !== OUT_OF_SCOPE && repairedBest.confidence >= model.threshold && repairedBest.confidence > typedBest;
  const lookups = lookupPhrasesIn(model, repaired) - lookupPhrasesIn(model, normalized);
  // Never at the cost of a name the message as typed holds.
  return lookups > 0 || (lookups === 0 && surer) ? reading : typed;
}

/** How many of the model's lookup names (companies, products …) `normalized` holds. */
function lookupPhrasesIn(model: NluModel, normalized: string): number {
  return model.custom.lookups.filter((lookup) => normalized.includes(lookup.phrase)).length;
}

/**
 * What a message asks after dropping what the user was doing ("actually never mind that, what's
 * Apple trading at?", "算了，还是帮我预约个门诊吧"): the drop words pull the whole message towards a no
 * (deny 0.88 for the second), so what follows the first drop phrase of the model's languages is
 * classified alone — the clause after it when there is one ("算了不问这个了，还是帮孩子约个医生吧": the
 * drop may go on past the phrase), else the rest of its own clause — the best intent, unthresholded.
 * Undefined when the message says no drop phrase, or fewer than two words (characters, in Chinese)
 * after it, or when what follows says what the user will do themselves ("I'll ask my doctor":
 * `ownPlans`). The dialogue Worker decides what the reading is worth (forms.ts `requestAfterDropping`):
 * only inside a form that can be cancelled, and only for a request that starts a form or runs an action.
 */
export function classifyAfterDrop(model: NluModel, normalized: string): IntentScore | undefined {
  const end = firstDropEnd(model, normalized);
  if (end === undefined) return undefined;
  const rest = normalized.slice(end);
  const boundary = clauseEnd(rest);
  for (const part of [boundary < 0 ? "" : rest.slice(boundary + 1), rest]) {
    const partTokens = tokenize(part);
    if (partTokens.length < 2) continue;
    // "算了算了，我去问医生": what the user will do themselves, not a request.
    return saysOwnPlan(model, part) ? undefined : rankIntents(model, classify(model, part, partTokens), 1)[0];
  }
  return undefined;
}

/** Where the drop phrase of the model's languages that starts first in `normalized` ends; undefined when there is none. */
function firstDropEnd(model: NluModel, normalized: string): number | undefined {
  let first: { at: number; end: number } | undefined;
  for (const locale of model.locales) {
    const { dropPhrases, segmentation } = languageOf(locale);
    for (const phrase of dropPhrases) {
      const at = findPhrase(normalized, phrase, segmentation === "words");
      if (at >= 0 && (first === undefined || at < first.at)) first = { at, end: at + phrase.length };
    }
  }
  return first?.end;
}

/** The index of the first clause-ending mark in `text` (each is one UTF-16 unit), or -1. */
function clauseEnd(text: string): number {
  for (let i = 0; i < text.length; i++) if (CLAUSE_ENDS.has(text.charAt(i))) return i;
  return -1;
}

/** Does `text` start with one of the model's languages' `ownPlans` ("I'll …", "我去…")? */
function saysOwnPlan(model: NluModel, text: string): boolean {
  const start = normalizeKeepingOffsets(text).trimStart() + " ";
  return model.locales.some((locale) => languageOf(locale).ownPlans.some((plan) => start.startsWith(plan)));
}

const CLAUSE_ENDS = new Set([..."，,。.;；!！?？"]);

/** Where `phrase` first occurs in `text` (both lowercase), as whole words when `words`; -1 when nowhere. */
function findPhrase(text: string, phrase: string, words: boolean): number {
  for (let at = text.indexOf(phrase); at >= 0; at = text.indexOf(phrase, at + 1)) {
    if (!words || (!isWordChar(text[at - 1]) && !isWordChar(text[at + phrase.length]))) return at;
  }
  return -1;
}

function isWordChar(char: string | undefined): boolean {
  return char !== undefined && /[\p{L}\p{N}']/u.test(char);
}
