import { describe, expect, it } from "vitest";
import { expectLength, f64, item, num } from "../../src/nlu/checked.ts";
import { quantizedProbabilities } from "../../src/nlu/classifier.ts";

describe("checked reads in the NLU kernels", () => {
  it("return the element, and throw a RangeError naming a read out of range instead of giving undefined", () => {
    expect(f64(Float64Array.of(0.5, 2), 1)).toBe(2);
    expect(num([3, 4], 0)).toBe(3);
    expect(() => f64(new Float64Array(2), 2)).toThrow(RangeError);
    expect(() => item(["a"], 5)).toThrow(/index 5 of an array of length 1/);
    expect(() => expectLength([1, 2], 3, "bias")).toThrow(/bias has 2 elements, needs 3/);
  });

  it("refuse a kernel call whose arrays are too short, where an unchecked read would rank intents by NaN", () => {
    const out = new Float64Array(2);
    const call = (): void => quantizedProbabilities(Int32Array.of(0), Float64Array.of(1), 1, Int8Array.of(1, 2), Float64Array.of(1, 1), Float64Array.of(0), 1, out);
    expect(call).toThrow(/bias has 1 elements, needs 2/);
  });
});
