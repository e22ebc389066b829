import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ERRORS, errorBody, errorInfo, type ErrorCode, type ErrorInfo } from "../../../shared/errors.ts";

/** An error a client caused or can act on: a code of the table in shared/errors.ts, which gives its status. */
export class ApiError extends HTTPException {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string = ERRORS[code].message) {
    super(ERRORS[code].status, { message });
    this.code = code;
  }

  /** An error the conversation object reported as a value. */
  static from(error: ErrorInfo): ApiError {
    return new ApiError(error.code, error.message);
  }

  get info(): ErrorInfo {
    return errorInfo(this.code, this.message);
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
  if (error instanceof ApiError) return c.json(errorBody(error.info), error.status);
  if (error instanceof HTTPException) {
    const code = /malformed json/i.test(error.message) ? "invalid_json" : (HONO_ERROR_CODES[error.status] ?? (error.status >= 500 ? "internal_error" : "invalid_request"));
    return c.json(errorBody(errorInfo(code, error.message || undefined)), ERRORS[code].status);
  }
  console.error(JSON.stringify({ event: "unhandled_error", error: String(error), stack: error.stack }));
  return c.json(errorBody(errorInfo("internal_error")), 500);
}
