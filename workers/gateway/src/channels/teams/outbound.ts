/**
 * A reply as a Bot Framework activity, sent to the conversation's Bot Connector endpoint
 * (`POST {serviceUrl}/v3/conversations/{conversationId}/activities`,
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-send-and-receive-messages)
 * with the bot's own token from the Bot Framework token endpoint (client credentials,
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication).
 * Quick replies are a hero card's `imBack` buttons: a press sends the option's text back as the
 * user's message. Up to six options go on the card (a card with more grows unwieldy; six is Stratus's
 * choice, not a documented Teams maximum); more go as a numbered list.
 */
import { ClientCredentialsTokenSchema, type ChannelAddressOf, type ChannelReply } from "../../../../../shared/schemas/channels.ts";
import { describeZodError } from "../../../../../shared/zod-issues.ts";
import type { LoadedToken } from "../access-tokens.ts";
import { classifyByStatus, withNumberedOptions, type PlatformAnswer, type SendRequest, type SendResult } from "../outbound-types.ts";
import { clip } from "../text.ts";

export const TEAMS_LIMITS = { text: 20_000, buttons: 6, buttonTitle: 50 } as const;
export const BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default";

export function teamsActivity(address: ChannelAddressOf<"teams">, reply: ChannelReply): Record<string, unknown> {
  const options = reply.quickReplies ?? [];
  const asButtons = options.length > 0 && options.length <= TEAMS_LIMITS.buttons;
  const activity: Record<string, unknown> = {
    type: "message",
    from: { id: address.botId },
    conversation: { id: address.conversationId },
    text: clip(asButtons ? reply.text : withNumberedOptions(reply.text, options), TEAMS_LIMITS.text),
    textFormat: "plain",
  };
  if (asButtons) {
    activity.attachments = [
      {
        contentType: "application/vnd.microsoft.card.hero",
        content: { buttons: options.map((option) => ({ type: "imBack", title: clip(option, TEAMS_LIMITS.buttonTitle), value: option })) },
      },
    ];
  }
  return activity;
}

export function teamsSendRequest(accessToken: string, address: ChannelAddressOf<"teams">, reply: ChannelReply): SendRequest {
  const serviceUrl = address.serviceUrl.replace(/\/+$/, "");
  return {
    url: `${serviceUrl}/v3/conversations/${encodeURIComponent(address.conversationId)}/activities`,
    method: "POST",
    headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json; charset=utf-8" },
    body: JSON.stringify(teamsActivity(address, reply)),
  };
}

export const classifyTeams = (answer: PlatformAnswer, now: number): SendResult => classifyByStatus(answer, now);

/** Fetches the bot's Bot Framework token (OAuth 2.0 client credentials). Errors name the status, never the secret. */
export async function fetchBotFrameworkToken(fetcher: typeof fetch, tokenUrl: string, appId: string, appPassword: string): Promise<LoadedToken> {
  const response = await fetcher(tokenUrl, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", client_id: appId, client_secret: appPassword, scope: BOT_FRAMEWORK_SCOPE }).toString(),
  });
  if (!response.ok) throw new Error(`the Bot Framework token endpoint answered ${response.status}`);
  const parsed = ClientCredentialsTokenSchema.safeParse(await response.json());
  if (!parsed.success) throw new Error(`the Bot Framework token endpoint's answer is not valid: ${describeZodError(parsed.error)}`);
  return { value: parsed.data.access_token, expiresInSeconds: parsed.data.expires_in };
}
