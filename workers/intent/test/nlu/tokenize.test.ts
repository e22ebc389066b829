import { describe, expect, it } from "vitest";
import { tokenize } from "../../src/nlu/tokenize.ts";

describe("tokenize", () => {
  it("splits English into lowercase words, numbers and punctuation with offsets into the original", () => {
    const text = "Where's my ORDER #42, please?";
    const tokens = tokenize(text);
    expect(tokens.map((t) => t.text)).toEqual(["where's", "my", "order", "#", "42", ",", "please", "?"]);
    expect(tokens.map((t) => t.kind)).toEqual(["word", "word", "word", "punct", "number", "punct", "word", "punct"]);
    for (const token of tokens) expect(text.slice(token.start, token.end).toLowerCase()).toBe(token.text);
  });

  it("makes every Han character a token and keeps Latin runs inside Chinese whole", () => {
    const tokens = tokenize("我要听tfboys的歌");
    expect(tokens.map((t) => t.text)).toEqual(["我", "要", "听", "tfboys", "的", "歌"]);
    expect(tokens[3]).toMatchObject({ start: 3, end: 9, kind: "word" });
  });

  it("folds full-width characters without moving offsets", () => {
    const tokens = tokenize("ＡＢＣ１２３元");
    expect(tokens.map((t) => t.text)).toEqual(["abc123", "元"]);
    expect(tokens[1]).toMatchObject({ start: 6, end: 7 });
  });
});
