import { describe, expect, it } from "vitest";
import { closestWord, isRepairableWord } from "./typos.ts";

const vocabulary = ["cough", "nvidia", "overdraft", "payment", "smaller", "thing"].sort();

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
    expect(isRepairableWord("信用卡")).toBe(false);
  });
});
