/**
 * WhatsApp Cloud API webhooks (Meta's Graph API webhooks,
 * https://developers.facebook.com/docs/graph-api/webhooks/getting-started).
 *
 * Set-up handshake: `GET ?hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`; when the verify
 * token is the one configured, the answer is the challenge. Deliveries: `X-Hub-Signature-256:
 * sha256=<hex>` is the HMAC-SHA256 of the raw body under the app secret. One delivery may carry
 * several messages (and status updates, which are not turns); each message's `id` (a wamid) is its
 * turn's idempotency key, so a repeated delivery makes no second turn.
 */
import { WhatsAppWebhookSchema, type InboundChannelEvent } from "../../../../../shared/schemas/channels.ts";
import { equalSecrets, fromHex, verifyHmacSha256 } from "../crypto.ts";
import { ChannelVerificationError } from "../errors.ts";
import { bodyText, parseJson } from "../payload.ts";
import { inboundText } from "../text.ts";
import { outcomeOf, type IgnoreReason, type InboundContext, type InboundOutcome } from "../types.ts";

export async function receiveWhatsApp(context: InboundContext): Promise<InboundOutcome> {
  const secrets = context.config.secrets("whatsapp", context.bot);
  if (secrets === undefined) throw new ChannelVerificationError("this bot does not listen on whatsapp");
  const { request } = context;
  if (request.method === "GET") {
    const query = request.url.searchParams;
    const challenge = query.get("hub.challenge");
    if (query.get("hub.mode") !== "subscribe" || challenge === null) throw new ChannelVerificationError("not a webhook verification request (hub.mode=subscribe, hub.challenge)");
    if (!equalSecrets(secrets.verifyToken, query.get("hub.verify_token"))) throw new ChannelVerificationError("hub.verify_token is not this bot's verify token");
    return { kind: "handshake", answer: { status: 200, contentType: "text/plain; charset=utf-8", body: challenge } };
  }
  const header = request.headers.get("X-Hub-Signature-256");
  if (header === null) throw new ChannelVerificationError("missing X-Hub-Signature-256");
  const digest = header.startsWith("sha256=") ? fromHex(header.slice(7)) : undefined;
  if (digest === undefined || !(await verifyHmacSha256(secrets.appSecret, digest, request.body))) {
    throw new ChannelVerificationError("X-Hub-Signature-256 does not match the request");
  }
  const webhook = parseJson(bodyText(request.body), WhatsAppWebhookSchema, "WhatsApp webhook");
  if (webhook.object !== "whatsapp_business_account") return outcomeOf(["not_a_message"]);
  const results: (InboundChannelEvent | IgnoreReason)[] = [];
  for (const entry of webhook.entry) {
    for (const change of entry.changes) {
      const phoneNumberId = change.value.metadata?.phone_number_id;
      const messages = change.value.messages ?? [];
      if (change.field !== "messages" || phoneNumberId === undefined || messages.length === 0) {
        results.push("not_a_message");
        continue;
      }
      for (const message of messages) {
        // A tap on one of the bot's reply buttons or list rows says that option's title.
        const said =
          message.type === "text"
            ? message.text?.body
            : message.type === "interactive"
              ? (message.interactive?.button_reply?.title ?? message.interactive?.list_reply?.title)
              : message.type === "button"
                ? message.button?.text
                : undefined;
        if (said === undefined) {
          // Media, locations, reactions, edits (`edit`), unsupported types.
          results.push(message.type === "edit" ? "edited" : "unsupported_type");
          continue;
        }
        const text = inboundText(said);
        if (text === undefined) {
          results.push("empty_text");
          continue;
        }
        results.push({
          channel: "whatsapp",
          bot: context.bot,
          chatId: message.from,
          userId: message.from,
          messageId: message.id,
          ...text,
          receivedAt: new Date(context.now).toISOString(),
          redelivery: false,
          address: { channel: "whatsapp", phoneNumberId, to: message.from },
        });
      }
    }
  }
  return outcomeOf(results);
}
