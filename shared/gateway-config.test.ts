import { describe, expect, it } from "vitest";
import { gatewayConfig } from "./gateway-config.ts";

describe("gateway config", () => {
  const secrets = { TOKEN_SECRET: "token-secret", OPERATOR_API_KEY: "operator-key", METRICS_TOKEN: "metrics-token" };

  it("gives the watchdog its defaults when wrangler.toml sets no vars, and takes set ones", () => {
    expect(gatewayConfig({ ...secrets })).toEqual({
      ...secrets,
      TURN_TIMEOUT_MS: 15_000,
      MAX_TURN_ATTEMPTS: 3,
      STRATUS_DIRECTORY_REFRESH_MS: 10_000,
      STRATUS_RETENTION_DAYS: 30,
      STRATUS_TOKEN_TTL_SECONDS: 7 * 86_400,
      STRATUS_MAX_CONVERSATION_MESSAGES: 2_000,
      STRATUS_MAX_CONVERSATION_BYTES: 1_000_000,
      STRATUS_ANALYTICS_SHARDS: 1,
      STRATUS_DIRECTORY_SHARDS: 1,
      STRATUS_DEAD_LETTER_SHARDS: 1,
      STRATUS_PROFILE_RETENTION_DAYS: 365,
      STRATUS_USER_TOKEN_MAX_LIFETIME_S: 86_400,
    });
    expect(gatewayConfig({ ...secrets, STRATUS_ANALYTICS_SHARDS: "4" }).STRATUS_ANALYTICS_SHARDS).toBe(4);
    expect(() => gatewayConfig({ ...secrets, STRATUS_DIRECTORY_SHARDS: "0" })).toThrow(/STRATUS_DIRECTORY_SHARDS/);
    expect(gatewayConfig({ ...secrets, STRATUS_TOKEN_TTL_SECONDS: "3600" }).STRATUS_TOKEN_TTL_SECONDS).toBe(3600);
    expect(() => gatewayConfig({ ...secrets, STRATUS_TOKEN_TTL_SECONDS: "0" })).toThrow(/STRATUS_TOKEN_TTL_SECONDS/);
    expect(gatewayConfig({ ...secrets, STRATUS_DIRECTORY_REFRESH_MS: "500" }).STRATUS_DIRECTORY_REFRESH_MS).toBe(500);
    expect(() => gatewayConfig({ ...secrets, STRATUS_DIRECTORY_REFRESH_MS: "0" })).toThrow(/STRATUS_DIRECTORY_REFRESH_MS/);
    expect(gatewayConfig({ ...secrets, STRATUS_RETENTION_DAYS: "0" }).STRATUS_RETENTION_DAYS).toBe(0);
    expect(() => gatewayConfig({ ...secrets, STRATUS_RETENTION_DAYS: "-1" })).toThrow(/STRATUS_RETENTION_DAYS/);
    expect(gatewayConfig({ ...secrets, TURN_TIMEOUT_MS: "2000", MAX_TURN_ATTEMPTS: "2" })).toMatchObject({
      TURN_TIMEOUT_MS: 2000,
      MAX_TURN_ATTEMPTS: 2,
    });
  });

  it("refuses a missing secret or a bad number by name, without echoing values", () => {
    expect(() => gatewayConfig({ OPERATOR_API_KEY: "operator-key" })).toThrow(/TOKEN_SECRET/);
    expect(() => gatewayConfig({ ...secrets, MAX_TURN_ATTEMPTS: "0" })).toThrow(/MAX_TURN_ATTEMPTS/);
    expect(() => gatewayConfig({ ...secrets, TURN_TIMEOUT_MS: "soon" })).not.toThrow(/operator-key|token-secret|metrics-token/);
  });
});
