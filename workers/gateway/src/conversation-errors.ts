import type { ConversationErrorCode } from "../../../durable-objects/conversation/rpc-results.ts";
import { ApiError } from "./errors.ts";

const STATUS_BY_CODE = { conversation_not_found: 404, client_message_id_conflict: 409 } as const satisfies Record<
  ConversationErrorCode,
  number
>;

/** Turns an error value reported by the conversation object into the matching HTTP error. */
export function conversationError(error: { code: ConversationErrorCode; message: string }): ApiError {
  return new ApiError(STATUS_BY_CODE[error.code], error.code, error.message);
}
