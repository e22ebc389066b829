import { hashString } from "../hash.ts";
import type { Token } from "../tokenize.ts";

/** Word shape: "ORD-12" → "X-d", "iPhone" → "xXx", 12 → "d". Runs collapse so shapes generalise. */
function shape(text: string): string {
  let out = "";
  for (const char of text) {
    const kind = /\d/.test(char) ? "d" : /[a-z]/.test(char) ? "x" : /[A-Z]/.test(char) ? "X" : /[\u3400-\u9fff]/.test(char) ? "h" : char;
    if (!out.endsWith(kind)) out += kind;
  }
  return out;
}

/**
 * Hashed features of each token for the sequence tagger: the token, its neighbours (±2), bigrams,
 * affixes, shape, and whether a lookup phrase of some entity covers it (`lookupTags[i]`, e.g. "B-product").
 * `originalText` is the message as typed (for case shape); tokens hold the lowercased text.
 */
export function tokenFeatureIds(tokens: Token[], originalText: string, lookupTags: Array<string | undefined>): number[][] {
  const words = tokens.map((t) => (t.kind === "number" ? t.text.replace(/\d/g, "0") : t.text));
  const at = (i: number): string => (i < 0 ? "<s>" : i >= words.length ? "</s>" : (words[i] as string));
  const result: number[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    const word = at(i);
    const features = [
      "bias", `w=${word}`, `w-1=${at(i - 1)}`, `w+1=${at(i + 1)}`, `w-2=${at(i - 2)}`, `w+2=${at(i + 2)}`,
      `w-1w=${at(i - 1)}|${word}`, `ww+1=${word}|${at(i + 1)}`, `w-2w-1=${at(i - 2)}|${at(i - 1)}`, `w+1w+2=${at(i + 1)}|${at(i + 2)}`,
      `w-1w+1=${at(i - 1)}|${at(i + 1)}`,
      `shape=${shape(originalText.slice(token.start, token.end))}`, `kind=${token.kind}`,
    ];
    if (word.length > 3) features.push(`p3=${word.slice(0, 3)}`, `s3=${word.slice(-3)}`, `s2=${word.slice(-2)}`);
    if (token.kind === "han") {
      // Chinese words span several character tokens: trigrams around the character help find their edges.
      features.push(`c-2..0=${at(i - 2)}${at(i - 1)}${word}`, `c0..2=${word}${at(i + 1)}${at(i + 2)}`, `c-1..1=${at(i - 1)}${word}${at(i + 1)}`);
    }
    const lookup = lookupTags[i];
    if (lookup !== undefined) features.push(`lk=${lookup}`, `lkw=${lookup}|${word}`);
    if (lookupTags[i - 1] !== undefined) features.push(`lk-1=${lookupTags[i - 1]}`);
    if (lookupTags[i + 1] !== undefined) features.push(`lk+1=${lookupTags[i + 1]}`);
    result.push(features.map(hashString));
  }
  return result;
}
