/**
 * Homophone repair for Chinese. Chinese is typed by sound: a pinyin keyboard offers every character
 * of a syllable, and the typo is a neighbour of the right one in that list (退宽 for 退款, 腾迅 for
 * 腾讯, 道账 for 到账). A character that makes no word the bot knows with either neighbour is read as
 * the one character of its syllable that does (shared/languages/zh-syllables.ts holds the syllables
 * of the common characters). The words the bot knows are the two-character runs of its training
 * examples, lookup names and synonyms (`hanBigrams`, built when the model is trained).
 *
 * The repair only proposes a reading: parse keeps it only when it is understood better than what
 * was typed (parse.ts), since a message may hold words the bot has never seen that are no typo.
 */
import { ZH_SYLLABLES } from "../../../../shared/languages/zh-syllables.ts";

const HAN = /^\p{Script=Han}$/u;

/** Every two-character run of Han characters in `texts`, sorted and concatenated (the artifact's `hanBigrams`). */
export function hanBigramsOf(texts: Iterable<string>): string {
  const bigrams = new Set<string>();
  for (const text of texts) {
    const chars = [...text];
    for (let i = 0; i + 1 < chars.length; i++) {
      const pair = `${chars[i] ?? ""}${chars[i + 1] ?? ""}`;
      if (pair.length === 2 && HAN.test(pair.charAt(0)) && HAN.test(pair.charAt(1))) bigrams.add(pair);
    }
  }
  return [...bigrams].sort().join("");
}

/** The artifact's `hanBigrams` string as a set of pairs. */
export function decodeHanBigrams(concatenated: string): Set<string> {
  const bigrams = new Set<string>();
  for (let i = 0; i + 1 < concatenated.length; i += 2) bigrams.add(concatenated.slice(i, i + 2));
  return bigrams;
}

interface SyllableTable {
  syllableOf: Map<string, string>;
  charactersOf: Map<string, string>;
}

let table: SyllableTable | undefined;

/** The syllable table, parsed on first use (once per isolate). */
function syllables(): SyllableTable {
  if (table) return table;
  const syllableOf = new Map<string, string>();
  const charactersOf = new Map<string, string>();
  for (const group of ZH_SYLLABLES.split(" ")) {
    const [syllable = "", characters = ""] = group.split(":");
    charactersOf.set(syllable, characters);
    for (const character of characters) syllableOf.set(character, syllable);
  }
  table = { syllableOf, charactersOf };
  return table;
}

/**
 * `normalized` with each Han character that makes no known word with either neighbour replaced by
 * the one character of its syllable that does; undefined when nothing is replaced. Characters of
 * the BMP only (every common character is), so the result has the same length and offsets. When
 * two characters of the syllable would do, the character is left alone: the repair is a guess only
 * where there is one answer.
 */
export function repairHomophones(normalized: string, known: ReadonlySet<string>): string | undefined {
  if (known.size === 0) return undefined;
  const { syllableOf, charactersOf } = syllables();
  const out = normalized.split("");
  let repaired = false;
  for (let i = 0; i < out.length; i++) {
    const character = out[i] ?? "";
    if (!HAN.test(character)) continue;
    // The left neighbour as repaired, the right one as typed.
    const left = i > 0 && HAN.test(out[i - 1] ?? "") ? (out[i - 1] ?? "") : "";
    const right = i + 1 < out.length && HAN.test(out[i + 1] ?? "") ? (out[i + 1] ?? "") : "";
    if (left === "" && right === "") continue;
    if ((left !== "" && known.has(left + character)) || (right !== "" && known.has(character + right))) continue;
    const syllable = syllableOf.get(character);
    if (syllable === undefined) continue;
    let best = "";
    let bestScore = 0;
    let tied = false;
    for (const candidate of charactersOf.get(syllable) ?? "") {
      if (candidate === character) continue;
      const score = (left !== "" && known.has(left + candidate) ? 1 : 0) + (right !== "" && known.has(candidate + right) ? 1 : 0);
      if (score > bestScore) {
        best = candidate;
        bestScore = score;
        tied = false;
      } else if (score === bestScore && score > 0) {
        tied = true;
      }
    }
    if (bestScore > 0 && !tied) {
      out[i] = best;
      repaired = true;
    }
  }
  return repaired ? out.join("") : undefined;
}
