import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { MAX_BOT_DOCUMENT_BYTES } from "../../../../shared/schemas/index.ts";
import { ApiError } from "../errors.ts";
import type { GatewayHonoEnv } from "../hono-env.ts";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/** The media types a bot document comes in: YAML (what `npx stratus push` sends) or JSON. */
const DOCUMENT_TYPES = ["application/yaml", "application/x-yaml", "text/yaml", "application/json"];

/** `PUT /v1/bots/{bot}`: the one request whose body is a bot document, not the API's small JSON (app.ts leaves it to these). */
export const takesBotDocument = (c: Context): boolean => c.req.method === "PUT" && /^\/v1\/bots\/[^/]+$/.test(c.req.path);

/** A bot document is at most MAX_BOT_DOCUMENT_BYTES (2 MiB) rather than the API's 64 KiB. */
export const botDocumentLimit = bodyLimit({
  maxSize: MAX_BOT_DOCUMENT_BYTES,
  onError: () => {
    throw new ApiError("payload_too_large", `a bot document is at most ${MAX_BOT_DOCUMENT_BYTES} bytes`);
  },
});

/**
 * A bot document's body: YAML or JSON in UTF-8 (a `charset` parameter, if any, must be utf-8),
 * else 415; bytes that are not UTF-8 are a 400. The route parses and checks the text.
 */
export const botDocumentBody = createMiddleware<GatewayHonoEnv>(async (c, next) => {
  const [mediaType, ...parameters] = (c.req.header("Content-Type") ?? "").split(";").map((part) => part.trim().toLowerCase());
  if (!DOCUMENT_TYPES.includes(mediaType ?? "") || !parameters.every((parameter) => /^charset=(?:utf-8|"utf-8")$/.test(parameter))) {
    throw new ApiError("unsupported_media_type", "a bot document is application/yaml or application/json, in UTF-8");
  }
  try {
    utf8.decode(await c.req.arrayBuffer());
  } catch {
    throw new ApiError("invalid_request", "the bot document is not valid UTF-8");
  }
  await next();
});
