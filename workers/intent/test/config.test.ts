// The intent Worker's own settings: parsed once, with their default in src/config.ts.
import { describe, expect, it } from "vitest";
import { intentConfig } from "../src/config.ts";

describe("intent Worker config", () => {
  it("defaults to no fault injection and parses each env object once", () => {
    const env = { DIALOGUE_QUEUE: {} };
    expect(intentConfig(env)).toEqual({ faultInjection: "off" });
    expect(intentConfig(env)).toBe(intentConfig(env));
    expect(intentConfig({ FAULT_INJECTION: "on" })).toEqual({ faultInjection: "on" });
  });

  it("names a malformed switch without echoing its value", () => {
    expect(() => intentConfig({ FAULT_INJECTION: "sometimes" })).toThrow(/FAULT_INJECTION/);
    expect(() => intentConfig({ FAULT_INJECTION: "sometimes" })).not.toThrow(/sometimes/);
  });
});
