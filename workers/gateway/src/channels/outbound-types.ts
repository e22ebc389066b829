import type { ChannelReply } from "../../../../shared/schemas/channels.ts";

/** One HTTP request to a platform's send API. Its URL may hold a credential (Telegram): never log it. */
export interface SendRequest {
  url: string;
  method: "POST";
  headers: Record<string, string>;
  body: string;
}

/** A platform's answer, read once. */
export interface PlatformAnswer {
  status: number;
  headers: Headers;
  body: string;
}

/** What a send came to, for the sender's retry rules (workers/gateway/src/channels/sender.ts). */
export type SendResult =
  | { kind: "sent" }
  /** 429 or the platform's own rate-limit answer: wait this long, then send the same message again. */
  | { kind: "rate_limited"; retryAfterSeconds: number }
  /** A server error or an answer that may pass: retry with backoff. */
  | { kind: "retryable"; reason: string }
  /** The access token was refused: get a new one, then retry. */
  | { kind: "token_rejected"; reason: string }
  /** The platform will never take this message (blocked by the user, chat gone, outside the reply window). */
  | { kind: "rejected"; reason: string };

export type { ChannelReply };

/** The answer's text clipped for a log line: platform errors name the problem, not the user's data. */
export const reasonText = (text: string): string => text.replace(/\s+/g, " ").slice(0, 200);

/**
 * Seconds to wait from a `Retry-After` header (seconds or an HTTP date), else `fallback`; at least 1,
 * at most 12 hours (the longest a queue message can be delayed).
 */
export function retryAfterSeconds(headers: Headers, now: number, fallback: number): number {
  const header = headers.get("Retry-After")?.trim();
  let seconds = fallback;
  if (header !== undefined && /^\d+$/.test(header)) seconds = Number(header);
  else if (header !== undefined && header !== "") {
    const at = Date.parse(header);
    if (!Number.isNaN(at)) seconds = Math.ceil((at - now) / 1000);
  }
  return Math.min(12 * 60 * 60, Math.max(1, Math.ceil(seconds)));
}

/** The common reading of HTTP statuses, for platforms whose body adds nothing. */
export function classifyByStatus(answer: PlatformAnswer, now: number): SendResult {
  const { status } = answer;
  if (status >= 200 && status < 300) return { kind: "sent" };
  if (status === 429) return { kind: "rate_limited", retryAfterSeconds: retryAfterSeconds(answer.headers, now, 30) };
  if (status === 401) return { kind: "token_rejected", reason: `HTTP 401: ${reasonText(answer.body)}` };
  if (status >= 500 || status === 408) return { kind: "retryable", reason: `HTTP ${status}: ${reasonText(answer.body)}` };
  return { kind: "rejected", reason: `HTTP ${status}: ${reasonText(answer.body)}` };
}

/** A numbered list of the options, for platforms without buttons: "1. Track my order". */
export function numberedOptions(quickReplies: readonly string[]): string {
  return quickReplies.map((option, index) => `${index + 1}. ${option}`).join("\n");
}

export const withNumberedOptions = (text: string, quickReplies: readonly string[] | undefined): string =>
  quickReplies === undefined || quickReplies.length === 0 ? text : `${text}\n\n${numberedOptions(quickReplies)}`;
