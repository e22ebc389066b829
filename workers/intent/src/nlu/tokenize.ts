import { isHan, normalizeKeepingOffsets } from "./text.ts";

export type TokenKind = "word" | "number" | "han" | "punct";

/** A token of the normalised text; `start`/`end` are UTF-16 offsets into the original text. */
export interface Token {
  text: string;
  start: number;
  end: number;
  kind: TokenKind;
}

// A Latin/digit run (with inner apostrophes, dots between digits), one Han character, or one other symbol.
const TOKEN = /[\p{L}\p{M}\p{N}]+(?:['.,][\p{L}\p{N}]+)*|\S/gu;

/**
 * Splits text into tokens: each Han character is a token of its own (Chinese words are recovered by
 * n-gram features and the tagger), runs of letters/digits are one token, punctuation is one token each.
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
    // A run may mix Latin and Han characters ("tfboys唱"): split Han characters out.
    let segmentStart = 0;
    for (let i = 0; i < run.length; i++) {
      const char = run[i] ?? "";
      if (!isHan(char)) continue;
      if (i > segmentStart) pushRun(tokens, run.slice(segmentStart, i), base + segmentStart);
      tokens.push({ text: char, start: base + i, end: base + i + 1, kind: "han" });
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
