import { hashString } from "../../../../../shared/hash.ts";
import { charStandsAlone } from "../../../../../shared/languages/index.ts";
import { expectLength } from "../checked.ts";
import type { Token } from "../tokenize.ts";

/** Word shape: "ORD-12" → "X-d", "iPhone" → "xXx", 12 → "d", 订 → "h". Runs collapse so shapes generalise. */
function shape(text: string): string {
  let out = "";
  for (const char of text) {
    const code = char.charCodeAt(0);
    const kind =
      code >= 0x30 && code <= 0x39 ? "d" : code >= 0x61 && code <= 0x7a ? "x" : code >= 0x41 && code <= 0x5a ? "X" : charStandsAlone(char) ? "h" : char;
    if (!out.endsWith(kind)) out += kind;
  }
  return out;
}

/** Mixes one more 32-bit value into a feature hash (FNV-style, then an avalanche shift). */
function mix(hash: number, value: number): number {
  let h = Math.imul(hash ^ value, 0x01000193);
  h ^= h >>> 15;
  return h >>> 0;
}

// One id per feature template; a feature's id mixes the template with the hashes of its parts.
const template = (name: string): number => hashString(`tagger:${name}`);
const T = {
  bias: template("bias"), w: template("w"), wPrev: template("w-1"), wNext: template("w+1"), wPrev2: template("w-2"), wNext2: template("w+2"),
  prevW: template("w-1w"), wNextPair: template("ww+1"), prev2Prev: template("w-2w-1"), nextNext2: template("w+1w+2"), around: template("w-1w+1"),
  shape: template("shape"), kind: template("kind"), p3: template("p3"), s3: template("s3"), s2: template("s2"),
  runLeft: template("c-2..0"), runRight: template("c0..2"), runMid: template("c-1..1"),
  lookup: template("lk"), lookupWord: template("lkw"), lookupPrev: template("lk-1"), lookupNext: template("lk+1"),
};
const START = hashString("<s>");
const END = hashString("</s>");

/**
 * Hashed features of each token for the sequence tagger: the token, its neighbours (±2), bigrams,
 * affixes, shape, and whether a lookup phrase of some entity covers it (`lookupTags[i]`, e.g. "B-product").
 * `originalText` is the message as typed (for case shape); tokens hold the lowercased text.
 * Ids are combined from per-word hashes (no feature strings are built: this runs for every message).
 */
export function tokenFeatureIds(tokens: readonly Token[], originalText: string, lookupTags: Array<string | undefined>): number[][] {
  const words = tokens.map((t) => (t.kind === "number" ? t.text.replace(/\d/g, "0") : t.text));
  const wordHashes = words.map((word) => hashString(word));
  const lookupHashes = lookupTags.map((tag) => (tag === undefined ? 0 : hashString(tag)));
  expectLength(lookupTags, tokens.length, "lookup tags");
  // Reads with `!`: every array here is one per token (checked.ts).
  const at = (i: number): number => (i < 0 ? START : i >= words.length ? END : wordHashes[i]!);
  const result: number[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const word = words[i]!;
    const w = at(i);
    const features = [
      T.bias, mix(T.w, w), mix(T.wPrev, at(i - 1)), mix(T.wNext, at(i + 1)), mix(T.wPrev2, at(i - 2)), mix(T.wNext2, at(i + 2)),
      mix(mix(T.prevW, at(i - 1)), w), mix(mix(T.wNextPair, w), at(i + 1)), mix(mix(T.prev2Prev, at(i - 2)), at(i - 1)),
      mix(mix(T.nextNext2, at(i + 1)), at(i + 2)), mix(mix(T.around, at(i - 1)), at(i + 1)),
      mix(T.shape, hashString(shape(originalText.slice(token.start, token.end)))), mix(T.kind, hashString(token.kind)),
    ];
    if (word.length > 3) {
      features.push(mix(T.p3, hashString(word.slice(0, 3))), mix(T.s3, hashString(word.slice(-3))), mix(T.s2, hashString(word.slice(-2))));
    }
    if (token.kind === "character") {
      // Chinese words span several character tokens: trigrams around the character help find their edges.
      features.push(
        mix(mix(mix(T.runLeft, at(i - 2)), at(i - 1)), w),
        mix(mix(mix(T.runRight, w), at(i + 1)), at(i + 2)),
        mix(mix(mix(T.runMid, at(i - 1)), w), at(i + 1)),
      );
    }
    const lookup = lookupHashes[i]!;
    if (lookup !== 0) features.push(mix(T.lookup, lookup), mix(mix(T.lookupWord, lookup), w));
    const previous = i > 0 ? lookupHashes[i - 1]! : 0;
    const next = i + 1 < tokens.length ? lookupHashes[i + 1]! : 0;
    if (previous !== 0) features.push(mix(T.lookupPrev, previous));
    if (next !== 0) features.push(mix(T.lookupNext, next));
    result.push(features);
  }
  return result;
}
