import { standsAlone } from "../../../../shared/languages/index.ts";
import { normalizeKeepingOffsets } from "./text.ts";

/** `character`: one character of a script written without spaces (Chinese), see shared/languages. */
export type TokenKind = "word" | "number" | "character" | "punct";

/** A token of the normalised text; `start`/`end` are UTF-16 offsets into the original text. */
export interface Token {
  text: string;
  start: number;
  end: number;
  kind: TokenKind;
}

// A run of letters/digits (with inner apostrophes, dots between digits), or one other symbol; runs are
// then split where a character of a script written without spaces stands alone.
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['.,][\p{L}\p{N}]+)*|\S/gu;

/**
 * Splits text into tokens: each character of a script written without spaces (Han) is a token of its
 * own (words are recovered by n-gram features and the tagger), runs of letters/digits are one token,
 * punctuation is one token each.
 */
export function tokenize(text: string): Token[] {
  return tokenizeNormalized(normalizeKeepingOffsets(text));
}

/** `tokenize` for text already passed through normalizeKeepingOffsets (parse normalises once per message). */
export function tokenizeNormalized(normalized: string): Token[] {
  const tokens: Token[] = [];
  for (const match of normalized.matchAll(TOKEN)) {
    const run = match[0];
    const base = match.index;
    // A run may mix scripts ("tfboys唱"): split the characters that stand alone out.
    let segmentStart = 0;
    for (let i = 0; i < run.length; i++) {
      if (!standsAlone(run.charCodeAt(i))) continue;
      if (i > segmentStart) pushRun(tokens, run.slice(segmentStart, i), base + segmentStart);
      tokens.push({ text: run[i] ?? "", start: base + i, end: base + i + 1, kind: "character" });
      segmentStart = i + 1;
    }
    if (segmentStart < run.length) pushRun(tokens, run.slice(segmentStart), base + segmentStart);
  }
  return tokens;
}

function pushRun(tokens: Token[], run: string, start: number): void {
  const kind: TokenKind = /^\d[\d.,]*$/.test(run) ? "number" : /[\p{L}\p{N}]/u.test(run) ? "word" : "punct";
  tokens.push({ text: run, start, end: start + run.length, kind });
}
