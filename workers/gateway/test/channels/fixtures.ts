// Test fixtures for the channel webhooks: a deployment's channel env, requests as each platform
// builds them, and signatures computed with Node's own crypto exactly as each platform documents
// (an implementation independent of the Web Crypto code under test).
import { createHash, createHmac } from "node:crypto";
import { parseChannelConfig, type ChannelConfig } from "../../../../shared/channel-config.ts";
import type { ChannelName } from "../../../../shared/schemas/channels.ts";
import type { ChannelRequest, InboundContext } from "../../src/channels/types.ts";

export const SECRETS = {
  SLACK_SIGNING_SECRET: "8f742231b10e8888abcd99yyyzzz85a5",
  SLACK_BOT_TOKEN: "xoxb-test-bot-token",
  TEAMS_APP_ID: "6b2c5b1e-3a3d-4c59-9a2e-0d7f1f2e3a4b",
  TEAMS_APP_PASSWORD: "teams-app-password",
  TELEGRAM_WEBHOOK_SECRET: "telegram_Webhook-Secret_123",
  TELEGRAM_BOT_TOKEN: "123456789:AAE-telegram-bot-token",
  WHATSAPP_APP_SECRET: "whatsapp-app-secret",
  WHATSAPP_VERIFY_TOKEN: "whatsapp-verify-token",
  WHATSAPP_ACCESS_TOKEN: "EAA-whatsapp-access-token",
  LINE_CHANNEL_SECRET: "line-channel-secret",
  LINE_CHANNEL_ACCESS_TOKEN: "line-channel-access-token",
  WECHAT_TOKEN: "wechat-token",
  WECHAT_APP_ID: "wx0123456789abcdef",
  WECHAT_APP_SECRET: "wechat-app-secret",
} as const;

export const BOT = "shop";

/** Every channel for the bot `shop`, the platforms' APIs at `apiBase` (the demo services) when given. */
export function channelEnv(apiBase?: string): Record<string, string> {
  return {
    STRATUS_CHANNELS: "slack:shop, teams:shop, telegram:shop, whatsapp:shop, line:shop, wechat:shop",
    ...SECRETS,
    ...(apiBase === undefined
      ? {}
      : {
          STRATUS_SLACK_API_URL: `${apiBase}/slack/api`,
          STRATUS_TEAMS_OPENID_URL: `${apiBase}/teams/openid`,
          STRATUS_TEAMS_TOKEN_URL: `${apiBase}/teams/token`,
          STRATUS_TELEGRAM_API_URL: `${apiBase}/telegram`,
          STRATUS_WHATSAPP_API_URL: `${apiBase}/whatsapp`,
          STRATUS_LINE_API_URL: `${apiBase}/line`,
          STRATUS_WECHAT_API_URL: `${apiBase}/wechat`,
        }),
  };
}

export const channelConfigFor = (apiBase?: string): ChannelConfig => parseChannelConfig(channelEnv(apiBase));

export function request(options: { method?: string; url?: string; headers?: Record<string, string>; body?: string }): ChannelRequest {
  return {
    method: options.method ?? "POST",
    url: new URL(options.url ?? "https://stratus.example/v1/channels/x/shop"),
    headers: new Headers(options.headers ?? {}),
    body: new TextEncoder().encode(options.body ?? ""),
  };
}

/** 2026-11-24T10:00:00Z: the clock of the tests that sign with a timestamp. */
export const NOW = Date.UTC(2026, 10, 24, 10, 0, 0);

export function context(channel: ChannelName, req: ChannelRequest, overrides: Partial<InboundContext> = {}): InboundContext {
  return { channel, bot: BOT, request: req, config: channelConfigFor(), now: NOW, fetch, ...overrides };
}

/** Slack: `v0=` + hex HMAC-SHA256 of `v0:{timestamp}:{body}` under the signing secret. */
export function slackHeaders(body: string, timestamp = Math.floor(NOW / 1000), secret: string = SECRETS.SLACK_SIGNING_SECRET): Record<string, string> {
  const signature = `v0=${createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex")}`;
  return { "Content-Type": "application/json", "X-Slack-Request-Timestamp": String(timestamp), "X-Slack-Signature": signature };
}

/** WhatsApp (Meta): `sha256=` + hex HMAC-SHA256 of the raw body under the app secret. */
export const whatsappSignature = (body: string, secret: string = SECRETS.WHATSAPP_APP_SECRET): string =>
  `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;

/** LINE: base64 HMAC-SHA256 of the raw body under the channel secret. */
export const lineSignature = (body: string, secret: string = SECRETS.LINE_CHANNEL_SECRET): string =>
  createHmac("sha256", secret).update(body).digest("base64");

/** WeChat: hex SHA-1 of the token, timestamp and nonce, sorted lexicographically and joined. */
export function weChatQuery(timestamp: string, nonce: string, token: string = SECRETS.WECHAT_TOKEN): URLSearchParams {
  const signature = createHash("sha1").update([token, timestamp, nonce].sort().join("")).digest("hex");
  return new URLSearchParams({ signature, timestamp, nonce });
}
