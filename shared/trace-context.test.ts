import { describe, expect, it } from "vitest";
import { TraceparentFieldSchema } from "./schemas/trace.ts";
import { childSpan, continueTrace, formatTraceparent, parseTraceparent } from "./trace-context.ts";

const VALID = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

describe("W3C traceparent", () => {
  it("reads a valid header, and writes it back the same", () => {
    const context = parseTraceparent(VALID);
    expect(context).toEqual({ traceId: "4bf92f3577b34da6a3ce929d0e0e4736", spanId: "00f067aa0ba902b7", flags: "01" });
    expect(context && formatTraceparent(context)).toBe(VALID);
  });

  it.each([
    ["garbage", "not a trace"],
    ["an all-zero trace id", "00-00000000000000000000000000000000-00f067aa0ba902b7-01"],
    ["an all-zero parent id", "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01"],
    ["upper-case hex", "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01"],
    ["a short trace id", "00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01"],
    ["version ff", "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"],
    ["version 00 with extra fields", `${VALID}-extra`],
    ["an empty header", ""],
  ])("ignores %s", (_, header) => {
    expect(parseTraceparent(header)).toBeUndefined();
  });

  it("reads a later version's first four fields and ignores what follows", () => {
    expect(parseTraceparent("cc-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes-next")).toMatchObject({
      traceId: "4bf92f3577b34da6a3ce929d0e0e4736",
    });
  });

  it("continues a valid trace in a new span, and starts a new trace for anything else", () => {
    const continued = continueTrace(VALID);
    expect(continued.traceId).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    expect(continued.spanId).toMatch(/^[0-9a-f]{16}$/);
    expect(continued.spanId).not.toBe("00f067aa0ba902b7");
    expect(childSpan(continued).traceId).toBe(continued.traceId);
    const fresh = continueTrace("00-00000000000000000000000000000000-00f067aa0ba902b7-01");
    expect(fresh.traceId).toMatch(/^[0-9a-f]{32}$/);
    expect(fresh.traceId).not.toBe("00000000000000000000000000000000");
    expect(fresh.flags).toBe("00");
  });

  it("drops a malformed traceparent inside a message instead of failing it", () => {
    expect(TraceparentFieldSchema.parse(VALID)).toBe(VALID);
    expect(TraceparentFieldSchema.parse("nonsense")).toBeUndefined();
    expect(TraceparentFieldSchema.parse(42)).toBeUndefined();
    expect(TraceparentFieldSchema.parse(undefined)).toBeUndefined();
  });
});
