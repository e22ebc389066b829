/**
 * Every error a client can see, in one table: its code, its HTTP status and its default message.
 * The gateway turns them into HTTP responses (`workers/gateway/src/errors.ts`), the conversation
 * Durable Object returns them as RPC values (`Outcome`) and sends them as WebSocket error frames;
 * all of them build the JSON here, so the shape `{"error":{"code","message"}}` has one source.
 *
 * No secret or internal detail belongs in a message: messages are shown to clients as they are.
 */
export const ERRORS = {
  invalid_request: { status: 400, message: "the request is not valid" },
  invalid_json: { status: 400, message: "the request body is not valid JSON" },
  /** The WebSocket's form of `invalid_request`: a client frame that is not a valid message. */
  invalid_frame: { status: 400, message: "the frame is not a valid message" },
  unknown_bot: { status: 400, message: "this deployment does not serve that bot" },
  unsupported_locale: { status: 400, message: "the bot does not speak that locale" },
  unauthorized: { status: 401, message: "missing or invalid credentials" },
  /** Valid credentials that may not do this, e.g. an operator's WebSocket, which is read-only. */
  forbidden: { status: 403, message: "these credentials may not do that" },
  /** Also the answer for an id that cannot be a conversation id, on every route. */
  conversation_not_found: { status: 404, message: "conversation not found" },
  /** No such route. */
  not_found: { status: 404, message: "not found" },
  /** The bot-versions routes (`/v1/bots/{bot}/…`): this deployment serves no bot of that id (a new bot comes with a deploy). */
  bot_not_found: { status: 404, message: "this deployment serves no bot of that id" },
  /** No published version of the bot with that number or content hash. */
  version_not_found: { status: 404, message: "the bot has no such version" },
  /** `GET /v1/conversations/{id}/messages/{seq}/replies`: the conversation has no user message of that seq. */
  message_not_found: { status: 404, message: "the conversation has no user message of that seq" },
  /** No dead-letter record with that id (`/v1/dead-letters/{id}`). */
  dead_letter_not_found: { status: 404, message: "dead letter not found" },
  /** The path exists, the method does not; the response's `Allow` header lists the ones it takes. */
  method_not_allowed: { status: 405, message: "this path does not take that method" },
  client_message_id_conflict: { status: 409, message: "the clientMessageId was already used for a different text" },
  /** The conversation holds as many messages or bytes as a deployment allows one conversation; start a new one. */
  conversation_full: { status: 409, message: "this conversation is full; start a new conversation" },
  /** A dead letter whose turn cannot be replayed now; the message says why (answered, in flight, handed off). */
  not_replayable: { status: 409, message: "this dead-lettered turn cannot be replayed" },
  payload_too_large: { status: 413, message: "the request body is too large" },
  unsupported_media_type: { status: 415, message: "the request body must be application/json" },
  /** `PUT /v1/bots/{bot}`: the bot has problems, every one listed in `problems` as `npm run validate` prints them; nothing was stored. */
  invalid_bot: { status: 422, message: "the bot has problems; nothing was published" },
  /** `POST /v1/nlu/parse`: the intent Worker failed on this text or returned no valid result (logged for the developers). */
  nlu_failed: { status: 422, message: "the NLU could not process this text" },
  upgrade_required: { status: 426, message: "this endpoint takes a WebSocket upgrade" },
  /** Always carries `retryAfter` (seconds), and over HTTP the `Retry-After` header with the same value. */
  rate_limited: { status: 429, message: "too many requests; slow down and retry shortly" },
  internal_error: { status: 500, message: "internal error" },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof ERRORS;
export type ErrorStatus = (typeof ERRORS)[ErrorCode]["status"];
export const ERROR_CODES = Object.keys(ERRORS) as [ErrorCode, ...ErrorCode[]];

/** An error as it travels: in an RPC result, in a WebSocket frame, in a response body. */
export interface ErrorInfo<Code extends ErrorCode = ErrorCode> {
  code: Code;
  message: string;
  /** Seconds to wait before trying again (`rate_limited`); over HTTP also the `Retry-After` header. */
  retryAfter?: number;
  /** Everything wrong with a refused bot (`invalid_bot`), one line per problem. */
  problems?: string[];
}

export function errorInfo<Code extends ErrorCode>(code: Code, message: string = ERRORS[code].message): ErrorInfo<Code> {
  return { code, message };
}

/** The `rate_limited` error, with the seconds after which the budget is new again. */
export function rateLimitedError(retryAfter: number): ErrorInfo<"rate_limited"> {
  return { code: "rate_limited", message: `too many requests; retry in ${retryAfter} s`, retryAfter };
}

/**
 * The result of an operation that can fail in a way the caller reports to a client. RPC keeps only
 * a thrown error's message, so the conversation object returns its errors as values instead.
 */
export type Outcome<T extends object, Code extends ErrorCode = ErrorCode> = ({ ok: true } & T) | Failure<Code>;
export interface Failure<Code extends ErrorCode = ErrorCode> {
  ok: false;
  error: ErrorInfo<Code>;
}

export function failure<Code extends ErrorCode>(code: Code, message?: string): Failure<Code> {
  return { ok: false, error: errorInfo(code, message) };
}

/** The JSON body of an error response. */
export function errorBody(error: ErrorInfo): { error: ErrorInfo } {
  return { error };
}

/** The headers an error response carries besides its body: `Retry-After` for a rate limit. */
export function errorHeaders(error: ErrorInfo): Record<string, string> {
  return error.retryAfter === undefined ? {} : { "Retry-After": String(error.retryAfter) };
}

/** An error response with the table's status, for code that has no router (the object's upgrade). */
export function errorResponse(error: ErrorInfo): Response {
  return Response.json(errorBody(error), { status: ERRORS[error.code].status, headers: errorHeaders(error) });
}
