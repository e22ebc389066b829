import { OpenAPIHono } from "@hono/zod-openapi";
import { describeZodError } from "../../../shared/zod-issues.ts";
import { ApiError } from "./errors.ts";
import type { GatewayHonoEnv } from "./hono-env.ts";

/**
 * A router whose failed validations become ApiErrors. A path parameter that cannot be an id names
 * nothing: 404 `conversation_not_found` for a conversation id (the same code the token check and
 * the object give), `dead_letter_not_found` for a dead letter's, `bot_not_found` and
 * `version_not_found` for a bot's and its version's, `not_found` for a user's. Anything else the client sent is a
 * 400 that says what is wrong, and where (`query: …` for the query string).
 */
export function newRouter(): OpenAPIHono<GatewayHonoEnv> {
  return new OpenAPIHono<GatewayHonoEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      if (result.target === "param") {
        const param = result.error.issues[0]?.path[0];
        // A user id no host could have signed (`/v1/users/{sub}/…`) names nobody.
        if (param === "sub") throw new ApiError("not_found", "no such user: a user id is 1-128 visible ASCII characters");
        // A channel the webhook path cannot name: no such webhook (a bot it cannot name is, as everywhere, no such bot).
        if (param === "channel") throw new ApiError("not_found");
        throw new ApiError(param === "deadLetterId" ? "dead_letter_not_found" : param === "bot" ? "bot_not_found" : param === "version" ? "version_not_found" : "conversation_not_found");
      }
      const problem = describeZodError(result.error);
      throw new ApiError("invalid_request", result.target === "query" ? `query: ${problem}` : problem);
    },
  });
}
