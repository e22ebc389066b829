import { createRoute } from "@hono/zod-openapi";
import { CHANNEL_NAMES, ChannelParamsSchema } from "../../../../shared/schemas/index.ts";
import { handleChannelWebhook } from "../channels/webhook.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

/** The webhooks' paths: exempt from the API's JSON-only body rule (Slack's buttons are a form, WeChat's messages XML). */
export const CHANNEL_WEBHOOK_PREFIX = "/v1/channels/";
export const isChannelWebhook = (path: string): boolean => path.startsWith(CHANNEL_WEBHOOK_PREFIX);

/** Each platform's proof that it sent the request: the security schemes the webhook operations list (registered in app.ts). */
export const CHANNEL_SECURITY_SCHEMES = {
  slackSignature: {
    type: "apiKey",
    in: "header",
    name: "X-Slack-Signature",
    description: "Slack: `v0=` + hex HMAC-SHA256 of `v0:{X-Slack-Request-Timestamp}:{raw body}` under the app's signing secret; a timestamp more than 5 minutes from now is refused",
  },
  botFrameworkToken: {
    type: "http",
    scheme: "bearer",
    bearerFormat: "JWT",
    description: "Microsoft Teams: the Bot Connector's JWT (issuer https://api.botframework.com, audience the bot's App ID, RS256 by a key of the OpenID metadata's key set that endorses the activity's channel, `serviceUrl` claim equal to the activity's)",
  },
  telegramSecretToken: {
    type: "apiKey",
    in: "header",
    name: "X-Telegram-Bot-Api-Secret-Token",
    description: "Telegram: the `secret_token` given to setWebhook",
  },
  whatsappSignature: {
    type: "apiKey",
    in: "header",
    name: "X-Hub-Signature-256",
    description: "WhatsApp (Meta): `sha256=` + hex HMAC-SHA256 of the raw body under the app secret",
  },
  lineSignature: {
    type: "apiKey",
    in: "header",
    name: "X-Line-Signature",
    description: "LINE: base64 HMAC-SHA256 of the raw body under the channel secret",
  },
  wechatSignature: {
    type: "apiKey",
    in: "query",
    name: "signature",
    description: "WeChat: hex SHA-1 of the token, `timestamp` and `nonce` (query parameters), sorted and joined",
  },
  whatsappVerifyToken: {
    type: "apiKey",
    in: "query",
    name: "hub.verify_token",
    description: "WhatsApp's set-up GET: the verify token chosen in the Meta app dashboard",
  },
} as const;

const channels = CHANNEL_NAMES.join(", ");
const params = ChannelParamsSchema;

const receiveChannelWebhook = createRoute({
  method: "post",
  path: "/v1/channels/{channel}/{bot}",
  operationId: "receiveChannelWebhook",
  summary: "A messaging platform delivers its users' messages (Slack, Teams, Telegram, WhatsApp, LINE, WeChat)",
  description:
    `The webhook each platform is given (\`channel\`: ${channels}; \`bot\`: a bot STRATUS_CHANNELS lists on it; docs/channels.md). ` +
    "Authenticated by the platform's own signature, one scheme per platform: the request is verified before anything is stored, " +
    "and a request that fails gets 401 `unauthorized`. Each user message the delivery carries becomes a turn of its chat's conversation " +
    "(one conversation per chat); a delivery the platform repeats (Slack's retries, Telegram's `update_id`, WhatsApp's and LINE's message ids, " +
    "WeChat's `MsgId`) makes no second turn. The answer comes at once, with what the platform expects (Slack's `url_verification` challenge, " +
    "WeChat's `success`, Telegram's answer to a button tap, else an empty 200); the bot's replies go out through the platform's send API. " +
    "A body is not JSON-only here: Slack's button presses are form-encoded and WeChat's messages XML.",
  security: [{ slackSignature: [] }, { botFrameworkToken: [] }, { telegramSecretToken: [] }, { whatsappSignature: [] }, { lineSignature: [] }, { wechatSignature: [] }],
  request: {
    params,
    body: {
      description: "The platform's own payload, read as raw bytes (the signature covers them exactly)",
      required: true,
      content: {
        "application/json": { schema: { type: "object", description: "Slack Events API, Teams activity, Telegram update, WhatsApp and LINE webhook" } },
        "application/x-www-form-urlencoded": { schema: { type: "object", description: "Slack interactivity (`payload`: a block_actions JSON)" } },
        "text/xml": { schema: { type: "string", description: "WeChat Official Account message (plain-text mode)" } },
      },
    },
  },
  responses: {
    // No content schema: the body is the platform's, not this API's.
    200: {
      description:
        "Received: the answer the platform expects — Slack's url_verification challenge (text/plain), WeChat's `success` (text/plain), " +
        "Telegram's answerCallbackQuery for a button tap (application/json), else empty",
    },
    ...errorResponses.only(400, 401, 404, 413),
  },
});

const verifyChannelWebhook = createRoute({
  method: "get",
  path: "/v1/channels/{channel}/{bot}",
  operationId: "verifyChannelWebhook",
  summary: "A platform's set-up handshake (WhatsApp's hub.challenge, WeChat's echostr)",
  description:
    "WhatsApp (`hub.mode=subscribe`, `hub.verify_token`, `hub.challenge`) and WeChat (`signature`, `timestamp`, `nonce`, `echostr`) call the webhook " +
    "once with GET when it is set up; the answer is the challenge, as text. Other platforms have no GET: 405.",
  security: [{ whatsappVerifyToken: [] }, { wechatSignature: [] }],
  request: { params },
  responses: {
    200: { description: "The challenge (`hub.challenge` or `echostr`), as text/plain" },
    ...errorResponses.only(400, 401, 404, 405),
  },
});

export const channelRoutes = newRouter()
  .openapi(receiveChannelWebhook, async (c) => {
    const { channel, bot } = c.req.valid("param");
    // The body's raw bytes, which every platform signs exactly (hono keeps them; nothing before this parsed them).
    return handleChannelWebhook(c.env, { channel, bot, method: "POST", url: new URL(c.req.url), headers: c.req.raw.headers, body: new Uint8Array(await c.req.arrayBuffer()), trace: c.get("trace") });
  })
  .openapi(verifyChannelWebhook, async (c) => {
    const { channel, bot } = c.req.valid("param");
    return handleChannelWebhook(c.env, { channel, bot, method: "GET", url: new URL(c.req.url), headers: c.req.raw.headers, body: new Uint8Array(), trace: c.get("trace") });
  });
