import type { ChannelConfig } from "../../../../shared/channel-config.ts";
import type { ChannelName, InboundChannelEvent } from "../../../../shared/schemas/channels.ts";

/** One webhook request as a platform sent it: the raw body bytes are what its signature covers. */
export interface ChannelRequest {
  method: string;
  url: URL;
  headers: Headers;
  body: Uint8Array;
}

/** What the webhook answers the platform: a handshake's challenge, or the acknowledgement it expects. */
export interface HttpAnswer {
  status: 200;
  contentType?: string;
  body: string;
}

/** Why a verified delivery makes no turn (logged and counted, never an error: the platform would retry). */
export type IgnoreReason =
  | "not_a_message"
  | "bot_message"
  | "edited"
  | "unsupported_type"
  | "empty_text"
  | "standby"
  | "encrypted_mode"
  | "no_events"
  | "not_addressed";

export type InboundOutcome =
  /** A set-up handshake (Slack url_verification, WhatsApp's and WeChat's GET): answer it, store nothing. */
  | { kind: "handshake"; answer: HttpAnswer }
  /** A verified delivery: one event per user message it carries (WhatsApp and LINE batch them). */
  | { kind: "events"; events: InboundChannelEvent[]; ignored: IgnoreReason[]; answer: HttpAnswer }
  /** A verified delivery with nothing to answer. */
  | { kind: "ignore"; reasons: IgnoreReason[]; answer: HttpAnswer };

/** What every platform's inbound handler gets. */
export interface InboundContext {
  channel: ChannelName;
  bot: string;
  request: ChannelRequest;
  config: ChannelConfig;
  /** ms since the epoch: the Slack replay window, `receivedAt`. */
  now: number;
  /** Outbound HTTP (the Teams signing keys); the global fetch in production. */
  fetch: typeof fetch;
}

export const EMPTY_OK: HttpAnswer = { status: 200, body: "" };

/** Sorts a handler's results into the outcome: events when there are any, else ignore. */
export function outcomeOf(results: (InboundChannelEvent | IgnoreReason)[], answer: HttpAnswer = EMPTY_OK): InboundOutcome {
  const events = results.filter((result): result is InboundChannelEvent => typeof result !== "string");
  const ignored = results.filter((result): result is IgnoreReason => typeof result === "string");
  if (events.length === 0) return { kind: "ignore", reasons: ignored.length > 0 ? ignored : ["no_events"], answer };
  return { kind: "events", events, ignored, answer };
}
