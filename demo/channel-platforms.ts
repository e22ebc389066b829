// Loopback imitations of the messaging platforms' send APIs (docs/channels.md, "Local imitations"),
// mounted on the demo services' port: point STRATUS_<PLATFORM>_API_URL at them and every reply the
// sender makes is recorded instead of going out. Each answers the way its platform does — its
// success body, its error shape, its rate-limit answer — and checks what the platform checks (the
// bearer token, the Bot Framework token it issued, WeChat's access_token, LINE's retry key).
//
//   GET  /_sent?channel=<name>                  {sent: [...]}: accepted sends, oldest first
//   POST /_fail?channel=&status=429&count=2[&retryAfter=1][&errcode=]
//                                               the next `count` sends to that channel fail so
//   POST /_reset                                forget sends, planned failures and accepted LINE retry keys
//   POST /_teams/inbound-token  {appId, serviceUrl, channelId?}
//                                               a Bot Framework token for an inbound activity,
//                                               signed with this imitation's key (for curl)
//
//   slack     POST /slack/api/chat.postMessage                    (STRATUS_SLACK_API_URL=<demo>/slack/api)
//   teams     GET  /teams/openid, /teams/keys                     (STRATUS_TEAMS_OPENID_URL=<demo>/teams/openid)
//             POST /teams/token                                   (STRATUS_TEAMS_TOKEN_URL=<demo>/teams/token)
//             POST /teams/v3/conversations/:id/activities         (an activity's serviceUrl: <demo>/teams)
//   telegram  POST /telegram/bot<token>/sendMessage               (STRATUS_TELEGRAM_API_URL=<demo>/telegram)
//   whatsapp  POST /whatsapp/<phone-number-id>/messages           (STRATUS_WHATSAPP_API_URL=<demo>/whatsapp)
//   line      POST /line/v2/bot/message/push                      (STRATUS_LINE_API_URL=<demo>/line)
//   wechat    POST /wechat/cgi-bin/stable_token, /wechat/cgi-bin/message/custom/send
//                                                                 (STRATUS_WECHAT_API_URL=<demo>/wechat)
//
// The Teams imitation makes its RSA signing key at start-up; tests sign inbound activities with it
// (`signTeamsToken`), exactly as the Bot Connector service signs them with its own.
import { randomBytes, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";

export const CHANNEL_PLATFORMS = ["slack", "teams", "telegram", "whatsapp", "line", "wechat"] as const;
export type PlatformName = (typeof CHANNEL_PLATFORMS)[number];

export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";

export interface RecordedSend {
  channel: PlatformName;
  path: string;
  /** The headers a platform reads: Authorization, Content-Type, X-Line-Retry-Key. */
  headers: Record<string, string>;
  body: unknown;
  at: string;
}

interface PlannedFailure {
  status: number;
  remaining: number;
  retryAfter: number;
  errcode?: number;
}

export interface TeamsTokenClaims {
  /** The bot's Microsoft App ID: the token's audience. */
  appId: string;
  serviceUrl: string;
  /** Overrides for tests of refused tokens. */
  issuer?: string;
  expiresInSeconds?: number;
  kid?: string;
}

export interface ChannelPlatforms {
  /** Handles the request when its path is one of the imitations'; undefined otherwise. */
  handle(request: IncomingMessage, response: ServerResponse): Promise<void> | undefined;
  sent(channel: PlatformName): RecordedSend[];
  /** A Bot Framework token as the Bot Connector service would send with an activity. */
  signTeamsToken(claims: TeamsTokenClaims): Promise<string>;
  /** The Teams imitation's signing key id (in /teams/keys). */
  readonly teamsKeyId: string;
  /** As POST /_reset. */
  reset(): void;
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
  response.end(JSON.stringify(body));
}

async function readText(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

const bearer = (request: IncomingMessage): string | undefined => /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? "")?.[1];

function recordedHeaders(request: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of ["authorization", "content-type", "x-line-retry-key"]) {
    const value = request.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  return headers;
}

/** A send the imitation refuses the way its platform would (status and body). Plain fields: Node runs this file with type stripping only. */
class Refusal {
  readonly status: number;
  readonly body: unknown;
  constructor(status: number, body: unknown) {
    this.status = status;
    this.body = body;
  }
}

const isPlatform = (name: string | null): name is PlatformName => name !== null && (CHANNEL_PLATFORMS as readonly string[]).includes(name);

export async function createChannelPlatforms(): Promise<ChannelPlatforms> {
  const { publicKey, privateKey } = await generateKeyPair("RS256", { extractable: true });
  const teamsKeyId = `stratus-demo-${randomBytes(6).toString("hex")}`;
  const publicJwk: JWK = { ...(await exportJWK(publicKey)), kid: teamsKeyId, use: "sig", alg: "RS256" };
  const signingKey: CryptoKey = privateKey;

  const sends = new Map<PlatformName, RecordedSend[]>();
  const failures = new Map<PlatformName, PlannedFailure>();
  const teamsTokens = new Set<string>();
  const lineRetryKeys = new Set<string>();
  let weChatToken: { value: string; expiresAt: number } | undefined;

  /** Forgets sends, planned failures and LINE's accepted retry keys (issued tokens stay valid). */
  const reset = (): void => {
    sends.clear();
    failures.clear();
    lineRetryKeys.clear();
  };

  const record = (channel: PlatformName, request: IncomingMessage, path: string, body: unknown): void => {
    const list = sends.get(channel) ?? [];
    list.push({ channel, path, headers: recordedHeaders(request), body, at: new Date().toISOString() });
    sends.set(channel, list);
  };

  /** The next planned failure of a channel's send endpoint, used up by this call. */
  const takeFailure = (channel: PlatformName): PlannedFailure | undefined => {
    const failure = failures.get(channel);
    if (failure === undefined) return undefined;
    failure.remaining--;
    if (failure.remaining <= 0) failures.delete(channel);
    return failure;
  };

  const signTeamsToken = (claims: TeamsTokenClaims): Promise<string> =>
    new SignJWT({ serviceUrl: claims.serviceUrl })
      .setProtectedHeader({ alg: "RS256", kid: claims.kid ?? teamsKeyId, typ: "JWT" })
      .setIssuer(claims.issuer ?? BOT_FRAMEWORK_ISSUER)
      .setAudience(claims.appId)
      .setIssuedAt()
      .setNotBefore("0s")
      .setExpirationTime(`${claims.expiresInSeconds ?? 3600}s`)
      .sign(signingKey);

  function failWith(channel: PlatformName, failure: PlannedFailure, response: ServerResponse): void {
    const retryAfter = { "retry-after": String(failure.retryAfter) };
    switch (channel) {
      case "slack":
        return failure.status === 429
          ? send(response, 429, { ok: false, error: "ratelimited" }, retryAfter)
          : send(response, failure.status, { ok: false, error: "internal_error" });
      case "telegram":
        return send(
          response,
          failure.status,
          failure.status === 429
            ? { ok: false, error_code: 429, description: `Too Many Requests: retry after ${failure.retryAfter}`, parameters: { retry_after: failure.retryAfter } }
            : { ok: false, error_code: failure.status, description: "Internal Server Error" },
        );
      case "whatsapp":
        return send(
          response,
          failure.status,
          failure.status === 429 ? { error: { code: 130429, message: "(#130429) Rate limit hit" } } : { error: { code: 131000, message: "Something went wrong" } },
          failure.status === 429 ? retryAfter : {},
        );
      case "wechat":
        // WeChat answers HTTP 200 with an errcode: a rate limit is 45011, a hiccup -1 (system busy).
        return send(response, 200, { errcode: failure.errcode ?? (failure.status === 429 ? 45011 : -1), errmsg: "planned failure" });
      case "teams":
      case "line":
        return send(response, failure.status, { message: failure.status === 429 ? "Too Many Requests" : "Internal Server Error" }, failure.status === 429 ? retryAfter : {});
    }
  }

  async function platformSend(channel: PlatformName, request: IncomingMessage, response: ServerResponse, path: string, accept: (body: unknown) => unknown): Promise<void> {
    const body = parseJson(await readText(request));
    const failure = takeFailure(channel);
    if (failure !== undefined) return failWith(channel, failure, response);
    const answer = accept(body);
    if (answer instanceof Refusal) return send(response, answer.status, answer.body);
    record(channel, request, path, body);
    return send(response, 200, answer);
  }

  async function route(request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
    const path = url.pathname;
    const method = request.method ?? "GET";
    const origin = `http://${request.headers.host ?? "127.0.0.1"}`;

    if (path === "/_sent" && method === "GET") {
      const channel = url.searchParams.get("channel");
      if (!isPlatform(channel)) return send(response, 400, { error: `channel must be one of ${CHANNEL_PLATFORMS.join(", ")}` });
      return send(response, 200, { sent: sends.get(channel) ?? [] });
    }
    if (path === "/_fail" && method === "POST") {
      const channel = url.searchParams.get("channel");
      const status = Number(url.searchParams.get("status") ?? "429");
      const count = Number(url.searchParams.get("count") ?? "1");
      const retryAfter = Number(url.searchParams.get("retryAfter") ?? "1");
      const errcode = url.searchParams.get("errcode");
      if (!isPlatform(channel) || !Number.isInteger(status) || status < 400 || status > 599 || !Number.isInteger(count) || count < 1 || !(retryAfter >= 0)) {
        return send(response, 400, { error: "use /_fail?channel=<name>&status=<4xx|5xx>&count=<n>[&retryAfter=<s>][&errcode=<wechat errcode>]" });
      }
      failures.set(channel, { status, remaining: count, retryAfter, ...(errcode === null ? {} : { errcode: Number(errcode) }) });
      return send(response, 200, { ok: true });
    }
    if (path === "/_reset" && method === "POST") {
      reset();
      return send(response, 200, { ok: true });
    }
    if (path === "/_teams/inbound-token" && method === "POST") {
      const body = parseJson(await readText(request)) as { appId?: unknown; serviceUrl?: unknown } | undefined;
      if (typeof body?.appId !== "string" || typeof body.serviceUrl !== "string") return send(response, 400, { error: "send {appId, serviceUrl}" });
      return send(response, 200, { token: await signTeamsToken({ appId: body.appId, serviceUrl: body.serviceUrl }) });
    }

    // Slack Web API.
    if (path === "/slack/api/chat.postMessage" && method === "POST") {
      const token = bearer(request);
      return platformSend("slack", request, response, path, (body) => {
        if (token === undefined) return new Refusal(200, { ok: false, error: "not_authed" });
        const message = body as { channel?: unknown; text?: unknown } | undefined;
        if (typeof message?.channel !== "string") return new Refusal(200, { ok: false, error: "channel_not_found" });
        if (typeof message.text !== "string" || message.text === "") return new Refusal(200, { ok: false, error: "no_text" });
        return { ok: true, channel: message.channel, ts: `${Math.floor(Date.now() / 1000)}.${randomBytes(3).readUIntBE(0, 3)}` };
      });
    }

    // Bot Framework: OpenID metadata, signing keys, token endpoint, Bot Connector.
    if (path === "/teams/openid" && method === "GET") {
      return send(response, 200, {
        issuer: BOT_FRAMEWORK_ISSUER,
        authorization_endpoint: `${origin}/teams/invalid`,
        jwks_uri: `${origin}/teams/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
        token_endpoint_auth_methods_supported: ["private_key_jwt"],
      });
    }
    if (path === "/teams/keys" && method === "GET") return send(response, 200, { keys: [{ ...publicJwk, endorsements: ["msteams"] }] });
    if (path === "/teams/token" && method === "POST") {
      const form = new URLSearchParams(await readText(request));
      if (form.get("grant_type") !== "client_credentials" || !form.get("client_id") || !form.get("client_secret")) {
        return send(response, 400, { error: "invalid_request", error_description: "client_credentials with client_id and client_secret" });
      }
      if (form.get("scope") !== "https://api.botframework.com/.default") return send(response, 400, { error: "invalid_scope" });
      const accessToken = randomBytes(24).toString("base64url");
      teamsTokens.add(accessToken);
      return send(response, 200, { token_type: "Bearer", expires_in: 3600, ext_expires_in: 3600, access_token: accessToken });
    }
    const activities = /^\/teams\/v3\/conversations\/([^/]+)\/activities\/?$/.exec(path);
    if (activities !== null && method === "POST") {
      const token = bearer(request);
      return platformSend("teams", request, response, path, (body) => {
        if (token === undefined || !teamsTokens.has(token)) return new Refusal(401, { message: "Authorization has been denied for this request." });
        const activity = body as { type?: unknown; text?: unknown } | undefined;
        if (activity?.type !== "message") return new Refusal(400, { error: { code: "BadArgument", message: "Activity type is required" } });
        return { id: randomUUID() };
      });
    }

    // Telegram Bot API.
    const telegram = /^\/telegram\/bot([^/]+)\/sendMessage$/.exec(path);
    if (telegram !== null && method === "POST") {
      return platformSend("telegram", request, response, path, (body) => {
        const message = body as { chat_id?: unknown; text?: unknown } | undefined;
        if (message?.chat_id === undefined || typeof message.text !== "string" || message.text === "") {
          return new Refusal(400, { ok: false, error_code: 400, description: "Bad Request: message text is empty" });
        }
        return { ok: true, result: { message_id: Math.floor(Math.random() * 1e6), chat: { id: Number(message.chat_id) }, date: Math.floor(Date.now() / 1000), text: message.text } };
      });
    }

    // WhatsApp Cloud API (with or without a version segment).
    const whatsapp = /^\/whatsapp\/(?:v\d+(?:\.\d+)?\/)?([^/]+)\/messages$/.exec(path);
    if (whatsapp !== null && method === "POST") {
      const token = bearer(request);
      return platformSend("whatsapp", request, response, path, (body) => {
        if (token === undefined) return new Refusal(401, { error: { code: 190, message: "Invalid OAuth access token." } });
        const message = body as { messaging_product?: unknown; to?: unknown } | undefined;
        if (message?.messaging_product !== "whatsapp" || typeof message.to !== "string") {
          return new Refusal(400, { error: { code: 100, message: "Invalid parameter" } });
        }
        return { messaging_product: "whatsapp", contacts: [{ input: message.to, wa_id: message.to }], messages: [{ id: `wamid.${randomBytes(12).toString("base64url")}` }] };
      });
    }

    // LINE Messaging API: push, with retry keys accepted once.
    if (path === "/line/v2/bot/message/push" && method === "POST") {
      const token = bearer(request);
      const retryKey = request.headers["x-line-retry-key"];
      return platformSend("line", request, response, path, (body) => {
        if (token === undefined) return new Refusal(401, { message: "Authentication failed due to the following reason: no token." });
        if (typeof retryKey === "string" && lineRetryKeys.has(retryKey)) {
          return new Refusal(409, { message: "The retry key is already accepted", sentMessages: [] });
        }
        const push = body as { to?: unknown; messages?: unknown } | undefined;
        if (typeof push?.to !== "string" || !Array.isArray(push.messages) || push.messages.length === 0) {
          return new Refusal(400, { message: "The request body has 1 error(s)" });
        }
        if (typeof retryKey === "string") lineRetryKeys.add(retryKey);
        return { sentMessages: push.messages.map(() => ({ id: String(Math.floor(Math.random() * 1e15)), quoteToken: randomBytes(16).toString("base64url") })) };
      });
    }

    // WeChat: the stable access token, then customer-service messages.
    if (path === "/wechat/cgi-bin/stable_token" && method === "POST") {
      const body = parseJson(await readText(request)) as { grant_type?: unknown; appid?: unknown; secret?: unknown } | undefined;
      if (body?.grant_type !== "client_credential" || typeof body.appid !== "string" || typeof body.secret !== "string") {
        return send(response, 200, { errcode: 40013, errmsg: "invalid appid" });
      }
      if (weChatToken === undefined || weChatToken.expiresAt < Date.now()) weChatToken = { value: randomBytes(32).toString("base64url"), expiresAt: Date.now() + 7_200_000 };
      return send(response, 200, { access_token: weChatToken.value, expires_in: 7200 });
    }
    if (path === "/wechat/cgi-bin/message/custom/send" && method === "POST") {
      const token = url.searchParams.get("access_token");
      return platformSend("wechat", request, response, path, (body) => {
        if (token === null || weChatToken === undefined || token !== weChatToken.value) return new Refusal(200, { errcode: 40001, errmsg: "invalid credential, access_token is invalid or not latest" });
        const message = body as { touser?: unknown; msgtype?: unknown; text?: { content?: unknown } } | undefined;
        if (typeof message?.touser !== "string" || message.msgtype !== "text" || typeof message.text?.content !== "string") {
          return new Refusal(200, { errcode: 44002, errmsg: "empty post data" });
        }
        return { errcode: 0, errmsg: "ok" };
      });
    }
    return send(response, 404, { error: "not_found" });
  }

  const PREFIXES = ["/_sent", "/_fail", "/_reset", "/_teams/", "/slack/", "/teams/", "/telegram/", "/whatsapp/", "/line/", "/wechat/"];
  return {
    handle(request, response) {
      const url = new URL(request.url ?? "/", "http://demo");
      if (!PREFIXES.some((prefix) => url.pathname === prefix || url.pathname.startsWith(prefix))) return undefined;
      return route(request, response, url).catch(() => {
        if (!response.headersSent) send(response, 500, { error: "internal_error" });
      });
    },
    sent: (channel) => [...(sends.get(channel) ?? [])],
    signTeamsToken,
    teamsKeyId,
    reset,
  };
}
