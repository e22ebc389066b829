import { describe, expect, it } from "vitest";
import { decodeRowBody, encodeRowBody, storedBytes } from "./row-codec.ts";

const asStored = (stored: string | Uint8Array): string | ArrayBuffer => (typeof stored === "string" ? stored : stored.slice().buffer);

describe("a log row's stored body", () => {
  it("is compressed when that is smaller, and read back as the same JSON", () => {
    const body = JSON.stringify({
      m: [{ x: "Why are you returning it? Tell me in your own words, or pick one.", rs: "utter_ask_return_reason", q: ["Damaged", "Wrong item", "Wrong size"] }],
      n: { i: "return_item", c: 0.9999, k: ["ask_faq", 0.0001], l: "en", v: "detected" },
      z: "bot",
      s: { activeForm: { name: "return_form", requestedSlot: "return_reason", invalidAttempts: 0, confirming: null }, lastIntent: "return_item", lastLocale: "en" },
    });
    const stored = encodeRowBody(body);
    expect(stored).toBeInstanceOf(Uint8Array);
    expect(storedBytes(stored)).toBeLessThan(0.6 * body.length);
    expect(decodeRowBody(asStored(stored))).toBe(body);
  });

  it("keeps short or incompressible bodies as text, and reads text as it is", () => {
    expect(encodeRowBody('{"x":"hi"}')).toBe('{"x":"hi"}');
    const random = JSON.stringify({ x: [...crypto.getRandomValues(new Uint8Array(48))].map((byte) => String.fromCharCode(0x4e00 + byte * 37)).join("") });
    const stored = encodeRowBody(random);
    expect(decodeRowBody(asStored(stored))).toBe(random);
    expect(decodeRowBody("{\"x\":\"older row\"}")).toBe("{\"x\":\"older row\"}");
  });

  it("refuses a BLOB of a format it does not know instead of reading garbage", () => {
    expect(() => decodeRowBody(new Uint8Array([9, 1, 2, 3]).buffer)).toThrow(/unknown format 9/);
  });
});
