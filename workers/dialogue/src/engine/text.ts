/** Text normalisation shared by conditions, form answers and cancel words. */
import { languageOf, type Locale } from "../../../../shared/languages/index.ts";

/**
 * Lowercase, NFKC (full-width → ASCII), Latin letters without their accents (people type "cancela"
 * for "cancelá"; other scripts' marks carry meaning and stay), curly → straight apostrophes,
 * collapsed whitespace.
 */
export function normalizeText(text: string): string {
  const cached = normalizedTexts.get(text);
  if (cached !== undefined) return cached;
  const normalized = normalizeUncached(text);
  // The bot's own words (cancel words, quick replies, FAQ questions) are normalised again on every
  // turn; short texts are kept, at most NORMALIZED_CACHE_SIZE of them per isolate (then started afresh).
  if (text.length <= NORMALIZED_CACHE_MAX_LENGTH) {
    if (normalizedTexts.size >= NORMALIZED_CACHE_SIZE) normalizedTexts.clear();
    normalizedTexts.set(text, normalized);
  }
  return normalized;
}

const NORMALIZED_CACHE_SIZE = 4096;
const NORMALIZED_CACHE_MAX_LENGTH = 200;
const normalizedTexts = new Map<string, string>();

function normalizeUncached(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .normalize("NFD")
    .replace(/(\p{Script=Latin})\p{M}+/gu, "$1")
    .normalize("NFC")
    .replace(/[\u2018\u2019\u02bc]/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** Normalised, without punctuation at the ends: "Cancel!" and "cancel" are the same answer. */
export function normalizeAnswer(text: string): string {
  return trimEdges(normalizeText(text));
}

const EDGE_CHARACTER = /^[\p{P}\p{S}\s]$/u;

/**
 * `text` without punctuation, symbols and spaces at either end, by walking in from each end: the
 * pattern `[…]+$` would read a run of them inside the text again from each of its positions.
 */
function trimEdges(text: string): string {
  const characters = [...text];
  let start = 0;
  let end = characters.length;
  while (start < end && EDGE_CHARACTER.test(characters[start] ?? "")) start++;
  while (end > start && EDGE_CHARACTER.test(characters[end - 1] ?? "")) end--;
  return characters.slice(start, end).join("");
}

const ASCII_WORD = /^[a-z0-9' -]+$/;

/**
 * Does `text` (normalised) contain `term`? ASCII terms match whole words only, so "other" is not
 * found in "mother"; other scripts (Chinese) have no word boundaries and match as substrings.
 */
export function containsTerm(text: string, term: string): boolean {
  const needle = normalizeText(term);
  if (needle === "") return false;
  if (!ASCII_WORD.test(needle)) return text.includes(needle);
  let from = 0;
  for (;;) {
    const at = text.indexOf(needle, from);
    if (at < 0) return false;
    const before = at === 0 ? "" : text.charAt(at - 1);
    const after = text.charAt(at + needle.length);
    if (!/[a-z0-9]/.test(before) && !/[a-z0-9]/.test(after)) return true;
    from = at + 1;
  }
}

/**
 * A message written as a question: it ends with a question mark (any script's), opens with «¿», or
 * asks in Chinese's A-not-A form ("你们发不发加拿大", "有没有", "能不能"), a question by its grammar
 * that is typed without the mark as often as with it.
 */
export function isQuestion(text: string): boolean {
  const trimmed = text.trim();
  return /[?？]$/.test(trimmed) || trimmed.startsWith("¿") || A_NOT_A.test(trimmed);
}

/** A Chinese verb or adjective, 不 or 没, and the same again: 发不发, 是不是, 有没有, 可不可(以). */
const A_NOT_A = /(\p{Script=Han})[不没]\1/u;

/**
 * A message that asks rather than answers: written as a question (`isQuestion`), or, in a language
 * whose questions often go without the mark (Chinese: `questionWords` in shared/languages), one
 * that ends with a question particle ("…到了吗") or asks with a question word ("这个订单现在是什么
 * 状态") — unless the word means "any" there ("什么时候都行"). Such a message is never read as an
 * answer in free words; it is not enough to be taken for a side question (the FAQ still wants the
 * question mark there: a question word alone is weaker evidence).
 */
export function asksSomething(text: string, locale: Locale): boolean {
  if (isQuestion(text)) return true;
  const language = languageOf(locale);
  const marks = language.questionWords;
  if (!marks) return false;
  // As written (accents kept: they mark the Spanish question words), lowercase.
  const bare = trimEdges(text.normalize("NFKC").toLowerCase().replace(/\s+/g, " "));
  if (marks.finalParticles.some((particle) => bare.endsWith(particle))) return true;
  const words = language.segmentation === "characters" ? undefined : new Set(bare.split(NON_LETTERS));
  const has = (word: string): boolean => (words === undefined ? bare.includes(word) : words.has(word));
  return marks.words.some(has) && !marks.indefinite.some(has);
}

const NON_LETTERS = /[^\p{L}\p{M}]+/u;
