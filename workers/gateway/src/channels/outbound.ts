/**
 * Sends one message to one chat: builds the platform's request (with the access token the platform
 * needs, from the isolate's cache), calls the API with a timeout, and reads the answer into a
 * SendResult. Retry rules are the sender's (sender.ts); this is one attempt.
 */
import type { ChannelConfig } from "../../../../shared/channel-config.ts";
import type { ChannelAddress, ChannelReply } from "../../../../shared/schemas/channels.ts";
import { accessTokens, type AccessTokenCache } from "./access-tokens.ts";
import { classifyLine, lineSendRequest } from "./line/outbound.ts";
import type { PlatformAnswer, SendRequest, SendResult } from "./outbound-types.ts";
import { classifySlack, slackSendRequest } from "./slack/outbound.ts";
import { classifyTeams, fetchBotFrameworkToken, teamsSendRequest } from "./teams/outbound.ts";
import { classifyTelegram, telegramSendRequest } from "./telegram/outbound.ts";
import { classifyWeChat, fetchWeChatAccessToken, weChatSendRequest } from "./wechat/outbound.ts";
import { classifyWhatsApp, whatsappSendRequest } from "./whatsapp/outbound.ts";

/** How long one call to a platform may take before it counts as failed (and may be retried). */
export const SEND_TIMEOUT_MS = 10_000;

export interface OutboundDeps {
  config: ChannelConfig;
  fetch: typeof fetch;
  now: () => number;
  tokens?: AccessTokenCache;
}

export interface OutboundTarget {
  conversationId: string;
  bot: string;
  address: ChannelAddress;
}

/** The access-token cache's key for one app's token at one endpoint. */
export const accessTokenKey = (channel: "teams" | "wechat", endpoint: string, appId: string): string => `${channel}\n${endpoint}\n${appId}`;

type Prepared = { request: SendRequest; classify: (answer: PlatformAnswer, now: number) => SendResult; token?: { key: string; value: string } };

async function prepare(target: OutboundTarget, reply: ChannelReply, deps: OutboundDeps): Promise<Prepared | SendResult> {
  const { config } = deps;
  const { address, bot } = target;
  const tokens = deps.tokens ?? accessTokens;
  const missing: SendResult = { kind: "retryable", reason: `${address.channel}:${bot} is not configured (STRATUS_CHANNELS and its secrets)` };
  switch (address.channel) {
    case "slack": {
      const secrets = config.secrets("slack", bot);
      if (secrets === undefined) return missing;
      return { request: slackSendRequest(config.api.slack, secrets.botToken, address, reply), classify: classifySlack };
    }
    case "teams": {
      const secrets = config.secrets("teams", bot);
      if (secrets === undefined) return missing;
      const tokenUrl = config.teamsTokenUrl(secrets);
      const key = accessTokenKey("teams", tokenUrl, secrets.appId);
      const value = await tokens.get(key, deps.now(), () => fetchBotFrameworkToken(deps.fetch, tokenUrl, secrets.appId, secrets.appPassword));
      return { request: teamsSendRequest(value, address, reply), classify: classifyTeams, token: { key, value } };
    }
    case "telegram": {
      const secrets = config.secrets("telegram", bot);
      if (secrets === undefined) return missing;
      return { request: telegramSendRequest(config.api.telegram, secrets.botToken, address, reply), classify: classifyTelegram };
    }
    case "whatsapp": {
      const secrets = config.secrets("whatsapp", bot);
      if (secrets === undefined) return missing;
      return { request: whatsappSendRequest(config.api.whatsapp, secrets.accessToken, address, reply), classify: classifyWhatsApp };
    }
    case "line": {
      const secrets = config.secrets("line", bot);
      if (secrets === undefined) return missing;
      return { request: await lineSendRequest(config.api.line, secrets.channelAccessToken, target.conversationId, address, reply), classify: classifyLine };
    }
    case "wechat": {
      const secrets = config.secrets("wechat", bot);
      if (secrets === undefined) return missing;
      const key = accessTokenKey("wechat", config.api.wechat, secrets.appId);
      const value = await tokens.get(key, deps.now(), () => fetchWeChatAccessToken(deps.fetch, config.api.wechat, secrets.appId, secrets.appSecret));
      return { request: weChatSendRequest(config.api.wechat, value, address, reply), classify: classifyWeChat, token: { key, value } };
    }
  }
}

/** A failure's name for a log line: never the URL (it may hold a token) or a secret. */
const failureName = (error: unknown): string => (error instanceof Error ? (error.name === "Error" ? error.message : error.name) : "error");

/** One attempt at sending `reply` to the chat. Never throws: every failure is a SendResult. */
export async function sendChannelReply(target: OutboundTarget, reply: ChannelReply, deps: OutboundDeps): Promise<SendResult> {
  let prepared: Prepared | SendResult;
  try {
    prepared = await prepare(target, reply, deps);
  } catch (error) {
    // The token endpoint failed: worth another try later.
    return { kind: "retryable", reason: `access token: ${failureName(error)}` };
  }
  if ("kind" in prepared) return prepared;
  const { request, classify, token } = prepared;
  let answer: PlatformAnswer;
  try {
    // Called unbound: workerd refuses a fetch invoked as a method of another object ("Illegal invocation").
    const { fetch: fetcher } = deps;
    const response = await fetcher(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    answer = { status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    return { kind: "retryable", reason: `network: ${failureName(error)}` };
  }
  const result = classify(answer, deps.now());
  if (result.kind === "token_rejected" && token !== undefined) await (deps.tokens ?? accessTokens).invalidate(token.key, token.value);
  return result;
}
