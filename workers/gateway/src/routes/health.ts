import { createRoute, z } from "@hono/zod-openapi";
import { newRouter } from "../router.ts";

const health = createRoute({
  method: "get",
  path: "/healthz",
  operationId: "getHealth",
  security: [],
  summary: "Liveness",
  responses: {
    200: { description: "The gateway is up", content: { "application/json": { schema: z.object({ status: z.literal("ok") }) } } },
  },
});

export const healthRoutes = newRouter().openapi(health, (c) => c.json({ status: "ok" as const }, 200));
