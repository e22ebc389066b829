import { OpenAPIHono } from "@hono/zod-openapi";
import { describeZodError } from "../../../shared/zod-issues.ts";
import { ApiError } from "./errors.ts";
import type { GatewayHonoEnv } from "./hono-env.ts";

/**
 * A router whose failed validations become ApiErrors: a bad path parameter means the thing does
 * not exist (404); anything else the client sent is a 400 that says what is wrong.
 */
export function newRouter(): OpenAPIHono<GatewayHonoEnv> {
  return new OpenAPIHono<GatewayHonoEnv>({
    defaultHook: (result) => {
      if (result.success) return;
      if (result.target === "param") throw new ApiError(404, "not_found", describeZodError(result.error));
      throw new ApiError(400, "invalid_request", describeZodError(result.error));
    },
  });
}
