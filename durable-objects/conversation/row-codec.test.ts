import { describe, expect, it } from "vitest";
import { decodeRowBody, encodeRowBody, textBytes, textBytesOfStored } from "./row-codec.ts";

/** Bytes a stored body takes. */
const storedBytes = (stored: string | Uint8Array): number => (typeof stored === "string" ? textBytes(stored) : stored.byteLength);

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

  it("tells the bytes of text a compressed body holds from its first five bytes, however well it compressed", () => {
    const body = JSON.stringify({ x: "我".repeat(800) });
    const stored = encodeRowBody(body);
    if (typeof stored === "string") throw new Error("expected a compressed body");
    expect(storedBytes(stored)).toBeLessThan(100);
    expect(textBytesOfStored(stored.slice(0, 5).buffer, storedBytes(stored))).toBe(textBytes(body));
    expect(textBytes(body)).toBe(2400 + 8);
    // A text body (no head) counts as stored.
    expect(textBytesOfStored(null, 17)).toBe(17);
  });

  it("refuses a BLOB of a format it does not know instead of reading garbage", () => {
    expect(() => decodeRowBody(new Uint8Array([9, 1, 2, 3]).buffer)).toThrow(/unknown format 9/);
  });
});
