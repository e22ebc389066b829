import { describe, expect, it } from "vitest";
import { CHANNEL_API_DEFAULTS, CHANNEL_OPTIONAL_NAMES, CHANNEL_SECRET_NAMES, channelConfig, parseChannelConfig, perBotEnvName } from "./channel-config.ts";
import { isPlatformEnvName } from "./env.ts";

const slack = { SLACK_SIGNING_SECRET: "signing", SLACK_BOT_TOKEN: "xoxb-1" };
const telegram = { TELEGRAM_WEBHOOK_SECRET: "hook_secret-1", TELEGRAM_BOT_TOKEN: "1:abc" };

describe("channel configuration", () => {
  it("lists which bot listens on which channel, with the channel's credentials and the real APIs by default", () => {
    const config = parseChannelConfig({ STRATUS_CHANNELS: " slack:ecommerce , telegram:ecommerce,slack:finance ", ...slack, ...telegram });
    expect(config.listeners).toEqual([
      { channel: "slack", bot: "ecommerce" },
      { channel: "telegram", bot: "ecommerce" },
      { channel: "slack", bot: "finance" },
    ]);
    expect(config.listens("slack", "ecommerce")).toBe(true);
    expect(config.listens("telegram", "finance")).toBe(false);
    expect(config.secrets("slack", "finance")).toEqual({ signingSecret: "signing", botToken: "xoxb-1" });
    expect(config.secrets("line", "ecommerce")).toBeUndefined();
    expect(config.api).toEqual(CHANNEL_API_DEFAULTS);
  });

  it("takes a bot's own credentials over the deployment's (a second app on the same platform)", () => {
    const config = parseChannelConfig({
      STRATUS_CHANNELS: "slack:ecommerce,slack:finance-desk",
      ...slack,
      [perBotEnvName("SLACK_BOT_TOKEN", "finance-desk")]: "xoxb-finance",
      SLACK_SIGNING_SECRET__FINANCE_DESK: "finance-signing",
    });
    expect(config.secrets("slack", "ecommerce")).toEqual({ signingSecret: "signing", botToken: "xoxb-1" });
    expect(config.secrets("slack", "finance-desk")).toEqual({ signingSecret: "finance-signing", botToken: "xoxb-finance" });
  });

  it("names every missing credential and bad setting at once, never a value", () => {
    const parse = () =>
      parseChannelConfig({
        STRATUS_CHANNELS: "slack:ecommerce,fax:ecommerce,teams:Finance,telegram:ecommerce,telegram:ecommerce",
        SLACK_SIGNING_SECRET: "s3cr3t-value",
        TELEGRAM_WEBHOOK_SECRET: "has spaces and s3cr3t",
        TELEGRAM_BOT_TOKEN: "1:abc",
        STRATUS_LINE_API_URL: "ftp://s3cr3t.example",
      });
    expect(parse).toThrow(/neither SLACK_BOT_TOKEN__ECOMMERCE nor SLACK_BOT_TOKEN is set/);
    expect(parse).toThrow(/"fax:ecommerce" is not channel:bot/);
    expect(parse).toThrow(/"teams:Finance" does not name a bot id/);
    expect(parse).toThrow(/"telegram:ecommerce" is listed twice/);
    expect(parse).toThrow(/TELEGRAM_WEBHOOK_SECRET \(for ecommerce\): Telegram takes/);
    expect(parse).toThrow(/STRATUS_LINE_API_URL: must be an http\(s\) URL/);
    expect(parse).not.toThrow(/s3cr3t/);
  });

  it("points every platform at a local imitation when told, and Teams at a single tenant's token endpoint", () => {
    const config = parseChannelConfig({
      STRATUS_CHANNELS: "teams:shop",
      TEAMS_APP_ID: "app",
      TEAMS_APP_PASSWORD: "password",
      TEAMS_TENANT_ID: "72f988bf-86f1-41af-91ab-2d7cd011db47",
      STRATUS_SLACK_API_URL: "http://127.0.0.1:8790/slack/api/",
    });
    expect(config.api.slack).toBe("http://127.0.0.1:8790/slack/api");
    const teams = config.secrets("teams", "shop");
    expect(teams).toEqual({ appId: "app", appPassword: "password", tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47" });
    expect(teams && config.teamsTokenUrl(teams)).toBe("https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47/oauth2/v2.0/token");
    const local = parseChannelConfig({ STRATUS_CHANNELS: "teams:shop", TEAMS_APP_ID: "a", TEAMS_APP_PASSWORD: "p", TEAMS_TENANT_ID: "t", STRATUS_TEAMS_TOKEN_URL: "http://127.0.0.1:1/teams/token" });
    const localTeams = local.secrets("teams", "shop");
    expect(localTeams && local.teamsTokenUrl(localTeams)).toBe("http://127.0.0.1:1/teams/token");
  });

  it("serves no channel when STRATUS_CHANNELS is unset, and parses each env object once", () => {
    const env = {};
    expect(channelConfig(env).listeners).toEqual([]);
    expect(channelConfig(env)).toBe(channelConfig(env));
  });

  it("keeps every channel setting out of bots' reach: all are platform env names", () => {
    const names = [
      ...Object.values(CHANNEL_SECRET_NAMES).flatMap((fields) => Object.values(fields)),
      ...Object.values(CHANNEL_OPTIONAL_NAMES).flatMap((fields) => Object.values(fields) as string[]),
      "STRATUS_CHANNELS",
      perBotEnvName("LINE_CHANNEL_SECRET", "health"),
    ];
    for (const name of names) expect(isPlatformEnvName(name), name).toBe(true);
  });
});
