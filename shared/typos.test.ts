import { describe, expect, it } from "vitest";
import { closestWord, isRepairableWord } from "./typos.ts";

const vocabulary = ["card", "cough", "nvidia", "overdraft", "payment", "rate", "smaller", "thing"].sort();

describe("typo repair", () => {
  it("reads a mistyped word as the closest word the bot knows", () => {
    expect(closestWord("paymnt", vocabulary)).toBe("payment");
    expect(closestWord("nvidai", vocabulary)).toBe("nvidia");
    expect(closestWord("overdarft", vocabulary)).toBe("overdraft");
  });

  it("repairs a five-letter word only by a swap of neighbouring letters", () => {
    expect(closestWord("couhg", vocabulary)).toBe("cough");
    expect(closestWord("think", vocabulary)).toBeUndefined();
  });

  it("never changes the first letter, and leaves short words and other scripts alone", () => {
    expect(closestWord("smelly", vocabulary)).toBeUndefined();
    expect(closestWord("xough", vocabulary)).toBeUndefined();
    expect(isRepairableWord("card")).toBe(false);
    expect(closestWord("crad", vocabulary)).toBeUndefined();
    expect(isRepairableWord("信用卡")).toBe(false);
  });
});

describe("typo repair down to four letters, where the caller allows it (FAQ questions)", () => {
  it("repairs a four-letter word by a swap of neighbours only", () => {
    expect(closestWord("crad", vocabulary, { minLetters: 4 })).toBe("card");
    expect(closestWord("raet", vocabulary, { minLetters: 4 })).toBe("rate");
    // One letter changed is another word too often ("cart", "race").
    expect(closestWord("cart", vocabulary, { minLetters: 4 })).toBeUndefined();
    expect(closestWord("rote", vocabulary, { minLetters: 4 })).toBeUndefined();
    // Three letters are never repaired, whatever the caller allows: "cta" is "cat" with two neighbours swapped.
    expect(closestWord("cta", [...vocabulary, "cat"].sort(), { minLetters: 3 })).toBeUndefined();
  });
});
