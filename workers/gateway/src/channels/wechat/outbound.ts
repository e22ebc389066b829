/**
 * A reply as a WeChat customer-service text message
 * (https://developers.weixin.qq.com/doc/offiaccount/en/Message_Management/Service_Center_messages.html),
 * allowed for 48 hours after the user last wrote. WeChat has no buttons for an Official Account's
 * messages: quick replies go as a numbered list, and a user who answers with a number means that
 * option (shared/channel-conversation.ts resolveNumberedReply).
 *
 * The access token comes from the stable-token endpoint (`/cgi-bin/stable_token`), which hands every
 * caller the same token while it is valid: each isolate fetching its own with `/cgi-bin/token` would
 * invalidate the others'.
 */
import { WeChatAccessTokenSchema, WeChatApiResponseSchema, type ChannelAddressOf, type ChannelReply } from "../../../../../shared/schemas/channels.ts";
import type { LoadedToken } from "../access-tokens.ts";
import { classifyByStatus, reasonText, withNumberedOptions, type PlatformAnswer, type SendRequest, type SendResult } from "../outbound-types.ts";

export function weChatMessage(address: ChannelAddressOf<"wechat">, reply: ChannelReply): Record<string, unknown> {
  return { touser: address.openId, msgtype: "text", text: { content: withNumberedOptions(reply.text, reply.quickReplies) } };
}

/** The URL holds the access token (WeChat's design): it is never logged. */
export function weChatSendRequest(apiUrl: string, accessToken: string, address: ChannelAddressOf<"wechat">, reply: ChannelReply): SendRequest {
  return {
    url: `${apiUrl}/cgi-bin/message/custom/send?access_token=${encodeURIComponent(accessToken)}`,
    method: "POST",
    headers: { "Content-Type": "application/json; charset=utf-8" },
    body: JSON.stringify(weChatMessage(address, reply)),
  };
}

/** WeChat's global return codes that Stratus acts on. */
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
const RATE_LIMITS = new Map<number, number>([
  [45009, 3600], // the API's daily quota
  [45011, 60], // too many calls a minute
]);

export function classifyWeChat(answer: PlatformAnswer, now: number): SendResult {
  if (answer.status < 200 || answer.status >= 300) return classifyByStatus(answer, now);
  let parsed: ReturnType<typeof WeChatApiResponseSchema.parse> | undefined;
  try {
    const result = WeChatApiResponseSchema.safeParse(JSON.parse(answer.body));
    parsed = result.success ? result.data : undefined;
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined) return { kind: "retryable", reason: "the answer is not WeChat's JSON" };
  const code = parsed.errcode ?? 0;
  if (code === 0) return { kind: "sent" };
  const reason = reasonText(`${code} ${parsed.errmsg ?? ""}`);
  if (code === -1) return { kind: "retryable", reason };
  if (TOKEN_ERRORS.has(code)) return { kind: "token_rejected", reason };
  const wait = RATE_LIMITS.get(code);
  if (wait !== undefined) return { kind: "rate_limited", retryAfterSeconds: wait };
  // 45015 (more than 48 h since the user wrote), 45047 (too many messages since), 43004 (unfollowed)…
  return { kind: "rejected", reason };
}

export async function fetchWeChatAccessToken(fetcher: typeof fetch, apiUrl: string, appId: string, appSecret: string): Promise<LoadedToken> {
  const response = await fetcher(`${apiUrl}/cgi-bin/stable_token`, {
    method: "POST",
    headers: { "Content-Type": "application/json; charset=utf-8" },
    body: JSON.stringify({ grant_type: "client_credential", appid: appId, secret: appSecret, force_refresh: false }),
  });
  if (!response.ok) throw new Error(`the WeChat stable_token endpoint answered ${response.status}`);
  const json: unknown = await response.json();
  const token = WeChatAccessTokenSchema.safeParse(json);
  if (token.success) return { value: token.data.access_token, expiresInSeconds: token.data.expires_in };
  const error = WeChatApiResponseSchema.safeParse(json);
  throw new Error(`the WeChat stable_token endpoint refused: ${error.success ? `${error.data.errcode ?? "?"} ${error.data.errmsg ?? ""}` : "an unreadable answer"}`);
}
