import { OpenAPIHono } from "@hono/zod-openapi";
import { describeZodError } from "../../../shared/zod-issues.ts";
import { ApiError } from "./errors.ts";
import type { GatewayHonoEnv } from "./hono-env.ts";

/**
 * A router whose failed validations become ApiErrors. The only path parameter is a conversation id
 * (`ConversationParamsSchema`), and one that cannot be an id names no conversation: 404
 * `conversation_not_found`, the same code the token check and the object give. Anything else the
 * client sent is a 400 that says what is wrong.
 */
export function newRouter(): OpenAPIHono<GatewayHonoEnv> {
  return new OpenAPIHono<GatewayHonoEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      if (result.target === "param") throw new ApiError("conversation_not_found");
      throw new ApiError("invalid_request", describeZodError(result.error));
    },
  });
}
