/**
 * Typo repair for the words a bot knows (its FAQ's words, an enum slot's example words, its entities'
 * lookup names): a word the bot does not know is read as the closest one it does, within the edits a
 * typo allows ("paymnt" → payment, "couhg" → cough, "nvidai" → nvidia). Used by the dialogue engine
 * (faq/bm25.ts, free-words.ts) and the NLU's lookup entities (workers/intent/src/nlu/entities/custom.ts).
 *
 * Relative imports carry `.ts` so Node-run scripts can load this file.
 */

/** Repaired words have at least this many letters: among shorter words one edit away is too often another word. */
export const MIN_REPAIRABLE_LETTERS = 5;

/**
 * Words shorter than this are repaired only by a swap of neighbouring letters ("couhg" → cough): one
 * letter changed, added or dropped in a five-letter word is too often another word ("think" is not "thing").
 */
const ANY_EDIT_MIN_LETTERS = 6;

/**
 * The shortest word a swap of two neighbouring letters is repaired in where the caller allows it
 * ("crad" → card, "raet" → rate in FAQ questions): a swap that leaves the first letter in place
 * rarely turns one four-letter word into another the index knows.
 */
export const MIN_SWAP_REPAIRABLE_LETTERS = 4;

/** How far repair reaches: `minLetters` (default MIN_REPAIRABLE_LETTERS) down to MIN_SWAP_REPAIRABLE_LETTERS. */
export interface RepairOptions {
  minLetters?: number;
}

/** A word typos are repaired in: letters of a space-separated language, `minLetters` (default MIN_REPAIRABLE_LETTERS) or more of them. */
export function isRepairableWord(token: string, minLetters: number = MIN_REPAIRABLE_LETTERS): boolean {
  return token.length >= minLetters && /^[a-z\u00c0-\u024f]+$/.test(token);
}

/**
 * The closest word of `vocabulary` (sorted, repairable words only) to `token` within the edits a typo
 * allows — one up to eight letters, two from nine on; a swap of neighbours is one edit — starting
 * with the same letter (people rarely mistype the first one; "smelly" must not become "smaller");
 * a word of five letters (or four, where `options.minLetters` allows) only by a swap of neighbours.
 * Ties go to the word first in the vocabulary's order. Undefined when none is close enough or the
 * token is not a repairable word.
 */
export function closestWord(token: string, vocabulary: readonly string[], options: RepairOptions = {}): string | undefined {
  const minLetters = Math.max(MIN_SWAP_REPAIRABLE_LETTERS, options.minLetters ?? MIN_REPAIRABLE_LETTERS);
  if (!isRepairableWord(token, minLetters)) return undefined;
  const allowed = token.length >= 9 ? 2 : 1;
  let closest: string | undefined;
  let closestDistance = allowed + 1;
  for (const word of vocabulary) {
    if (word[0] !== token[0] || Math.abs(word.length - token.length) > allowed) continue;
    const distance = editDistance(token, word, closestDistance - 1);
    if (token.length < ANY_EDIT_MIN_LETTERS && !isNeighbourSwap(token, word)) continue;
    if (distance < closestDistance) {
      closest = word;
      closestDistance = distance;
    }
  }
  return closest;
}

/** Is `b` the word `a` with two neighbouring letters swapped? */
function isNeighbourSwap(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  const differ = [...a].flatMap((char, i) => (char === b[i] ? [] : [i]));
  const [first, second] = differ;
  return differ.length === 2 && first !== undefined && second === first + 1 && a[first] === b[second] && a[second] === b[first];
}

/** Damerau–Levenshtein distance (optimal string alignment), or `limit + 1` once it must exceed `limit`. */
export function editDistance(a: string, b: string, limit = Infinity): number {
  let previousPrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMinimum = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (previousPrevious[j - 2] ?? 0) + 1);
      current.push(value);
      rowMinimum = Math.min(rowMinimum, value);
    }
    if (rowMinimum > limit) return limit + 1;
    previousPrevious = previous;
    previous = current;
  }
  return previous[b.length] ?? 0;
}
