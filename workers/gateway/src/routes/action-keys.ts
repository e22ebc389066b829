import { createRoute } from "@hono/zod-openapi";
import { parseActionKey, publicActionKeys } from "../../../../shared/action-assertion.ts";
import { gatewayConfig } from "../../../../shared/gateway-config.ts";
import { ActionKeySetSchema, NoQuerySchema } from "../../../../shared/schemas/index.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

/** A backend caches the keys; a new key is published beside the old one for longer than this (docs/privacy.md). */
const CACHE_SECONDS = 300;

const getActionKeys = createRoute({
  method: "get",
  path: "/.well-known/stratus-action-keys.json",
  operationId: "getActionKeys",
  summary: "The public keys a bot's backend checks user assertions with (a JWKS)",
  description:
    "Each action call from the dialogue Worker carries `Stratus-User-Assertion`, an ES256 JWT naming the signed-in user (or none), " +
    "the bot, the conversation, the backend and the call (shared/action-assertion.ts). Empty when the deployment signs none.",
  security: [],
  request: { query: NoQuerySchema },
  responses: {
    200: { description: "The keys", content: { "application/json": { schema: ActionKeySetSchema } } },
    ...errorResponses.pick(),
  },
});

export const actionKeyRoutes = newRouter().openapi(getActionKeys, (c) => {
  const secret = gatewayConfig(c.env).ACTION_ASSERTION_KEY;
  c.header("Cache-Control", `public, max-age=${CACHE_SECONDS}`);
  return c.json(ActionKeySetSchema.parse(secret === undefined ? { keys: [] } : publicActionKeys(parseActionKey(secret))), 200);
});
