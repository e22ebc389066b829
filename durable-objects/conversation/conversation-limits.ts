import { failure, type Outcome } from "../../shared/errors.ts";
import type { Transcript } from "./transcript.ts";

export interface ConversationLimits {
  maxMessages: number;
  maxBytes: number;
}

const encoder = new TextEncoder();

/**
 * Whether a user message still fits the conversation: a deployment caps how many messages and how
 * many bytes of stored messages one conversation holds (STRATUS_MAX_CONVERSATION_MESSAGES / _BYTES), so a client cannot
 * grow one object's storage and every replay without end. Only user messages are refused: the bot's
 * replies to a message already accepted, and an operator's messages, are always stored.
 */
export function admitToTranscript(
  transcript: Pick<Transcript, "lastSeq" | "textBytes">,
  limits: ConversationLimits,
  text: string,
): Outcome<object, "conversation_full"> {
  if (transcript.lastSeq() >= limits.maxMessages) {
    return failure("conversation_full", `this conversation holds its limit of ${limits.maxMessages} messages; start a new conversation`);
  }
  if (transcript.textBytes() + encoder.encode(text).byteLength > limits.maxBytes) {
    return failure("conversation_full", `this conversation holds its limit of ${limits.maxBytes} bytes of messages; start a new conversation`);
  }
  return { ok: true };
}
