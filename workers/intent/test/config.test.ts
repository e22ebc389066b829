// The intent Worker's own settings: parsed once, with the fault vars' defaults in shared/fault-settings.ts.
import { describe, expect, it } from "vitest";
import { intentConfig } from "../src/config.ts";

const NO_FAULTS = { injection: "off", throwRate: 0, stallRate: 0, stallMs: 20_000 };

describe("intent Worker config", () => {
  it("defaults to no fault injection and parses each env object once", () => {
    const env = { DIALOGUE_QUEUE: {} };
    expect(intentConfig(env)).toEqual({ faults: NO_FAULTS });
    expect(intentConfig(env)).toBe(intentConfig(env));
    expect(intentConfig({ FAULT_INJECTION: "on" })).toEqual({ faults: { ...NO_FAULTS, injection: "on" } });
  });

  it("reads the fault rates and the stall", () => {
    const env = { FAULT_INJECTION: "on", FAULT_THROW_RATE: "0.1", FAULT_STALL_RATE: "0.25", FAULT_STALL_MS: "1500" };
    expect(intentConfig(env).faults).toEqual({ injection: "on", throwRate: 0.1, stallRate: 0.25, stallMs: 1500 });
    expect(intentConfig({ FAULT_THROW_RATE: "1" }).faults.throwRate).toBe(1);
  });

  it("names a malformed switch without echoing its value", () => {
    expect(() => intentConfig({ FAULT_INJECTION: "sometimes" })).toThrow(/FAULT_INJECTION/);
    expect(() => intentConfig({ FAULT_INJECTION: "sometimes" })).not.toThrow(/sometimes/);
  });

  it.each([
    ["FAULT_THROW_RATE", "1.75"],
    ["FAULT_THROW_RATE", "-0.5"],
    ["FAULT_STALL_RATE", "often"],
    ["FAULT_STALL_MS", "0.25"],
  ])("rejects %s=%s, naming the var and not its value", (name, value) => {
    const parse = () => intentConfig({ [name]: value });
    expect(parse).toThrow(new RegExp(`${name}:`));
    expect(parse).not.toThrow(value);
  });

  it("rejects rates that add up to more than every delivery", () => {
    expect(() => intentConfig({ FAULT_THROW_RATE: "0.6", FAULT_STALL_RATE: "0.5" })).toThrow(/FAULT_STALL_RATE: FAULT_THROW_RATE and FAULT_STALL_RATE add up to more than 1/);
  });
});
