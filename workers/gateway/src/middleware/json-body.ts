import { createMiddleware } from "hono/factory";
import { ApiError } from "../errors.ts";
import type { GatewayHonoEnv } from "../hono-env.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * Any request body the API receives is JSON in UTF-8, on every route: `Content-Type:
 * application/json` (a `charset` parameter, if any, must be `utf-8`), else 415; bytes that are not
 * UTF-8 are a 400 `invalid_json`, where a lenient decoder would have stored U+FFFD instead of what
 * the client sent. Routes that take a body then parse and validate it (their OpenAPI schema); routes
 * that take none ignore a body that passes these checks.
 *
 * Runs after the body limit, which has counted (and for a chunked body, buffered) the bytes. The
 * bytes stay cached in the request, so the route's JSON validator reads them without a second copy.
 */
export const requireJsonBody = createMiddleware<GatewayHonoEnv>(async (c, next) => {
  if (c.req.raw.body === null) return next();
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength === 0) return next();
  const contentType = c.req.header("Content-Type");
  if (!isJsonUtf8(contentType)) {
    throw new ApiError(
      "unsupported_media_type",
      contentType === undefined ? "the request body has no Content-Type; send application/json" : "the request body must be application/json in UTF-8",
    );
  }
  try {
    utf8.decode(bytes);
  } catch {
    throw new ApiError("invalid_json", "the request body is not valid UTF-8");
  }
  await next();
});

/** `application/json`, optionally `; charset=utf-8` (any case, optionally quoted). */
function isJsonUtf8(contentType: string | undefined): boolean {
  if (contentType === undefined) return false;
  const [mediaType, ...parameters] = contentType.split(";").map((part) => part.trim().toLowerCase());
  if (mediaType !== "application/json") return false;
  return parameters.every((parameter) => /^charset=(?:utf-8|"utf-8")$/.test(parameter));
}
