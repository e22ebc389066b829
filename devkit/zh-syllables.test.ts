// The syllable table the NLU's homophone repair reads (shared/languages/zh-syllables.ts) is the one
// devkit/zh-syllables.ts builds from pinyin-pro: rebuild it with `node devkit/zh-syllables.ts`.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { commonCharacters, TABLE_FILE, tableSource } from "./zh-syllables.ts";

describe("the Chinese syllable table", () => {
  it("is current, and holds each of the 3,755 common characters once", () => {
    expect(readFileSync(TABLE_FILE, "utf8")).toBe(tableSource());
    const characters = [...readFileSync(TABLE_FILE, "utf8").matchAll(/[a-z]+:(\p{Script=Han}+)/gu)].flatMap((match) => [...(match[1] ?? "")]);
    expect(characters).toHaveLength(3755);
    expect(new Set(characters)).toEqual(new Set(commonCharacters()));
  });
});
