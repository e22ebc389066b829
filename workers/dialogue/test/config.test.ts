// The dialogue Worker's own settings: parsed once, with their defaults in src/config.ts.
import { describe, expect, it } from "vitest";
import { dialogueConfig } from "../src/config.ts";

describe("dialogue Worker config", () => {
  it("defaults: no fault injection, no LLM fallback", () => {
    expect(dialogueConfig({ ORDER_API_URL: "http://127.0.0.1:8790" })).toEqual({
      faults: { injection: "off", throwRate: 0, stallRate: 0, stallMs: 20_000 },
      llm: undefined,
    });
  });

  it("turns the LLM fallback on only when base URL, key and model are all set", () => {
    const all = { LLM_BASE_URL: "https://llm.example/v1", LLM_API_KEY: " sk-test ", LLM_MODEL: "tiny" };
    expect(dialogueConfig(all).llm).toEqual({ baseUrl: "https://llm.example/v1", apiKey: "sk-test", model: "tiny" });
    expect(dialogueConfig({ ...all, LLM_MODEL: "" }).llm).toBeUndefined();
    expect(dialogueConfig({ LLM_BASE_URL: all.LLM_BASE_URL, LLM_MODEL: all.LLM_MODEL }).llm).toBeUndefined();
  });

  it("names a malformed setting without echoing any value", () => {
    const bad = { LLM_BASE_URL: "llm.example/v1", LLM_API_KEY: "sk-do-not-print", LLM_MODEL: "tiny" };
    expect(() => dialogueConfig(bad)).toThrow(/LLM_BASE_URL: must be an http\(s\) URL/);
    expect(() => dialogueConfig(bad)).not.toThrow(/sk-do-not-print|llm\.example/);
    expect(() => dialogueConfig({ FAULT_INJECTION: "yes" })).toThrow(/FAULT_INJECTION/);
    expect(() => dialogueConfig({ FAULT_STALL_RATE: "1.5" })).toThrow(/FAULT_STALL_RATE:/);
    expect(() => dialogueConfig({ FAULT_STALL_RATE: "1.5" })).not.toThrow(/1\.5/);
  });

  it("reads the same fault vars as the intent Worker", () => {
    const env = { FAULT_INJECTION: "on", FAULT_THROW_RATE: "0.05", FAULT_STALL_RATE: "0.1", FAULT_STALL_MS: "3000" };
    expect(dialogueConfig(env).faults).toEqual({ injection: "on", throwRate: 0.05, stallRate: 0.1, stallMs: 3000 });
  });
});
