/**
 * Which characters stand alone as tokens: those of a script whose languages write without spaces
 * (`segmentation: "characters"` in LANGUAGES, e.g. Chinese). Tokenizers split every such character
 * into a token of its own; words are recovered by character n-grams, so no dictionary is needed.
 */
import { LANGUAGES } from "./languages.ts";
import { SCRIPTS, type ScriptName } from "./scripts.ts";

/** Scripts written without spaces, from the languages that use them. */
export const CHARACTER_SCRIPTS: readonly ScriptName[] = [
  ...new Set(Object.values(LANGUAGES).filter((language) => language.segmentation === "characters").map((language) => language.script)),
];

// Flat [from, to, from, to, …] ranges: this runs for every character of every message.
const RANGES = Int32Array.from(CHARACTER_SCRIPTS.flatMap((script) => SCRIPTS[script].flat()));

/** True for a UTF-16 code unit of a script written without spaces. */
export function standsAlone(code: number): boolean {
  for (let i = 0; i < RANGES.length; i += 2) {
    if (code >= (RANGES[i] ?? 0) && code <= (RANGES[i + 1] ?? -1)) return true;
  }
  return false;
}

/** `standsAlone` for the first code unit of a string (a character of a token, a phrase's edge). */
export function charStandsAlone(char: string): boolean {
  return standsAlone(char.charCodeAt(0));
}
