/**
 * WeChat Official Account messages, plain-text mode
 * (https://developers.weixin.qq.com/doc/offiaccount/en/Basic_Information/Access_Overview.html).
 *
 * Every request, the set-up `GET` and each message `POST`, carries `signature`, `timestamp` and
 * `nonce` in its query: `signature` is the hex SHA-1 of the token, timestamp and nonce sorted and
 * joined. The `GET` is answered with its `echostr`. A message is XML; WeChat waits 5 s for an answer,
 * then retries (three times in all), so the answer is `success` at once (no passive reply) and the bot's
 * replies go out through the customer-service message API (wechat/outbound.ts). `MsgId` is the turn's
 * idempotency key. Safe mode (AES-encrypted bodies, `encrypt_type=aes`) is not supported.
 */
import { WeChatMessageSchema } from "../../../../../shared/schemas/channels.ts";
import { bytesOf, equalBytes, sha1, toHex } from "../crypto.ts";
import { ChannelVerificationError } from "../errors.ts";
import { bodyText, parsePayload } from "../payload.ts";
import { inboundText } from "../text.ts";
import { outcomeOf, type HttpAnswer, type InboundContext, type InboundOutcome } from "../types.ts";
import { parseWeChatXml } from "./xml.ts";

/** "success" tells WeChat the message was received and no passive reply follows. */
export const WECHAT_ACK: HttpAnswer = { status: 200, contentType: "text/plain; charset=utf-8", body: "success" };

/** The signature WeChat computes: SHA-1 of [token, timestamp, nonce] sorted and joined, in hex. */
export async function weChatSignature(token: string, timestamp: string, nonce: string): Promise<string> {
  return toHex(await sha1([token, timestamp, nonce].sort().join("")));
}

export async function receiveWeChat(context: InboundContext): Promise<InboundOutcome> {
  const secrets = context.config.secrets("wechat", context.bot);
  if (secrets === undefined) throw new ChannelVerificationError("this bot does not listen on wechat");
  const query = context.request.url.searchParams;
  const signature = query.get("signature");
  const timestamp = query.get("timestamp");
  const nonce = query.get("nonce");
  if (signature === null || timestamp === null || nonce === null) throw new ChannelVerificationError("missing signature, timestamp or nonce");
  const expected = await weChatSignature(secrets.token, timestamp, nonce);
  if (!equalBytes(bytesOf(expected), bytesOf(signature.toLowerCase()))) throw new ChannelVerificationError("signature does not match the token, timestamp and nonce");

  if (context.request.method === "GET") {
    const echo = query.get("echostr");
    if (echo === null) throw new ChannelVerificationError("missing echostr");
    return { kind: "handshake", answer: { status: 200, contentType: "text/plain; charset=utf-8", body: echo } };
  }
  if (query.get("encrypt_type") === "aes") return outcomeOf(["encrypted_mode"], WECHAT_ACK);
  const message = parsePayload(parseWeChatXml(bodyText(context.request.body)), WeChatMessageSchema, "WeChat message");
  if (message.MsgType === "event") return outcomeOf(["not_a_message"], WECHAT_ACK);
  if (message.MsgType !== "text") return outcomeOf(["unsupported_type"], WECHAT_ACK);
  const text = inboundText(message.Content);
  if (text === undefined) return outcomeOf(["empty_text"], WECHAT_ACK);
  return outcomeOf(
    [
      {
        channel: "wechat",
        bot: context.bot,
        chatId: message.FromUserName,
        userId: message.FromUserName,
        // WeChat's advice: MsgId, else FromUserName + CreateTime.
        messageId: message.MsgId ?? `${message.FromUserName}:${message.CreateTime}`,
        ...text,
        receivedAt: new Date(context.now).toISOString(),
        redelivery: false,
        address: { channel: "wechat", openId: message.FromUserName },
      },
    ],
    WECHAT_ACK,
  );
}
