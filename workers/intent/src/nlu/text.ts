/** Normalisation shared by the tokenizer, features and entity extractors. */

/**
 * Length-preserving normalisation: lowercase and full-width ASCII → half-width, so that
 * offsets computed on the normalised text are offsets into the original message.
 */
export function normalizeKeepingOffsets(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xff01 && code <= 0xff5e) out += String.fromCharCode(code - 0xfee0);
    else if (code === 0x3000) out += " ";
    else if (code === 0x2019 || code === 0x2018) out += "'";
    else out += text[i] ?? "";
  }
  const lowered = out.toLowerCase();
  // toLowerCase can change length for a few exotic characters (e.g. "İ"); keep the original then.
  return lowered.length === out.length ? lowered : out;
}

/**
 * Latin letters with diacritics → their base letter (á → a, ñ → n, ü → u), one UTF-16 unit for one.
 * Built once from Unicode's canonical decompositions; letters without one (ß, æ, ø) are kept.
 */
const FOLDED_LETTERS = (() => {
  const table = new Uint16Array(0x1f00);
  for (let code = 0xc0; code < table.length; code++) {
    const decomposed = String.fromCharCode(code).normalize("NFD");
    const base = decomposed.charCodeAt(0);
    const isAsciiLetter = (base >= 0x41 && base <= 0x5a) || (base >= 0x61 && base <= 0x7a);
    if (decomposed.length > 1 && isAsciiLetter && /^\p{M}+$/u.test(decomposed.slice(1))) table[code] = base;
  }
  return table;
})();
const HAS_DIACRITIC = /[\u00c0-\u1eff]/u;

/**
 * The text with diacritics folded, same length (offsets carry over): the built-in extractors read
 * it, so "mañana" and "manana", "miércoles" and "miercoles" (both are typed) match one pattern.
 * Intent features and the tagger keep the diacritics, which tell words and names apart.
 */
export function foldDiacritics(text: string): string {
  if (!HAS_DIACRITIC.test(text)) return text;
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    const folded = code < FOLDED_LETTERS.length ? (FOLDED_LETTERS[code] ?? 0) : 0;
    out += folded === 0 ? (text[i] ?? "") : String.fromCharCode(folded);
  }
  return out;
}

/**
 * Normalised form of an entity phrase (lookup phrases, synonym keys and the spans looked up in them):
 * trimmed, folded as in normalizeKeepingOffsets, inner whitespace collapsed to one space.
 */
export function normalizePhrase(phrase: string): string {
  return normalizeKeepingOffsets(phrase.trim()).replace(/\s+/g, " ");
}
