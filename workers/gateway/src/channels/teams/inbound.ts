/**
 * Microsoft Teams through the Bot Framework: activities POSTed by the Bot Connector service.
 *
 * Verification, as the Bot Connector authentication page lists it
 * (https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication):
 * a JWT in `Authorization: Bearer`, issuer `https://api.botframework.com`, audience the bot's
 * Microsoft App ID, not expired (5 minutes of clock skew), signed (RS256, the algorithm the metadata
 * allows) with a key of the key set the OpenID metadata document names, that key endorsing the
 * activity's `channelId`, and a `serviceUrl` claim equal to the activity's `serviceUrl`, which is
 * where the reply will go with the bot's own token. JOSE itself is the `jose` library's.
 */
import { errors as joseErrors, importJWK, jwtVerify, type JWTPayload } from "jose";
import { TeamsActivitySchema, type InboundChannelEvent } from "../../../../../shared/schemas/channels.ts";
import { ChannelVerificationError } from "../errors.ts";
import { bodyText, parseJson } from "../payload.ts";
import { inboundText } from "../text.ts";
import { outcomeOf, type IgnoreReason, type InboundContext, type InboundOutcome } from "../types.ts";
import { botFrameworkSigningKeys, type BotFrameworkJwk, type BotFrameworkSigningKeys } from "./signing-keys.ts";

export const BOT_FRAMEWORK_ISSUER = "https://api.botframework.com";
export const CLOCK_SKEW_SECONDS = 5 * 60;

/** Why a token was refused, as a client may read it (never the token or a claim's value). */
function refusal(error: unknown): string {
  if (error instanceof ChannelVerificationError) return error.message;
  if (error instanceof joseErrors.JWTExpired) return "the Bot Framework token has expired";
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `the Bot Framework token's "${error.claim}" claim is not valid for this bot`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return "the Bot Framework token's signature does not verify";
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return "the Bot Framework token is not signed with an allowed algorithm";
  if (error instanceof joseErrors.JOSEError) return "the Bot Framework token is not a valid JWT";
  throw error;
}

export async function verifyTeamsToken(
  context: InboundContext,
  appId: string,
  keys: BotFrameworkSigningKeys = botFrameworkSigningKeys,
): Promise<{ payload: JWTPayload; jwk: BotFrameworkJwk }> {
  const token = /^Bearer\s+(\S+)$/i.exec(context.request.headers.get("Authorization") ?? "")?.[1];
  if (token === undefined) throw new ChannelVerificationError("missing Bot Framework token (Authorization: Bearer <JWT>)");
  let used: BotFrameworkJwk | undefined;
  try {
    const { payload } = await jwtVerify(
      token,
      async (header) => {
        if (header.kid === undefined) throw new ChannelVerificationError("the Bot Framework token names no signing key");
        const found = await keys.key(context.config.api.teamsOpenId, header.kid, context.now, context.fetch);
        if (found === undefined) throw new ChannelVerificationError("the Bot Framework token is signed with an unknown key");
        if (!found.algorithms.includes(header.alg)) throw new ChannelVerificationError("the Bot Framework token is not signed with an allowed algorithm");
        used = found.jwk;
        return importJWK({ ...found.jwk, alg: header.alg }, header.alg);
      },
      {
        issuer: BOT_FRAMEWORK_ISSUER,
        audience: appId,
        algorithms: ["RS256"],
        clockTolerance: CLOCK_SKEW_SECONDS,
        currentDate: new Date(context.now),
        requiredClaims: ["exp"],
      },
    );
    if (used === undefined) throw new ChannelVerificationError("the Bot Framework token is signed with an unknown key");
    return { payload, jwk: used };
  } catch (error) {
    throw new ChannelVerificationError(refusal(error));
  }
}

const sameServiceUrl = (a: string, b: string): boolean => a.replace(/\/+$/, "").toLowerCase() === b.replace(/\/+$/, "").toLowerCase();

export async function receiveTeams(context: InboundContext, keys?: BotFrameworkSigningKeys): Promise<InboundOutcome> {
  const secrets = context.config.secrets("teams", context.bot);
  if (secrets === undefined) throw new ChannelVerificationError("this bot does not listen on teams");
  const { payload, jwk } = await verifyTeamsToken(context, secrets.appId, keys);
  const activity = parseJson(bodyText(context.request.body), TeamsActivitySchema, "Bot Framework activity");
  if (typeof payload.serviceUrl !== "string" || !sameServiceUrl(payload.serviceUrl, activity.serviceUrl)) {
    throw new ChannelVerificationError("the Bot Framework token's serviceUrl claim does not match the activity's serviceUrl");
  }
  if (jwk.endorsements !== undefined && !jwk.endorsements.includes(activity.channelId)) {
    throw new ChannelVerificationError("the Bot Framework token's signing key does not endorse the activity's channel");
  }
  return outcomeOf([eventOf(context, activity)]);
}

function eventOf(context: InboundContext, activity: ReturnType<typeof TeamsActivitySchema.parse>): InboundChannelEvent | IgnoreReason {
  if (activity.type === "messageUpdate" || activity.type === "messageDelete") return "edited";
  if (activity.type !== "message") return "not_a_message";
  if (activity.from.id === activity.recipient.id) return "bot_message";
  if (activity.id === undefined) return "unsupported_type";
  // In a channel or group chat the bot is @mentioned: the mention is markup, not what the user said.
  const text = inboundText(activity.text?.replace(/<at>[^<]*<\/at>/g, ""));
  if (text === undefined) return "empty_text";
  const tenantId = activity.conversation.tenantId;
  return {
    channel: "teams",
    bot: context.bot,
    chatId: activity.conversation.id,
    userId: activity.from.aadObjectId ?? activity.from.id,
    messageId: activity.id,
    ...text,
    receivedAt: new Date(context.now).toISOString(),
    redelivery: false,
    address: {
      channel: "teams",
      serviceUrl: activity.serviceUrl,
      conversationId: activity.conversation.id,
      botId: activity.recipient.id,
      ...(tenantId === undefined ? {} : { tenantId }),
    },
  };
}
