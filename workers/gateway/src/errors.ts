import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ERRORS, errorBody, errorHeaders, errorInfo, type ErrorCode, type ErrorInfo } from "../../../shared/errors.ts";

/** An error a client caused or can act on: a code of the table in shared/errors.ts, which gives its status. */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;
  /** Extra headers of the response, e.g. `Allow` for `method_not_allowed`. */
  readonly headers: Record<string, string>;
  private readonly retryAfter: number | undefined;
  private readonly problems: string[] | undefined;

  constructor(code: ErrorCode, message: string = ERRORS[code].message, options: { headers?: Record<string, string>; retryAfter?: number; problems?: string[] } = {}) {
    super(ERRORS[code].status, { message });
    this.code = code;
    this.headers = options.headers ?? {};
    this.retryAfter = options.retryAfter;
    this.problems = options.problems;
  }

  /** An error reported as a value (the conversation object's outcomes, the admission, a rate limit). */
  static from(error: ErrorInfo): ApiError {
    return new ApiError(error.code, error.message, error.retryAfter === undefined ? {} : { retryAfter: error.retryAfter });
  }

  get info(): ErrorInfo {
    const info: ErrorInfo = errorInfo(this.code, this.message);
    if (this.retryAfter !== undefined) info.retryAfter = this.retryAfter;
    if (this.problems !== undefined) info.problems = this.problems;
    return info;
  }
}

/** The statuses hono's own middleware throws plain HTTPExceptions with, and the code clients see for each. */
const HONO_ERROR_CODES: Partial<Record<ContentfulStatusCode, ErrorCode>> = {
  400: "invalid_request",
  401: "unauthorized",
  404: "not_found",
  413: "payload_too_large",
  415: "unsupported_media_type",
};

/** The one place errors become responses: `{"error": {"code", "message"}}` with the table's status. */
export function onError(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    const { info } = error;
    return c.json(errorBody(info), error.status, { ...errorHeaders(info), ...error.headers });
  }
  if (error instanceof HTTPException) {
    // Hono's own terse messages ("Malformed JSON in request body") give way to the table's.
    const code = /malformed json/i.test(error.message) ? "invalid_json" : (HONO_ERROR_CODES[error.status] ?? (error.status >= 500 ? "internal_error" : "invalid_request"));
    return c.json(errorBody(errorInfo(code)), ERRORS[code].status);
  }
  console.error(JSON.stringify({ event: "unhandled_error", error: String(error), stack: error.stack }));
  return c.json(errorBody(errorInfo("internal_error")), 500);
}
