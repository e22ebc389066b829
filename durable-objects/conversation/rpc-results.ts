import type { Message } from "../../shared/schemas/index.ts";

/**
 * Outcomes the conversation object reports to its callers as values: RPC keeps only an error's
 * message, so a typed code travels in the result and the gateway maps it to an HTTP status.
 */
export type ConversationErrorCode = "conversation_not_found" | "client_message_id_conflict";

export type ConversationResult<T> =
  | ({ ok: true } & T)
  | { ok: false; error: { code: ConversationErrorCode; message: string } };

export type AppendUserTurnResult = ConversationResult<{ message: Message; duplicate: boolean }>;
