import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** An error a client caused or can act on, with a stable machine-readable code. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(status, { message });
  }
}

const CODE_BY_STATUS: Partial<Record<number, string>> = {
  400: "bad_request",
  401: "unauthorized",
  404: "not_found",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  426: "upgrade_required",
  429: "rate_limited",
};

/** The one place errors become responses: `{"error": {"code", "message"}}` with the right status. */
export function errorResponse(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    return c.json({ error: { code: error.code, message: error.message } }, error.status);
  }
  if (error instanceof HTTPException) {
    const code = /malformed json/i.test(error.message) ? "invalid_json" : (CODE_BY_STATUS[error.status] ?? "http_error");
    return c.json({ error: { code, message: error.message || code } }, error.status);
  }
  console.error(JSON.stringify({ event: "unhandled_error", error: String(error), stack: error.stack }));
  return c.json({ error: { code: "internal_error", message: "internal error" } }, 500);
}
