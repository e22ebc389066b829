import { createRoute } from "@hono/zod-openapi";
import { BotCatalogSchema, NoQuerySchema } from "../../../../shared/schemas/index.ts";
import { botCatalog } from "../bot-catalog.ts";
import { newRouter } from "../router.ts";
import { errorResponses } from "./openapi-responses.ts";

const listBots = createRoute({
  method: "get",
  path: "/v1/bots",
  operationId: "listBots",
  security: [],
  summary: "The bots this deployment serves, and the default one",
  request: { query: NoQuerySchema },
  responses: {
    200: { description: "Bot catalog", content: { "application/json": { schema: BotCatalogSchema } } },
    ...errorResponses.pick(),
  },
});

export const botRoutes = newRouter().openapi(listBots, (c) => c.json(botCatalog, 200));
