import { createRoute } from "@hono/zod-openapi";
import { BotCatalogSchema } from "../../../../shared/schemas/index.ts";
import { botCatalog } from "../bot-catalog.ts";
import { newRouter } from "../router.ts";

const listBots = createRoute({
  method: "get",
  path: "/v1/bots",
  summary: "The bots this deployment serves, and the default one",
  responses: {
    200: { description: "Bot catalog", content: { "application/json": { schema: BotCatalogSchema } } },
  },
});

export const botRoutes = newRouter().openapi(listBots, (c) => c.json(botCatalog, 200));
