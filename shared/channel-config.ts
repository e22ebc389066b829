/**
 * Which bot listens on which messaging channel, each pair's credentials, and the platforms' API base
 * URLs, parsed once per env object from the gateway's env (docs/channels.md, "Configuration").
 *
 *   STRATUS_CHANNELS="slack:ecommerce,telegram:ecommerce,teams:finance"
 *
 * Each channel's secrets have one env name per deployment (`SLACK_SIGNING_SECRET`); a second bot on
 * the same channel is a second app on the platform, so any name may be given per bot with the bot id
 * in upper case after two underscores (`SLACK_SIGNING_SECRET__FINANCE`, `-` written `_`), which wins
 * over the plain name for that bot. Every name here is a platform name (shared/env.ts): no bot
 * template or action can read it.
 *
 * A listed pair without all its credentials fails loudly, naming the missing vars and never a value.
 */
import { z } from "zod";
import { CHANNEL_NAMES, ChannelNameSchema, type ChannelName } from "./schemas/channels.ts";
import { BotIdSchema } from "./schemas/catalog.ts";

/** The secrets each channel needs, by field: the env name of each. */
export const CHANNEL_SECRET_NAMES = {
  slack: { signingSecret: "SLACK_SIGNING_SECRET", botToken: "SLACK_BOT_TOKEN" },
  teams: { appId: "TEAMS_APP_ID", appPassword: "TEAMS_APP_PASSWORD" },
  telegram: { webhookSecret: "TELEGRAM_WEBHOOK_SECRET", botToken: "TELEGRAM_BOT_TOKEN" },
  whatsapp: { appSecret: "WHATSAPP_APP_SECRET", verifyToken: "WHATSAPP_VERIFY_TOKEN", accessToken: "WHATSAPP_ACCESS_TOKEN" },
  line: { channelSecret: "LINE_CHANNEL_SECRET", channelAccessToken: "LINE_CHANNEL_ACCESS_TOKEN" },
  wechat: { token: "WECHAT_TOKEN", appId: "WECHAT_APP_ID", appSecret: "WECHAT_APP_SECRET" },
} as const satisfies Record<ChannelName, Record<string, string>>;

/** Settings a channel may have: Teams' tenant, for a single-tenant bot's token endpoint. */
export const CHANNEL_OPTIONAL_NAMES = {
  slack: {},
  teams: { tenantId: "TEAMS_TENANT_ID" },
  telegram: {},
  whatsapp: {},
  line: {},
  wechat: {},
} as const satisfies Record<ChannelName, Record<string, string>>;

type Fields<T> = { -readonly [K in keyof T]: string };
type OptionalFields<T> = { -readonly [K in keyof T]?: string };
export type ChannelSecrets = {
  [C in ChannelName]: Fields<(typeof CHANNEL_SECRET_NAMES)[C]> & OptionalFields<(typeof CHANNEL_OPTIONAL_NAMES)[C]>;
};

/** Every platform's API base URL: the real service by default, a local imitation in development and tests. */
export const CHANNEL_API_URL_NAMES = {
  slack: "STRATUS_SLACK_API_URL",
  teamsOpenId: "STRATUS_TEAMS_OPENID_URL",
  teamsToken: "STRATUS_TEAMS_TOKEN_URL",
  telegram: "STRATUS_TELEGRAM_API_URL",
  whatsapp: "STRATUS_WHATSAPP_API_URL",
  line: "STRATUS_LINE_API_URL",
  wechat: "STRATUS_WECHAT_API_URL",
} as const;

export const CHANNEL_API_DEFAULTS: Record<keyof typeof CHANNEL_API_URL_NAMES, string> = {
  slack: "https://slack.com/api",
  teamsOpenId: "https://login.botframework.com/v1/.well-known/openidconfiguration",
  teamsToken: "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token",
  telegram: "https://api.telegram.org",
  whatsapp: "https://graph.facebook.com/v23.0",
  line: "https://api.line.me",
  wechat: "https://api.weixin.qq.com",
};
export type ChannelApiUrls = Record<keyof typeof CHANNEL_API_URL_NAMES, string>;

export const CHANNELS_VAR = "STRATUS_CHANNELS";

export interface ChannelListener {
  channel: ChannelName;
  bot: string;
}

export interface ChannelConfig {
  /** The (channel, bot) pairs this deployment serves, in the order STRATUS_CHANNELS lists them. */
  readonly listeners: readonly ChannelListener[];
  listens(channel: ChannelName, bot: string): boolean;
  /** The pair's credentials, or undefined when the pair is not listed. */
  secrets<C extends ChannelName>(channel: C, bot: string): ChannelSecrets[C] | undefined;
  readonly api: ChannelApiUrls;
  /** The Bot Framework token endpoint for a Teams bot (its tenant's, for a single-tenant bot). */
  teamsTokenUrl(secrets: ChannelSecrets["teams"]): string;
}

/** The env name of `name` for one bot: `SLACK_BOT_TOKEN__FINANCE`. */
export function perBotEnvName(name: string, bot: string): string {
  return `${name}__${bot.toUpperCase().replaceAll("-", "_")}`;
}

/** Telegram accepts 1–256 characters of A-Z, a-z, 0-9, `_` and `-` as a webhook's secret_token. */
const TELEGRAM_SECRET = /^[A-Za-z0-9_-]{1,256}$/;

const UrlVar = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });

function text(env: Record<string, unknown>, name: string): string | undefined {
  const value = env[name];
  if (typeof value !== "string") return undefined;
  const trimmed = value.trim();
  return trimmed === "" ? undefined : trimmed;
}

/** Parses the channel settings of an env; throws one error naming every problem (never a value). */
export function parseChannelConfig(source: object): ChannelConfig {
  const env = source as Record<string, unknown>;
  const problems: string[] = [];

  const listeners: ChannelListener[] = [];
  const listed = text(env, CHANNELS_VAR);
  for (const entry of listed === undefined ? [] : listed.split(",")) {
    const item = entry.trim();
    if (item === "") continue;
    const [channel, bot, ...rest] = item.split(":").map((part) => part.trim());
    const parsedChannel = ChannelNameSchema.safeParse(channel);
    if (!parsedChannel.success || rest.length > 0) {
      problems.push(`${CHANNELS_VAR}: "${item}" is not channel:bot with a channel of ${CHANNEL_NAMES.join(", ")}`);
      continue;
    }
    if (!BotIdSchema.safeParse(bot).success) {
      problems.push(`${CHANNELS_VAR}: "${item}" does not name a bot id`);
      continue;
    }
    if (listeners.some((listener) => listener.channel === parsedChannel.data && listener.bot === bot)) {
      problems.push(`${CHANNELS_VAR}: "${item}" is listed twice`);
      continue;
    }
    listeners.push({ channel: parsedChannel.data, bot: bot ?? "" });
  }

  const secrets = new Map<string, Record<string, string>>();
  for (const { channel, bot } of listeners) {
    const resolve = (name: string) => text(env, perBotEnvName(name, bot)) ?? text(env, name);
    const values: Record<string, string> = {};
    for (const [field, name] of Object.entries(CHANNEL_SECRET_NAMES[channel])) {
      const value = resolve(name);
      if (value === undefined) problems.push(`${CHANNELS_VAR} lists ${channel}:${bot}, but neither ${perBotEnvName(name, bot)} nor ${name} is set`);
      else values[field] = value;
    }
    for (const [field, name] of Object.entries(CHANNEL_OPTIONAL_NAMES[channel] as Record<string, string>)) {
      const value = resolve(name);
      if (value !== undefined) values[field] = value;
    }
    if (channel === "telegram" && values.webhookSecret !== undefined && !TELEGRAM_SECRET.test(values.webhookSecret)) {
      problems.push(`${CHANNEL_SECRET_NAMES.telegram.webhookSecret} (for ${bot}): Telegram takes 1–256 characters of A-Z, a-z, 0-9, _ and -`);
    }
    secrets.set(`${channel}:${bot}`, values);
  }

  const api = {} as ChannelApiUrls;
  for (const [key, name] of Object.entries(CHANNEL_API_URL_NAMES) as [keyof ChannelApiUrls, string][]) {
    const value = text(env, name);
    if (value === undefined) {
      api[key] = CHANNEL_API_DEFAULTS[key];
      continue;
    }
    const parsed = UrlVar.safeParse(value);
    if (parsed.success) api[key] = parsed.data.replace(/\/+$/, "");
    else problems.push(`${name}: must be an http(s) URL`);
  }

  if (problems.length > 0) throw new Error(`invalid channel configuration: ${problems.join("; ")}`);

  const explicitTeamsTokenUrl = text(env, CHANNEL_API_URL_NAMES.teamsToken) !== undefined;
  return {
    listeners,
    listens: (channel, bot) => secrets.has(`${channel}:${bot}`),
    secrets: <C extends ChannelName>(channel: C, bot: string) => secrets.get(`${channel}:${bot}`) as ChannelSecrets[C] | undefined,
    api,
    teamsTokenUrl: (teams) =>
      explicitTeamsTokenUrl || teams.tenantId === undefined
        ? api.teamsToken
        : `https://login.microsoftonline.com/${encodeURIComponent(teams.tenantId)}/oauth2/v2.0/token`,
  };
}

const parsedConfigs = new WeakMap<object, ChannelConfig>();

/** The channel configuration of an env, parsed once per env object (the runtime reuses it per isolate). */
export function channelConfig(env: object): ChannelConfig {
  let config = parsedConfigs.get(env);
  if (config === undefined) {
    config = parseChannelConfig(env);
    parsedConfigs.set(env, config);
  }
  return config;
}
