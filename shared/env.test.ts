import { describe, expect, it } from "vitest";
import { definePlatformEnv, envParser, isPlatformEnvName, optionalStringVar, positiveIntVar, switchVar } from "./env.ts";

describe("platform env names", () => {
  it("reserves the platform's secrets, knobs and prefixes, and nothing a bot would name", () => {
    for (const name of ["TOKEN_SECRET", "OPERATOR_API_KEY", "METRICS_TOKEN", "LLM_API_KEY", "LLM_ANYTHING", "STRATUS_SHARDS", "FAULT_INJECTION", "FAULT_THROW_RATE", "FAULT_STALL_RATE", "FAULT_STALL_MS", "SLACK_BOT_TOKEN", "TEAMS_APP_PASSWORD", "TELEGRAM_BOT_TOKEN", "WHATSAPP_ACCESS_TOKEN", "LINE_CHANNEL_SECRET", "WECHAT_APP_SECRET"]) {
      expect(isPlatformEnvName(name)).toBe(true);
    }
    for (const name of ["ORDER_API_URL", "ORDER_API_TOKEN", "MARKET_API_URL", "LLMX"]) expect(isPlatformEnvName(name)).toBe(false);
  });

  it("accepts only platform names as a Worker's env keys", () => {
    definePlatformEnv({ TURN_TIMEOUT_MS: positiveIntVar(15_000), LLM_MODEL: optionalStringVar() });
    // @ts-expect-error ORDER_API_URL belongs to bots, not to the platform.
    definePlatformEnv({ ORDER_API_URL: optionalStringVar() });
  });
});

describe("envParser", () => {
  const parse = envParser(
    definePlatformEnv({ TURN_TIMEOUT_MS: positiveIntVar(15_000), FAULT_INJECTION: switchVar("off"), LLM_API_KEY: optionalStringVar() }),
  );

  it("applies the defaults in one place and parses each env object once", () => {
    const env = { TURN_TIMEOUT_MS: "2000" };
    const config = parse(env);
    expect(config).toEqual({ TURN_TIMEOUT_MS: 2000, FAULT_INJECTION: "off", LLM_API_KEY: undefined });
    expect(parse(env)).toBe(config);
    expect(parse({ LLM_API_KEY: "  " }).LLM_API_KEY).toBeUndefined();
  });

  it("names the bad var without echoing its value", () => {
    expect(() => parse({ TURN_TIMEOUT_MS: "soon", LLM_API_KEY: "sk-secret" })).toThrow(/TURN_TIMEOUT_MS/);
    expect(() => parse({ FAULT_INJECTION: "sk-secret-value" })).not.toThrow(/sk-secret-value/);
    expect(() => parse({ FAULT_INJECTION: "sk-secret-value" })).toThrow(/FAULT_INJECTION/);
  });
});
