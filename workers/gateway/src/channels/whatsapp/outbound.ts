/**
 * A reply as a Cloud API message (`POST /{phone-number-id}/messages`,
 * https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages). Quick replies follow
 * WhatsApp's interactive limits (https://developers.facebook.com/docs/whatsapp/guides/interactive-messages/):
 * up to 3 reply buttons with titles of at most 20 characters; else a list message of up to 10 rows
 * with titles of at most 24; else the options as a numbered list in the text. The interactive body
 * holds at most 1,024 characters, a text message 4,096.
 */
import { GraphApiErrorSchema, type ChannelAddressOf, type ChannelReply } from "../../../../../shared/schemas/channels.ts";
import { classifyByStatus, reasonText, retryAfterSeconds, withNumberedOptions, type PlatformAnswer, type SendRequest, type SendResult } from "../outbound-types.ts";
import { clip } from "../text.ts";

export const WHATSAPP_LIMITS = { text: 4096, interactiveBody: 1024, buttons: 3, buttonTitle: 20, rows: 10, rowTitle: 24 } as const;
/** The list message's button: one symbol, whatever language the bot speaks. */
export const LIST_BUTTON_LABEL = "☰";

const length = (text: string): number => [...text].length;

export type WhatsAppForm = "text" | "buttons" | "list" | "numbered";

/** Which form a reply takes on WhatsApp. */
export function whatsappForm(reply: ChannelReply): WhatsAppForm {
  const options = reply.quickReplies ?? [];
  if (options.length === 0) return "text";
  if (length(reply.text) > WHATSAPP_LIMITS.interactiveBody) return "numbered";
  const longest = Math.max(...options.map(length));
  if (options.length <= WHATSAPP_LIMITS.buttons && longest <= WHATSAPP_LIMITS.buttonTitle) return "buttons";
  if (options.length <= WHATSAPP_LIMITS.rows && longest <= WHATSAPP_LIMITS.rowTitle) return "list";
  return "numbered";
}

export function whatsappMessage(address: ChannelAddressOf<"whatsapp">, reply: ChannelReply): Record<string, unknown> {
  const base = { messaging_product: "whatsapp", recipient_type: "individual", to: address.to };
  const options = reply.quickReplies ?? [];
  switch (whatsappForm(reply)) {
    case "buttons":
      return {
        ...base,
        type: "interactive",
        interactive: {
          type: "button",
          body: { text: reply.text },
          action: { buttons: options.map((title, index) => ({ type: "reply", reply: { id: `qr:${index}`, title } })) },
        },
      };
    case "list":
      return {
        ...base,
        type: "interactive",
        interactive: {
          type: "list",
          body: { text: reply.text },
          action: { button: LIST_BUTTON_LABEL, sections: [{ rows: options.map((title, index) => ({ id: `qr:${index}`, title })) }] },
        },
      };
    case "text":
    case "numbered":
      return { ...base, type: "text", text: { preview_url: false, body: clip(withNumberedOptions(reply.text, options), WHATSAPP_LIMITS.text) } };
  }
}

export function whatsappSendRequest(apiUrl: string, accessToken: string, address: ChannelAddressOf<"whatsapp">, reply: ChannelReply): SendRequest {
  return {
    url: `${apiUrl}/${encodeURIComponent(address.phoneNumberId)}/messages`,
    method: "POST",
    headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json; charset=utf-8" },
    body: JSON.stringify(whatsappMessage(address, reply)),
  };
}

/** Graph API error codes (https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes). */
const RATE_LIMIT_CODES = new Map<number, number>([
  [4, 60], // application request limit
  [80007, 60], // WhatsApp Business Account rate limit
  [130429, 5], // throughput of the phone number
  [131056, 6], // pair rate limit: about one message every 6 s to one user
]);
const RETRYABLE_CODES = new Set([1, 2, 131000, 131016]);
const TOKEN_CODES = new Set([190]);

export function classifyWhatsApp(answer: PlatformAnswer, now: number): SendResult {
  if (answer.status >= 200 && answer.status < 300) return { kind: "sent" };
  let code: number | undefined;
  let message = `HTTP ${answer.status}`;
  try {
    const parsed = GraphApiErrorSchema.safeParse(JSON.parse(answer.body));
    if (parsed.success) {
      code = parsed.data.error.code;
      message = `${code ?? "?"} ${parsed.data.error.message ?? ""}`;
    }
  } catch {
    // Not JSON: the status decides.
  }
  if (code !== undefined) {
    const wait = RATE_LIMIT_CODES.get(code);
    if (wait !== undefined) return { kind: "rate_limited", retryAfterSeconds: retryAfterSeconds(answer.headers, now, wait) };
    if (RETRYABLE_CODES.has(code)) return { kind: "retryable", reason: reasonText(message) };
    if (TOKEN_CODES.has(code)) return { kind: "token_rejected", reason: reasonText(message) };
  }
  const byStatus = classifyByStatus(answer, now);
  return byStatus.kind === "sent" ? byStatus : "reason" in byStatus ? { ...byStatus, reason: reasonText(message) } : byStatus;
}
