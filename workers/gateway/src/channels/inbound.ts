/**
 * The channel webhook's entry point: `POST /v1/channels/{channel}/{bot}` (and the `GET` set-up
 * handshakes of WhatsApp and WeChat) hand the request here, and get back what to answer the platform
 * and the verified user messages to append, one conversation per chat (docs/channels.md).
 *
 * Throws ApiError: 404 `not_found` for a pair STRATUS_CHANNELS does not list, 405 for a GET where the
 * platform has no handshake, 401 `unauthorized` (ChannelVerificationError) for a request that fails
 * its platform's verification, 400 `invalid_request` for a verified body the platform does not send.
 */
import { ApiError } from "../errors.ts";
import type { ChannelName } from "../../../../shared/schemas/channels.ts";
import { receiveLine } from "./line/inbound.ts";
import { receiveSlack } from "./slack/inbound.ts";
import { receiveTeams } from "./teams/inbound.ts";
import { receiveTelegram } from "./telegram/inbound.ts";
import type { HttpAnswer, InboundContext, InboundOutcome } from "./types.ts";
import { receiveWeChat } from "./wechat/inbound.ts";
import { receiveWhatsApp } from "./whatsapp/inbound.ts";

const RECEIVERS: Record<ChannelName, (context: InboundContext) => Promise<InboundOutcome>> = {
  slack: receiveSlack,
  teams: (context) => receiveTeams(context),
  telegram: receiveTelegram,
  whatsapp: receiveWhatsApp,
  line: receiveLine,
  wechat: receiveWeChat,
};

/** Channels whose set-up handshake is a GET. */
export const CHANNELS_WITH_GET: readonly ChannelName[] = ["whatsapp", "wechat"];

export function receiveChannelRequest(context: InboundContext): Promise<InboundOutcome> {
  if (!context.config.listens(context.channel, context.bot)) {
    return Promise.reject(new ApiError("not_found", `bot ${context.bot} does not listen on ${context.channel}`));
  }
  const { method } = context.request;
  const allowed = CHANNELS_WITH_GET.includes(context.channel) ? ["GET", "POST"] : ["POST"];
  if (!allowed.includes(method)) {
    return Promise.reject(new ApiError("method_not_allowed", undefined, { headers: { Allow: allowed.join(", ") } }));
  }
  return RECEIVERS[context.channel](context);
}

/** The platform's answer as a response. */
export function answerResponse(answer: HttpAnswer): Response {
  return new Response(answer.body, { status: answer.status, headers: answer.contentType === undefined ? {} : { "Content-Type": answer.contentType } });
}
