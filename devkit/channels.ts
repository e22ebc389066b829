// The messaging channels on a local stack (docs/channels.md): development credentials for every
// platform, the gateway vars that point the platforms' APIs at the demo services' imitations
// (demo/channel-platforms.ts), and inbound webhook requests signed exactly as each platform signs
// them (with Node's own crypto, independent of the gateway's Web Crypto checks). Used by `npm run dev`
// (cli/dev.ts), the end-to-end tests (test/pipeline/channels*.test.ts) and anyone with curl.
import { createHash, createHmac, randomBytes, randomUUID } from "node:crypto";
import { CHANNEL_API_URL_NAMES, CHANNEL_SECRET_NAMES, CHANNELS_VAR } from "../shared/channel-config.ts";
import { CHANNEL_NAMES, type ChannelName } from "../shared/schemas/channels.ts";

const random = (): string => randomBytes(24).toString("base64url");

/**
 * A development value of every channel credential: random, in each platform's shape where it has
 * one. They only ever meet the local imitations.
 */
export const CHANNEL_DEV_SECRETS: Record<string, () => string> = {
  SLACK_SIGNING_SECRET: () => randomBytes(16).toString("hex"),
  SLACK_BOT_TOKEN: () => `xoxb-dev-${random()}`,
  TEAMS_APP_ID: () => randomUUID(),
  TEAMS_APP_PASSWORD: random,
  // Telegram takes 1–256 characters of A-Z, a-z, 0-9, _ and - as a webhook secret: base64url fits.
  TELEGRAM_WEBHOOK_SECRET: random,
  TELEGRAM_BOT_TOKEN: () => `${100000000 + Math.floor(Math.random() * 900000000)}:${random()}`,
  WHATSAPP_APP_SECRET: () => randomBytes(16).toString("hex"),
  WHATSAPP_VERIFY_TOKEN: random,
  WHATSAPP_ACCESS_TOKEN: () => `EAAdev${random()}`,
  LINE_CHANNEL_SECRET: () => randomBytes(16).toString("hex"),
  LINE_CHANNEL_ACCESS_TOKEN: random,
  WECHAT_TOKEN: () => randomBytes(16).toString("hex"),
  WECHAT_APP_ID: () => `wx${randomBytes(8).toString("hex")}`,
  WECHAT_APP_SECRET: () => randomBytes(16).toString("hex"),
};

/** Every channel secret's env name (what a local config's `[secrets] required` must list for wrangler dev to pass them on). */
export const CHANNEL_SECRET_ENV_NAMES: string[] = CHANNEL_NAMES.flatMap((channel) => Object.values(CHANNEL_SECRET_NAMES[channel]));

export const newChannelSecrets = (): Record<string, string> => Object.fromEntries(Object.entries(CHANNEL_DEV_SECRETS).map(([name, make]) => [name, make()]));

/** The gateway vars that make `bot` listen on every channel, each platform's API at the demo services (`demoUrl`). */
export function localChannelVars(bot: string, demoUrl: string): Record<string, string> {
  const base = demoUrl.replace(/\/$/, "");
  return {
    [CHANNELS_VAR]: CHANNEL_NAMES.map((channel) => `${channel}:${bot}`).join(","),
    [CHANNEL_API_URL_NAMES.slack]: `${base}/slack/api`,
    [CHANNEL_API_URL_NAMES.teamsOpenId]: `${base}/teams/openid`,
    [CHANNEL_API_URL_NAMES.teamsToken]: `${base}/teams/token`,
    [CHANNEL_API_URL_NAMES.telegram]: `${base}/telegram`,
    [CHANNEL_API_URL_NAMES.whatsapp]: `${base}/whatsapp`,
    [CHANNEL_API_URL_NAMES.line]: `${base}/line`,
    [CHANNEL_API_URL_NAMES.wechat]: `${base}/wechat`,
  };
}

/** One user message as a platform delivers it. `messageId` is the platform's own id, kept by a repeat. */
export interface InboundMessage {
  /** The chat (a Slack DM channel, a Teams conversation, a Telegram chat id, a phone number, a LINE user, an OpenID). */
  chatId: string;
  userId?: string;
  /** Slack event_id, Teams activity id, Telegram update_id (digits), WhatsApp wamid, LINE webhookEventId, WeChat MsgId (digits). */
  messageId: string;
  text: string;
}

export interface SigningOptions {
  secrets: Record<string, string>;
  /** The demo services' URL: Teams activities carry it as their serviceUrl (`<demo>/teams`). */
  demoUrl: string;
  /** Teams: a Bot Connector token for the activity (the imitation's `signTeamsToken`). */
  teamsToken?: (claims: { appId: string; serviceUrl: string }) => Promise<string>;
  /** Unix seconds of the signature (Slack's replay window, WeChat's timestamp); now by default. */
  timestamp?: number;
  /** Sign with this secret instead (a forged request). */
  wrongSecret?: string;
  /** Slack: the retry header Slack sets on a repeated delivery. */
  retryNum?: number;
}

export interface SignedRequest {
  /** Path and query on the gateway. */
  path: string;
  init: { method: "POST"; headers: Record<string, string>; body: string };
}

const secretOf = (options: SigningOptions, name: string): string => options.wrongSecret ?? options.secrets[name] ?? "";

/** A user message as `channel` delivers it to `/v1/channels/{channel}/{bot}`, signed as the platform signs it. */
export async function signedInbound(channel: ChannelName, bot: string, message: InboundMessage, options: SigningOptions): Promise<SignedRequest> {
  const path = `/v1/channels/${channel}/${bot}`;
  const user = message.userId ?? message.chatId;
  const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000);
  const json = (body: unknown, headers: Record<string, string>): SignedRequest => ({
    path,
    init: { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: JSON.stringify(body) },
  });
  switch (channel) {
    case "slack": {
      const body = JSON.stringify({
        type: "event_callback",
        team_id: "T0DEV",
        api_app_id: "A0DEV",
        event_id: message.messageId,
        event_time: timestamp,
        event: { type: "message", channel: message.chatId, channel_type: "im", user, text: message.text, ts: `${timestamp}.000100` },
      });
      const signature = `v0=${createHmac("sha256", secretOf(options, "SLACK_SIGNING_SECRET")).update(`v0:${timestamp}:${body}`).digest("hex")}`;
      const headers: Record<string, string> = { "Content-Type": "application/json", "X-Slack-Request-Timestamp": String(timestamp), "X-Slack-Signature": signature };
      if (options.retryNum !== undefined) Object.assign(headers, { "X-Slack-Retry-Num": String(options.retryNum), "X-Slack-Retry-Reason": "http_timeout" });
      return { path, init: { method: "POST", headers, body } };
    }
    case "teams": {
      const serviceUrl = `${options.demoUrl.replace(/\/$/, "")}/teams`;
      const appId = options.secrets.TEAMS_APP_ID ?? "";
      if (options.teamsToken === undefined) throw new Error("a Teams activity needs teamsToken (the imitation's signTeamsToken)");
      const token = await options.teamsToken({ appId, serviceUrl });
      return json(
        {
          type: "message",
          id: message.messageId,
          timestamp: new Date(timestamp * 1000).toISOString(),
          serviceUrl,
          channelId: "msteams",
          from: { id: `29:${user}` },
          recipient: { id: "28:stratus-dev-bot" },
          conversation: { id: message.chatId, conversationType: "personal" },
          text: message.text,
          textFormat: "plain",
        },
        { Authorization: `Bearer ${token}` },
      );
    }
    case "telegram":
      return json(
        {
          update_id: Number(message.messageId),
          message: { message_id: Number(message.messageId) % 1_000_000, from: { id: Number(user), is_bot: false }, chat: { id: Number(message.chatId), type: "private" }, date: timestamp, text: message.text },
        },
        { "X-Telegram-Bot-Api-Secret-Token": secretOf(options, "TELEGRAM_WEBHOOK_SECRET") },
      );
    case "whatsapp": {
      const body = JSON.stringify({
        object: "whatsapp_business_account",
        entry: [
          {
            id: "WABA-DEV",
            changes: [
              {
                field: "messages",
                value: {
                  messaging_product: "whatsapp",
                  metadata: { display_phone_number: "15550000000", phone_number_id: "1065000000" },
                  messages: [{ from: message.chatId, id: message.messageId, timestamp: String(timestamp), type: "text", text: { body: message.text } }],
                },
              },
            ],
          },
        ],
      });
      const signature = `sha256=${createHmac("sha256", secretOf(options, "WHATSAPP_APP_SECRET")).update(body).digest("hex")}`;
      return { path, init: { method: "POST", headers: { "Content-Type": "application/json", "X-Hub-Signature-256": signature }, body } };
    }
    case "line": {
      const body = JSON.stringify({
        destination: "Udev",
        events: [
          {
            type: "message",
            mode: "active",
            timestamp: timestamp * 1000,
            webhookEventId: message.messageId,
            deliveryContext: { isRedelivery: false },
            source: { type: "user", userId: message.chatId },
            message: { type: "text", id: message.messageId.replace(/\D/g, "") || "1", text: message.text },
          },
        ],
      });
      const signature = createHmac("sha256", secretOf(options, "LINE_CHANNEL_SECRET")).update(body).digest("base64");
      return { path, init: { method: "POST", headers: { "Content-Type": "application/json", "X-Line-Signature": signature }, body } };
    }
    case "wechat": {
      const nonce = randomBytes(6).toString("hex");
      const signature = createHash("sha1").update([secretOf(options, "WECHAT_TOKEN"), String(timestamp), nonce].sort().join("")).digest("hex");
      const query = new URLSearchParams({ signature, timestamp: String(timestamp), nonce });
      const cdata = (text: string) => `<![CDATA[${text.replaceAll("]]>", "]]]]><![CDATA[>")}]]>`;
      const body = `<xml><ToUserName>${cdata("gh_dev")}</ToUserName><FromUserName>${cdata(message.chatId)}</FromUserName><CreateTime>${timestamp}</CreateTime><MsgType>${cdata("text")}</MsgType><Content>${cdata(message.text)}</Content><MsgId>${message.messageId}</MsgId></xml>`;
      return { path: `${path}?${query.toString()}`, init: { method: "POST", headers: { "Content-Type": "text/xml" }, body } };
    }
  }
}

/**
 * A local gateway config (JSON, written by devkit/queue-shard-configs.ts) that listens on every
 * channel for `bot` with the platforms' APIs at the demo services: the vars, and the channel secrets
 * in `[secrets] required` — when that list exists, `wrangler dev` passes on only the secrets it names
 * from .dev.vars. The committed config lists none: a deployment without channels needs none.
 */
export function withLocalChannels<T extends Record<string, unknown>>(config: T, bot: string, demoUrl: string): T {
  const vars = (config.vars ?? {}) as Record<string, string>;
  const secrets = (config.secrets ?? {}) as { required?: string[] };
  return {
    ...config,
    vars: { ...vars, ...localChannelVars(bot, demoUrl) },
    secrets: { ...secrets, required: [...new Set([...(secrets.required ?? []), ...CHANNEL_SECRET_ENV_NAMES])] },
  };
}
