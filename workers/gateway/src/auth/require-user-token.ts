import { createMiddleware } from "hono/factory";
import { userIdentityConfig, userTokenPolicy } from "../../../../shared/user-identity-config.ts";
import { ApiError } from "../errors.ts";
import type { GatewayHonoEnv } from "../hono-env.ts";
import { bearerToken } from "./require-operator-key.ts";
import { userTokenError, verifyUserToken, type VerifiedUser } from "./user-token.ts";

/** The gateway's env for routes a signed-in user calls with their own token (`/v1/users/me/…`). */
export type UserHonoEnv = GatewayHonoEnv & { Variables: { user: VerifiedUser } };

/**
 * Checks the user token of a request, from `Authorization: Bearer <userToken>` or (for
 * `POST /v1/conversations`) the body's `userToken`: the verified user, or the 401 to answer with.
 */
export async function authenticateUser(env: GatewayEnv, token: string | undefined): Promise<VerifiedUser> {
  const result = await verifyUserToken(userTokenPolicy(userIdentityConfig(env)), token);
  if (!result.ok) throw ApiError.from(userTokenError(result));
  return result.user;
}

/** Lets a request through only with a valid user token (`Authorization: Bearer <userToken>`), and records the user. */
export const requireUserToken = createMiddleware<UserHonoEnv>(async (c, next) => {
  c.set("user", await authenticateUser(c.env, bearerToken(c.req.header("Authorization"))));
  await next();
});
