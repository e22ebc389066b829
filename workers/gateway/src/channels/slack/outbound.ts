/**
 * A reply as Slack's `chat.postMessage` (https://api.slack.com/methods/chat.postMessage): the text,
 * and the quick replies as Block Kit buttons (https://api.slack.com/reference/block-kit/block-elements#button)
 * whose `value` is the option's text: a press comes back as a `block_actions` interaction
 * (slack/inbound.ts) and the user "says" the option.
 */
import type { ChannelAddressOf, ChannelReply } from "../../../../../shared/schemas/channels.ts";
import { clip } from "../text.ts";
import { reasonText, retryAfterSeconds, type PlatformAnswer, type SendRequest, type SendResult } from "../outbound-types.ts";

/** Slack's limits: text of a message, of a section block, a button's label and value, elements per actions block. */
export const SLACK_LIMITS = { text: 40_000, section: 3000, buttonText: 75, buttonValue: 2000, actionsPerBlock: 25, blocks: 50 } as const;

/** `&`, `<` and `>` are Slack's control characters in message text; everything else is sent as it is. */
const escapeMrkdwn = (text: string): string => text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function slackMessage(address: ChannelAddressOf<"slack">, reply: ChannelReply): Record<string, unknown> {
  const text = clip(reply.text, SLACK_LIMITS.text);
  const message: Record<string, unknown> = {
    channel: address.channelId,
    // The notification and fallback text; with blocks, the blocks are what the chat shows.
    text: escapeMrkdwn(text),
    ...(address.threadTs === undefined ? {} : { thread_ts: address.threadTs }),
  };
  const options = reply.quickReplies ?? [];
  if (options.length === 0) return message;
  const buttons = options.map((option, index) => ({
    type: "button",
    action_id: `stratus_qr_${index}`,
    text: { type: "plain_text", text: clip(option, SLACK_LIMITS.buttonText), emoji: true },
    value: clip(option, SLACK_LIMITS.buttonValue),
  }));
  const actionBlocks = chunks(buttons, SLACK_LIMITS.actionsPerBlock).map((elements) => ({ type: "actions", elements }));
  const sections = chunks([...text], SLACK_LIMITS.section)
    .map((part) => ({ type: "section", text: { type: "plain_text", text: part.join(""), emoji: true } }))
    .slice(0, SLACK_LIMITS.blocks - actionBlocks.length);
  message.blocks = [...sections, ...actionBlocks];
  return message;
}

export function slackSendRequest(apiUrl: string, botToken: string, address: ChannelAddressOf<"slack">, reply: ChannelReply): SendRequest {
  return {
    url: `${apiUrl}/chat.postMessage`,
    method: "POST",
    headers: { Authorization: `Bearer ${botToken}`, "Content-Type": "application/json; charset=utf-8" },
    body: JSON.stringify(slackMessage(address, reply)),
  };
}

/** Slack errors a later attempt may get past; the rest are about this message or this app. */
const RETRYABLE_SLACK_ERRORS = new Set(["internal_error", "fatal_error", "service_unavailable", "request_timeout"]);
const TOKEN_SLACK_ERRORS = new Set(["invalid_auth", "not_authed", "token_expired"]);

export function classifySlack(answer: PlatformAnswer, now: number): SendResult {
  // Rate limits are HTTP 429 with Retry-After (https://api.slack.com/apis/rate-limits).
  if (answer.status === 429) return { kind: "rate_limited", retryAfterSeconds: retryAfterSeconds(answer.headers, now, 30) };
  if (answer.status >= 500) return { kind: "retryable", reason: `HTTP ${answer.status}` };
  let parsed: { ok?: unknown; error?: unknown } = {};
  try {
    parsed = JSON.parse(answer.body) as { ok?: unknown; error?: unknown };
  } catch {
    return { kind: "retryable", reason: `HTTP ${answer.status}: not JSON` };
  }
  if (parsed.ok === true) return { kind: "sent" };
  const error = typeof parsed.error === "string" ? parsed.error : `HTTP ${answer.status}`;
  if (error === "ratelimited") return { kind: "rate_limited", retryAfterSeconds: retryAfterSeconds(answer.headers, now, 30) };
  if (RETRYABLE_SLACK_ERRORS.has(error)) return { kind: "retryable", reason: reasonText(error) };
  if (TOKEN_SLACK_ERRORS.has(error)) return { kind: "token_rejected", reason: reasonText(error) };
  return { kind: "rejected", reason: reasonText(error) };
}
